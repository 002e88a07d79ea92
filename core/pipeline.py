"""Ingest end to end: read each file, add what core computes at ingest, store atomically, audit."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from core.db.store import write_documents
from core.grades import execution_rate, grade_for, standard_execution_score
from core.ingest.deadline import run_with_deadline
from core.ingest.document import read_document
from core.ingest.errors import InputError, Problem
from core.ingest.model import Document
from core.mapping import load_mappings
from core.raw import SUPPORTED, raw_sources


@dataclass
class IngestResult:
    """What an ingest call loaded and what it rejected."""

    loaded: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)  # one line per disclosure read from several files
    notices: list[str] = field(default_factory=list)  # loaded, but worth a look: a department not yet placed


def project_extras(doc: Document) -> dict[str, tuple]:
    """Per project: (code, mapping note, standard execution score, standard score, standard grade)."""
    mappings = load_mappings(doc.doc_id)
    extras = {}
    for p in doc.projects:
        total = next((f for f in p.funds if f.fund_row == "年度资金总额"), None)
        rate = execution_rate(total.executed, total.budget, exact=True) if total else None
        std_exec = standard_execution_score(total.weight, rate) if total else None
        indicator_sum = sum((i.score for i in p.indicators if i.score is not None), start=0)
        std_score = indicator_sum + std_exec if std_exec is not None else None
        m = mappings.get(p.project_id)
        extras[p.project_id] = (m.code if m else None, m.note if m else None, std_exec, std_score,
                                grade_for(std_score))
    return extras


def is_pdf(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(5) == b"%PDF-"


def is_budget_pdf(path: Path) -> bool:
    """A PDF whose opening pages announce a 预算 disclosure (read by core.ingest.budget_report). Only a decision
    between two readers, so pdfium's fast text of three pages is enough; the chosen reader reads every figure."""
    import pypdfium2

    from core.ingest.budget_report import looks_like_budget

    try:
        doc = pypdfium2.PdfDocument(str(path))
        try:
            texts = [doc[n].get_textpage().get_text_range().replace("\r\n", "\n") for n in range(min(3, len(doc)))]
        finally:
            doc.close()
    except Exception:  # a damaged file is reported by the reader that opens it properly
        return False
    text = "\n".join(texts)
    return looks_like_budget(text)


def read_any(path: Path, allow_incomplete: bool) -> Document:
    """Dispatch on the file's format: a PDF by its magic bytes, anything else as a text extraction."""
    if is_pdf(path):
        from core.ingest.pdf_report import read_pdf_document

        return read_pdf_document(path, allow_incomplete=allow_incomplete)
    return read_document(path, allow_incomplete=allow_incomplete)


def checked(doc: Document, name: str) -> Document:
    """The document, or InputError naming every figure that could not be stored exactly."""
    from core.ingest.document import oversized_numbers
    from core.ingest.identity import department_problems

    doc.origin = name
    problems = oversized_numbers(doc, name)
    sources = " ".join(doc.source_files or [doc.source_file])
    problems += department_problems(doc.department, doc.source_text, name, sources)
    if problems:
        raise InputError(problems)
    return doc


def read_file(path: Path, allow_incomplete: bool):
    """One file as a Document (决算), or as a BudgetFile to be joined with the other files of its disclosure."""
    if is_pdf(path) and is_budget_pdf(path):
        from core.ingest.budget_report import open_budget_file

        return open_budget_file(path)
    return read_any(path, allow_incomplete)


def read_all(paths: list[Path], allow_incomplete: bool, result: IngestResult,
             deadline: float | None = None) -> list[Document]:
    """Documents from the arguments: 决算 files one by one; budget files form disclosures — a folder is one
    disclosure, and loose files given together are grouped by body, year and scope, so a narrative file and its
    tables file become one document."""
    from core.ingest.budget_report import build_budget, group_key

    docs: list[Document] = []
    disclosures: list[list] = []
    loose: dict[tuple, list] = {}
    for p in paths:
        files = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SUPPORTED) if p.is_dir() else [p]
        budget_files = []
        for path in files:
            try:
                read = run_with_deadline(read_file, (path, allow_incomplete), str(path), deadline)
                if isinstance(read, Document):
                    read.origin_paths = [str(path)]
                    docs.append(checked(read, str(path)))
                else:
                    budget_files.append(read)
            except InputError as exc:
                result.problems.extend(exc.problems)
        if p.is_dir():
            disclosures += [budget_files] if budget_files else []
        for f in budget_files if not p.is_dir() else []:
            loose.setdefault(group_key(f) if f.department and f.year else (str(f.path),), []).append(f)
    for files in disclosures + list(loose.values()):
        try:
            doc = build_budget(files, allow_incomplete)
            doc.origin_paths = [str(f.path) for f in files]
            doc = checked(doc, str(files[0].path))
        except InputError as exc:
            result.problems.extend(exc.problems)
            continue
        if len(files) > 1:
            result.merged.append(f"merged {' + '.join(f.path.name for f in files)} into {doc.doc_id}")
        docs.append(doc)
    return docs


def source_file_path(db: str | Path, sha256: str, name: str) -> Path:
    """Where an ingested source file is kept: by its content hash, beside the database (data/files/)."""
    return Path(db).parent / "files" / f"{sha256}{Path(name).suffix.lower()}"


def keep_source_files(db: str | Path, docs: list[Document]) -> None:
    """Keep each ingested file, content-addressed, so the app can offer the original and a later citation can
    find exactly the file a figure came from."""
    import hashlib
    import shutil

    for doc in docs:
        for path in doc.origin_paths:
            data = Path(path).read_bytes()
            target = source_file_path(db, hashlib.sha256(data).hexdigest(), path)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)


def losses(db: str | Path, docs: list[Document]) -> dict[str, list[str]]:
    """doc_id → the parts its stored copy holds that the new copy lacks (a re-ingest must not lose them)."""
    db = Path(db)
    if not db.exists() or not docs:
        return {}
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        stored = dict(con.execute("SELECT doc_id, parts_found FROM documents WHERE list_contains(?, doc_id)",
                                  [[d.doc_id for d in docs]]).fetchall())
    except duckdb.Error:
        return {}
    finally:
        con.close()
    out = {}
    for d in docs:
        lost = [p for p in stored.get(d.doc_id, []) if p not in d.parts_found]
        if lost:
            out[d.doc_id] = lost
    return out


def ingest(paths: list[str | Path], db: str | Path, allow_incomplete: bool = False, fresh: bool = False,
           deadline: float | None = None, replace: bool = False) -> IngestResult:
    """Parse every file; load the good ones (each all-or-nothing) in one atomic swap of the database.

    `fresh` rebuilds: the new file holds only these documents, and replaces the old one in one step."""
    result = IngestResult()
    docs = read_all([Path(p) for p in paths], allow_incomplete, result, deadline)
    if not fresh and not replace:
        lost = losses(db, docs)
        for d in docs:
            if d.doc_id in lost:
                result.problems.append(Problem(d.origin or d.source_file, 1, (
                    f"expected a copy at least as complete as the stored {d.doc_id} ({d.department} {d.fiscal_year} "
                    f"{d.scope}{d.kind}); it lacks {', '.join(lost[d.doc_id])} — nothing was replaced "
                    "(give --replace to replace it anyway)")))
        docs = [d for d in docs if d.doc_id not in lost]
    for doc in docs:
        doc.project_extras = project_extras(doc)
    result.notices += unplaced(docs)
    if docs:
        from core.audit.engine import store_audit

        result.loaded = write_documents(db, docs, after_insert=lambda con, d: store_audit(con, d.doc_id), fresh=fresh)
        keep_source_files(db, docs)
    return result


def unplaced(docs: list[Document]) -> list[str]:
    """A notice (not a refusal) for each document whose department data/departments.csv does not place yet."""
    from core.departments import load, resolve, unplaced_message

    known = load()
    return [unplaced_message(d.department, d.origin or d.source_file) for d in docs if resolve(d.department, known) is None]


REPO_DATA = Path(__file__).resolve().parents[1] / "data"


def build(db: str | Path, raw_dir: str | Path | None = None, jobs: int | None = None,
          on_progress: Callable[[int, int, int], None] | None = None,
          on_problem: Callable[[Problem], None] | None = None) -> IngestResult:
    """Rebuild the database from data/raw, streaming: disclosures are read by `jobs` worker processes (default: every
    core) and each document is written and audited as it arrives, so memory stays flat however many there are. The
    new file is built aside and swapped in whole, so readers never see it missing. A failing disclosure is reported
    (on_problem, and in the result) and the others go on; on_progress(done, total, failures) follows along."""
    from core.db.store import init_database

    sources = raw_sources(raw_dir or REPO_DATA / "raw")
    result = IngestResult()
    if not sources:
        init_database(db, fresh=True)
        return result
    from core.audit.engine import store_audit

    docs = _stream(sources, jobs or os.cpu_count() or 1, result, db, on_progress, on_problem)
    result.loaded = write_documents(db, docs, after_insert=lambda con, d: store_audit(con, d.doc_id), fresh=True)
    if not result.loaded:
        init_database(db, fresh=True)
    return result


def _read_source(source: Path, deadline: float | None) -> tuple[list[Document], list[Problem], list[str]]:
    """One disclosure (a file, or a folder of one disclosure's files), read in a build worker."""
    part = IngestResult()
    docs = read_all([source], False, part, deadline)
    for doc in docs:
        doc.project_extras = project_extras(doc)
    return docs, part.problems, part.merged


def _worker_init() -> None:
    os.environ["JUESUAN_PAGE_JOBS"] = "1"  # the build's workers already use every core, one disclosure each


def _stream(sources: list[Path], jobs: int, result: IngestResult, db, on_progress, on_problem) -> Iterator[Document]:
    """Documents in source order, read ahead by a pool of `jobs` processes with at most 2 × jobs disclosures in
    flight (so memory does not grow with the corpus)."""
    import multiprocessing
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from itertools import islice

    done = failures = 0
    queue = iter(sources)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"),
                             initializer=_worker_init) as pool:
        pending = deque((s, pool.submit(_read_source, s, None)) for s in islice(queue, 2 * jobs))
        while pending:
            source, future = pending.popleft()
            nxt = next(queue, None)
            if nxt is not None:
                pending.append((nxt, pool.submit(_read_source, nxt, None)))
            try:
                docs, problems, merged = future.result()
            except Exception as exc:  # noqa: BLE001 - a fault of ours on one disclosure must not stop the others
                docs, problems, merged = [], [Problem(str(source), 1, f"the reader failed: {type(exc).__name__}: "
                                                                     f"{str(exc)[:300]}")], []
            done += 1
            failures += bool(problems)
            result.problems.extend(problems)
            result.merged.extend(merged)
            for problem in problems:
                if on_problem:
                    on_problem(problem)
            if on_progress:
                on_progress(done, len(sources), failures)
            if docs:
                keep_source_files(db, docs)
                result.notices += unplaced(docs)
            yield from docs
