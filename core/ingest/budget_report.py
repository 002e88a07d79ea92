"""Reader for 部门预算 / 单位预算 PDFs, one file or a disclosure published as several (narrative + tables).

Tables are recognised by title through the layouts in data/layouts/budget_tables.csv and read from positioned
lines (core.ingest.budget_tables); the narrative goes through the same figure reader as a 决算's.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path

from core.ingest.budget_tables import Region, interpret_region, is_data_line
from core.ingest.document import make_doc_id, ref_line
from core.ingest.errors import InputError, Problem
from core.ingest.layouts import match_title
from core.ingest.model import Document
from core.ingest.budget_narrative import budget_items
from core.ingest.narrative import parse_narrative, table_name_for
from core.ingest.numbers import fold
from core.ingest.pdf_lines import PdfLine, map_pages, page_lines, require_text_layer
from core.ingest.text_report import Line

UNIT_FACTORS = {"万元": Decimal(1), "元": Decimal("0.0001")}
_LABEL = re.compile(r"^(预算主管部门|预算单位|编制部门|编制单位|部门名称|单位名称|部门)[:：](.+?)(单位[:：].*)?$")
# `单位：万` at a line's end is 万元 whose 元 wrapped onto the next printed line (js-high-court-2019 公开09表)
_UNIT = re.compile(r"单位[:：]?(万元|元|万)$|^单位[:：]?(万元|元|万)")
_COVER_YEAR_FIRST = re.compile(r"(20\d{2})年度?(?:区级)?(.{2,40}?)(?:部门|单位)?预算")
_COVER_NAME_FIRST = re.compile(r"^(.{2,40}?)(20\d{2})年度?(?:区级)?(?:部门|单位)?预算")
_YEAR = re.compile(r"(20\d{2})年度?(?:区级)?(?:部门|单位)?(?:预算|汇总预算)")
_PRINTED_MARK = re.compile(r"^(公开\d{1,2}表|表[一二三四五六七八九十]+)$")
_ORG_SUFFIX = re.compile(r"(局|委员会|委|办公室|办公厅|院|办事处|部|中心|厅|会|所|站|馆|社|校|队|政府|署|室|办)$")
_PAGE_NUMBER = re.compile(r"^[-—]?\d{1,3}[-—]?$")
_PART_HEADING = re.compile(r"^第[一二三四五六七八九十]部分")


def looks_like_budget(text: str) -> bool:
    """True when the opening pages announce a 预算 disclosure rather than a 决算."""
    head = fold(text[:6000])
    return bool(re.search(r"预算公开|部门预算|单位预算|预算总?表", head)) and "决算" not in head[:400]


@dataclass
class BudgetFile:
    """What one file of a disclosure supplies."""

    path: Path
    data: bytes
    texts: list[str]
    lines: list[list[PdfLine]]  # per page
    department: str = ""
    department_source: str = ""
    year: int | None = None
    scope: str = "部门"
    regions: list[Region] = field(default_factory=list)
    listed: list[str] = field(default_factory=list)  # table codes the 目录 announces
    narrative: list[PdfLine] = field(default_factory=list)

    @property
    def parts(self) -> set[str]:
        found = {r.layout.code for r in self.regions}
        if any(len(fold(ln.text)) > 30 and "。" in ln.text for ln in self.narrative):
            found.add("narrative")
        return found


def open_budget_file(path: Path) -> BudgetFile:
    name = str(path)
    data = path.read_bytes()
    pages = map_pages(path, partial(_read_page, file=path.name))
    lines = [ln for ln, _ in pages]
    heights = [h for _, h in pages]
    texts = ["\n".join(ln.text for ln in page) for page in lines]
    require_text_layer(texts, name)
    f = BudgetFile(path, data, texts, lines)
    _identity(f)
    _regions(f, heights)
    return f


def _read_page(page, page_no: int, file: str) -> tuple[list[PdfLine], float]:
    return page_lines(page, page_no, file), float(page.height)


def _identity(f: BudgetFile) -> None:
    """Body, year and scope. The body is taken, in order, from the tables' 部门/编制部门 labels, the cover (its lines
    joined, so a name or 部门预算 broken over lines reads whole), the 第二部分 heading, and last the file name (a
    cover without a text layer)."""
    labels = Counter()
    for page in f.lines:
        for ln in page:
            m = _LABEL.match(ln.folded)
            if m and (value := re.sub(r"(万元|元)$", "", m.group(2)).strip()):
                labels[value] += 1
    head_lines = []
    for page in f.lines[:3]:
        for ln in page[:8]:
            if ln.folded == "目录":
                break
            head_lines.append(ln.folded)
    head = "".join(head_lines)
    heading = next((c for page in f.lines for ln in page
                    if re.search(r"20\d{2}年度?部门预算表$", ln.folded) and (c := _cover(ln.folded))), None)
    candidates = [
        ("table label", (None, labels.most_common(1)[0][0]) if labels else None),
        ("cover", _cover(head)),
        ("part heading", heading),
        ("file name", _cover(fold(f.path.stem))),
    ]
    f.department_source, found = next(((src, c) for src, c in candidates if c and c[1]), ("", None))
    f.department = found[1] if found else ""
    all_text = "".join(ln.folded for page in f.lines[:4] for ln in page)
    titles = "".join(ln.folded for page in f.lines for ln in page if match_title(ln.text))
    m = (_YEAR.search(all_text) or re.search(r"(20\d{2})年", all_text) or re.search(r"(20\d{2})年", titles)
         or re.search(r"(20\d{2})年?度?", fold(f.path.stem)))
    f.year = int(m.group(1)) if m else None
    f.scope = "单位" if re.search(r"单位预算|预算单位[:：]", head) else "部门"


def _cover(text: str) -> tuple[int, str] | None:
    """(year, name) from a cover or file name: `2017年度江苏省高级人民法院部门预算公开` or `江苏省人民检察院2019年度部门预算`."""
    for m in _COVER_NAME_FIRST.finditer(text):
        name = _clean_name(m.group(1))
        if _ORG_SUFFIX.search(name) and not re.search(r"[\d,。:：]", name):
            return int(m.group(2)), name
    for m in _COVER_YEAR_FIRST.finditer(text):
        name = _clean_name(m.group(2))
        if _ORG_SUFFIX.search(name) and not re.search(r"[\d,。:：]", name):
            return int(m.group(1)), name
    return None


def _clean_name(name: str) -> str:
    name = re.sub(r"^(第[一二三四五]部分|目录)", "", name)
    return re.sub(r"(部门|单位)$", "", name)


def _is_toc(page: list[PdfLine]) -> bool:
    return any(ln.folded in ("目录",) for ln in page[:4])


def _regions(f: BudgetFile, heights: list[float]) -> None:
    current: Region | None = None
    last_page = 0
    for index, page in enumerate(f.lines):
        page_no = index + 1
        if _is_toc(page):
            f.listed += [lay.code for lay, _ in _titles(page).values() if lay]
            current = None
            continue
        has_unit = any(_UNIT.search(ln.folded) or _LABEL.match(ln.folded) for ln in page)
        titles = _titles(page) if has_unit else {}
        continues = (current is not None and page_no == last_page + 1
                     and _starts_with_table(page, heights[index], titles))
        if not titles and not continues:
            f.narrative.extend(page)
            current = None
            continue
        for i, ln in enumerate(page):
            if i in titles:
                lay, title = titles[i]
                if lay is not None:
                    current = Region(lay, title, f"page:{page_no}")
                    f.regions.append(current)
                continue
            if current is None or (i < min(titles, default=len(page)) and not continues):
                f.narrative.append(ln)
                continue
            if _skip(ln, heights[index]):
                continue
            unit = _UNIT.search(ln.folded) or (re.search(r"(万元|元)$", ln.folded) if _LABEL.match(ln.folded) else None)
            if unit or _LABEL.match(ln.folded):
                if unit and not current.unit:
                    current.unit = {"万": "万元"}.get(found := next(g for g in unit.groups() if g), found)
                continue
            if ln.folded.startswith("注") or "必填项" in ln.folded or ln.folded.startswith(":“"):
                current.notes.append(ln.text.strip())
                continue
            if "。" in ln.text and len(ln.folded) > 30:
                f.narrative.append(ln)
                continue
            current.lines.append(ln)
        last_page = page_no
    # a table with no unit line of its own takes the unit the document prints most
    units = Counter(r.unit for r in f.regions if r.unit)
    default = units.most_common(1)[0][0] if units else "万元"
    for r in f.regions:
        r.unit = r.unit or default


def _titles(page: list[PdfLine]) -> dict[int, tuple]:
    """Title lines of a page; a title broken over two or three lines (`…支出预` / `“ ”` / `算表`) is joined, and
    the lines it used are marked with no layout."""
    found: dict[int, tuple] = {}
    for i, ln in enumerate(page):
        if i in found:
            continue
        lay = match_title(ln.text)
        if lay:
            found[i] = (lay, ln.text.strip())
            continue
        if not re.search(r"(预|预算|支出|经费|费|[、，])$", ln.folded):
            continue
        for span in (2, 3):
            text = "".join(x.text.strip() for x in page[i : i + span])
            lay = match_title(text)
            if lay:
                found[i] = (lay, text)
                for j in range(i + 1, i + span):
                    found[j] = (None, "")
                break
    return found


def _starts_with_table(page: list[PdfLine], height: float, titles: dict) -> bool:
    """A page continues the table before it when figures come before any sentence (a repeated header may)."""
    for i, ln in enumerate(page[:10]):
        if i in titles:
            return False
        if _skip(ln, height):
            continue
        if _PART_HEADING.match(ln.folded) or "。" in ln.text:
            return False
        if is_data_line(ln):
            return True
        if len(ln.folded) > 40:
            return False
    return False


def _skip(ln: PdfLine, height: float) -> bool:
    f = ln.folded
    if _PRINTED_MARK.match(f) or _PART_HEADING.match(f):
        return True
    return bool(_PAGE_NUMBER.match(f)) and ln.top > height * 0.85


def group_key(f: BudgetFile) -> tuple:
    return (fold(f.department), f.year, "预算", f.scope)


def read_budget(paths: list[Path], allow_incomplete: bool = False) -> Document:
    """One disclosure from one or more files; several files must name the same body, year and scope and each
    supply parts the others lack."""
    files = [open_budget_file(Path(p)) for p in paths]
    return build_budget(files, allow_incomplete)


def build_budget(files: list[BudgetFile], allow_incomplete: bool = False) -> Document:
    problems: list[Problem] = []
    for f in files:
        if not f.department:
            problems.append(Problem(str(f.path), 1, "expected the department name (部门：…, 编制部门：… or the cover); not found"))
        if f.year is None:
            problems.append(Problem(str(f.path), 1, "expected the budget year (e.g. 2019年度部门预算) near the start; not found"))
    if problems:
        raise InputError(problems)
    if len(files) > 1:
        keys = {group_key(f) for f in files}
        if len(keys) > 1:
            raise InputError([Problem(str(f.path), 1, f"expected every file of one disclosure to name the same body, "
                                      f"year and scope; found {f.department} {f.year} {f.scope}") for f in files])
        seen: set[str] = set()
        for f in files:
            overlap = (f.parts & seen) - {"narrative"}
            if overlap or not f.parts - seen:
                raise InputError([Problem(str(f.path), 1, "expected each file of a disclosure to supply parts the "
                                          f"others lack; it repeats {sorted(overlap or f.parts)}")])
            seen |= f.parts
    files = sorted(files, key=lambda f: 0 if f.regions else 1)  # the tables file names the body as printed
    if not any(f.regions for f in files):
        raise InputError([Problem(str(files[0].path), 1, "expected budget tables (收支预算总表 …); found none — a "
                                  "narrative file is read together with its tables file: juesuan ingest A.pdf B.pdf")])
    return _document(files, allow_incomplete)


def _document(files: list[BudgetFile], allow_incomplete: bool) -> Document:
    multi = len(files) > 1
    offsets, total = [], 0
    for f in files:
        offsets.append(total)
        total += len(f.lines)

    def ref(f_index: int, ref: str) -> str:
        return f"{files[f_index].path.name}#{ref}" if multi else ref

    tables, line_items, classified, problems = {}, [], [], []
    for n, f in enumerate(files):
        for region in f.regions:
            code = region.layout.code
            if code in tables:
                continue  # a table printed twice (a repeated page) is read once; completeness reports it
            factor = UNIT_FACTORS.get(region.unit)
            if factor is None:
                problems.append(Problem.at(str(f.path), region.ref, f"expected the unit 万元 or 元 for "
                                        f"{region.title}; found {region.unit!r}"))
                continue
            table, items, rows, table_problems = interpret_region(region, factor)
            if factor != 1:
                table.notes.append("本表原以元列示，已按 1 万元 = 10000 元 精确换算为万元。")
            table.ref = ref(n, table.ref)
            for item in items:
                item.source_ref = ref(n, item.source_ref)
            for row in rows:
                row.source_ref = ref(n, row.source_ref)
            for r in table.rows + table.header:
                r.ref = ref(n, r.ref)
            tables[code] = table
            line_items += items
            classified += rows
            problems += [Problem.at(str(f.path), p.ref, f"{region.title}: {p.message}") for p in table_problems]
    listed = sorted({c for f in files for c in f.listed})
    missing = [c for c in listed if c not in tables]
    if problems:
        raise InputError(problems)
    narrative_lines: list[Line] = []
    for n, f in enumerate(files):
        for ln in f.narrative:
            narrative_lines.append(Line(len(narrative_lines) + 1, ln.text, page=offsets[n] + ln.page))
    figures, _, sections = parse_narrative(narrative_lines, keyed="budget")

    def page_ref(global_ref: str) -> str:
        g = ref_line(global_ref)
        n = max(i for i, o in enumerate(offsets) if o < g)
        return ref(n, f"page:{g - offsets[n]}")

    for fig in figures:
        fig.source_ref = page_ref(fig.source_ref)
    yoy = budget_items(narrative_lines)
    names = {r.code: r.name for r in classified if r.table_code in ("B07", "B03", "B05")}
    for y in yoy:
        y.name = table_name_for(y.name, names, y.code)
        y.source_ref = page_ref(y.source_ref)
    main = files[0]
    department = main.department
    texts = [t for f in files for t in f.texts]
    parts = sorted(tables) + (["narrative"] if figures else [])
    data = b"".join(f.data for f in files)
    doc = Document(
        doc_id=make_doc_id(department, main.year, "预算", main.scope),
        department=department,
        fiscal_year=main.year,
        kind="预算",
        money_unit="万元",
        source_file=" + ".join(f.path.name for f in files),
        source_sha256=hashlib.sha256(data).hexdigest() if not multi else
        "+".join(hashlib.sha256(f.data).hexdigest() for f in files),
        source_format="pdf",
        parts_found=parts,
        missing_tables=missing,
        tables=tables,
        line_items=line_items,
        classified=classified,
        sections=sections,
        units=[],
        narrative=figures,
        yoy=yoy,
        projects=[],
        reports=[],
        glossary=[],
        source_text="\n\f".join(texts),
        notes=[f"由 {len(files)} 个文件合并：" + "、".join(f.path.name for f in files)] if multi else [],
    )
    doc.scope = main.scope
    doc.source_files = [f.path.name for f in files]
    doc.page_counts = [len(f.lines) for f in files]
    doc.announced_tables = listed
    if main.department_source == "file name":
        doc.notes.append("部门名称取自文件名（封面无文字层）。")
    return doc
