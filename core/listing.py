"""The collection's one-row-per-document listing, always filtered and paged in SQL: a page never loads every
document to show one, so a database of 5,000 documents is read as fast as one of a single document."""

from __future__ import annotations

import pandas as pd

from core.query import frame

LISTING_COLUMNS = ["doc_id", "department", "fiscal_year", "kind", "scope", "source_file", "parts_found"]
_ORDER = "ORDER BY kind = '决算' DESC, fiscal_year DESC, department, scope, doc_id"
_SELECT = f"SELECT {', '.join(LISTING_COLUMNS)} FROM documents"
MAX_ROWS = 200


def document_count(con) -> int:
    return int(con.execute("SELECT count(*) FROM documents").fetchone()[0])


def document_row(con, doc_id: str) -> dict | None:
    """The listing row of one document, or None when the database does not hold it."""
    df = frame(con, f"{_SELECT} WHERE doc_id = ?", [doc_id])
    return None if df.empty else df.iloc[0].to_dict()


def default_doc(con) -> str | None:
    """The document a visitor without a link sees first: the newest 决算, else the newest budget."""
    row = con.execute(f"SELECT doc_id FROM documents {_ORDER} LIMIT 1").fetchone()
    return row[0] if row else None


def department_documents(con, doc_id: str) -> pd.DataFrame:
    """Every document of this document's department (all years, kinds and scopes), newest first."""
    return frame(con, f"{_SELECT} WHERE department = (SELECT department FROM documents WHERE doc_id = ?) {_ORDER}",
                 [doc_id])


def find_documents(con, text: str, limit: int = 50) -> pd.DataFrame:
    """Documents whose department contains `text` (or whose year is `text`), at most `limit` rows."""
    text = text.strip()
    year = int(text) if text.isdigit() and len(text) == 4 else None
    return frame(con, f"{_SELECT} WHERE contains(department, ?) OR fiscal_year = ? {_ORDER} LIMIT ?",
                 [text, year, min(limit, MAX_ROWS)])
