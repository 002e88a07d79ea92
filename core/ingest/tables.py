"""What the nine tables mean, shared by every reader: columns, hierarchy, sides, and the figures they hold."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from core.ingest.model import ClassifiedRow, LineItem, RawTable
from core.ingest.numbers import fold, is_blank, parse_amount
from core.ingest.reference import class_code, strip_ordinal

# Money columns of the classified tables, in printed order: (column label, view column)
CLASSIFIED_COLUMNS: dict[str, list[tuple[str, str]]] = {
    "T02": [
        ("本年收入合计", "total"),
        ("财政拨款收入", "fiscal"),
        ("上级补助收入", "superior"),
        ("事业收入", "business"),
        ("经营收入", "operating"),
        ("附属单位上缴收入", "affiliated"),
        ("其他收入", "other"),
    ],
    "T03": [
        ("本年支出合计", "total"),
        ("基本支出", "basic"),
        ("项目支出", "project"),
        ("上缴上级支出", "to_superior"),
        ("经营支出", "operating"),
        ("对附属单位补助支出", "affiliated"),
    ],
    "T05": [("合计", "total"), ("基本支出", "basic"), ("项目支出", "project")],
    "T08": [
        ("年初结转和结余", "opening"),
        ("本年收入", "income"),
        ("本年支出小计", "total"),
        ("基本支出", "basic"),
        ("项目支出", "project"),
        ("年末结转和结余", "closing"),
    ],
    "T09": [("合计", "total"), ("基本支出", "basic"), ("项目支出", "project")],
}
TWO_SIDED = ("T01", "T04")
PERSONNEL_CLASSES = ("301", "303")
_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")


@dataclass
class TableProblem:
    """A table cell that does not fit the table's meaning."""

    ref: str
    message: str


def level_of(code: str) -> int:
    return {3: 1, 5: 2, 7: 3}[len(code)]


def parent_of(code: str) -> str | None:
    return code[:-2] if len(code) > 3 else None


def economic_category(code: str) -> str:
    """人员经费 for classes 301 and 303 (工资福利, 对个人和家庭的补助); 公用经费 for every other class."""
    return "人员经费" if code[:3] in PERSONNEL_CLASSES else "公用经费"


def cell_amount(cell: str, ref: str, problems: list[TableProblem], what: str) -> Decimal | None:
    try:
        return parse_amount(cell)
    except ValueError:
        problems.append(TableProblem(ref, f"expected a number for {what}; found {cell!r}"))
        return None


def interpret(table: RawTable) -> tuple[list[LineItem], list[ClassifiedRow], list[TableProblem]]:
    """Every number of the table as a LineItem, the classified rows, and any cell that does not fit."""
    if table.code in TWO_SIDED:
        return _two_sided(table)
    if table.code == "T06":
        return _economic(table)
    if table.code == "T07":
        return _listed(table)
    return _classified(table)


def _item(table, row_no, side, label, code, column, col_no, amount, ref) -> LineItem:
    return LineItem(table.code, row_no, side, label, code, column, col_no, amount * table.unit_factor, ref)


def _classified(table: RawTable):
    columns = classified_columns(table)
    items: list[LineItem] = []
    rows: list[ClassifiedRow] = []
    problems: list[TableProblem] = []
    for row_no, row in enumerate(table.rows, start=1):
        cells = row.cells + [""] * 2
        head = [fold(c) for c in cells[:2]]
        values = cells[2:]
        while values and values[-1] == "":
            values.pop()
        if len(values) > len(columns):
            problems.append(
                TableProblem(row.ref, f"expected at most {len(columns)} money columns; found {len(values)}")
            )
            continue
        if "合计" in head:
            code, name = None, "合计"
        elif _CODE.match(head[0]):
            code, name = head[0], cells[1].strip()
        else:
            problems.append(TableProblem(row.ref, f"expected a function code or 合计; found {cells[0]!r}"))
            continue
        parsed: dict[str, Decimal | None] = {}
        for col_no, ((label, key), cell) in enumerate(zip(columns, values), start=1):
            amount = cell_amount(cell, row.ref, problems, label)
            parsed[key] = amount
            if amount is not None:
                items.append(_item(table, row_no, "", name, code, label, col_no, amount, row.ref))
        if code:
            rows.append(
                ClassifiedRow(
                    table.code,
                    row_no,
                    code,
                    name,
                    level_of(code),
                    parent_of(code),
                    {k: (v * table.unit_factor if v is not None else None) for k, v in parsed.items()},
                    row.ref,
                )
            )
    return items, rows, problems


def _side_columns(table: RawTable) -> tuple[int, list[str], list[str]]:
    """Where the 支出 side starts, and each side's money column labels, read from the header."""
    for hrow in reversed(table.header):
        folded = [fold(c) for c in hrow.cells]
        starts = [i for i, c in enumerate(folded) if c.startswith("项目")]
        if len(starts) >= 2:
            right = starts[1]
            left_cols = [fold(c) for c in hrow.cells[1:right]]
            right_cols = [fold(c) for c in hrow.cells[right + 1 :]]
            return right, left_cols, right_cols
    return 2, ["金额"], ["金额"]


def _two_sided(table: RawTable):
    right, left_cols, right_cols = _side_columns(table)
    items: list[LineItem] = []
    problems: list[TableProblem] = []
    for row_no, row in enumerate(table.rows, start=1):
        cells = row.cells + [""] * (right + 1 + len(right_cols) - len(row.cells))
        left_label = cells[0].strip()
        sides = (("收入", cells[0], cells[1:right], left_cols), ("支出", cells[right], cells[right + 1 :], right_cols))
        for side, label, values, cols in sides:
            label = label.strip() or (left_label if side == "支出" else "")
            for col_no, cell in enumerate(values, start=1):
                if is_blank(cell):
                    continue
                column = cols[col_no - 1] if col_no <= len(cols) else f"列{col_no}"
                amount = cell_amount(cell, row.ref, problems, f"{side} {column}")
                if amount is None:
                    continue
                if not label:
                    problems.append(TableProblem(row.ref, f"expected a row label for {amount} on the {side} side"))
                    continue
                code = class_code(label) if side == "支出" else None
                items.append(_item(table, row_no, side, label, code, column, col_no, amount, row.ref))
    return items, [], problems


def _economic(table: RawTable):
    """公开06表: side-by-side groups of (code, name, amount); the group header says 人员经费 or 公用经费."""
    width = 3
    groups_header = table.header[0].cells if table.header else []
    group_names: list[str] = []
    current = "人员经费"
    for g in range(3):
        cell = fold(groups_header[g * width]) if g * width < len(groups_header) else ""
        current = cell or current
        group_names.append(current)
    items: list[LineItem] = []
    rows: list[ClassifiedRow] = []
    problems: list[TableProblem] = []
    for row_no, row in enumerate(table.rows, start=1):
        cells = row.cells
        totals = [i for i, c in enumerate(cells) if fold(c).endswith("合计")]
        if totals:
            for n, i in enumerate(totals):
                stop = totals[n + 1] if n + 1 < len(totals) else len(cells)
                values = [c for c in cells[i + 1 : stop] if not is_blank(c)]
                label = fold(cells[i])
                if len(values) != 1:
                    problems.append(TableProblem(row.ref, f"expected one amount after {label}; found {values}"))
                    continue
                amount = cell_amount(values[0], row.ref, problems, label)
                if amount is not None:
                    side = label[: -len("合计")]
                    items.append(_item(table, row_no, side, label, None, "金额", i // width + 1, amount, row.ref))
            continue
        cells = cells + [""] * (width * 3 - len(cells))
        for g in range(len(cells) // width):
            code_cell, name, cell = (c.strip() for c in cells[g * width : g * width + width])
            if is_blank(cell) and not code_cell:
                continue
            code = fold(code_cell)
            amount = cell_amount(cell, row.ref, problems, f"{name or code} 金额")
            if amount is None:
                continue
            side = group_names[g] if g < len(group_names) else group_names[-1]
            if code:
                side = economic_category(code)
            if not code:
                # an empty slot the layout filled with 0.00: kept as printed, but it names no item
                items.append(_item(table, row_no, side, "", None, "金额", g + 1, amount, row.ref))
                continue
            if not re.match(r"^\d{3}(\d{2})?$", code):
                problems.append(TableProblem(row.ref, f"expected an economic code; found {code_cell!r}"))
                continue
            items.append(_item(table, row_no, side, name, code, "金额", g + 1, amount, row.ref))
            rows.append(
                ClassifiedRow(
                    table.code,
                    row_no * 10 + g,
                    code,
                    name,
                    1 if len(code) == 3 else 2,
                    code[:3] if len(code) == 5 else None,
                    {"amount": amount * table.unit_factor},
                    row.ref,
                    category=economic_category(code),
                )
            )
    rows.sort(key=lambda r: (r.row_no % 10, r.row_no))
    return items, rows, problems


THREE_PUBLIC_ITEMS = (
    ("合计", "合计"),
    ("因公出国（境）费", "因公出国(境)费"),
    ("公务用车购置及运行维护费", "公务用车购置及运行维护费"),
    ("公务用车购置费", "公务用车购置费"),
    ("公务用车运行维护费", "公务用车运行维护费"),
    ("公务接待费", "公务接待费"),
)


def three_public_item(label: str) -> str | None:
    """The canonical 三公 item a printed row label stands for (numbering and 其中 removed)."""
    key = strip_ordinal(re.sub(r"^其中[:：]", "", fold(label)))
    key = strip_ordinal(key)
    for canonical, folded_name in THREE_PUBLIC_ITEMS:
        if key == fold(folded_name) or key == fold(canonical) or key.replace("运行费", "运行维护费") == fold(canonical):
            return canonical
    return None


def _listed(table: RawTable):
    """公开07表: item rows with 行次 and one or more money columns (决算数, sometimes 预算数)."""
    header = table.header[-1].cells if table.header else ["项目", "行次", "决算数"]
    columns = [fold(c) for c in header]
    items: list[LineItem] = []
    problems: list[TableProblem] = []
    for row_no, row in enumerate(table.rows, start=1):
        label = row.cells[0].strip() if row.cells else ""
        for col_no, cell in enumerate(row.cells[1:], start=1):
            column = columns[col_no] if col_no < len(columns) else f"列{col_no}"
            if column in ("行次", "栏次") or is_blank(cell):
                continue
            amount = cell_amount(cell, row.ref, problems, column)
            if amount is not None:
                items.append(_item(table, row_no, "", label, None, column, col_no, amount, row.ref))
        if label and three_public_item(label) is None:
            problems.append(TableProblem(row.ref, f"expected a 三公经费 item; found {label!r}"))
    return items, [], problems


# Titles as provinces print them; matched after removing spaces, quotes and the printed order number.
TITLE_PATTERNS = (
    ("T04", re.compile(r"^财政拨款收入支出决算总表$")),
    ("T01", re.compile(r"^收入支出决算总.{0,2}表$")),
    ("T02", re.compile(r"^收入决算表$")),
    ("T03", re.compile(r"^支出决算表$")),
    ("T06", re.compile(r"^一般公共预算财政拨款基本支出决算表$")),
    ("T05", re.compile(r"^一般公共预算财政拨款支出决算表$")),
    ("T07", re.compile(r"^(一般公共预算)?财政拨款三公经费支出决算表$")),
    ("T08", re.compile(r"^政府性基金预算财政拨款收入支出决算表$")),
    ("T09", re.compile(r"^国有资本经营预算财政拨款(收入)?支出决算表$")),
)


def table_code_for_title(line: str) -> str | None:
    """Which of the nine tables a title line names (公开0N表 codes are not printed everywhere)."""
    key = re.sub(r"[“”\"'‘’「」]", "", strip_ordinal(line))
    for code, pattern in TITLE_PATTERNS:
        if pattern.match(key):
            return code
    return None


def classified_columns(table: RawTable) -> list[tuple[str, str]]:
    """The money columns of a classified table; 公开09表 is printed with the 公开08表 layout in some provinces."""
    header = fold("".join(c for r in table.header for c in r.cells))
    if table.code == "T09" and "年初结转" in header:
        return CLASSIFIED_COLUMNS["T08"]
    return CLASSIFIED_COLUMNS[table.code]


def standard_title(code: str, title: str) -> bool:
    """True when a printed title is one of the accepted forms of that table's name (no stray characters)."""
    key = re.sub(r"[“”\"'‘’「」\s]", "", strip_ordinal(title))
    accepted = {TABLE_TITLES_PLAIN[code]} | set(TITLE_VARIANTS.get(code, ()))
    return key in accepted


TABLE_TITLES_PLAIN = {
    "T01": "收入支出决算总表", "T02": "收入决算表", "T03": "支出决算表", "T04": "财政拨款收入支出决算总表",
    "T05": "一般公共预算财政拨款支出决算表", "T06": "一般公共预算财政拨款基本支出决算表",
    "T07": "一般公共预算财政拨款三公经费支出决算表", "T08": "政府性基金预算财政拨款收入支出决算表",
    "T09": "国有资本经营预算财政拨款支出决算表",
}
TITLE_VARIANTS = {"T07": ("财政拨款三公经费支出决算表",), "T09": ("国有资本经营预算财政拨款收入支出决算表",)}
