"""The collection's one-row-per-document listing, always filtered and paged in SQL: a page never loads every
document to show one, so a database of 5,000 documents is read as fast as one of a single document."""

from __future__ import annotations

import pandas as pd

from core.figures import per_staff
from core.grades import execution_rate
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


def document_rows(con, doc_ids: tuple[str, ...]) -> pd.DataFrame:
    """The listing rows of the given documents (those the database holds), in the order given."""
    return frame(con, f"{_SELECT} WHERE list_contains(?, doc_id) ORDER BY list_position(?, doc_id)",
                 [list(doc_ids), list(doc_ids)])


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


DEPARTMENT_COLUMNS = ["series", "department_id", "display_name", "region", "admin_level", "scope", "fiscal_year", "kind",
                      "doc_id", "first_year", "document_count", "expenditure_total", "basic_total", "project_total",
                      "three_public_total", "staff", "per_staff", "execution_rate", "errors", "warnings", "matching"]
DEPARTMENT_ORDER = {  # the only orders a page may ask for; never formatted from user input
    "expenditure": "expenditure_total DESC NULLS LAST, display_name",
    "name": "region, display_name, scope",
    "year": "fiscal_year DESC, display_name",
    "errors": "errors DESC, warnings DESC, display_name",
}


def department_overview(con, text: str = "", region: str = "", kinds: tuple[str, ...] = (), order: str = "name",
                        limit: int = MAX_ROWS) -> pd.DataFrame:
    """One row per department series (a body and a scope), its latest year — a 决算 before a 预算 of the same
    year — with headline figures; filtered, sorted and cut to `limit` rows in SQL. `matching` is the row count
    before the cut. per_staff = 支出合计 ÷ 在职人数 where the document publishes its staff; execution_rate = Σ执行数 ÷
    Σ全年预算 × 100 over its self-evaluated projects."""
    sql = f"""
        WITH y AS (
            SELECT *, coalesce(department_id, '印:' || printed_name) || '|' || scope AS series
            FROM department_years
            WHERE (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], kind))
        ), ranked AS (
            SELECT *, row_number() OVER (PARTITION BY series ORDER BY fiscal_year DESC, kind = '决算' DESC) AS n,
                   min(fiscal_year) OVER (PARTITION BY series) AS first_year,
                   count(*) OVER (PARTITION BY series) AS document_count
            FROM y
        ), execution AS (
            SELECT doc_id, sum(executed) AS executed, sum(budget) AS budget FROM projects GROUP BY doc_id
        )
        SELECT series, department_id, display_name, region, admin_level, scope, fiscal_year, kind, doc_id, first_year,
               document_count, expenditure_total, basic_total, project_total, three_public_total, staff,
               e.executed, e.budget, errors, warnings, count(*) OVER () AS matching
        FROM ranked LEFT JOIN execution e USING (doc_id)
        WHERE n = 1 AND (? = '' OR contains(display_name, ?) OR contains(printed_name, ?))
          AND (? = '' OR starts_with(coalesce(region, ''), ?))
        ORDER BY {DEPARTMENT_ORDER.get(order, DEPARTMENT_ORDER['name'])} LIMIT ?"""
    text, region = text.strip(), region.strip()
    df = frame(con, sql, [list(kinds), list(kinds), text, text, text, region, region, min(limit, MAX_ROWS)])
    # the two ratios in Decimal, as every other figure (DuckDB would divide in floating point)
    df["per_staff"] = [per_staff(t, s) for t, s in zip(df["expenditure_total"], df["staff"])]
    df["execution_rate"] = [execution_rate(e, b) for e, b in zip(df["executed"], df["budget"])]
    return df[DEPARTMENT_COLUMNS]


def regions(con) -> list[str]:
    """The first level of every region path the collection holds (省 / 直辖市), for a filter."""
    return [r[0] for r in con.execute("SELECT DISTINCT split_part(region, '/', 1) FROM departments "
                                      "WHERE region IS NOT NULL AND document_count > 0 ORDER BY 1").fetchall()]
