"""A budget's headline figures, read from its 收支预算总表 and the tables beside it (amounts in 万元)."""

from __future__ import annotations

from decimal import Decimal

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas comes with the first query (core.query): an ingest's audit never loads it
    import pandas as pd

from core.ingest.numbers import fold
from core.query import frame
from core.ingest.reference import strip_ordinal

INCOME_TOTALS = ("收入总计", "收入合计")
EXPENDITURE_TOTALS = ("支出总计", "支出合计")


def pick_total(items: list[tuple[str, str, Decimal, str]], side: str, labels: tuple[str, ...]):
    """(amount, ref) of the first label of `labels` found on `side` of (side, label, amount, ref) rows."""
    for want in labels:
        for s, label, amount, ref in items:
            if s == side and strip_ordinal(label) == fold(want):
                return amount, ref
    return None


def _rows(con, doc_id: str, table: str):
    return con.cursor().execute(
        "SELECT side, row_label, amount, source_ref FROM line_items WHERE doc_id = ? AND table_code = ? "
        "ORDER BY row_no, col_no", [doc_id, table]).fetchall()


def _first(rows, label: str):
    return next((a for _, lbl, a, _ in rows if strip_ordinal(lbl) == fold(label)), None)


def budget_summary(con, doc_id: str) -> dict:
    """Headline figures of a 预算 (see docs/methodology.md): the 收支预算总表 totals and whichever others apply."""
    b01 = _rows(con, doc_id, "B01")
    income = pick_total(b01, "收入", INCOME_TOTALS)
    expenditure = pick_total(b01, "支出", EXPENDITURE_TOTALS)
    b03 = con.cursor().execute(
        "SELECT column_label, amount FROM line_items WHERE doc_id = ? AND table_code = 'B03' AND code IS NULL "
        "AND row_label IN ('合计', '总计')", [doc_id]).fetchall()
    by_column = {fold(c): a for c, a in b03}
    basic = next((a for c, a in by_column.items() if "基本支出" in c), None) or _first(b01, "基本支出")
    project = next((a for c, a in by_column.items() if "项目支出" in c), None) or _first(b01, "项目支出")
    gpb = con.cursor().execute(
        "SELECT amount FROM line_items WHERE doc_id = ? AND table_code = 'B07' AND code IS NULL "
        "AND row_label IN ('合计', '总计') ORDER BY col_no LIMIT 1", [doc_id]).fetchone()
    b04 = _rows(con, doc_id, "B04")
    fiscal = pick_total(b04, "收入", INCOME_TOTALS)
    three = dict(con.cursor().execute(
        "SELECT item, budget FROM three_public_funds WHERE doc_id = ?", [doc_id]).fetchall())
    other = dict(con.cursor().execute(
        "SELECT item, budget FROM budget_other_expenses WHERE doc_id = ?", [doc_id]).fetchall())
    office = con.cursor().execute(
        "SELECT sum(amount) FROM office_operation_by_economic WHERE doc_id = ? AND level = 1", [doc_id]).fetchone()[0]
    procurement = con.cursor().execute(
        "SELECT amount FROM procurement_budget WHERE doc_id = ? AND item IN ('合计', '总计') ORDER BY row_no LIMIT 1",
        [doc_id]).fetchone()
    return {
        "doc_id": doc_id,
        "kind": "预算",
        "income_total": income[0] if income else None,
        "expenditure_total": expenditure[0] if expenditure else None,
        "basic_total": basic,
        "project_total": project,
        "fiscal_income": fiscal[0] if fiscal else None,
        "gpb_expenditure_total": gpb[0] if gpb else None,
        "three_public_total": three.get("合计"),
        "meeting_budget": other.get("会议费"),
        "training_budget": other.get("培训费"),
        "office_operation_budget": other.get("机关运行经费", office),
        "procurement_total": procurement[0] if procurement else None,
    }


def published_tables(con, doc_id: str) -> pd.DataFrame:
    """The tables a document prints, in code order: table_code, title, unit, role (either kind)."""
    return frame(con.cursor(), "SELECT table_code, title, unit, role FROM published_tables WHERE doc_id = ? "
                 "ORDER BY table_code", [doc_id])


_CLASS_COLUMNS = "SELECT code, name, parent_code, total FROM {} WHERE doc_id = ? AND level = ? AND total IS NOT NULL " \
    "ORDER BY code"
CLASS_SOURCES = tuple((_CLASS_COLUMNS.format(view), label) for view, label in (  # constant view names only
    ("gpb_expenditure_by_function", "一般公共预算支出预算表"),
    ("fiscal_expenditure_by_function", "财政拨款支出预算表"),
    ("expenditure_by_function", "支出预算总表"),
))


def budget_classes(con, doc_id: str, level: int = 1) -> pd.DataFrame:
    """预算数 by function class at one level, from the first table that prints them (一般公共预算 first).

    Columns: code, name, parent_code, total, share_pct (of the level's sum), source (the table used)."""
    for sql, label in CLASS_SOURCES:
        df = frame(con.cursor(), sql, [doc_id, level])
        if len(df):
            whole = sum(df["total"], Decimal(0))
            df["share_pct"] = [(t / whole * 100).quantize(Decimal("0.01")) if whole else None for t in df["total"]]
            df["source"] = label
            return df
    import pandas as pd

    return pd.DataFrame(columns=["code", "name", "parent_code", "total", "share_pct", "source"])


THREE_PUBLIC_ORDER = ("合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费",
                      "公务接待费", "会议费", "培训费", "总计", "机关运行经费")


def budget_three_public(con, doc_id: str) -> pd.DataFrame:
    """三公 and the expenses printed beside them, 预算数 only: item, budget, source_ref."""
    return frame(con.cursor(), """
        SELECT item, budget, source_ref FROM (
            SELECT item, budget, source_ref FROM three_public_funds WHERE doc_id = ?
            UNION ALL
            SELECT item, budget, source_ref FROM budget_other_expenses WHERE doc_id = ?)
        ORDER BY coalesce(list_position(?, item), 99)""", [doc_id, doc_id, list(THREE_PUBLIC_ORDER)])


def budget_item_lines(con, doc_id: str) -> pd.DataFrame:
    """The narrative's per-项 lines: code, name, amount, prior_amount, change_pct, reason, source_ref."""
    return frame(con.cursor(), "SELECT code, name, amount, prior_amount, change_pct, reason, source_ref "
                 "FROM yoy_changes WHERE doc_id = ? AND basis = '上年预算执行数'", [doc_id])
