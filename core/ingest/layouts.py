"""Budget table layouts as reviewed data (data/layouts/budget_tables.csv): titles, roles and column maps."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.ingest.numbers import fold

LAYOUTS_CSV = Path(__file__).resolve().parents[2] / "data" / "layouts" / "budget_tables.csv"

# The role each 决算 table plays, so that one view can span both kinds where the meaning is the same.
FINAL_ROLES = {
    "T01": "summary", "T02": "income_by_function", "T03": "expenditure_by_function", "T04": "fiscal_summary",
    "T05": "gpb_expenditure_by_function", "T06": "gpb_basic_by_economic", "T07": "three_public",
    "T08": "gov_fund_by_function", "T09": "state_capital_by_function",
}


@dataclass(frozen=True)
class TableLayout:
    """One budget table as the reader knows it: code, role, shape, canonical title, title pattern, column aliases."""

    code: str
    role: str
    shape: str
    title: str
    pattern: re.Pattern
    columns: tuple[tuple[str, str], ...]  # (printed label contained in the header, column key), most specific first

    def column_key(self, header_label: str) -> str | None:
        """The column key a printed header stands for, or None when the layout does not name it."""
        key = fold(header_label)
        for alias, column in self.columns:
            if alias in key:
                return column
        return None


@lru_cache(maxsize=1)
def budget_layouts() -> tuple[TableLayout, ...]:
    with open(LAYOUTS_CSV, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(
        TableLayout(
            code=r["code"], role=r["role"], shape=r["shape"], title=r["title"],
            pattern=re.compile(r["pattern"].lstrip("^")),
            columns=tuple(tuple(p.split("=", 1)) for p in (r["columns"] or "").split("|") if p),
        )
        for r in rows
    )


def layout_for(code: str) -> TableLayout | None:
    return next((t for t in budget_layouts() if t.code == code), None)


def role_of(code: str) -> str:
    """The role of a table code of either kind."""
    if code in FINAL_ROLES:
        return FINAL_ROLES[code]
    layout = layout_for(code)
    return layout.role if layout else ""


_PRINTED_CODE = re.compile(r"^(公开\d{1,2}表[:：]?|表[一二三四五六七八九十]+|[一二三四五六七八九十]+、|\d{1,2}[.．、])")
_TITLE_PREFIX_OK = re.compile(r"^(20\d{2}年度?)?[^。，,；;：:]{0,40}?$")


def title_key(line: str) -> str:
    """A title line without spaces, quotes, brackets, printed code or order number."""
    key = re.sub(r"[“”\"'‘’「」()（）\s]", "", fold(line))
    while True:
        stripped = _PRINTED_CODE.sub("", key)
        if stripped == key:
            return key
        key = stripped


def match_title(line: str) -> TableLayout | None:
    """The budget table a title line names; the longest pattern that ends the line wins, so
    财政拨款收支预算总表 is not taken for 收支预算总表 and a 情况说明 heading is no title."""
    key = title_key(line)
    if not key or len(key) > 70 or "说明" in key:
        return None
    best, best_len = None, 0
    for layout in budget_layouts():
        for m in layout.pattern.finditer(key):
            ends = m.end() == len(key) or layout.shape == "matrix"
            if ends and _TITLE_PREFIX_OK.match(key[: m.start()]) and m.end() - m.start() > best_len:
                best, best_len = layout, m.end() - m.start()
    return best
