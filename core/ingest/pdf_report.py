"""Reader for disclosure PDFs with a text layer: pdfplumber tables by cell, page text for the narrative.

Only the reading lives here. Each table is normalised into the row shapes core.ingest.tables interprets
for every format (classified: code, name, amounts; two-sided; 公开06表 groups; 公开07表 items).
"""

from __future__ import annotations

import re
from pathlib import Path

from core.ingest.deadline import at_page
from core.ingest.document import build_document, not_a_final_account, tidy
from core.ingest.errors import InputError
from core.ingest.model import RawRow, RawTable, TABLE_TITLES, Unit
from core.ingest.numbers import fold, is_blank, is_number
from core.ingest.tables import TWO_SIDED, table_code_for_title
from core.ingest.pdf_lines import map_pages, require_text_layer
from core.ingest.text_report import Line, TextLayout, cut_parts

# A larger y tolerance keeps narrative numbers on the line of their sentence (measured on the Shanghai PDFs).
NARRATIVE_Y_TOLERANCE = 6
ZERO = "0.00"
_DEPT = re.compile(r"^(.+?)(20\d{2})年度?部门决算")


def _cell(c) -> str:
    """A cell's text with the line breaks of wrapped cells removed."""
    return "" if c is None else re.sub(r"\s*\n\s*", "", str(c)).strip()


def read_pdf_document(path: str | Path, allow_incomplete: bool = False):
    """Parse and validate a 决算 PDF; a PDF without a text layer is rejected, never parsed into garbage."""
    name = str(path)
    data = Path(path).read_bytes()
    pages = map_pages(path, _read_page)
    texts = [text for text, _ in pages]
    grids = [tables for _, tables in pages]
    require_text_layer(texts, name)
    lines: list[Line] = []
    for page_no, text in enumerate(texts, start=1):
        for raw in text.split("\n"):
            lines.append(Line(len(lines) + 1, raw.rstrip(), page=page_no))
    lay = TextLayout(lines=lines)
    cut_parts(lay)
    _read_tables(grids, texts, lay)
    lay.units = _read_units(grids, lay)
    full_text = "\n\f".join(texts)  # a form feed starts each page, so positions map back to pages
    if "决算" not in full_text:
        raise InputError([not_a_final_account(name, full_text)])
    if not lay.department:
        for line in lines[:60]:
            m = _DEPT.match(re.sub(r"^第[一二三四五]部分", "", fold(line.text)))
            if m:
                lay.department = m.group(1)
                break
    return build_document(lay, full_text, data, name, "pdf", allow_incomplete)


def _read_page(page, page_no: int) -> tuple[str, list]:
    """One page's text (for the narrative and the table titles) and its ruled tables."""
    return page.extract_text(y_tolerance=NARRATIVE_Y_TOLERANCE) or "", page.extract_tables()


UNIT_COLUMNS = {"单位名称": "name", "单位性质": "unit_type", "在职人数": "staff", "人数": "staff", "备注": "note"}


def _read_units(grids: list[list], lay: TextLayout) -> list[Unit]:
    """The 部门决算单位构成 table of part 1: name, and type, staff and remarks where printed."""
    pages = sorted({ln.page for ln in lay.parts.get("一", []) if ln.page})
    units: list[Unit] = []
    for page_no in pages:
        for grid in grids[page_no - 1]:
            header = [fold(_cell(c)) for c in grid[0]]
            if "单位名称" not in header:
                continue
            cols = {UNIT_COLUMNS[h]: i for i, h in enumerate(header) if h in UNIT_COLUMNS}
            for row in grid[1:]:
                cells = [_cell(c) for c in row]
                name = cells[cols["name"]] if cols["name"] < len(cells) else ""
                if not name or re.fullmatch(r"[。.…·]+", name):
                    continue  # a template's placeholder row
                staff = cells[cols["staff"]] if "staff" in cols else ""
                units.append(Unit(tidy(name), cells[cols["unit_type"]] if "unit_type" in cols else "",
                                  int(staff) if staff.isdigit() else None, f"page:{page_no}",
                                  cells[cols["note"]] if "note" in cols else ""))
    return units


def _read_tables(grids: list[list], texts: list[str], lay: TextLayout) -> None:
    current: RawTable | None = None
    part_three = next((i for i, t in enumerate(texts) if re.search(r"^第三部分", fold(t), re.M)
                       and i > 2), len(texts))
    for index, tables in enumerate(grids):
        page_no = index + 1
        at_page(page_no)
        page_lines = [l for l in texts[index].split("\n") if l.strip()]
        if index >= part_three:
            break
        has_unit = any(fold(l).startswith("单位") for l in page_lines[:12])
        # a title counts only on a page that also prints its unit (the table of contents lists titles too)
        code = next((c for c in (table_code_for_title(l) for l in page_lines[:6]) if c), None) if has_unit else None
        if code and code not in lay.tables:
            unit = next((re.split("[：:]", fold(l), maxsplit=1)[1] for l in page_lines if fold(l).startswith("单位")), "")
            title = next(l.strip() for l in page_lines if table_code_for_title(l) == code)
            current = RawTable(code=code, title=title or TABLE_TITLES[code], unit=unit, ref=f"page:{page_no}")
            current.notes = [l.strip() for l in page_lines if fold(l).startswith("注")]
            lay.tables[code] = current
            fresh = True
        elif current is None or not tables:
            continue
        else:
            fresh = False
        for grid in tables:
            _append(current, grid, f"page:{page_no}", fresh)
            fresh = False


def _append(table: RawTable, grid: list[list], ref: str, fresh: bool) -> None:
    if table.code == "T07":
        _three_public(table, grid, ref)
        return
    rows = [[_cell(c) for c in r] for r in grid]
    if table.code in TWO_SIDED:
        _two_sided(table, rows, ref, fresh)
    elif table.code == "T06":
        _economic(table, rows, ref, fresh)
    else:
        _classified(table, rows, ref, fresh)


def _has_number(cells: list[str]) -> bool:
    return any(is_number(c) for c in cells)


def _two_sided(table: RawTable, rows, ref, fresh) -> None:
    start = 0
    if fresh:
        while start < len(rows) and not _has_number(rows[start]) and not re.match(r"^[一二三四五六七八九十]+、", rows[start][0]):
            table.header.append(RawRow(rows[start], ref))
            start += 1
    right = next((i for i, c in enumerate(table.header[-1].cells) if i > 0 and fold(c).startswith("项目")), 2) \
        if table.header else 2
    # blank means zero only in a table that prints figures; a table with none gives nothing
    table_has_figures = any(_has_number(r) for r in rows) or any(_has_number(r.cells) for r in table.rows)
    for cells in rows[start:]:
        if not any(cells):
            continue
        out = list(cells)
        # a printed label with a blank amount means zero on that side
        for lo, hi in ((0, right), (right, len(out))):
            if lo < len(out) and out[lo] and table_has_figures:
                for i in range(lo + 1, hi):
                    if is_blank(out[i]):
                        out[i] = ZERO
        table.rows.append(RawRow(out, ref))


def _code_columns(header_rows: list[list[str]]) -> tuple[int, int, int] | None:
    for cells in header_rows:
        folded = [fold(c) for c in cells[:4]]
        if "类" in folded and "款" in folded:
            lei = folded.index("类")
            kuan = folded.index("款")
            xiang = folded.index("项") if "项" in folded else kuan
            return lei, kuan, xiang
    return None


def _take_header(table: RawTable, rows, ref) -> int:
    """Header rows run until the first row with an amount or a code; returns where the data starts."""
    start = 0
    while start < len(rows) and not _has_number(rows[start]) and not re.match(r"^\d{3}", fold(rows[start][0])):
        table.header.append(RawRow(rows[start], ref))
        start += 1
    return start


def _classified(table: RawTable, rows, ref, fresh) -> None:
    start = _take_header(table, rows, ref) if fresh else 0
    if "code_columns" not in table.layout:
        table.layout["code_columns"] = _code_columns([r.cells for r in table.header] + rows[start : start + 2])
    cols = table.layout["code_columns"]
    if cols:
        lei, kuan, xiang = cols
        name_col = xiang + 1
    else:  # the code printed whole in one cell (`2010301`), the name beside it
        lei = kuan = xiang = 0
        name_col = next((i for r in table.header for i, c in enumerate(r.cells) if "科目名称" in fold(c)), 1)
    for cells in rows[start:]:
        cells = cells + [""] * (name_col + 1 - len(cells))
        head = [fold(c) for c in cells[: name_col + 1]]
        values = cells[name_col + 1 :]
        if not any(cells):
            continue
        if all(re.fullmatch(r"[.…。·]*", c) for c in head) and not _has_number(values):
            continue  # a template's `……` placeholder row
        if "合计" in head:
            code, name = "", "合计"
        else:
            code = "".join(fold(cells[i]) for i in dict.fromkeys((lei, kuan, xiang)))
            name = cells[name_col]
            if not code and not name and not _has_number(values):
                continue
        if _has_number(values):
            values = [ZERO if is_blank(v) else v for v in values]
        elif name == "合计":
            continue  # a declared-empty table prints a blank 合计 row: nothing is given
        out = ["合计" if name == "合计" else code, "" if name == "合计" else name, *values]
        table.rows.append(RawRow(out, ref))


def _economic(table: RawTable, rows, ref, fresh) -> None:
    """公开06表 as groups of (类, 款, 科目名称, 决算数) → (code, name, amount) groups."""
    start = _take_header(table, rows, ref) if fresh else 0
    groups: list[tuple[int, int, int, int]] = []
    for r in table.header:
        folded = [fold(c) for c in r.cells]
        starts = [i for i, c in enumerate(folded) if c == "类"]
        if starts:
            groups = [(g, g + 1, g + 2, g + 3) for g in starts]
    if not groups:  # codes printed whole: groups of (code, name, amount)
        width = 3
        first = table.header[0].cells if table.header else rows[0]
        groups = [(g, g, g + 1, g + 2) for g in range(0, max(len(first), 3) - 2, width)]
    has_figures = any(is_number(r[a]) for r in rows[start:] for *_, a in groups if a < len(r))
    for cells in rows[start:]:
        if not any(cells):
            continue
        if any(fold(c).endswith("合计") for c in cells):
            if _has_number(cells):
                table.rows.append(RawRow(list(cells), ref))
            continue
        out: list[str] = []
        for lei, kuan, name, amount in groups:
            padded = cells + [""] * (amount + 1 - len(cells))
            code = fold(padded[lei]) + (fold(padded[kuan]) if kuan != lei else "")
            value = padded[amount]
            if code and is_blank(value) and has_figures:
                value = ZERO
            out += [code, padded[name], value]
        table.rows.append(RawRow(out, ref))


def _three_public(table: RawTable, grid, ref) -> None:
    """A 预算数/决算数 matrix (one column pair per item) turned into one row per item.

    Header cells merged with their left neighbour come back as None; a label spans to the right only within
    the span of the label above it, and 小计 stands for the item above it.
    """
    kinds_row = next((i for i, r in enumerate(grid) if sum(fold(_cell(c)) in ("预算数", "决算数") for c in r) >= 2),
                     None)
    if kinds_row is None:
        rows = [[_cell(c) for c in r] for r in grid]
        if not table.header and rows:
            table.header.append(RawRow(rows[0], ref))
            rows = rows[1:]
        table.rows.extend(RawRow(r, ref) for r in rows if any(r))
        return
    width = len(grid[kinds_row])
    spans = [""] * width
    for hr in grid[:kinds_row]:
        cells = list(hr) + [None] * (width - len(hr))
        if any("三公" in fold(_cell(c)) for c in cells):
            continue
        new = list(spans)
        last, last_parent = None, None
        for col, c in enumerate(cells):
            text = fold(_cell(c))
            if text:
                last, last_parent = (spans[col] if text == "小计" else text), spans[col]
            elif c is None and last is not None and spans[col] == last_parent:
                pass
            else:
                last = None
            if last:
                new[col] = last
        spans = new
    kinds = [fold(_cell(c)) for c in grid[kinds_row]]
    values = next((r for r in grid[kinds_row + 1:] if _has_number([_cell(c) for c in r])), [""] * width)
    items: dict[str, dict[str, str]] = {}
    for col, kind in enumerate(kinds):
        item = spans[col] or "合计"
        items.setdefault(item, {})[kind] = _cell(values[col]) if col < len(values) else ""
    given = {k: any(not is_blank(v.get(k, "")) for v in items.values()) for k in ("预算数", "决算数")}
    table.header = [RawRow(["项目", "预算数", "决算数"], ref)]
    for item, by_kind in items.items():
        cells = [item]
        for kind in ("预算数", "决算数"):
            v = by_kind.get(kind, "")
            # a column printed with no figure at all is not given; within a given column a blank is zero
            cells.append(ZERO if given[kind] and is_blank(v) else v)
        table.rows.append(RawRow(cells, ref))
