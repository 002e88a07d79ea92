"""The normalized records every reader produces: one model, whatever the source format."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

TABLE_CODES = tuple(f"T{i:02d}" for i in range(1, 10))

TABLE_TITLES = {
    "T01": "收入支出决算总表",
    "T02": "收入决算表",
    "T03": "支出决算表",
    "T04": "财政拨款收入支出决算总表",
    "T05": "一般公共预算财政拨款支出决算表",
    "T06": "一般公共预算财政拨款基本支出决算表",
    "T07": "一般公共预算财政拨款“三公”经费支出决算表",
    "T08": "政府性基金预算财政拨款收入支出决算表",
    "T09": "国有资本经营预算财政拨款支出决算表",
}


@dataclass
class RawRow:
    """One row of a published table as the reader saw it: cell texts and where they stood."""

    cells: list[str]
    ref: str


@dataclass
class RawTable:
    """A published table before interpretation: title, unit and rows in the document's order."""

    code: str
    title: str
    unit: str
    ref: str
    header: list[RawRow] = field(default_factory=list)
    rows: list[RawRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unit_factor: Decimal = Decimal(1)
    layout: dict = field(default_factory=dict)  # what a reader learned about the columns, for continuation pages


@dataclass
class LineItem:
    """One number of one of the nine tables with its full provenance."""

    table_code: str
    row_no: int
    side: str
    row_label: str
    code: str | None
    column_label: str
    col_no: int
    amount: Decimal
    source_ref: str


@dataclass
class ClassifiedRow:
    """A row of a classified table (功能分类 or 经济分类): code, name and its money columns."""

    table_code: str
    row_no: int
    code: str
    name: str
    level: int
    parent_code: str | None
    values: dict[str, Decimal | None]
    source_ref: str
    category: str | None = None


@dataclass
class NarrativeFigure:
    """A figure the narrative states, with the phrase it belongs to."""

    section: str
    label: str
    value: Decimal
    unit: str
    source_ref: str
    key: str | None = None
    phrase: str = ""


@dataclass
class YoyLine:
    """The narrative's year-over-year line for one 项."""

    code: str
    name: str
    stated_name: str
    amount: Decimal
    change: Decimal | None
    change_pct: Decimal | None
    reason: str
    source_ref: str
    prior: Decimal | None = None  # the prior-year figure the line states (a budget's 上年预算执行数)
    restated: Decimal | None = None  # the same year's amount stated again later in the line (预算安排)
    basis: str = "上年决算数"  # what the change is measured against


@dataclass
class FundRow:
    """A fund row of a performance self-evaluation table (年度资金总额, 当年财政拨款, …)."""

    fund_row: str
    budget_initial: Decimal | None
    budget: Decimal | None
    executed: Decimal | None
    weight: Decimal | None
    execution_rate: Decimal | None
    score: Decimal | None
    source_ref: str


@dataclass
class Indicator:
    """One indicator row of a self-evaluation table."""

    level1: str
    level2: str
    name: str
    target: str
    actual: str
    weight: Decimal | None
    score: Decimal | None
    deviation_reason: str
    source_ref: str


@dataclass
class ReportIndicator:
    """One indicator line of an evaluation report: `1)name(unit)，目标值 X，完成值 Y，分值 W，得分 S。`"""

    level1: str
    level2: str
    name: str
    unit: str
    target: str
    actual: str
    weight: Decimal | None
    score: Decimal | None
    source_ref: str


@dataclass
class EvaluationReport:
    """An attachment-2 evaluation report, linked to its self-evaluation table by project."""

    title: str
    score: Decimal | None
    grade: str | None
    targets_set: int | None
    targets_met: int | None
    text: str
    source_ref: str
    indicators: list[ReportIndicator] = field(default_factory=list)
    project_id: str | None = None
    match_note: str = ""


@dataclass
class Project:
    """A project with its self-evaluation table (附件一)."""

    project_id: str
    name: str
    competent_dept: str
    implementing_unit: str
    funds: list[FundRow]
    texts: dict[str, str]
    indicators: list[Indicator]
    total_score: Decimal | None
    grade: str | None
    grade_text: str
    issues: list[tuple[str, str, str]]
    source_ref: str


@dataclass
class Unit:
    """A unit covered by the document (部门决算单位基本情况)."""

    name: str
    unit_type: str
    staff: int | None
    source_ref: str
    note: str = ""


@dataclass
class Document:
    """Everything read from one disclosure, ready to be stored."""

    doc_id: str
    department: str
    fiscal_year: int
    kind: str
    money_unit: str
    source_file: str
    source_sha256: str
    source_format: str
    parts_found: list[str]
    missing_tables: list[str]
    tables: dict[str, RawTable]
    line_items: list[LineItem]
    classified: list[ClassifiedRow]
    sections: dict[str, str]
    units: list[Unit]
    narrative: list[NarrativeFigure]
    yoy: list[YoyLine]
    projects: list[Project]
    reports: list[EvaluationReport]
    glossary: list[tuple[str, str, str]]
    source_text: str
    notes: list[str] = field(default_factory=list)
    scope: str = "部门"  # 部门 (the department with its units) or 单位 (one unit)
    source_files: list[str] = field(default_factory=list)  # every file of the disclosure, in reading order
    page_counts: list[int] = field(default_factory=list)  # pages of each of those files (PDFs)
    announced_tables: list[str] = field(default_factory=list)  # the tables the 目录 lists (budgets)
    origin: str = ""  # the path it was read from, as given (for messages)
    origin_paths: list[str] = field(default_factory=list)  # every file it was read from
