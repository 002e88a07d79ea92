"""data/sources.csv: where each document was published, reviewed by hand (shown in the app, exported with the data)."""

from __future__ import annotations

import csv
from pathlib import Path

SOURCES_CSV = Path(__file__).resolve().parents[1] / "data" / "sources.csv"
COLUMNS = ("department", "fiscal_year", "kind", "scope", "url", "publisher", "published", "sha256", "licence", "doc_id")


def load_sources(path: Path = SOURCES_CSV) -> list[dict]:
    """Every row of data/sources.csv; `doc_id` is filled from department, year, kind and scope."""
    from core.ingest.document import make_doc_id

    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["doc_id"] = make_doc_id(r["department"], int(r["fiscal_year"]), r["kind"], r["scope"])
    return rows


def document_sources(con, db_path, doc_id: str) -> list[dict]:
    """For each file of a document: its name, the kept copy (content-addressed), and where it was published."""
    from core.pipeline import source_file_path

    row = con.execute("SELECT department, fiscal_year, kind, scope, source_files, source_sha256 FROM documents "
                      "WHERE doc_id = ?", [doc_id]).fetchone()
    if row is None:
        return []
    department, year, kind, scope, files, shas = row
    listed = next((s for s in load_sources() if s["doc_id"] == doc_id), {})
    out = []
    for name, sha in zip(files or [], (shas or "").split("+")):
        path = source_file_path(db_path, sha, name)
        out.append({"name": name, "sha256": sha, "path": path if path.exists() else None,
                    "url": listed.get("url") or None, "publisher": listed.get("publisher", ""),
                    "published": listed.get("published", "")})
    return out


def cover_for(con, doc_id: str, content: str):
    """The cover block of a download from this document: department, year, kind, unit and where it came from."""
    from core.export import Cover

    row = con.execute("SELECT department, fiscal_year, kind, scope, source_file FROM documents WHERE doc_id = ?",
                      [doc_id]).fetchone()
    department, year, kind, scope, source_file = row
    listed = next((s for s in load_sources() if s["doc_id"] == doc_id), {})
    source = " · ".join(x for x in (listed.get("publisher"), listed.get("url"), source_file) if x)
    return Cover(department, int(year), kind, scope, content, source)


def sources_of(con, doc_id: str) -> list[dict]:
    """document_sources() for the database this connection reads (its file's kept copies sit beside it)."""
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    return document_sources(con, Path(path), doc_id)
