"""Read one file into a validated Document: all or nothing, with every problem named by file and line."""

from __future__ import annotations

import dataclasses
import hashlib
from decimal import Decimal
import re
from pathlib import Path

from core.ingest.errors import InputError, Problem
from core.ingest.model import TABLE_CODES, TABLE_TITLES, Document, Unit
from core.ingest.narrative import parse_narrative, table_name_for
from core.ingest.numbers import fold
from core.ingest.paragraphs import is_heading, paragraphs
from core.ingest.performance import parse_attachments
from core.ingest.tables import interpret
from core.ingest.text_report import TextLayout, decode, layout, split_cells

KIND_SLUGS = {"决算": "final", "预算": "budget"}
UNIT_FACTORS = {"万元": Decimal(1), "元": Decimal("0.0001")}  # to 万元, exactly
_CJK = "\u3400-\u9fff（）“”《》、"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \u3000]+(?=[{_CJK}])")


def tidy(text: str) -> str:
    """Remove the spaces the extraction put between Chinese characters (`基本养老 保险缴费`)."""
    return _CJK_GAP.sub("", text.strip())


def make_doc_id(department: str, fiscal_year: int, kind: str, scope: str = "部门") -> str:
    """URL-safe and stable: the same department, year, kind and scope always get the same id (a 部门 document's id
    is the one it had before scopes were recorded)."""
    key = fold(department) + ("" if scope == "部门" else f"|{scope}")
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]
    return f"{fiscal_year}-{KIND_SLUGS.get(kind, 'doc')}-{digest}"


def _fiscal_year(text: str) -> int | None:
    head = fold(text[:3000])
    m = re.search(r"(20\d{2})年度?(?:部门)?决算", head) or re.search(r"(20\d{2})年度", head)
    return int(m.group(1)) if m else None


def not_a_final_account(name: str, text: str) -> Problem:
    """The problem to report for a text that is not a 决算: say what it looks like when that is clear."""
    if not re.search(r"[\u4e00-\u9fff]{4}", text):
        found = "found no 决算 title or table (is it in an unknown encoding?)"
    elif re.search(r"预算公开|部门预算|单位预算|预算表", fold(text[:5000])):
        found = "found a 预算 (budget) disclosure, which is read as a budget only when its opening pages say so"
    else:
        found = "found no 决算 title or table"
    return Problem(name, 1, f"expected a 部门决算 document; {found}")


def read_document(path: str | Path, allow_incomplete: bool = False) -> Document:
    """Parse and validate a text-extraction 决算 file; raise InputError listing every problem found."""
    name = str(path)
    data = Path(path).read_bytes()
    text = decode(data, name)
    if "决算" not in text:
        raise InputError([not_a_final_account(name, text)])
    lay = layout(text, name)
    if not lay.tables and "二" not in lay.parts:
        raise InputError([Problem(name, 1, "expected a 部门决算 document with tables 公开01–09表; found none")])
    return build_document(lay, text, data, name, "text", allow_incomplete)


def build_document(lay: TextLayout, text: str, data: bytes, name: str, fmt: str, allow_incomplete: bool) -> Document:
    """Shared by every reader: interpret tables, narrative and attachments; validate; build the Document."""
    problems: list[Problem] = []
    missing = [c for c in TABLE_CODES if c not in lay.tables]
    where = lay.part_start.get("二", "line:1")
    if missing and not allow_incomplete:
        for code in missing:
            problems.append(
                Problem.at(name, where, f"expected 公开{code[1:]}表 ({TABLE_TITLES[code]}); not found in the document")
            )
    department = tidy(lay.department)
    year = _fiscal_year(text)
    if not department:
        problems.append(Problem(name, 1, "expected the department name (部门：…) on the tables; not found"))
    if year is None:
        problems.append(Problem(name, 1, "expected the fiscal year (e.g. 2022 年度) near the start; not found"))
    line_items, classified = [], []
    for code, table in lay.tables.items():
        unit = fold(table.unit)
        if unit in UNIT_FACTORS and UNIT_FACTORS[unit] != 1:
            table.unit_factor = UNIT_FACTORS[unit]
            table.notes.append(f"本表原以{unit}列示，已按 1 万元 = {int(1 / UNIT_FACTORS[unit])} {unit} 精确换算为万元。")
        elif unit and unit not in UNIT_FACTORS:
            problems.append(Problem.at(name, table.ref, f"expected the unit 万元 or 元 for 公开{code[1:]}表; found {table.unit!r}"))
        items, rows, table_problems = interpret(table)
        for item in items:
            item.row_label = tidy(item.row_label)
        for row in rows:
            row.name = tidy(row.name)
        line_items.extend(items)
        classified.extend(rows)
        problems.extend(Problem.at(name, p.ref, f"公开{code[1:]}表: {p.message}") for p in table_problems)
    narrative, yoy, sections = ([], [], {})
    if "三" in lay.parts:
        narrative, yoy, sections = parse_narrative(lay.parts["三"])
        names = {r.code: r.name for r in classified if r.table_code in ("T05", "T03", "T02")}
        for y in yoy:
            y.name = table_name_for(y.stated_name, names, y.code)
    projects, reports = [], []
    if "五" in lay.parts:
        projects, reports, perf_problems = parse_attachments(lay.parts["五"], name)
        problems.extend(perf_problems)
        for p in projects:
            p.name = tidy(p.name)
    if problems:
        raise InputError(problems)
    units, part1 = _part_one(lay)
    units = units or lay.units
    glossary = _glossary(lay)
    sections = {**part1, **sections}
    parts = [p for p, present in (
        ("overview", bool(part1)), ("units", bool(units)),
        *((c, c in lay.tables) for c in TABLE_CODES),
        ("narrative", bool(narrative)), ("yoy", bool(yoy)), ("glossary", bool(glossary)),
        ("self_evaluations", bool(projects)), ("evaluation_reports", bool(reports)),
    ) if present]
    kind = "决算"
    return Document(
        doc_id=make_doc_id(department, year, kind),
        department=department,
        fiscal_year=year,
        kind=kind,
        money_unit="万元",
        source_file=Path(name).name,
        source_sha256=hashlib.sha256(data).hexdigest(),
        source_format=fmt,
        parts_found=parts,
        missing_tables=missing,
        tables=lay.tables,
        line_items=line_items,
        classified=classified,
        sections=sections,
        units=units,
        narrative=narrative,
        yoy=yoy,
        projects=projects,
        reports=reports,
        glossary=glossary,
        source_text=text,
    )


def ref_line(ref: str) -> int:
    """The line or page number of a `line:N`, `page:N` or `file.pdf#page:N` reference (1 when there is none)."""
    try:
        return int(ref.rsplit(":", 1)[1])
    except (IndexError, ValueError):
        return 1


def _part_one(lay: TextLayout) -> tuple[list[Unit], dict[str, str]]:
    units: list[Unit] = []
    texts: dict[str, list[str]] = {}
    section = ""
    header_seen = False
    for ln in lay.parts.get("一", []):
        raw = ln.text.strip()
        if not raw:
            continue
        if "\t" in raw:
            cells = [c for c in split_cells(raw)]
            if fold(cells[0]) == "单位名称":
                header_seen = True
                continue
            if header_seen and len([c for c in cells if c]) >= 2:
                ne = [c for c in cells if c]
                staff = int(ne[2]) if len(ne) > 2 and ne[2].isdigit() else None
                units.append(Unit(tidy(ne[0]), tidy(ne[1]), staff, ln.ref))
                continue
        if is_heading(raw):
            section = fold(raw)
            continue
        texts.setdefault(section, []).append(raw)
    return units, {f"第一部分/{k}": "\n".join(v) for k, v in texts.items()}


def _glossary(lay: TextLayout) -> list[tuple[str, str, str]]:
    out = []
    for p in paragraphs(lay.parts.get("四", [])):
        m = re.match(r"^[一二三四五六七八九十]+、(.+?)[：:](.+)$", p.text.strip(), re.S)
        if m:
            out.append((m.group(1).strip(), m.group(2).strip(), p.first_ref))
    return out




MAX_DIGITS = 16  # digits before the decimal point that DECIMAL(18,2) and DECIMAL(22,6) hold


def oversized_numbers(doc: Document, name: str) -> list[Problem]:
    """Every figure too large to store exactly, with where it was read: refused before anything is written."""
    problems: list[Problem] = []

    def walk(obj, ref: str) -> None:
        if isinstance(obj, Decimal):
            if obj.is_finite() and obj != 0 and obj.adjusted() >= MAX_DIGITS:
                problems.append(Problem.at(name, ref, f"expected an amount of at most {MAX_DIGITS} digits before the "
                                                      f"decimal point; found one of {obj.adjusted() + 1} digits"))
        elif isinstance(obj, (list, tuple)):
            for x in obj:
                walk(x, ref)
        elif isinstance(obj, dict):
            for x in obj.values():
                walk(x, ref)
        elif dataclasses.is_dataclass(obj):
            here = getattr(obj, "source_ref", None) or getattr(obj, "ref", None) or ref
            for f in dataclasses.fields(obj):
                if f.name not in ("source_text", "tables"):
                    walk(getattr(obj, f.name), here)

    walk(doc, "line:1")
    return problems
