"""Reader for PDF text extractions (the seed's format): decoding, layout clean-up, parts and raw tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.ingest.errors import InputError, Problem
from core.ingest.model import TABLE_TITLES, RawRow, RawTable
from core.ingest.numbers import fold

PART_NAMES = {"一": "概况", "二": "决算表", "三": "情况说明", "四": "名词解释", "五": "附件"}
_PART_HEADING = re.compile(r"^第([一二三四五])部分")
_TOC_LINE = re.compile(r"\t\s*\d+\s*$")
_TABLE_MARKER = re.compile(r"^公开0?([1-9])表$")
_MD_RULE = re.compile(r"^[\s|:]*-{2,}[\s|:\-]*$")
_LIST_MARKER = re.compile(r"^[-*]\s+(?=\S)")
_HTML_LAYOUT = re.compile(r"</?p\s*>", re.IGNORECASE)


@dataclass
class Line:
    """A cleaned line of the source and its 1-based line number."""

    no: int
    text: str
    page: int | None = None

    @property
    def ref(self) -> str:
        """`line:N` in a text file, `page:N` in a PDF."""
        return f"page:{self.page}" if self.page else f"line:{self.no}"


@dataclass
class TextLayout:
    """The document cut into its parts, with the nine raw tables found in part 2."""

    lines: list[Line]
    parts: dict[str, list[Line]] = field(default_factory=dict)
    part_start: dict[str, str] = field(default_factory=dict)
    tables: dict[str, RawTable] = field(default_factory=dict)
    department: str = ""
    units: list = field(default_factory=list)  # the 单位构成 table, when a reader finds it as a table


def decode(data: bytes, path: str) -> str:
    """Text of the file: UTF-8 (with or without BOM), then GB18030; binary content is refused."""
    name = str(path)
    if not data.strip():
        raise InputError([Problem(name, 1, "expected a 部门决算 text document; found an empty file")])
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise InputError([Problem(name, line, "expected text; found binary content (NUL bytes)")])
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        _check_line_lengths(text, name)
        return text
    raise InputError([Problem(name, 1, "expected UTF-8 or GB18030 text; the bytes decode as neither")])


MAX_LINE = 100_000  # characters: a disclosure's text layout has lines of a table row or a paragraph


def _check_line_lengths(text: str, name: str) -> None:
    """Refuse, with the reason, a line no disclosure has: it would only make every later step slow."""
    for no, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE:
            raise InputError([Problem(name, no, f"expected lines of at most {MAX_LINE:,} characters; found one of "
                                                f"{len(line):,} (not the text layout of a disclosure)")])


def clean(text: str) -> str:
    """Drop layout the extraction left behind (<p> tags, markdown rules, list dashes); keep all content."""
    text = _HTML_LAYOUT.sub("", text)
    if _MD_RULE.match(text):
        return ""
    return _LIST_MARKER.sub("", text)


def split_cells(text: str) -> list[str]:
    """Tab-separated cells, stripped of white space (including full-width spaces)."""
    return [c.strip(" \u3000\xa0") for c in text.split("\t")]


def layout(text: str, path: str) -> TextLayout:
    """Cut the text into parts and tables by the format's headings, never by line numbers."""
    lines = [Line(i, clean(raw.rstrip())) for i, raw in enumerate(text.split("\n"), start=1)]
    out = TextLayout(lines=lines)
    cut_parts(out)
    _read_tables(out, path)
    return out


def cut_parts(out: TextLayout) -> None:
    """Parts 一–五 start at their `第X部分` headings; a table-of-contents entry is not a start (the last one is)."""
    lines = out.lines
    last: dict[str, int] = {}
    for idx, line in enumerate(lines):
        m = _PART_HEADING.match(fold(line.text))
        if m and not _TOC_LINE.search(line.text):
            last[m.group(1)] = idx
    starts = sorted((idx, part) for part, idx in last.items())
    for n, (idx, part) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        out.parts[part] = lines[idx + 1 : end]
        out.part_start[part] = lines[idx].ref


def _read_tables(out: TextLayout, path: str) -> None:
    lines = out.lines
    markers = [i for i, ln in enumerate(lines) if _TABLE_MARKER.match(fold(ln.text))]
    for n, idx in enumerate(markers):
        code = f"T0{_TABLE_MARKER.match(fold(lines[idx].text)).group(1)}"
        if code in out.tables:
            continue
        stop = markers[n + 1] if n + 1 < len(markers) else len(lines)
        title = ""
        for back in range(idx - 1, max(idx - 4, -1), -1):
            if lines[back].text.strip():
                title = lines[back].text.strip()
                break
        table = RawTable(code=code, title=title or TABLE_TITLES[code], unit="", ref=lines[idx].ref)
        in_notes = False
        for ln in lines[idx + 1 : stop]:
            f = fold(ln.text)
            if not f:
                continue
            if "\t" not in ln.text and (_PART_HEADING.match(f) or re.match(r"^[一二三四五六七八九十]+、", f)):
                break
            if f.startswith("部门：") or f.startswith("部门:"):
                out.department = out.department or f.split("：", 1)[-1].split(":", 1)[-1]
                continue
            if f.startswith("单位：") or f.startswith("单位:"):
                table.unit = re.split("[：:]", f, maxsplit=1)[1]
                continue
            if f.startswith("注"):
                in_notes = True
            if in_notes or "\t" not in ln.text:
                if f != fold(table.title):
                    table.notes.append(ln.text.strip())
                continue
            cells = split_cells(ln.text)
            while cells and cells[-1] == "":
                cells.pop()
            row = RawRow(cells=cells, ref=ln.ref)
            if _is_header(cells) and not table.rows:
                table.header.append(row)
            else:
                table.rows.append(row)
        out.tables[code] = table


def _is_header(cells: list[str]) -> bool:
    from core.ingest.numbers import is_number

    folded = [fold(c) for c in cells]
    if not any(is_number(c) for c in cells):
        return True
    # a 栏次 row numbers the columns (1, 2, 3 …): structure, not figures
    return any(c in ("栏次", "行次") for c in folded) and all(
        is_number(c) or c in ("栏次", "行次", "类款项", "") for c in folded
    )
