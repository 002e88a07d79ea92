"""Write documents into DuckDB atomically: build a copy, then os.replace it onto the live file."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

import duckdb

from core.ingest.layouts import role_of
from core.ingest.model import Document
from core.ingest.reference import function_classes


def _sql(name: str) -> str:
    return resources.files("core.db").joinpath(name).read_text(encoding="utf-8")


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the internal tables and (re)create the public views; idempotent."""
    con.execute("BEGIN TRANSACTION")
    con.execute(_sql("schema.sql"))
    _migrate(con)
    con.execute(_sql("views.sql"))
    con.execute("DELETE FROM t_function_class")
    _insert(con, "t_function_class", ["code", "name", "aliases"],
            [(c, n, "|".join(a)) for c, n, a in function_classes()])
    from core.departments import load as load_departments

    con.execute("DELETE FROM t_department")
    _insert(con, "t_department", ["department_id", "display_name", "region", "level"],
            sorted({(d.department_id, d.display_name, d.region, d.level) for d in load_departments().values()}))
    con.execute("COMMIT")


def _migrate(con) -> None:
    """A database written by an older juesuan gets the columns the views need: department_id, and doc_no numbered in
    doc_id order."""
    con.execute("ALTER TABLE t_document ADD COLUMN IF NOT EXISTS department_id VARCHAR")
    having = {r[0] for r in con.execute("SELECT table_name FROM information_schema.columns WHERE column_name = 'doc_no'")
              .fetchall()}
    if having >= set(DOC_TABLES):
        return
    for table in DOC_TABLES:
        con.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS doc_no INTEGER")
    if con.execute("SELECT count(*) FROM t_document WHERE doc_no IS NULL").fetchall()[0][0]:
        con.execute("UPDATE t_document SET doc_no = n.no FROM (SELECT doc_id, row_number() OVER (ORDER BY doc_id) "
                    "+ coalesce((SELECT max(doc_no) FROM t_document), 0) AS no FROM t_document WHERE doc_no IS NULL) n "
                    "WHERE t_document.doc_id = n.doc_id")
        for table in DOC_TABLES[1:]:
            con.execute(f"UPDATE {table} SET doc_no = d.doc_no FROM t_document d "
                        f"WHERE {table}.doc_id = d.doc_id AND {table}.doc_no IS NULL")


DOC_TABLES = (
    "t_document", "t_unit", "t_table", "t_table_row", "t_line_item", "t_classified_row", "t_classified_value",
    "t_section_text", "t_narrative_figure", "t_yoy", "t_project", "t_project_fund", "t_project_text",
    "t_indicator", "t_project_issue", "t_report", "t_report_indicator", "t_glossary", "t_audit_finding",
    "t_audit_coverage", "t_search",
)


_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def _insert(con, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Rows into one internal table; names are this module's constants, values are always parameters.
    A document table's rows get their document's doc_no (t_document's row is inserted first, with the next one)."""
    assert table in DOC_TABLES or table in ("t_function_class", "t_replacement", "t_department"), table
    assert all(_IDENTIFIER.match(c) for c in columns), columns
    if not rows:
        return
    data = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    if table == "t_document":
        first = con.execute("SELECT coalesce(max(doc_no), 0) + 1 FROM t_document").fetchall()[0][0]
        data["doc_no"] = list(range(first, first + len(rows)))
    elif table in DOC_TABLES and "doc_id" in data:
        numbers = dict(con.execute("SELECT doc_id, doc_no FROM t_document WHERE list_contains(?, doc_id)",
                                   [sorted(set(data["doc_id"]))]).fetchall())
        data["doc_no"] = [numbers.get(d) for d in data["doc_id"]]
    columns = list(data)
    # each column is one list parameter, unnested side by side (in order) and cast to the table's column types; as
    # fast as building an Arrow table, and pyarrow's first array from Python lists imports pandas (0.2 s an ingest)
    unnest = ", ".join(f"unnest(${n + 1})" for n in range(len(columns)))
    con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {unnest}", list(data.values()))


def delete_document(con, doc_id: str) -> None:
    """Every row of one document, from every internal table (table names are constants; doc_id is a parameter).
    Rows are found by doc_no, whose zone maps skip every other document's row groups."""
    number = doc_number(con, doc_id)
    if number is None:
        return
    for table in DOC_TABLES:
        con.execute(f"DELETE FROM {table} WHERE doc_no = ?", [number])


def doc_number(con, doc_id: str) -> int | None:
    """The document's doc_no, found through t_document's primary key."""
    rows = con.execute("SELECT doc_no FROM t_document WHERE doc_id = ?", [doc_id]).fetchall()
    return rows[0][0] if rows else None


def insert_document(con, doc: Document) -> None:
    """All rows of one document; the caller wraps this in a transaction."""
    d = doc.doc_id
    from core.departments import resolve

    placed = resolve(doc.department)
    _insert(con, "t_document",
            ["doc_id", "department_id", "department", "fiscal_year", "kind", "scope", "money_unit", "source_file", "source_sha256",
             "source_format", "parts_found", "missing_tables", "source_files", "page_counts", "announced_tables",
             "ingested_at",
             "source_text"],
            [(d, placed.department_id if placed else None, doc.department, doc.fiscal_year, doc.kind, doc.scope, doc.money_unit, doc.source_file,
              doc.source_sha256, doc.source_format, doc.parts_found, doc.missing_tables,
              doc.source_files or [doc.source_file], doc.page_counts or None, doc.announced_tables or None, datetime.now(timezone.utc).replace(tzinfo=None),
              doc.source_text)])
    _insert(con, "t_unit", ["doc_id", "seq", "name", "unit_type", "staff", "source_ref", "note"],
            [(d, n, u.name, u.unit_type, u.staff, u.source_ref, u.note) for n, u in enumerate(doc.units)])
    _insert(con, "t_table", ["doc_id", "table_code", "title", "unit", "notes", "source_ref", "role"],
            [(d, t.code, t.title, t.unit, "\n".join(t.notes), t.ref, role_of(t.code)) for t in doc.tables.values()])
    rows = []
    for t in doc.tables.values():
        for n, r in enumerate(t.header, start=-len(t.header) + 1):
            rows.append((d, t.code, n - 1, True, r.cells, r.ref))
        for n, r in enumerate(t.rows, start=1):
            rows.append((d, t.code, n, False, r.cells, r.ref))
    _insert(con, "t_table_row", ["doc_id", "table_code", "row_no", "is_header", "cells", "source_ref"], rows)
    _insert(con, "t_line_item",
            ["doc_id", "table_code", "row_no", "side", "row_label", "code", "column_label", "col_no", "amount",
             "source_ref"],
            [(d, i.table_code, i.row_no, i.side, i.row_label, i.code, i.column_label, i.col_no, i.amount,
              i.source_ref) for i in doc.line_items])
    _insert(con, "t_classified_row",
            ["doc_id", "table_code", "row_no", "code", "name", "level", "parent_code", "category", "source_ref"],
            [(d, r.table_code, r.row_no, r.code, r.name, r.level, r.parent_code, r.category, r.source_ref)
             for r in doc.classified])
    _insert(con, "t_classified_value", ["doc_id", "table_code", "code", "column_key", "amount"],
            [(d, r.table_code, r.code, k, v) for r in doc.classified for k, v in r.values.items() if v is not None])
    _insert(con, "t_section_text", ["doc_id", "seq", "section", "text"],
            [(d, n, s, t) for n, (s, t) in enumerate(doc.sections.items())])
    _insert(con, "t_narrative_figure",
            ["doc_id", "seq", "section", "label", "key", "value", "unit", "phrase", "source_ref"],
            [(d, n, f.section, f.label, f.key, f.value, f.unit, f.phrase, f.source_ref)
             for n, f in enumerate(doc.narrative)])
    _insert(con, "t_yoy",
            ["doc_id", "seq", "code", "name", "stated_name", "amount", "change", "change_pct", "reason",
             "source_ref", "prior", "restated", "basis"],
            [(d, n, y.code, y.name, y.stated_name, y.amount, y.change, y.change_pct, y.reason, y.source_ref,
              y.prior, y.restated, y.basis) for n, y in enumerate(doc.yoy)])
    enrich = getattr(doc, "project_extras", {}) or {}
    _insert(con, "t_project",
            ["doc_id", "project_id", "seq", "name", "competent_dept", "implementing_unit", "total_score", "grade",
             "grade_text", "code", "mapping_note", "standard_execution_score", "standard_score", "standard_grade",
             "source_ref"],
            [(d, p.project_id, n, p.name, p.competent_dept, p.implementing_unit, p.total_score, p.grade,
              p.grade_text, *enrich.get(p.project_id, (None, None, None, None, None)), p.source_ref)
             for n, p in enumerate(doc.projects)])
    _insert(con, "t_project_fund",
            ["doc_id", "project_id", "seq", "fund_row", "budget_initial", "budget", "executed", "weight",
             "execution_rate", "score", "source_ref"],
            [(d, p.project_id, n, f.fund_row, f.budget_initial, f.budget, f.executed, f.weight, f.execution_rate,
              f.score, f.source_ref) for p in doc.projects for n, f in enumerate(p.funds)])
    _insert(con, "t_project_text", ["doc_id", "project_id", "kind", "text"],
            [(d, p.project_id, k, v) for p in doc.projects for k, v in p.texts.items()])
    _insert(con, "t_indicator",
            ["doc_id", "project_id", "seq", "level1", "level2", "name", "target", "actual", "weight", "score",
             "deviation_reason", "source_ref"],
            [(d, p.project_id, n, i.level1, i.level2, i.name, i.target, i.actual, i.weight, i.score,
              i.deviation_reason, i.source_ref) for p in doc.projects for n, i in enumerate(p.indicators)])
    _insert(con, "t_project_issue", ["doc_id", "project_id", "seq", "issue_type", "problem", "suggestion"],
            [(d, p.project_id, n, t, pr, s) for p in doc.projects for n, (t, pr, s) in enumerate(p.issues)])
    _insert(con, "t_report",
            ["doc_id", "report_no", "project_id", "title", "score", "grade", "targets_set", "targets_met", "text",
             "match_note", "source_ref"],
            [(d, n, r.project_id, r.title, r.score, r.grade, r.targets_set, r.targets_met, r.text, r.match_note,
              r.source_ref) for n, r in enumerate(doc.reports)])
    _insert(con, "t_report_indicator",
            ["doc_id", "report_no", "seq", "level1", "level2", "name", "unit", "target", "actual", "weight",
             "score", "source_ref"],
            [(d, n, k, i.level1, i.level2, i.name, i.unit, i.target, i.actual, i.weight, i.score, i.source_ref)
             for n, r in enumerate(doc.reports) for k, i in enumerate(r.indicators)])
    _insert(con, "t_glossary", ["doc_id", "seq", "term", "definition", "source_ref"],
            [(d, n, t, df, ref) for n, (t, df, ref) in enumerate(doc.glossary)])
    from core.search import entries, index_grams

    _insert(con, "t_search", ["doc_id", "seq", "what", "ref", "label", "context", "code", "term"],
            [(d, *e) for e in entries(doc)])
    index_grams(con, doc_number(con, d))


def _stale_copies(db_path: Path) -> list[Path]:
    """Copies left by an ingest or build that was killed: their process (named in the file) is gone."""
    stale = []
    for p in db_path.parent.glob(f".{db_path.name}.*.tmp*"):
        m = re.match(rf"^\.{re.escape(db_path.name)}\.(\d+)\.", p.name)
        if m and not _alive(int(m.group(1))):
            stale.append(p)
    return stale


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _history(db_path: Path) -> tuple[dict[str, str], list[tuple]]:
    """The live file's document hashes and replacement record, read before it is rebuilt or changed."""
    if not db_path.exists():
        return {}, []
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error:
        return {}, []
    try:
        shas = dict(con.execute("SELECT doc_id, source_sha256 FROM t_document").fetchall())
        try:
            replaced = con.execute("SELECT doc_id, old_sha256, new_sha256, replaced_at FROM t_replacement").fetchall()
        except duckdb.Error:  # a database from before replacements were recorded
            replaced = []
        return shas, replaced
    except duckdb.Error:
        return {}, []
    finally:
        con.close()


def _mode_for(db_path: Path) -> int:
    """The live file's mode, or the default a new file gets (0666 less the umask): readable by the app's user."""
    if db_path.exists():
        return db_path.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_documents(
    db_path: str | Path,
    docs: Iterable[Document],
    after_insert: Callable[[duckdb.DuckDBPyConnection, Document], None] | None = None,
    fresh: bool = False,
) -> list[str]:
    """Replace each document (same doc_id) in a copy of the database, then swap the copy in atomically.

    Each document is its own transaction; if anything fails the live file is left exactly as it was. `fresh`
    starts the copy empty (a rebuild) instead of from the live file, which keeps serving until the swap.
    """
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for leftover in _stale_copies(db_path):
        leftover.unlink(missing_ok=True)
    mode = _mode_for(db_path)
    shas, replaced = _history(db_path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{db_path.name}.{os.getpid()}.", suffix=".tmp", dir=db_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    written: list[str] = []
    try:
        if db_path.exists() and not fresh:
            shutil.copyfile(db_path, tmp)
        else:
            tmp.unlink()
        con = duckdb.connect(str(tmp))
        try:
            apply_schema(con)
            if fresh:
                _insert(con, "t_replacement", ["doc_id", "old_sha256", "new_sha256", "replaced_at"], replaced)
            for doc in docs:
                con.execute("BEGIN TRANSACTION")
                try:
                    old = shas.get(doc.doc_id)
                    if old and old != doc.source_sha256:
                        _insert(con, "t_replacement", ["doc_id", "old_sha256", "new_sha256", "replaced_at"],
                                [(doc.doc_id, old, doc.source_sha256, datetime.now(timezone.utc).replace(tzinfo=None))])
                    delete_document(con, doc.doc_id)
                    insert_document(con, doc)
                    if after_insert is not None:
                        after_insert(con, doc)
                    con.execute("COMMIT")
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
                written.append(doc.doc_id)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.chmod(tmp, mode)
        os.replace(tmp, db_path)
    finally:
        for leftover in (tmp, Path(f"{tmp}.wal")):
            if leftover.exists():
                leftover.unlink()
    return written


def init_database(db_path: str | Path, fresh: bool = False) -> None:
    """An empty database with the schema and views, built the same atomic way."""
    write_documents(db_path, [], fresh=fresh)
