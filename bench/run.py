"""Benchmarks (run with `make bench`): ingest speed and memory, PDF reading, the build over many documents, pages at
1, 50, 500 and 5,000 documents, app start and server memory.

Prints one line per figure with its target (and, at scale, beside the one-document figure); exits 1 if a target is
missed. Timings are medians of interleaved runs on an otherwise idle machine. Speed lives here, never in unit tests.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEED = ROOT / "data" / "raw" / "fj-quanzhou-taishang-shehui-zhili-2022-final.txt"
PDF = ROOT / "data" / "raw" / "sh-putuo-finance-bureau-2024-final.pdf"
CHROMIUM = "/usr/bin/chromium"
RESULTS: list[tuple[str, float, float, str]] = []


def report(name: str, value: float, target: float, unit: str) -> None:
    RESULTS.append((name, value, target, unit))
    ok = "ok " if value < target else "MISS"
    print(f"[{ok}] {name}: {value:.3f} {unit} (target < {target} {unit})", flush=True)


def bench_ingest(tmp: Path) -> None:
    from core.db import store
    from core.ingest.document import read_document
    from core.pipeline import ingest, project_extras

    ingest([SEED], tmp / "warm.duckdb")  # warm imports and caches
    parse, load, total, audit = [], [], [], []
    for n in range(5):
        db = tmp / f"in-process-{n}.duckdb"
        shutil.copy(tmp / "warm.duckdb", db)
        t0 = time.perf_counter()
        doc = read_document(SEED)
        doc.project_extras = project_extras(doc)
        t1 = time.perf_counter()
        store.write_documents(db, [doc])
        t2 = time.perf_counter()
        parse.append(t1 - t0)
        load.append(t2 - t1)
        total.append(t2 - t0)
        t3 = time.perf_counter()
        from core.audit.engine import store_audit

        store.write_documents(db, [doc], after_insert=lambda con, d: store_audit(con, d.doc_id))
        audit.append(time.perf_counter() - t3 - (t2 - t1))
    print(f"      parse {statistics.median(parse):.3f} s, load {statistics.median(load):.3f} s (medians of 5)")
    report("seed parse + load in-process, no audit (median of 5)", statistics.median(total), 0.3, "s")
    report("audit added to the seed's ingest (median of 5)", max(0.0, statistics.median(audit)), 0.2, "s")


def bench_cli(tmp: Path) -> None:
    times = []
    for n in range(3):
        db = tmp / f"cli-{n}.duckdb"
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "core", "ingest", str(SEED), "--db", str(db)], check=True,
                       cwd=ROOT, capture_output=True)
        times.append(time.perf_counter() - t0)
    report("`juesuan ingest` of the seed, whole command (median of 3)", statistics.median(times), 1.5, "s")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report("peak memory of `juesuan ingest`", peak_kb / 1024, 300, "MB")


def ingest_seconds(source: Path, tmp: Path, runs: int = 3) -> float:
    """Median wall time of `juesuan ingest SOURCE` as a whole command, each run into a new database."""
    times = []
    for n in range(runs):
        t0 = time.perf_counter()
        # --allow-incomplete: the corpus holds a template and an altered copy that lack tables; reading them counts
        subprocess.run([sys.executable, "-m", "core", "ingest", str(source), "--allow-incomplete", "--db",
                        str(tmp / f"run-{n}.duckdb")], cwd=ROOT, capture_output=True)
        times.append(time.perf_counter() - t0)
        (tmp / f"run-{n}.duckdb").unlink(missing_ok=True)
    return statistics.median(times)


def bench_pdf(tmp: Path) -> None:
    """The 25-page Shanghai 决算, first sight (no cache): whole command, and where the time goes."""
    from core.audit.engine import store_audit
    from core.db import store
    from core.ingest import pdf_report
    from core.ingest.pdf_lines import map_pages
    from core.pipeline import project_extras, read_all, IngestResult

    imports = []
    for _ in range(7):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import core.cli, core.pipeline, core.ingest.pdf_report, "
                        "core.audit.engine, core.db.store"], check=True, cwd=ROOT)
        imports.append(time.perf_counter() - t0)
    text, tables, write, audit = [], [], [], []
    for n in range(7):
        t0 = time.perf_counter()
        map_pages(PDF, lambda page, no: page.extract_text(y_tolerance=pdf_report.NARRATIVE_Y_TOLERANCE))
        text.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        map_pages(PDF, pdf_report._read_page)
        tables.append(time.perf_counter() - t0 - text[-1])
        docs = read_all([PDF], False, IngestResult())
        for d in docs:
            d.project_extras = project_extras(d)
        t0 = time.perf_counter()
        store.write_documents(tmp / f"pdf-{n}.duckdb", docs)
        write.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        store.write_documents(tmp / f"pdf-a{n}.duckdb", docs, after_insert=lambda con, d: store_audit(con, d.doc_id))
        audit.append(max(0.0, time.perf_counter() - t0 - write[-1]))
    med = statistics.median
    print(f"      breakdown (medians of 7): interpreter + imports {med(imports):.2f} s, page text {med(text):.2f} s, "
          f"tables {max(0.0, med(tables)):.2f} s, write {med(write):.2f} s, audit {med(audit):.2f} s "
          f"(pages read by {os.cpu_count()} processes)")
    report("`juesuan ingest` of the 25-page PDF, first sight, whole command (median of 7)", ingest_seconds(PDF, tmp, 7),
           1.5, "s")


def bench_budgets(tmp: Path) -> None:
    """Every PDF disclosure in data/raw and in the shared corpus, `juesuan ingest` whole command, slowest first."""
    from core.pipeline import raw_sources
    from tests.golden_files import disclosures, sources

    seen, times = set(), []
    candidates = [s for s in raw_sources(ROOT / "data" / "raw") if s.is_dir() or s.suffix == ".pdf"]
    candidates += [src for folder in disclosures() for src in sources(folder)]
    for source in candidates:
        files = sorted(source.glob("*.pdf")) if source.is_dir() else [source]
        key = tuple(hashlib.sha256(f.read_bytes()).hexdigest() for f in files)
        if key in seen:
            continue
        seen.add(key)
        times.append((ingest_seconds(source, tmp), source.name, len(files)))
    for seconds, name, files in sorted(times, reverse=True):
        print(f"      ingest {seconds:.2f} s  {name} ({files} file{'s' if files > 1 else ''}, median of 3)")
    report(f"slowest of {len(times)} PDF disclosures, `juesuan ingest` whole command", max(t for t, *_ in times), 2,
           "s")


SEED_DOC = "2022-final-1c256323b7"
SCALES = (1, 50, 500, 5000)
PAGES = ["pages/overview.py", "pages/spending.py", "pages/projects.py", "pages/sangong.py", "pages/audit.py",
         "pages/data.py"]


def shared_components():
    """One scan of the installed packages for Streamlit components, shared by every AppTest the bench makes.

    Streamlit 1.67's AppTest scans every installed distribution's metadata for component manifests once per AppTest
    instance (about 130 ms here, measured); the server scans once at start, not per visitor. Sharing one scan keeps
    that harness cost out of a page's first view. If a later Streamlit drops the attribute, the bench says so and
    times the scan with the page."""
    from streamlit.testing.v1 import AppTest

    probe = AppTest.from_string("")
    if not hasattr(probe, "_bidi_component_manager"):
        print("      (this Streamlit's AppTest has no shared component registry: first views include its scan)")
        return None
    probe.run()
    return probe._bidi_component_manager


def time_pages(dbs: dict[int, Path], views: dict[int, dict[str, dict]], quiet: tuple[str, ...] = ()):
    """Each page of `views` ({documents: {page: query params}}) on each database: first view with the data caches
    cleared, then a warm rerun, 7 rounds interleaved across pages and sizes; prints a line per page and returns
    (first, warm, statements) keyed by (page, documents). A page in `quiet` must show no warning (a review that
    covers too many documents would time a notice, not the review)."""
    import logging

    logging.disable(logging.WARNING)
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from pages._common import _handle

    components = shared_components()
    scales = list(views)
    pages = list(views[scales[0]])
    first = {(p, n): [] for p in pages for n in scales}
    warm = {(p, n): [] for p in pages for n in scales}
    statements = {}
    for _ in range(7):
        for page in pages:
            for n in scales:
                os.environ["JUESUAN_DB"] = str(dbs[n])
                st.cache_data.clear()
                at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
                at._bidi_component_manager = components
                for k, v in views[n][page].items():
                    at.query_params[k] = v
                at.switch_page(page)
                handle = _handle(str(dbs[n]))
                handle.memo.clear()  # a first view: nothing of this document read before, by any session
                before = handle.statements[0]
                t0 = time.perf_counter()
                at.run()
                first[page, n].append(time.perf_counter() - t0)
                statements[page, n] = handle.statements[0] - before
                assert not at.exception, (page, n, at.exception)
                assert page not in quiet or not at.warning, [w.value for w in at.warning]
                t0 = time.perf_counter()
                at.run()
                warm[page, n].append(time.perf_counter() - t0)
    med = lambda xs: statistics.median(xs) * 1000  # noqa: E731
    for page in pages:
        cells = "  ".join(f"{n}: {med(first[page, n]):.0f}/{med(warm[page, n]):.0f} ms ({statements[page, n]} st.)"
                          for n in scales)
        print(f"      {page:<20} first/warm  {cells}")
    return first, warm, statements


def bench_scale(tmp: Path) -> None:
    """Single-document pages on databases of 1 to 5,000 documents (bench/scale.py): first view with the data caches
    cleared and warm rerun, medians of 7 runs interleaved across the databases, and the statements each issues."""
    from bench.scale import make_scaled

    source = tmp / "source.duckdb"
    from core.pipeline import build

    build(source, ROOT / "data" / "raw")
    dbs = {}
    for n in SCALES:
        dbs[n] = tmp / f"scale-{n}.duckdb"
        t0 = time.perf_counter()
        make_scaled(source, dbs[n], n)
        print(f"      built {n:>5} documents ({dbs[n].stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f} s")
    explain(dbs[5000])
    first, warm, statements = time_pages(dbs, {n: {p: {"doc": SEED_DOC} for p in PAGES} for n in SCALES})
    med = lambda xs: statistics.median(xs) * 1000  # noqa: E731
    worst_first = worst_warm = worst_ratio = 0.0
    for page in PAGES:
        worst_first = max(worst_first, med(first[page, 5000]))
        worst_warm = max(worst_warm, med(warm[page, 5000]))
        worst_ratio = max(worst_ratio, med(first[page, 5000]) / med(first[page, 1]),
                          med(warm[page, 5000]) / med(warm[page, 1]))
    report("slowest page's first view at 5,000 documents (data caches cleared)", worst_first, 250, "ms")
    report("slowest page's warm rerun at 5,000 documents", worst_warm, 100, "ms")
    report("largest ratio of a 5,000-document figure to its one-document figure", worst_ratio, 1.5, "×")
    report("most statements a page issues at 5,000 documents", max(statements[p, 5000] for p in PAGES), 40, "")
    return dbs


COLLECTION_SCALES = (50, 500, 5000)


def collection_views(db: Path) -> dict[str, dict]:
    """The collection pages as a reader opens them on a scaled database: the landing page; one department's years
    (江苏省高级人民法院, three budgets); a comparison of three department-years; the review of one region's year;
    a search."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    court = [r[0] for r in con.execute("SELECT doc_id FROM department_years WHERE department_id = 'js-high-court' "
                                       "ORDER BY fiscal_year DESC").fetchall()]
    con.close()
    return {
        "pages/home.py": {},
        "pages/trends.py": {"doc": court[0]},
        "pages/compare.py": {"docs": [SEED_DOC, *court[:2]]},
        "pages/review.py": {"years": ["2022"], "q": "福建省泉州市"},
        "pages/search.py": {"q": "法律援助"},
    }


def bench_collection(dbs: dict[int, Path]) -> None:
    """The collection pages (landing, 历年变化, 比较, 需要关注, 搜索) on 50 to 5,000 documents: first view with the data
    caches cleared and warm rerun, medians of 7 interleaved runs; then a search query alone at 5,000 documents."""
    views = {n: collection_views(dbs[n]) for n in COLLECTION_SCALES}
    pages = list(views[COLLECTION_SCALES[0]])
    first, warm, _ = time_pages(dbs, views, quiet=("pages/review.py",))
    med = lambda xs: statistics.median(xs) * 1000  # noqa: E731
    report("slowest collection page's first view at 5,000 documents", max(med(first[p, 5000]) for p in pages), 400, "ms")
    report("slowest collection page's warm rerun at 5,000 documents", max(med(warm[p, 5000]) for p in pages), 150, "ms")

    import duckdb

    from core.search import search

    con = duckdb.connect(str(dbs[5000]), read_only=True)
    con.execute("SET threads = 1")  # as the app's connection
    print(f"      search index at 5,000 documents: {con.execute('SELECT count(*) FROM t_search').fetchone()[0]:,} "
          f"names, {con.execute('SELECT count(*) FROM t_search_gram').fetchone()[0]:,} bigram rows")
    worst = 0.0
    for query in ("法律援助", "泉州社会治理", "行政运行", "2040607", "满意度", "高级人民法院"):
        times = []
        for _ in range(7):
            t0 = time.perf_counter()
            hits = search(con, query)
            times.append(time.perf_counter() - t0)
        print(f"      search {query!r}: {len(hits)} hits shown of {int(hits['matching'].iloc[0]) if len(hits) else 0}, "
              f"{med(times):.0f} ms")
        worst = max(worst, med(times))
    report("slowest search at 5,000 documents (median of 7)", worst, 300, "ms")


def explain(db: Path) -> None:
    """EXPLAIN ANALYZE evidence: a doc_id filter reads one document's row groups, not every document's."""
    import json

    import duckdb

    def scans(node, out):
        info = node.get("extra_info", {})
        if "Table" in info:
            pushed = " (doc_no pushed from t_document)" if "doc_no =" in str(info.get("Dynamic Filters", "")) else ""
            out.append(f"{info['Table'].split('.')[-1]} {node.get('row_groups_scanned')}/"
                       f"{node.get('total_row_groups_to_scan')}{pushed}")
        for child in node.get("children", []):
            scans(child, out)
        return out

    con = duckdb.connect(str(db), read_only=True)
    for sql in ("SELECT * FROM line_items WHERE doc_id = ?", "SELECT * FROM expenditure_by_function WHERE doc_id = ?",
                "SELECT * FROM narrative_figures WHERE doc_id = ? AND key IS NOT NULL"):
        plan = json.loads(con.execute("EXPLAIN (ANALYZE, FORMAT json) " + sql, [SEED_DOC]).fetchall()[0][1])
        found = [s for op in plan["operator"] for s in scans(op, [])]
        print(f"      EXPLAIN ANALYZE {sql.split(' WHERE')[0]}: row groups scanned " + ", ".join(found))
    con.close()


def bench_build(tmp: Path) -> None:
    """`juesuan build` over 50 and 500 distinct documents (the seed under other departments and years, plus the
    corpus PDFs): documents per second, and peak memory summed over the build's processes."""
    from bench.variants import write_variants
    from tests.golden_files import disclosures, sources

    rates = {}
    for n in (50, 500):
        raw = tmp / f"raw-{n}"
        pdfs = [src for folder in disclosures() for src in sources(folder)]
        write_variants(raw, n - len(pdfs))
        for src in pdfs:
            target = raw / src.name
            if src.is_dir():
                shutil.copytree(src, target, ignore=shutil.ignore_patterns("*.xlsx"))
            else:
                shutil.copyfile(src, target)
        db = tmp / f"build-{n}.duckdb"
        t0 = time.perf_counter()
        # the build itself (pipeline.build, what `juesuan build` runs before writing the open-data exports)
        proc = subprocess.Popen([sys.executable, "-c", "import sys; from core.pipeline import build; "
                                 "build(sys.argv[1], sys.argv[2])", str(db), str(raw)],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak = tree_peak_rss(proc)
        seconds = time.perf_counter() - t0
        import duckdb

        con = duckdb.connect(str(db), read_only=True)
        loaded = con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
        con.close()
        rates[n] = loaded / seconds
        print(f"      build of {n} disclosures: {loaded} documents in {seconds:.1f} s = {rates[n]:.1f} documents/s, "
              f"peak memory of all its processes {peak:.0f} MB")
        report(f"peak memory of `juesuan build` over {n} documents, all processes", peak, 1024, "MB")
    print(f"      5,000 documents at the 500-document rate: about {5000 / rates[500] / 60:.0f} minutes "
          f"on {os.cpu_count()} cores")


def tree_peak_rss(proc) -> float:
    """Wait for proc; the largest sum of resident memory over it and its descendants, sampled every 0.1 s (MB)."""
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(_rss_kb(p) for p in _tree(proc.pid)))
        time.sleep(0.1)
    return peak / 1024


def _tree(root: int) -> list[int]:
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, ValueError, IndexError):
            continue
    out, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        out += frontier
    return out


def _rss_kb(pid: int) -> int:
    try:
        line = next(l for l in Path(f"/proc/{pid}/status").read_text().splitlines() if l.startswith("VmRSS"))
        return int(line.split()[1])
    except (OSError, StopIteration):
        return 0


def seed_db(tmp: Path) -> Path:
    """The seed alone in a database (made once per run, shared by the sections that need it)."""
    db = tmp / "pages.duckdb"
    if not db.exists():
        from core.pipeline import ingest

        ingest([SEED], db)
    return db


def bench_pages(tmp: Path) -> None:
    db = seed_db(tmp)
    os.environ["JUESUAN_DB"] = str(db)
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    from streamlit.testing.v1 import AppTest

    pages = ["pages/overview.py", "pages/spending.py", "pages/projects.py", "pages/sangong.py",
             "pages/audit.py", "pages/data.py"]
    worst = 0.0
    for page in pages:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        if page != pages[0]:
            at.switch_page(page)
        at.run()
        runs = []
        for _ in range(7):
            t0 = time.perf_counter()
            at.run()
            runs.append(time.perf_counter() - t0)
        median = statistics.median(runs) * 1000
        worst = max(worst, median)
        print(f"      AppTest rerun {page}: median {median:.1f} ms")
    report("slowest page's median AppTest rerun", worst, 100, "ms")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking"]
LANDING_CELL = "江苏省高级人民法院"  # a department of the shipped collection, in the landing page's grid


def wait_healthy(url: str) -> None:
    """Until the server at url answers /_stcore/health (polled every 20 ms: the poll is part of what is timed)."""
    while True:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=1).read() == b"ok":
                return
        except OSError:
            time.sleep(0.02)


def make_run_seconds(cases: dict[str, tuple[Path | None, object]], starts: int = 7) -> dict[str, tuple[list, list]]:
    """`make run` as a reader types it (the up-to-date database check, bytecode, the server), for each case
    {label: (database or None for the default, ready(page))}, the cases interleaved start by start, a fresh browser
    page each time: {label: (seconds until /_stcore/health answers, seconds until ready(page) holds)}."""
    import signal

    from playwright.sync_api import sync_playwright

    out = {label: ([], []) for label in cases}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        for _ in range(starts):
            for label, (db, ready) in cases.items():
                port = free_port()  # a new port each time: the last server may still be letting go of its own
                url = f"http://127.0.0.1:{port}"
                command = ["make", "-s", "run", f"PORT={port}"] + ([f"DB={db}"] if db else [])
                page = browser.new_page()  # a new context: nothing of the front end cached, as for a first visitor
                t0 = time.perf_counter()
                # its own process group: make runs the server as a child, and both are stopped together
                proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
                try:
                    wait_healthy(url)
                    out[label][0].append(time.perf_counter() - t0)
                    page.goto(url)
                    ready(page)
                    out[label][1].append(time.perf_counter() - t0)
                finally:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(timeout=20)
                    page.close()
        browser.close()
    return out


def bench_server(tmp: Path) -> None:
    """From `make run` to the first page rendered, in real Chromium: the shipped collection, whose first page is the
    landing page's grid of departments, and a collection of one document, whose first page is that document's 总览
    with its charts. Then the server's memory after a visit to every page."""
    if not Path(CHROMIUM).exists():
        print(f"      skipped app start and server memory: {CHROMIUM} is missing")
        return

    def landing(page):
        page.locator("[data-testid=data-grid-canvas]").first.wait_for(state="visible", timeout=30_000)
        page.locator(f"[data-testid=stDataFrame] td:has-text('{LANDING_CELL}')").first.wait_for(
            state="attached", timeout=30_000)

    def overview(page):
        page.get_by_text("4,180.76", exact=True).wait_for(timeout=30_000)

    one = tmp / "one" / "juesuan.duckdb"
    one.parent.mkdir()
    shutil.copy(seed_db(tmp), one)
    # untimed: the first `make run` of a new database writes its open-data exports, which every later start finds
    subprocess.run(["make", "-s", "db", f"DB={one}"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    cases = {"the shipped collection: 部门一览": (None, landing), "one document: its 总览 with charts": (one, overview)}
    for label, (health, shown) in make_run_seconds(cases).items():
        print(f"      {label}: health after {statistics.median(health):.2f} s (median); first page after "
              f"{', '.join(f'{t:.2f}' for t in shown)} s")
        report(f"from `make run` to the first page rendered, {label} (median of 7 starts)", statistics.median(shown),
               3, "s")

    db = tmp / "server.duckdb"
    shutil.copy(seed_db(tmp), db)
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "streamlit"), "run", "serve.py", "--server.headless=true",
         "--server.address=127.0.0.1", f"--server.port={port}", "--browser.gatherUsageStats=false"],
        cwd=ROOT, env={**os.environ, "JUESUAN_DB": str(db)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            wait_healthy(url)
            page = browser.new_page()
            page.goto(url)
            overview(page)  # the server's first session, which also finishes its warm-up
            page.close()
            visits = []
            for _ in range(7):  # no start-up in these: what remains is Streamlit's front end and the page itself
                page = browser.new_page()
                t0 = time.perf_counter()
                page.goto(url)
                overview(page)
                visits.append(time.perf_counter() - t0)
                page.close()
            print(f"      a first visit (new browser context) to an already running server, its 总览 with charts: "
                  f"{statistics.median(visits):.2f} s (median of 7)")
            page = browser.new_page()
            for path in ("", "spending?code=2040607", "projects?project=P13", "sangong", "audit", "data", ""):
                page.goto(f"{url}/{path}")
                page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=30_000)
                time.sleep(1.0)
            rss_kb = int(next(l for l in Path(f"/proc/{proc.pid}/status").read_text().splitlines()
                              if l.startswith("VmRSS")).split()[1])
            report("server resident memory after visiting every page", rss_kb / 1024, 500, "MB")
        finally:
            proc.terminate()
            proc.wait(timeout=20)
            browser.close()


SECTIONS = ("ingest", "cli", "pdf", "budgets", "pages", "server", "build", "scale")


def main(only: list[str]) -> int:
    """Every section, or the ones named (`python bench/run.py scale` runs the pages at scale and the collection)."""
    unknown = set(only) - set(SECTIONS)
    if unknown:
        print(f"unknown section(s) {', '.join(sorted(unknown))}; choose from {', '.join(SECTIONS)}")
        return 2
    run = lambda name: not only or name in only  # noqa: E731
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        for name, step in (("ingest", bench_ingest), ("cli", bench_cli), ("pdf", bench_pdf), ("budgets", bench_budgets),
                           ("pages", bench_pages), ("server", bench_server), ("build", bench_build)):
            if run(name):
                step(tmp)
        if run("scale"):
            bench_collection(bench_scale(tmp))
    missed = [r for r in RESULTS if r[1] >= r[2]]
    print(f"{len(RESULTS) - len(missed)} of {len(RESULTS)} targets met")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
