"""What a budget table's positioned lines mean: columns found from where the figures stand, rows by shape.

Budget PDFs print their tables with uneven ruling, wrapped labels and blank cells, so columns are found from the
x-extent of the figures themselves and named by the header words above them; the layout data says what the
names mean. Shapes: classified (code, name, amounts), two_sided (收入 | 支出 blocks), matrix (one row of items
under a header, the 三公 table) and listed (labelled rows, the 政府采购 table).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from core.ingest.layouts import TableLayout
from core.ingest.model import ClassifiedRow, LineItem, RawRow, RawTable
from core.ingest.numbers import fold
from core.ingest.pdf_lines import PdfLine, Word
from core.ingest.reference import class_code
from core.ingest.tables import TableProblem, cell_amount, economic_category, level_of, parent_of

ECONOMIC_ROLES = ("fiscal_basic_by_economic", "gpb_basic_by_economic", "office_operation_by_economic")
TOTAL_LABELS = ("合计", "总计")
# 款 and 项 parts of a split code; a part printed without its leading zero (`301 2 津贴补贴`) is padded
_CODE_PART = (re.compile(r"^\d{3}$"), re.compile(r"^\d{1,2}$"), re.compile(r"^\d{1,2}$"))
_WHOLE_CODE = re.compile(r"^\d{3}(\d{2}){1,2}$")
_NEW_LABEL = re.compile(
    r"^([一二三四五六七八九十]+、|\d+[.．、]|[(（][一二三四五六七八九十\d]+[)）]|其中|合计|小计|总计|收入|支出|本年|当年|上年|"
    r"结转|年初|年末|用事业基金|财政拨款|一般公共预算|政府性基金|国有资本|事业|经营|其他|专户|单位预留)")


@dataclass
class Region:
    """The lines of one table, from its title to the next title (continuation pages included)."""

    layout: TableLayout
    title: str
    ref: str
    unit: str = ""
    lines: list[PdfLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Column:
    x0: float
    x1: float
    label: str = ""
    key: str | None = None
    words: list = field(default_factory=list)  # (distance from the column centre, header word)


def _code_words(words: list[Word]) -> tuple[str, int]:
    """The function or economic code at the start of a line (`204 06 01` or `2040601`) and how many words it takes."""
    if words and _WHOLE_CODE.match(fold(words[0].text)) and len(words) > 1:
        return fold(words[0].text), 1  # a name wrapped around the code's line leaves the code beside its amount
    parts: list[str] = []
    for w, pattern in zip(words, _CODE_PART):
        if not pattern.match(fold(w.text)):
            break
        parts.append(fold(w.text).zfill(2) if parts else fold(w.text))
    if parts and len(words) > len(parts) and not words[len(parts)].is_amount:
        return "".join(parts), len(parts)
    if len(parts) == 1 and len(words) == 1:
        return parts[0], 1
    return "", 0


def is_data_line(line: PdfLine) -> bool:
    code, n = _code_words(line.words)
    return bool(code) or any(w.is_amount for w in line.words) or line.folded in TOTAL_LABELS


def _amount_words(line: PdfLine) -> list[Word]:
    _, n = _code_words(line.words)
    return [w for w in line.words[n:] if w.is_amount]


def split_pages(region: Region) -> tuple[list[PdfLine], list[PdfLine]]:
    """Header lines (before the first data line of the first page) and data lines; a continuation page's
    repeated header is dropped."""
    header: list[PdfLine] = []
    data: list[PdfLine] = []
    page_seen_data: dict[int, bool] = {}
    first_page = region.lines[0].page if region.lines else 0
    for ln in region.lines:
        started = page_seen_data.get(ln.page, False)
        if not started and is_data_line(ln):
            page_seen_data[ln.page] = started = True
        if started:
            data.append(ln)
        elif ln.page == first_page and not data:
            header.append(ln)
    return header, data


def find_columns(layout: TableLayout, header: list[PdfLine], data: list[PdfLine]) -> list[Column]:
    """Columns from the x-extent of the figures (overlapping extents are one column), named by the header above."""
    spans = sorted(((w.x0, w.x1) for ln in data for w in _amount_words(ln)), key=lambda s: s[0])
    columns: list[Column] = []
    for x0, x1 in spans:
        if columns and x0 <= columns[-1].x1 + 1:
            columns[-1].x1 = max(columns[-1].x1, x1)
        else:
            columns.append(Column(x0, x1))
    # a header word names every column whose centre it spans, or else the column nearest to it
    centres = [(c.x0 + c.x1) / 2 for c in columns]
    named: list[list[str]] = [[] for _ in columns]
    for ln in header:
        for w in ln.words:
            inside = [i for i, c in enumerate(centres) if w.x0 - 2 <= c <= w.x1 + 2]
            if not inside and centres:
                near = min(range(len(centres)), key=lambda i: abs(centres[i] - (w.x0 + w.x1) / 2))
                inside = [near] if abs(centres[near] - (w.x0 + w.x1) / 2) < 60 else []
            for i in inside:
                named[i].append(w.text)
                columns[i].words.append((abs(centres[i] - (w.x0 + w.x1) / 2), fold(w.text)))
    for col, words in zip(columns, named):
        col.label = fold("".join(words))
        col.key = layout.column_key(col.label)
    if len(columns) == 1 and layout.shape == "classified":
        if not columns[0].label and header and header[-1].words:  # one figure column: the header's last word names it
            columns[0].label = fold(header[-1].words[-1].text)
            columns[0].key = layout.column_key(columns[0].label)
        columns[0].key = columns[0].key or "total"
    return columns


def _column_of(columns: list[Column], w: Word) -> int:
    centre = (w.x0 + w.x1) / 2
    inside = [i for i, c in enumerate(columns) if c.x0 - 1 <= centre <= c.x1 + 1]
    if inside:
        return inside[0]
    return min(range(len(columns)), key=lambda i: abs((columns[i].x0 + columns[i].x1) / 2 - centre))


def interpret_region(region: Region, factor: Decimal) -> tuple[RawTable, list[LineItem], list[ClassifiedRow], list[TableProblem]]:
    """Every figure of one budget table as line items (and classified rows where the table is by 科目)."""
    layout = region.layout
    table = RawTable(code=layout.code, title=region.title, unit=region.unit, ref=region.ref, notes=list(region.notes),
                     unit_factor=factor)
    header, data = split_pages(region)
    table.header = [RawRow([w.text for w in ln.words], ln.ref) for ln in header]
    columns = find_columns(layout, header, data)
    table.layout["columns"] = [c.label for c in columns]
    if layout.shape == "two_sided":
        items, problems = _two_sided(table, data, columns)
        return table, items, [], problems
    if layout.shape == "matrix":
        items, problems = _matrix(table, data, columns)
        return table, items, [], problems
    return _rows(table, layout, data, columns)


def _rows(table: RawTable, layout: TableLayout, data: list[PdfLine], columns: list[Column]):
    """Classified and listed tables: one row per printed line; a line with no code and no figure continues the
    name above it (wrapped cells)."""
    items: list[LineItem] = []
    rows: list[ClassifiedRow] = []
    problems: list[TableProblem] = []
    parsed: list[dict] = []
    pending = ""  # the first part of a name printed above its code's line
    for n_line, ln in enumerate(data):
        code, n = _code_words(ln.words)
        if layout.shape == "listed":
            code, n = "", 0
        label_words = [w for w in ln.words[n:] if not w.is_amount]
        amounts = [w for w in ln.words[n:] if w.is_amount]
        name = "".join(w.text for w in label_words).strip()
        if not code and not amounts:
            if fold(name) in ("无", ""):
                continue
            following = data[n_line + 1] if n_line + 1 < len(data) else None
            if following is not None and layout.shape == "classified":
                f_code, f_n = _code_words(following.words)
                if f_code and all(w.is_amount for w in following.words[f_n:]):
                    pending += name
                    continue
            if parsed:
                parsed[-1]["name"] += name
                continue
        name, pending = pending + name, ""
        if not code and not name and amounts and parsed and not parsed[-1]["amounts"]:
            parsed[-1]["amounts"] = amounts  # a label printed a little above its figures (`合计` / `2,391.92`)
            continue
        parsed.append({"code": code, "name": name, "amounts": amounts, "ref": ln.ref})
    for row_no, row in enumerate(parsed, start=1):
        code, name = row["code"], row["name"]
        total_row = not code and fold(name) in TOTAL_LABELS
        if not code and not name:
            name = "合计" if len(parsed) == 1 else ""
        cells = [""] * len(columns)
        values: dict[str, Decimal | None] = {}
        for w in row["amounts"]:
            i = _column_of(columns, w)
            cells[i] = w.text
            col = columns[i]
            amount = cell_amount(w.text, row["ref"], problems, col.label or f"列{i + 1}")
            if amount is None:
                continue
            label = col.label or f"列{i + 1}"
            items.append(LineItem(table.code, row_no, "", fold(name) if total_row else name, code or None, label,
                                  i + 1, amount * table.unit_factor, row["ref"]))
            values[col.key or f"col{i + 1}"] = amount * table.unit_factor
        table.rows.append(RawRow([code, name, *cells], row["ref"]))
        if code and layout.shape == "classified":
            economic = layout.role in ECONOMIC_ROLES
            if len(code) not in ((3, 5) if economic else (3, 5, 7)):
                problems.append(TableProblem(row["ref"], f"expected a {'economic' if economic else 'function'} "
                                                         f"code of 3/5{'' if economic else '/7'} digits; found {code!r}"))
                continue
            rows.append(ClassifiedRow(
                table.code, row_no, code, fold(name), level_of(code), parent_of(code), values, row["ref"],
                category=economic_category(code) if economic else None,
            ))
    return table, items, rows, problems


def _two_sided(table: RawTable, data: list[PdfLine], columns: list[Column]):
    """收入 | 支出 blocks: each label belongs to the first figure column to its right; wrapped labels rejoin."""
    problems: list[TableProblem] = []
    block_of_col: dict[int, int] = {}
    labelled = set()
    for ln in data:
        for w in ln.words:
            if not w.is_amount:
                right = [i for i, c in enumerate(columns) if c.x0 >= w.x1 - 3]
                if right:
                    labelled.add(right[0])
    block = -1
    for i in range(len(columns)):
        if i in labelled or block < 0:
            block += 1
        block_of_col[i] = block
    blocks = block + 1
    entries: list[list[dict]] = [[] for _ in range(blocks)]
    for ln in data:
        fresh: dict[int, dict] = {}
        for w in ln.words:
            if w.is_amount:
                continue
            right = [i for i, c in enumerate(columns) if c.x0 >= w.x1 - 3]
            b = block_of_col[right[0]] if right else blocks - 1
            text = fold(w.text)
            if b in fresh:
                fresh[b]["label"] += text
            elif entries[b] and not _NEW_LABEL.match(text):
                entries[b][-1]["label"] += text  # the rest of a wrapped label
            else:
                fresh[b] = {"label": text, "amounts": [], "ref": ln.ref}
                entries[b].append(fresh[b])
        for w in ln.words:
            if not w.is_amount:
                continue
            i = _column_of(columns, w)
            b = block_of_col[i]
            target = fresh.get(b) or next((e for e in reversed(entries[b]) if not e["amounts"]), None) \
                or (entries[b][-1] if entries[b] else None)
            if target is None:
                problems.append(TableProblem(ln.ref, f"expected a row label for {w.text}"))
                continue
            target["amounts"].append((i, w))
    items: list[LineItem] = []
    row_no = 0
    for b, block_entries in enumerate(entries):
        side = "收入" if b == 0 else "支出"
        for e in block_entries:
            row_no += 1
            cells = [e["label"]] + [""] * len(columns)
            for i, w in e["amounts"]:
                cells[i + 1] = w.text
                amount = cell_amount(w.text, e["ref"], problems, columns[i].label)
                if amount is None:
                    continue
                code = class_code(e["label"]) if side == "支出" else None
                items.append(LineItem(table.code, row_no, side, e["label"], code, columns[i].label or "金额", i + 1,
                                      amount * table.unit_factor, e["ref"]))
            table.rows.append(RawRow(cells, e["ref"]))
    return items, problems


# The 三公 matrix. Headers wrap inside narrow cells (`公务用车购` / `置费`), so each header word is read on its own
# and a column takes the item of the nearest word that names one; parent headers decide only when no word does.
_LEAF_HINTS = (
    ("机关运行", "机关运行经费"), ("会议", "会议费"), ("培训", "培训费"), ("出国", "因公出国（境）费"),
    ("(境)", "因公出国（境）费"), ("接待", "公务接待费"), ("待费", "公务接待费"), ("购置及运行", None),
    ("购", "公务用车购置费"), ("置费", "公务用车购置费"), ("运", "公务用车运行维护费"), ("维护", "公务用车运行维护费"),
    ("小计", "小计"), ("合计", "总计"), ("总计", "总计"),
)


def matrix_item(word: str) -> str | None:
    key = fold(word).replace("“", "").replace("”", "")
    for hint, item in _LEAF_HINTS:
        if hint in key:
            return item
    return None


def matrix_items(columns: list[Column]) -> list[str | None]:
    """Items of the matrix columns: a bare 小计 stands for the group its right-hand neighbours belong to, and the
    first 合计 is the 三公 total unless 会议费/培训费 columns make it the total of everything printed."""
    items: list[str | None] = []
    for col in columns:
        leaves = sorted((d, matrix_item(w)) for d, w in col.words if matrix_item(w))
        item = leaves[0][1] if leaves else None
        if item is None and any(re.search("购置及运行", w) for _, w in col.words):
            item = "公务用车购置及运行维护费"
        elif item is None and any("三公" in w for _, w in col.words):
            item = "合计"
        items.append(item)
    for i, item in enumerate(items):
        if item == "小计":
            following = next((x for x in items[i + 1 :] if x and x != "小计"), None)
            items[i] = ("公务用车购置及运行维护费" if following in ("公务用车购置费", "公务用车运行维护费")
                        else "合计")
    if not {"会议费", "培训费"} & set(items):
        items = ["合计" if x == "总计" else x for x in items]
    return items


def _matrix(table: RawTable, data: list[PdfLine], columns: list[Column]):
    problems: list[TableProblem] = []
    items: list[LineItem] = []
    names = matrix_items(columns)
    for row_no, ln in enumerate(data, start=1):
        cells = [""] * len(columns)
        for w in ln.words:
            if not w.is_amount:
                continue
            i = _column_of(columns, w)
            cells[i] = w.text
            item = names[i]
            if item is None:
                problems.append(TableProblem(ln.ref, f"expected a 三公 or related item above {w.text}; "
                                                     f"found the header {columns[i].label!r}"))
                continue
            amount = cell_amount(w.text, ln.ref, problems, item)
            if amount is not None:
                items.append(LineItem(table.code, row_no, "", item, None, "预算数", i + 1,
                                      amount * table.unit_factor, ln.ref))
        table.rows.append(RawRow(cells, ln.ref))
    table.header = [RawRow([n or c.label for n, c in zip(names, columns)], table.ref)] + table.header
    return items, problems
