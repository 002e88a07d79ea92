"""Totals, roll-ups, year-over-year, execution, performance and 三公 figures: Decimal in, Decimal out.

Every function takes (connection, doc_id, …) and returns a frozen dataclass or a DataFrame whose columns
are listed in the *_COLUMNS constant beside it; docs/methodology.md explains each figure and formula.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from core.db.connect import remembered
from core.grades import GRADES, execution_rate, grade_for
from core.query import frame

ZERO = Decimal(0)
CENT = Decimal("0.01")
LOW_EXECUTION_THRESHOLD = Decimal(60)  # percent; projects below it are listed as low execution


def pct(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """part / whole × 100 to two decimals; None when whole is zero or missing."""
    if part is None or not whole:
        return None
    return (part * 100 / whole).quantize(CENT, ROUND_HALF_UP)


def per_staff(total: Decimal | None, staff) -> Decimal | None:
    """total ÷ staff to two decimals; None when the document publishes no staff count."""
    if total is None or not staff:
        return None
    return (total / staff).quantize(CENT, ROUND_HALF_UP)


_NUMBERED = re.compile(r"^[一二三四五六七八九十]+、|[\t\n\f\r ]")  # DuckDB's (RE2's) \s is these five
_SPACE = re.compile(r"[\t\n\f\r ]")


def _table_lines(con, doc_id: str, table: str) -> list[tuple]:
    """A published table's cells (row_label, code, side, column_label, amount, col_no), in the table's order: one
    statement per table however many of its figures a page shows, remembered per handle."""
    return remembered(con, ("table_lines", doc_id, table), lambda: con.cursor().execute(
        "SELECT row_label, code, side, column_label, amount, col_no FROM line_items WHERE doc_id = ? AND table_code = ? "
        "ORDER BY row_no, side DESC, col_no", [doc_id, table]).fetchall())


def _item(con, doc_id: str, table: str, label: str, side: str | None = None, column: str | None = None):
    """The first amount of the row labelled `label` (order number 一、 and spaces ignored), on that side and column."""
    return next((amount for row_label, _, s, c, amount, _ in _table_lines(con, doc_id, table)
                 if row_label is not None and _NUMBERED.sub("", row_label) == label
                 and (side is None or s == side) and (column is None or c == column)), None)


def _total_row(con, doc_id: str, table: str) -> dict[str, Decimal]:
    """A table's 合计 row by column."""
    rows = [(n, c, amount) for row_label, code, _, c, amount, n in _table_lines(con, doc_id, table)
            if code is None and row_label is not None and _SPACE.sub("", row_label) == "合计"]
    return {c: amount for _, c, amount in sorted(rows, key=lambda r: r[0])}


def narrative_value(con, doc_id: str, key: str) -> Decimal | None:
    """A keyed figure the narrative states (see narrative_figures.key), or None."""
    return narrative_values(con, doc_id).get(key)


def narrative_values(con, doc_id: str) -> dict[str, Decimal | None]:
    """Every keyed figure of the narrative, the first statement of each key: one statement where a page needs many."""
    return remembered(con, ("narrative_values", doc_id), lambda: _read_narrative_values(con, doc_id))


def _read_narrative_values(con, doc_id: str) -> dict[str, Decimal | None]:
    rows = con.cursor().execute("SELECT key, value FROM narrative_figures WHERE doc_id = ? AND key IS NOT NULL",
                                [doc_id]).fetchall()
    out: dict[str, Decimal | None] = {}
    for key, value in rows:  # the view is in the document's order: the first statement wins
        out.setdefault(key, value)
    return out


# ------------------------------------------------------------------ totals and roll-ups

INCOME_COLUMNS = ["source", "amount", "share_pct", "is_fiscal"]


def income_by_source(con, doc_id: str) -> pd.DataFrame:
    """公开02表 合计 row by source of funds, with each source's share of 本年收入合计."""
    totals = _total_row(con, doc_id, "T02")
    total = totals.pop("本年收入合计", None)
    rows = [(k, v, pct(v, total), k == "财政拨款收入") for k, v in totals.items()]
    return pd.DataFrame(rows, columns=INCOME_COLUMNS, dtype=object)


FUNCTION_COLUMNS = ["code", "name", "level", "parent_code", "total", "basic", "project", "share_pct",
                    "basic_share_pct", "has_children", "source_ref"]
SCOPES = {"all": ("expenditure_by_function", "T03"), "gpb": ("gpb_expenditure_by_function", "T05")}


def expenditure_by_function(con, doc_id: str, scope: str = "all", parent: str | None = None) -> pd.DataFrame:
    """Expenditure at one level: the 类 (parent None) or the children of `parent`, with the basic/project split.

    scope 'all' reads 公开03表 (all funds), 'gpb' reads 公开05表 (general-budget appropriations).
    share_pct is of the table's 合计.
    """
    view, table = SCOPES[scope]
    df = frame(con, f"""
        SELECT code, name, level, parent_code, total, basic, project, source_ref,
               code IN (SELECT parent_code FROM {view} WHERE doc_id = ? AND parent_code IS NOT NULL) AS has_children
        FROM {view} v WHERE doc_id = ? AND {'parent_code IS NULL' if parent is None else 'parent_code = ?'}
        ORDER BY code""", [doc_id, doc_id] if parent is None else [doc_id, doc_id, parent])
    grand = _total_row(con, doc_id, table)
    grand_total = next(iter(grand.values()), None)
    df["share_pct"] = [pct(t, grand_total) for t in df["total"]]
    df["basic_share_pct"] = [pct(b, t) for b, t in zip(df["basic"], df["total"])]
    return df[FUNCTION_COLUMNS]


@dataclass(frozen=True)
class FunctionTotals:
    """A table's 合计 row: total, 基本支出 and 项目支出 with their shares."""

    scope: str
    total: Decimal | None
    basic: Decimal | None
    project: Decimal | None
    basic_share_pct: Decimal | None
    project_share_pct: Decimal | None


def function_totals(con, doc_id: str, scope: str = "all") -> FunctionTotals:
    """合计 of 公开03表 (scope 'all') or 公开05表 (scope 'gpb')."""
    row = list(_total_row(con, doc_id, SCOPES[scope][1]).values())
    total, basic, project = (row + [None, None, None])[:3]
    return FunctionTotals(scope, total, basic, project, pct(basic, total), pct(project, total))


def function_node(con, doc_id: str, code: str, scope: str = "all") -> dict | None:
    """One classified row (any level) with its amounts, for breadcrumbs and detail headers."""
    view = SCOPES[scope][0]
    df = frame(con, f"SELECT code, name, level, parent_code, total, basic, project, source_ref FROM {view} "
                    "WHERE doc_id = ? AND code = ?", [doc_id, code])
    return None if df.empty else df.iloc[0].to_dict()


def function_names(con, doc_id: str, codes: tuple[str, ...], scope: str = "all") -> dict[str, str]:
    """code → name for the given codes of one table, in one statement (a filter lists many codes at once)."""
    view = SCOPES[scope][0]
    rows = con.cursor().execute(f"SELECT code, name FROM {view} WHERE doc_id = ? AND list_contains(?, code)",
                                [doc_id, list(codes)]).fetchall()
    return dict(rows)


ECONOMIC_COLUMNS = ["category", "code", "name", "level", "parent_code", "amount", "share_pct", "source_ref"]


def economic_rollup(con, doc_id: str, category: str | None = None, parent: str | None = None) -> pd.DataFrame:
    """公开06表 basic expenditure by economic class: classes (parent None) or the items of one class.

    share_pct is of the 人员经费 + 公用经费 total.
    """
    sql = "SELECT category, code, name, level, parent_code, amount, source_ref FROM basic_expenditure_by_economic WHERE doc_id = ?"
    params: list = [doc_id]
    if category:
        sql += " AND category = ?"
        params.append(category)
    sql += " AND parent_code IS NULL" if parent is None else " AND parent_code = ?"
    if parent is not None:
        params.append(parent)
    df = frame(con, sql + " ORDER BY code", params)
    totals = economic_totals(con, doc_id)
    whole = (totals.personnel or ZERO) + (totals.public or ZERO)
    df["share_pct"] = [pct(a, whole) for a in df["amount"]]
    return df[ECONOMIC_COLUMNS]


@dataclass(frozen=True)
class EconomicTotals:
    """公开06表 人员经费合计 and 公用经费合计 (general-budget appropriations only)."""

    personnel: Decimal | None
    public: Decimal | None
    total: Decimal | None


def economic_totals(con, doc_id: str) -> EconomicTotals:
    p = _item(con, doc_id, "T06", "人员经费合计")
    q = _item(con, doc_id, "T06", "公用经费合计")
    return EconomicTotals(p, q, (p or ZERO) + (q or ZERO) if p is not None or q is not None else None)


@dataclass(frozen=True)
class FiscalSplit:
    """财政拨款 vs all other income (公开02表 合计)."""

    total: Decimal | None
    fiscal: Decimal | None
    non_fiscal: Decimal | None
    fiscal_share_pct: Decimal | None


def fiscal_split(con, doc_id: str) -> FiscalSplit:
    totals = _total_row(con, doc_id, "T02")
    total, fiscal = totals.get("本年收入合计"), totals.get("财政拨款收入")
    non_fiscal = total - fiscal if total is not None and fiscal is not None else None
    return FiscalSplit(total, fiscal, non_fiscal, pct(fiscal, total))


# ------------------------------------------------------------------ year over year

YOY_COLUMNS = ["code", "name", "amount", "change", "prior", "change_pct", "reason", "only_last_year", "source_ref"]


def yoy_table(con, doc_id: str) -> pd.DataFrame:
    """The narrative's 项 lines: prior = current − change; only_last_year when nothing was spent this year."""
    return remembered(con, ("yoy_table", doc_id), lambda: _read_yoy_table(con, doc_id))


def _read_yoy_table(con, doc_id: str) -> pd.DataFrame:
    df = frame(con, "SELECT code, name, amount, change, change_pct, reason, source_ref FROM yoy_changes WHERE doc_id = ?",
               [doc_id])
    df["prior"] = [a - c if c is not None else None for a, c in zip(df["amount"], df["change"])]
    df["only_last_year"] = [a == 0 and (p or 0) > 0 for a, p in zip(df["amount"], df["prior"])]
    return df[YOY_COLUMNS]


def largest_changes(con, doc_id: str, n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(largest increases, largest decreases) among the 项 lines, by amount of change."""
    df = yoy_table(con, doc_id)
    df = df[df["change"].notna()]
    up = df[df["change"] > 0].sort_values("change", ascending=False, key=lambda s: s.map(Decimal)).head(n)
    down = df[df["change"] < 0].sort_values("change", key=lambda s: s.map(Decimal)).head(n)
    return up.reset_index(drop=True), down.reset_index(drop=True)


DOC_CHANGE_COLUMNS = ["measure", "current", "change", "prior", "change_pct"]
DOC_CHANGES = (
    ("收入", "income_total", "income_change", "income_change_pct"),
    ("支出", "expenditure_total", "expenditure_change", "expenditure_change_pct"),
    ("收支总计", "total_income_all", "total_change", "total_change_pct"),
    ("财政拨款收支", "fiscal_income_total", "fiscal_change", "fiscal_change_pct"),
    ("一般公共预算财政拨款支出", "gpb_total", "gpb_change", "gpb_change_pct"),
)


def document_changes(con, doc_id: str) -> pd.DataFrame:
    """The document-level changes the narrative states, with the prior year each implies (current − change)."""
    rows = []
    stated = narrative_values(con, doc_id)
    for measure, base, change, change_pct in DOC_CHANGES:
        cur, chg = stated.get(base), stated.get(change)
        if cur is None or chg is None:
            continue
        rows.append((measure, cur, chg, cur - chg, stated.get(change_pct)))
    return pd.DataFrame(rows, columns=DOC_CHANGE_COLUMNS, dtype=object)


# ------------------------------------------------------------------ projects: execution and performance

PROJECT_COLUMNS = ["project_id", "name", "code", "code_name", "budget", "executed", "unspent", "execution_rate",
                   "reported_execution_rate", "low_execution", "execution_weight", "execution_score",
                   "indicator_score", "score", "recomputed_score", "grade", "recomputed_grade",
                   "standard_execution_score", "standard_score", "standard_grade", "mapping_note"]


def projects(con, doc_id: str, low_threshold: Decimal = LOW_EXECUTION_THRESHOLD) -> pd.DataFrame:
    """Every evaluated project: execution recomputed, score recomputed and graded, the standard score beside it.
    Remembered per handle: the summary, the grades, the selection and the reconciliation all start from it."""
    return remembered(con, ("projects", doc_id, low_threshold), lambda: _read_projects(con, doc_id, low_threshold))


def _read_projects(con, doc_id: str, low_threshold: Decimal) -> pd.DataFrame:
    # each view is filtered by the document before the joins: joining the views whole made DuckDB hash every
    # document's indicators and 科目 (38 ms at 5,000 documents against 14 ms this way)
    df = frame(con, """
        WITH p AS (SELECT * FROM projects WHERE doc_id = $doc),
             i AS (SELECT project_id, sum(score) AS indicator_score FROM indicators WHERE doc_id = $doc
                   GROUP BY project_id),
             f AS (SELECT project_id, weight FROM project_funds WHERE doc_id = $doc AND fund_row = '年度资金总额'),
             g AS (SELECT code, name FROM gpb_expenditure_by_function WHERE doc_id = $doc)
        SELECT p.project_id, p.name, p.code, g.name AS code_name, p.budget, p.executed,
               p.execution_rate AS reported_execution_rate, f.weight AS execution_weight,
               p.execution_score, p.score, p.grade, p.standard_execution_score, p.standard_score,
               p.standard_grade, p.mapping_note, i.indicator_score
        FROM p LEFT JOIN f ON f.project_id = p.project_id LEFT JOIN g ON g.code = p.code
        LEFT JOIN i ON i.project_id = p.project_id
        ORDER BY p.project_id""", {"doc": doc_id})
    df["execution_rate"] = [execution_rate(e, b) for e, b in zip(df["executed"], df["budget"])]
    df["unspent"] = [b - e if b is not None and e is not None else None for b, e in zip(df["budget"], df["executed"])]
    df["low_execution"] = [r is not None and r < low_threshold for r in df["execution_rate"]]
    df["indicator_score"] = [Decimal(x) if x is not None else ZERO for x in df["indicator_score"]]
    df["recomputed_score"] = [i + e if e is not None else None for i, e in zip(df["indicator_score"], df["execution_score"])]
    df["recomputed_grade"] = [grade_for(s) for s in df["recomputed_score"]]
    return df[PROJECT_COLUMNS]


@dataclass(frozen=True)
class ProjectSummary:
    """Counts and sums over the evaluated projects."""

    count: int
    budget: Decimal
    executed: Decimal
    unspent: Decimal
    execution_rate: Decimal | None
    average_score: Decimal | None
    grades: dict
    low_execution: int


def project_summary(con, doc_id: str) -> ProjectSummary:
    df = projects(con, doc_id)
    budget = sum((b for b in df["budget"] if b is not None), ZERO)
    executed = sum((e for e in df["executed"] if e is not None), ZERO)
    scores = [s for s in df["score"] if s is not None]
    avg = (sum(scores, ZERO) / len(scores)).quantize(CENT, ROUND_HALF_UP) if scores else None
    grades = {g: int(sum(1 for x in df["grade"] if x == g)) for g in GRADES}
    return ProjectSummary(len(df), budget, executed, budget - executed, pct(executed, budget), avg, grades,
                          int(sum(bool(x) for x in df["low_execution"])))


GRADE_COLUMNS = ["grade", "reported", "recomputed", "standard"]


def grade_distribution(con, doc_id: str) -> pd.DataFrame:
    """How many projects fall in each grade: as reported, as recomputed, and under the standard execution score."""
    df = projects(con, doc_id)
    rows = [(g, int((df["grade"] == g).sum()), int((df["recomputed_grade"] == g).sum()),
             int((df["standard_grade"] == g).sum())) for g in GRADES]
    return pd.DataFrame(rows, columns=GRADE_COLUMNS, dtype=object)


_OPS = (("≥", ">="), ("≤", "<="), (">=", ">="), ("<=", "<="), ("大于等于", ">="), ("小于等于", "<="),
        ("不低于", ">="), ("不高于", "<="), ("=", "="), ("＝", "="), ("<", "<"), (">", ">"), ("＜", "<"), ("＞", ">"))
_NUM = re.compile(r"-?\d+(?:\.\d+)?")


def parse_target(text: str | None) -> tuple[str | None, Decimal | None, str]:
    """`≥90%` → ('>=', 90, '%'); `≤394.6 万元` → ('<=', 394.6, '万元'); unparseable → (None, None, '')."""
    if not text:
        return None, None, ""
    t = re.sub(r"(?<=\d)\.\s+(?=\d)", ".", text.strip()).replace(",", "")
    op = next((sym for raw, sym in _OPS if t.startswith(raw)), None)
    m = _NUM.search(t)
    if op is None or m is None:
        return op, None, ""
    unit = t[m.end():].strip()
    unit = "%" if unit in ("%", "百分比", "％") else unit
    return op, Decimal(m.group()), unit


def parse_actual(text: str | None) -> Decimal | None:
    """The number of an 实际完成值 (`98. 42` → 98.42), or None when it is not a single number."""
    if not text:
        return None
    t = re.sub(r"(?<=\d)\.\s+(?=\d)", ".", text.strip()).replace(",", "").rstrip("%").strip()
    return Decimal(t) if re.fullmatch(r"-?\d+(?:\.\d+)?", t) else None


def indicator_status(target: str | None, actual: str | None) -> str:
    """达成 / 未达成 / 无法判断, comparing 实际完成值 with the parsed 年度指标值."""
    op, value, _ = parse_target(target)
    got = parse_actual(actual)
    if op is None or value is None or got is None or got < 0:
        return "无法判断"
    ok = {">=": got >= value, "<=": got <= value, "=": got == value, "<": got < value, ">": got > value}[op]
    return "达成" if ok else "未达成"


INDICATOR_COLUMNS = ["project_id", "level1", "level2", "name", "target", "actual", "operator", "target_value",
                     "target_unit", "actual_value", "status", "weight", "score", "full_marks", "deviation_reason",
                     "source_ref"]


def indicators(con, doc_id: str, project_id: str | None = None) -> pd.DataFrame:
    """Indicator rows with the target parsed and compared with the actual value."""
    sql = ("SELECT project_id, level1, level2, name, target, actual, weight, score, deviation_reason, source_ref "
           "FROM indicators WHERE doc_id = ?")
    params = [doc_id]
    if project_id:
        sql += " AND project_id = ?"
        params.append(project_id)
    df = frame(con, sql + " ORDER BY project_id, seq", params)
    parsed = [parse_target(t) for t in df["target"]]
    df["operator"] = [p[0] for p in parsed]
    df["target_value"] = [p[1] for p in parsed]
    df["target_unit"] = [p[2] for p in parsed]
    df["actual_value"] = [parse_actual(a) for a in df["actual"]]
    df["status"] = [indicator_status(t, a) for t, a in zip(df["target"], df["actual"])]
    df["full_marks"] = [s is not None and w is not None and s >= w for s, w in zip(df["score"], df["weight"])]
    return df[INDICATOR_COLUMNS]


# ------------------------------------------------------------------ 三公 and other disclosed figures

THREE_PUBLIC_COLUMNS = ["item", "budget", "actual", "change", "prior", "change_pct", "completion_pct", "source_ref"]


def three_public(con, doc_id: str) -> pd.DataFrame:
    """公开07表 items (budget where the table gives one) with the narrative's year-over-year and completion figures."""
    df = frame(con, "SELECT item, budget, actual, source_ref FROM three_public_funds WHERE doc_id = ? AND item IS NOT NULL",
               [doc_id])
    stated = narrative_values(con, doc_id)
    df["change"] = [stated.get(f"three_public:{i}:change") for i in df["item"]]
    df["change_pct"] = [stated.get(f"three_public:{i}:change_pct") for i in df["item"]]
    # a completion rate beside a blank 决算数 would read as measured: the sentence stays in stated_three_public()
    df["completion_pct"] = [stated.get(f"three_public:{i}:completion_pct") if a is not None else None
                            for i, a in zip(df["item"], df["actual"])]
    df["prior"] = [a - c if a is not None and c is not None else None for a, c in zip(df["actual"], df["change"])]
    return df[THREE_PUBLIC_COLUMNS]


@dataclass(frozen=True)
class ThreePublicCounts:
    """The counts the 三公 explanation gives."""

    abroad_groups_own: Decimal | None
    abroad_groups_other: Decimal | None
    abroad_persons: Decimal | None
    vehicles_purchased: Decimal | None
    vehicles_held: Decimal | None
    reception_batches: Decimal | None
    reception_persons: Decimal | None


def three_public_counts(con, doc_id: str) -> ThreePublicCounts:
    stated = narrative_values(con, doc_id)
    return ThreePublicCounts(*(stated.get(k) for k in ThreePublicCounts.__dataclass_fields__))


@dataclass(frozen=True)
class AdminCost:
    """机关运行经费 and its stated change."""

    amount: Decimal | None
    change_pct: Decimal | None


def admin_cost(con, doc_id: str) -> AdminCost:
    stated = narrative_values(con, doc_id)
    return AdminCost(stated.get("admin_cost"), stated.get("admin_cost_change_pct"))


@dataclass(frozen=True)
class Procurement:
    """政府采购: goods / works / services and the SME shares as stated; sums recomputed beside them."""

    total: Decimal | None
    goods: Decimal | None
    works: Decimal | None
    services: Decimal | None
    parts_sum: Decimal | None
    sme: Decimal | None
    sme_pct: Decimal | None
    sme_pct_recomputed: Decimal | None
    small: Decimal | None
    small_pct: Decimal | None
    goods_sme_pct: Decimal | None
    works_sme_pct: Decimal | None
    services_sme_pct: Decimal | None


def procurement(con, doc_id: str) -> Procurement:
    stated = narrative_values(con, doc_id)
    v = {k: stated.get(f"procurement_{k}") for k in
         ("total", "goods", "works", "services", "sme", "sme_pct", "small", "small_pct", "goods_sme_pct",
          "works_sme_pct", "services_sme_pct")}
    parts = [v[k] for k in ("goods", "works", "services") if v[k] is not None]
    return Procurement(v["total"], v["goods"], v["works"], v["services"], sum(parts, ZERO) if parts else None,
                       v["sme"], v["sme_pct"], pct(v["sme"], v["total"]), v["small"], v["small_pct"],
                       v["goods_sme_pct"], v["works_sme_pct"], v["services_sme_pct"])


@dataclass(frozen=True)
class Assets:
    """国有资产: vehicles held (with the narrative's breakdown) and equipment over 100 万元."""

    vehicles_total: Decimal | None
    vehicles_by_type: dict
    equipment_over_1m: Decimal | None


def assets(con, doc_id: str) -> Assets:
    stated = narrative_values(con, doc_id)
    by_type = {k[len("vehicles:"):]: v for k, v in stated.items() if k.startswith("vehicles:")}
    return Assets(stated.get("vehicles_total"), by_type, stated.get("equipment_over_1m"))


# ------------------------------------------------------------------ project ↔ 科目

COVERAGE_COLUMNS = ["code", "name", "project_expenditure", "covered", "remainder", "projects"]


def function_coverage(con, doc_id: str) -> pd.DataFrame:
    """Per 项: its 项目支出 (公开05表), what the mapped projects executed, and the part no project explains."""
    return frame(con, "SELECT code, name, project_expenditure, covered, remainder, projects "
                      "FROM function_project_coverage WHERE doc_id = ?", [doc_id])[COVERAGE_COLUMNS]


# ------------------------------------------------------------------ the headline

def summary(con, doc_id: str) -> dict:
    """Headline figures, amounts in 万元 (see docs/methodology.md for each key); a 预算 has its own set."""
    kind = con.cursor().execute("SELECT kind FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
    if kind and kind[0] == "预算":
        from core.budget import budget_summary

        return budget_summary(con, doc_id)
    t01_in = _item(con, doc_id, "T01", "本年收入合计", "收入")
    t01_out = _item(con, doc_id, "T01", "本年支出合计", "支出")
    allf = function_totals(con, doc_id, "all")
    gpb = function_totals(con, doc_id, "gpb")
    econ = economic_totals(con, doc_id)
    three = three_public(con, doc_id)
    three_total = next((a for i, a in zip(three["item"], three["actual"]) if i == "合计"), None)
    yoy = yoy_table(con, doc_id)
    ps = project_summary(con, doc_id)
    fs = fiscal_split(con, doc_id)
    return {
        "doc_id": doc_id,
        "income_total": t01_in,
        "expenditure_total": t01_out,
        "basic_total": allf.basic,
        "project_total": allf.project,
        "fiscal_income": fs.fiscal,
        "gpb_expenditure_total": gpb.total,
        "personnel_total": econ.personnel,
        "public_total": econ.public,
        "three_public_total": three_total,
        "yoy_total_change": sum((c for c in yoy["change"] if c is not None), ZERO) if len(yoy) else None,
        "projects": {
            "count": ps.count,
            "budget": ps.budget,
            "executed": ps.executed,
            "execution_rate": ps.execution_rate,
            "average_score": ps.average_score,
            "grades": ps.grades,
        },
    }


def search_projects(con, doc_id: str, keyword: str) -> list[str]:
    """Project ids whose name, texts, indicators or problems mention the keyword (case-insensitive)."""
    like = f"%{keyword.strip()}%"
    rows = con.cursor().execute("""
        SELECT DISTINCT project_id FROM (
            SELECT project_id, name AS t FROM projects WHERE doc_id = ?
            UNION ALL SELECT project_id, text FROM project_texts WHERE doc_id = ?
            UNION ALL SELECT project_id, name FROM indicators WHERE doc_id = ?
            UNION ALL SELECT project_id, problem || ' ' || suggestion FROM project_issues WHERE doc_id = ?
        ) WHERE t ILIKE ? ORDER BY project_id""", [doc_id, doc_id, doc_id, doc_id, like]).fetchall()
    return [r[0] for r in rows]


def select_projects(df: pd.DataFrame, grades=(), code_prefix: str | None = None, rate_min=None, rate_max=None,
                    ids: list[str] | None = None) -> pd.DataFrame:
    """Filter a projects() frame: by grade, by 类/款/项 code prefix, by recomputed execution-rate range, by ids."""
    keep = pd.Series(True, index=df.index)
    if grades:
        keep &= df["grade"].isin(list(grades))
    if code_prefix:
        keep &= df["code"].map(lambda c: bool(c) and str(c).startswith(code_prefix))
    if rate_min is not None:
        keep &= df["execution_rate"].map(lambda r: r is not None and r >= Decimal(str(rate_min)))
    if rate_max is not None:
        keep &= df["execution_rate"].map(lambda r: r is not None and r <= Decimal(str(rate_max)))
    if ids is not None:
        keep &= df["project_id"].isin(ids)
    return df[keep].reset_index(drop=True)


PROJECT_DETAIL_FIELDS = ("project", "funds", "indicators", "texts", "issues", "report")


def project_detail(con, doc_id: str, project_id: str) -> dict:
    """Everything shown about one project: its row of projects(), fund rows, indicators, texts, issues, report."""
    all_projects = projects(con, doc_id)
    row = all_projects[all_projects["project_id"] == project_id]
    if row.empty:
        return {}
    funds = frame(con, "SELECT fund_row, budget_initial, budget, executed, weight, execution_rate, score, source_ref "
                       "FROM project_funds WHERE doc_id = ? AND project_id = ?", [doc_id, project_id])
    texts = dict(con.cursor().execute("SELECT kind, text FROM project_texts WHERE doc_id = ? AND project_id = ?",
                                      [doc_id, project_id]).fetchall())
    issues = frame(con, "SELECT issue_type, problem, suggestion FROM project_issues WHERE doc_id = ? AND project_id = ?",
                   [doc_id, project_id])
    report = frame(con, "SELECT title, score, grade, targets_set, targets_met, match_note, text, source_ref "
                        "FROM evaluation_reports WHERE doc_id = ? AND project_id = ?", [doc_id, project_id])
    return {
        "project": row.iloc[0].to_dict(),
        "funds": funds,
        "indicators": indicators(con, doc_id, project_id),
        "texts": texts,
        "issues": issues,
        "report": report.iloc[0].to_dict() if len(report) else None,
    }


def projects_for_code(con, doc_id: str, code: str) -> tuple[pd.DataFrame, dict | None]:
    """The projects mapped to one 项 and its coverage row (项目支出, covered, remainder)."""
    df = projects(con, doc_id)
    cov = function_coverage(con, doc_id)
    row = cov[cov["code"] == code]
    return df[df["code"] == code].reset_index(drop=True), (row.iloc[0].to_dict() if len(row) else None)


def section_texts(con, doc_id: str, contains: str) -> list[tuple[str, str]]:
    """Narrative sections whose heading contains a word, with their text."""
    return con.cursor().execute(
        "SELECT section, text FROM narrative_sections WHERE doc_id = ? AND section LIKE ?",
        [doc_id, f"%{contains}%"]).fetchall()


def glossary(con, doc_id: str) -> pd.DataFrame:
    return frame(con, "SELECT term, definition, source_ref FROM glossary WHERE doc_id = ?", [doc_id])


def document_info(con, doc_id: str) -> dict:
    """The documents row plus its units and the stored source text length."""
    df = frame(con, "SELECT * FROM documents WHERE doc_id = ?", [doc_id])
    units = frame(con, "SELECT name, unit_type, staff FROM units WHERE doc_id = ?", [doc_id])
    return {**df.iloc[0].to_dict(), "units": units}


def select_projects_cached(con, doc_id: str, grades: tuple, code_prefix, rate_min, rate_max, ids) -> pd.DataFrame:
    """projects() filtered by select_projects(); hashable arguments so the UI can cache it."""
    return select_projects(projects(con, doc_id), grades, code_prefix, rate_min, rate_max,
                           list(ids) if ids is not None else None)


@dataclass(frozen=True)
class PerformanceStated:
    """What the narrative says about performance evaluation (useful when no self-evaluation tables are attached)."""

    projects: Decimal | None
    funds: Decimal | None
    average_score: Decimal | None


def performance_stated(con, doc_id: str) -> PerformanceStated:
    stated = narrative_values(con, doc_id)
    return PerformanceStated(stated.get("perf_self_count"), stated.get("perf_self_funds"),
                             stated.get("perf_average_score"))


def known_keys(con, doc_id: str):
    """The function codes, project ids and economic classes a document holds: what its links may point at."""
    from core.drill import Known

    rows = con.cursor().execute("""
        SELECT 'code', code FROM expenditure_by_function WHERE doc_id = ?
        UNION SELECT 'code', code FROM gpb_expenditure_by_function WHERE doc_id = ?
        UNION SELECT 'project', project_id FROM projects WHERE doc_id = ?
        UNION SELECT 'econ', code FROM basic_expenditure_by_economic WHERE doc_id = ? AND level = 1""",
                                [doc_id] * 4).fetchall()
    return Known(**{k: frozenset(v for kind, v in rows if kind == key)
                    for k, key in (("codes", "code"), ("projects", "project"), ("econ", "econ"))})


STATED_THREE_PUBLIC_COLUMNS = ["item", "measure", "value", "source_ref", "phrase"]


def stated_three_public(con, doc_id: str) -> pd.DataFrame:
    """The 三公 figures the narrative states (决算数, 预算数, 完成比例 …), each with its sentence and source: what a
    reader needs where the table leaves a figure blank."""
    df = frame(con, "SELECT key, value, source_ref, phrase FROM narrative_figures WHERE doc_id = ? "
                    "AND key LIKE 'three_public:%' ORDER BY source_ref", [doc_id])
    measures = {"actual": "决算数（万元）", "budget": "预算数（万元）", "completion_pct": "完成预算（%）",
                "change": "比上年增减（万元）", "change_pct": "增减率（%）"}
    parts = [k.split(":") for k in df["key"]]
    out = pd.DataFrame({"item": [p[1] for p in parts], "measure": [measures.get(p[2], p[2]) for p in parts],
                        "value": list(df["value"]), "source_ref": list(df["source_ref"]), "phrase": list(df["phrase"])},
                       dtype=object)
    return out[STATED_THREE_PUBLIC_COLUMNS]
