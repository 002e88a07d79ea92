"""The server `make run` starts (serve.py): what a first visitor waits for is prepared before they arrive, and the
server runs on the C HTTP parser and event loop that serve the front end's files quickly (the speeds are in bench/)."""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_e2e import free_port

ROOT = Path(__file__).resolve().parents[1]


def test_the_server_runs_on_httptools_and_uvloop(seed_db):
    """uvicorn picks them up by itself when they are installed (pyproject.toml lists them); without them it falls back
    to pure-Python h11 and asyncio, which served the 61 files of a first page's initial load 5× slower."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "serve.py", "--server.headless=true",
                             "--server.address=127.0.0.1", f"--server.port={port}"],
                            cwd=ROOT, env={**os.environ, "JUESUAN_DB": str(seed_db)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except OSError:
                if time.time() > deadline:
                    pytest.fail("serve.py did not answer /_stcore/health within 60 s")
                time.sleep(0.2)
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()  # one request through the parser
        maps = Path(f"/proc/{proc.pid}/maps").read_text()
        assert "/httptools/" in maps, "uvicorn parses HTTP with h11: is httptools installed?"
        if sys.platform != "win32":
            assert "/uvloop/" in maps, "uvicorn runs on asyncio's loop: is uvloop installed?"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_warming_imports_what_every_page_needs_opens_the_database_and_freezes_it(seed_db):
    """After the warm-up the first session imports nothing and opens nothing, and Streamlit's collection after each
    script run skips everything the imports made (it took 90–190 ms of every run in the server before)."""
    code = ("import gc, sys; import serve; serve._warm(); import pages._common as c; from core.db.connect import db_path; "
            "print(gc.get_freeze_count(), 'altair' in sys.modules, c._handle(str(db_path())).con is not None)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "JUESUAN_DB": str(seed_db)},
                         capture_output=True, text=True, check=True, timeout=120)
    frozen, altair, opened = out.stdout.split()[-3:]
    assert int(frozen) > 50_000, out.stdout
    assert altair == "True" and opened == "True", out.stdout


@pytest.mark.parametrize("page", ["pages/home.py", "pages/search.py"])
def test_a_page_without_charts_never_imports_altair(page, tmp_path):
    """The landing page (a `make run` visitor's first page) and search have no chart: they must not wait for Altair
    (0.2 s of imports) when they are the first page a server shows."""
    from bench.variants import write_variants
    from core.pipeline import ingest

    db = tmp_path / "two.duckdb"
    assert len(ingest(write_variants(tmp_path / "raw", 2), db).loaded) == 2  # two documents: the landing page stays
    code = ("import sys; from streamlit.testing.v1 import AppTest; at = AppTest.from_file('app.py', default_timeout=60); "
            f"at.switch_page({page!r}); at.run(); assert not at.exception, at.exception; "
            "assert at.title[0].value in ('部门一览', '搜索'), [t.value for t in at.title]; print('altair' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "JUESUAN_DB": str(db)},
                         capture_output=True, text=True, check=True, timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stdout + out.stderr
