"""Everything the rules read about one document, loaded once from the public views."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from decimal import Decimal

from core.ingest.numbers import fold
from core.ingest.reference import strip_ordinal


@dataclass(frozen=True)
class Item:
    """A line item as the rules see it."""

    table: str
    row_no: int
    side: str
    label: str
    code: str | None
    column: str
    col_no: int
    amount: Decimal
    ref: str

    @property
    def key(self) -> str:
        """The label without its printed number or a trailing note in brackets (`…结余（含专用结余）`)."""
        return re.sub(r"[(（][^()（）]*[)）]$", "", strip_ordinal(self.label))


class Missing(Exception):
    """A figure a rule needs is not in the document: the rule is not determinable."""


@dataclass
class Context:
    """One document's figures, tables and performance data, with look-up helpers."""

    doc_id: str
    kind: str
    fiscal_year: int
    department: str
    source_text: str
    tables: set[str]
    parts: list[str]
    items: list[Item]
    classified: dict[str, dict[str, dict]]
    narrative: dict[str, tuple[Decimal, str]]
    yoy: list[dict]
    projects: list[dict]
    funds: dict[str, list[dict]]
    indicators: dict[str, list[dict]]
    reports: list[dict]
    report_indicators: dict[str, list[dict]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    units: dict[str, Decimal] = field(default_factory=dict)
    budget_classified: dict[str, dict] = field(default_factory=dict)  # table → (code, column key) → (amount, ref, level)
    column_keys: dict[tuple[str, str], str] = field(default_factory=dict)  # (table, printed column) → column key
    scope: str = "部门"
    missing_tables: list[str] = field(default_factory=list)
    all_classified: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)  # table → code → (name, ref)
    notes: dict[str, list[str]] = field(default_factory=dict)  # table → its note lines
    announced_tables: list[str] = field(default_factory=list)
    source_files: list[str] = field(default_factory=list)
    page_counts: list[int] = field(default_factory=list)  # pages of each source file, in reading order
    _breaks: list[int] | None = field(default=None, repr=False)

    def rows(self, table: str, side: str | None = None) -> list[Item]:
        return [i for i in self.items if i.table == table and (side is None or i.side == side)]

    def find(self, table: str, label: str, side: str | None = None, column: str | None = None) -> Item:
        """The item whose label (without its printed number) is `label`; Missing when absent."""
        want = re.sub(r"[(（][^()（）]*[)）]$", "", fold(label))
        for i in self.rows(table, side):
            if i.key == want and (column is None or fold(i.column) == fold(column)):
                return i
        raise Missing(f"{table}:{label}")

    def maybe(self, table: str, label: str, side: str | None = None, column: str | None = None) -> Item | None:
        try:
            return self.find(table, label, side, column)
        except Missing:
            return None

    def total_row(self, table: str) -> dict[str, Item]:
        """The 合计 row of a classified table, by column label."""
        return {i.column: i for i in self.rows(table) if i.code is None and fold(i.label) == "合计"}

    def text_ref(self, offset: int) -> str:
        """Where a position of the source text stands: `page:N` in a PDF (pages start with a form feed), else `line:N`."""
        if self._breaks is None:  # positions of the breaks, found once: each look-up is then a bisection
            mark = "\f" if "\f" in self.source_text else "\n"
            self._breaks = [m.start() for m in re.finditer(re.escape(mark), self.source_text)]
        n = bisect.bisect_left(self._breaks, offset) + 1
        if "\f" in self.source_text:
            return self.page_ref(n)
        return f"line:{n}"

    def page_ref(self, page: int) -> str:
        """`page:N` of the source text's N-th page; in a disclosure of several files, `file.pdf#page:n`."""
        if len(self.source_files) > 1:
            for name, count in zip(self.source_files, self.page_counts):
                if page <= count:
                    return f"{name}#page:{page}"
                page -= count
        return f"page:{page}"

    def table_title(self, code: str) -> str:
        """The canonical title of a table code of either kind."""
        from core.ingest.layouts import layout_for
        from core.ingest.model import TABLE_TITLES

        lay = layout_for(code)
        return TABLE_TITLES.get(code) or (lay.title if lay else code)

    def figure(self, key: str) -> tuple[Decimal, str]:
        if key not in self.narrative:
            raise Missing(f"N:{key}")
        return self.narrative[key]


def load_context(con, doc_id: str) -> Context:
    """Read the document from the public views (never the internal tables)."""
    doc = con.execute(
        "SELECT d.fiscal_year, d.department, t.text, d.parts_found, d.kind, d.scope, d.source_files, d.page_counts, "
        "d.missing_tables, d.announced_tables "
        "FROM documents d "
        "JOIN source_texts t USING (doc_id) WHERE doc_id = ?", [doc_id]
    ).fetchone()
    items = [Item(*r) for r in con.execute(
        "SELECT table_code, row_no, side, row_label, code, column_label, col_no, amount, source_ref "
        "FROM line_items WHERE doc_id = ?", [doc_id]).fetchall()]
    classified: dict[str, dict[str, dict]] = {}
    for view, table, cols in (
        ("income_by_function", "T02", ("total", "fiscal", "superior", "business", "operating", "affiliated", "other")),
        ("expenditure_by_function", "T03", ("total", "basic", "project", "to_superior", "operating", "affiliated")),
        ("gpb_expenditure_by_function", "T05", ("total", "basic", "project")),
        ("basic_expenditure_by_economic", "T06", ("amount",)),
    ):
        rows = con.execute(
            f"SELECT code, name, level, parent_code, source_ref, {', '.join(cols)} FROM {view} WHERE doc_id = ?",
            [doc_id]).fetchall()
        classified[table] = {
            r[0]: {"name": r[1], "level": r[2], "parent": r[3], "ref": r[4], "values": dict(zip(cols, r[5:]))}
            for r in rows
        }
    narrative = {}
    for key, value, ref in con.execute(
        "SELECT key, value, source_ref FROM narrative_figures WHERE doc_id = ? AND key IS NOT NULL", [doc_id]
    ).fetchall():
        narrative.setdefault(key, (value, ref))
    yoy = [dict(zip(("code", "name", "amount", "change", "change_pct", "ref", "stated_name", "prior", "restated"), r))
           for r in con.execute(
        "SELECT code, name, amount, change, change_pct, source_ref, stated_name, prior_amount, restated_amount "
        "FROM yoy_changes WHERE doc_id = ?", [doc_id]).fetchall()]
    projects = [dict(zip(("project_id", "name", "score", "grade", "ref"), r)) for r in con.execute(
        "SELECT project_id, name, score, grade, source_ref FROM projects WHERE doc_id = ?", [doc_id]).fetchall()]
    funds: dict[str, list[dict]] = {}
    for r in con.execute(
        "SELECT project_id, fund_row, budget, executed, weight, execution_rate, score, source_ref "
        "FROM project_funds WHERE doc_id = ?", [doc_id]
    ).fetchall():
        funds.setdefault(r[0], []).append(
            dict(zip(("fund_row", "budget", "executed", "weight", "execution_rate", "score", "ref"), r[1:])))
    indicators: dict[str, list[dict]] = {}
    for r in con.execute(
        "SELECT project_id, name, target, actual, weight, score, source_ref, level2 FROM indicators WHERE doc_id = ?",
        [doc_id]).fetchall():
        indicators.setdefault(r[0], []).append(
            dict(zip(("name", "target", "actual", "weight", "score", "ref", "level2"), r[1:])))
    reports = [dict(zip(("project_id", "title", "score", "grade", "targets_set", "targets_met", "ref"), r))
               for r in con.execute(
        "SELECT project_id, title, score, grade, targets_set, targets_met, source_ref FROM evaluation_reports "
        "WHERE doc_id = ?", [doc_id]).fetchall()]
    report_indicators: dict[str, list[dict]] = {}
    for r in con.execute(
        "SELECT project_id, name, weight, score, source_ref FROM report_indicators WHERE doc_id = ?", [doc_id]
    ).fetchall():
        report_indicators.setdefault(r[0], []).append(dict(zip(("name", "weight", "score", "ref"), r[1:])))
    titles = dict(con.execute("SELECT table_code, title FROM published_tables WHERE doc_id = ?", [doc_id]).fetchall())
    from core.ingest.document import UNIT_FACTORS

    units = {code: UNIT_FACTORS.get(fold(unit or "万元"), Decimal(1)) for code, unit in con.execute(
        "SELECT table_code, unit FROM published_tables WHERE doc_id = ?", [doc_id]).fetchall()}
    budget_classified: dict[str, dict] = {}
    for table, code, key, amount, ref, level in con.execute(
        "SELECT table_code, code, column_key, amount, source_ref, level FROM classified_rows "
        "WHERE doc_id = ? AND table_code LIKE 'B%' AND amount IS NOT NULL", [doc_id]).fetchall():
        budget_classified.setdefault(table, {})[(code, key)] = (amount, ref, level)
    all_classified: dict[str, dict[str, tuple[str, str]]] = {}
    for table, code, name, ref in con.execute(
        "SELECT DISTINCT table_code, code, name, source_ref FROM classified_rows WHERE doc_id = ?", [doc_id]).fetchall():
        all_classified.setdefault(table, {})[code] = (name, ref)
    notes = {code: [ln for ln in (text or "").split("\n") if ln.strip()] for code, text in con.execute(
        "SELECT table_code, notes FROM published_tables WHERE doc_id = ?", [doc_id]).fetchall()}
    column_keys = {}
    if doc[4] == "预算":
        from core.ingest.layouts import layout_for

        for table, column in {(i.table, i.column) for i in items}:
            lay = layout_for(table)
            key = lay.column_key(column) if lay else None
            column_keys[(table, fold(column))] = key or ("total" if lay and lay.shape == "classified" else None)
    return Context(doc_id, doc[4], doc[0], doc[1], doc[2], set(titles), list(doc[3]), items, classified, narrative,
                   yoy, projects, funds, indicators, reports, report_indicators, titles, units, budget_classified,
                   column_keys, scope=doc[5], missing_tables=list(doc[8] or []), announced_tables=list(doc[9] or []),
                   source_files=list(doc[6] or []), page_counts=list(doc[7] or []), all_classified=all_classified,
                   notes=notes)


def number_in(text: str | None) -> Decimal | None:
    """The single number in an indicator value such as `98. 42` or `≥90%`, or None."""
    if text is None:
        return None
    nums = re.findall(r"-?\d+(?:\.\d+)?", re.sub(r"(?<=\d)\.\s+(?=\d)", ".", text).replace(",", ""))
    return Decimal(nums[0]) if len(nums) == 1 else None
