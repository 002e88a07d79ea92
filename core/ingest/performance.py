"""Part 5: the 项目支出绩效自评表 (attachment 1) and the 绩效评价报告 (attachment 2), linked by project."""

from __future__ import annotations

import difflib
import re
from decimal import Decimal

from core.ingest.errors import Problem
from core.ingest.model import EvaluationReport, FundRow, Indicator, Project, ReportIndicator
from core.ingest.numbers import fold, is_number, parse_amount, text_number
from core.ingest.paragraphs import paragraphs
from core.ingest.text_report import Line, split_cells

LEVEL1 = ("产出指标", "效益指标", "满意度指标")
LEVEL2_PARENT = {
    "数量指标": "产出指标",
    "质量指标": "产出指标",
    "时效指标": "产出指标",
    "成本指标": "产出指标",
    "经济效益指标": "效益指标",
    "社会效益指标": "效益指标",
    "生态效益指标": "效益指标",
    "可持续影响指标": "效益指标",
    "服务对象满意度指标": "满意度指标",
}
FUND_ROWS = ("年度资金总额", "当年财政拨款", "其他资金", "上年结转资金")
FUND_COLUMNS = {
    "年初预算数": "budget_initial",
    "全年预算数": "budget",
    "全年执行数": "executed",
    "分值": "weight",
    "执行率(%)": "execution_rate",
    "执行率": "execution_rate",
    "得分": "score",
}
_TERMINAL = ("。", "；", ";", "！", "？", ".")
_TABLE_TITLE = re.compile(r"^(专项资金|项目支出)绩效自评表$")


def _nonempty(cells: list[str]) -> list[tuple[int, str]]:
    return [(i, c) for i, c in enumerate(cells) if c.strip()]


def _after(cells: list[str], label_idx: int) -> list[tuple[int, str]]:
    return [(i, c) for i, c in _nonempty(cells) if i > label_idx]


class _Field:
    """A text field with the column it was read from, so wrapped lines find their way back to it."""

    def __init__(self, name: str, text: str, col: int):
        self.name, self.text, self.col = name, text, col


def _append_continuation(fields: list[_Field], col: int, text: str) -> None:
    """A wrapped line belongs to the open field (one not ended by punctuation), else to the nearest column."""
    open_fields = [f for f in fields if f.text and not f.text.rstrip().endswith(_TERMINAL)]
    candidates = open_fields or fields
    target = min(candidates, key=lambda f: (abs(f.col - col), -f.col))
    target.text = f"{target.text}{text}" if target.text else text


def split_self_evaluations(lines: list[Line]) -> list[list[Line]]:
    """Cut attachment 1 into one block of lines per self-evaluation table."""
    blocks: list[list[Line]] = []
    for ln in lines:
        first = fold(split_cells(ln.text)[0]) if ln.text.strip() else ""
        if _TABLE_TITLE.match(first):
            blocks.append([])
        if blocks:
            blocks[-1].append(ln)
    return blocks


def parse_self_evaluation(block: list[Line], project_id: str, path: str) -> tuple[Project, list[Problem]]:
    """One self-evaluation table into a Project; rows are found by their labels, never by position."""
    problems: list[Problem] = []
    name = dept = unit = ""
    texts: dict[str, list[_Field]] = {}
    funds: list[FundRow] = []
    fund_cols: dict[int, str] = {}
    indicators: list[Indicator] = []
    ind_fields: list[list[_Field]] = []
    issues: list[list[_Field]] = []
    issue_types: list[str] = []
    total = None
    grade = None
    grade_text = ""
    mode = ""
    goal_cols = (1, 5)
    level1 = level2 = ""
    for ln in block:
        if not ln.text.strip():
            continue
        cells = split_cells(ln.text)
        ne = _nonempty(cells)
        if not ne:
            continue
        first_idx, first = ne[0]
        key = fold(first)
        if _TABLE_TITLE.match(key) or re.match(r"^[(（]\d{4}年度[)）]$", key):
            continue
        if key == "专项名称" or key == "项目名称":
            name = " ".join(c for _, c in _after(cells, first_idx)).strip()
            mode = ""
            continue
        if key == "主管部门":
            rest = _after(cells, first_idx)
            for n, (i, c) in enumerate(rest):
                if fold(c) == "实施单位":
                    unit = " ".join(x for _, x in rest[n + 1 :]).strip()
                    break
                dept = f"{dept}{c}"
            mode = ""
            continue
        if key in ("项目概况", "主要成效"):
            kind = "overview" if key == "项目概况" else "outcomes"
            rest = _after(cells, first_idx)
            texts[kind] = [_Field(kind, " ".join(c for _, c in rest).strip(), rest[0][0] if rest else 3)]
            mode = kind
            continue
        if key.startswith("项目资金"):
            fund_cols = {i: FUND_COLUMNS[fold(c)] for i, c in _after(cells, first_idx) if fold(c) in FUND_COLUMNS}
            mode = "funds"
            continue
        if mode == "funds" and fund_cols:
            first_data = min(fund_cols)
            labels = [fold(c) for i, c in ne if i < first_data]
            label = re.sub(r"^其中[:：]", "", labels[0]) if labels else ""
            if label in FUND_ROWS:
                vals: dict[str, Decimal | None] = {}
                for i, col in fund_cols.items():
                    cell = cells[i] if i < len(cells) else ""
                    try:
                        vals[col] = parse_amount(cell)
                    except ValueError:
                        problems.append(Problem(path, ln.no, f"expected a number for {label} {col}; found {cell!r}"))
                        vals[col] = None
                funds.append(FundRow(label, vals.get("budget_initial"), vals.get("budget"), vals.get("executed"),
                                     vals.get("weight"), vals.get("execution_rate"), vals.get("score"), ln.ref))
                continue
        if key == "年度总体目标":
            heads = {fold(c): i for i, c in ne}
            goal_cols = (heads.get("预期目标", 1), heads.get("实际完成情况", 5))
            texts["goal"] = [_Field("goal", "", goal_cols[0]), _Field("goal_actual", "", goal_cols[1])]
            mode = "goal"
            continue
        if key.startswith("绩效指标") or (key == "改进措施" and mode == "indicators"):
            mode = "indicators"
            continue
        if "总分值" in key:
            nums = [c for _, c in ne if is_number(c)]
            total = parse_amount(nums[0]) if nums else None
            mode = ""
            continue
        if key == "评价等级":
            rest = _after(cells, first_idx)
            grade_text = rest[0][1] if rest else ""
            m = re.match(r"^([优良中差])", fold(grade_text))
            grade = m.group(1) if m else None
            mode = ""
            continue
        if key.startswith("问题与建议"):
            mode = "issues"
            continue
        if mode in ("overview", "outcomes"):
            _append_continuation(texts[mode], first_idx, " ".join(c for _, c in ne))
        elif mode == "goal":
            fields = texts["goal"]
            for i, c in ne:
                target = fields[1] if i >= goal_cols[1] else fields[0]
                target.text = f"{target.text}\n{c}" if target.text else c
        elif mode == "indicators":
            parsed = _indicator_cells(ne)
            if parsed is None:
                if ind_fields:
                    for i, c in ne:
                        _append_continuation(ind_fields[-1], i, c)
                else:
                    problems.append(Problem(path, ln.no, f"expected an indicator row; found {ln.text.strip()[:40]!r}"))
                continue
            l1, l2, fields, weight, score = parsed
            level2 = l2 or level2
            level1 = l1 or (LEVEL2_PARENT.get(l2) if l2 else None) or level1 or LEVEL2_PARENT.get(level2, "")
            ind_fields.append(fields)
            indicators.append(Indicator(level1, level2, "", "", "", weight, score, "", ln.ref))
        elif mode == "issues":
            labelled = ne
            if labelled and fold(labelled[0][1]).endswith("问题") and len(fold(labelled[0][1])) <= 8 and len(ne) >= 2:
                issue_type, labelled = labelled[0][1], labelled[1:]
            else:
                issue_type = ""
            if len(labelled) >= 2:
                issues.append([_Field("problem", labelled[0][1], labelled[0][0]),
                               _Field("suggestion", " ".join(c for _, c in labelled[1:]), labelled[1][0])])
                issue_types.append(issue_type)
            elif issues:
                _append_continuation(issues[-1], labelled[0][0], labelled[0][1])
            else:
                problems.append(Problem(path, ln.no, "expected a problem and a suggestion"))
    for ind, fields in zip(indicators, ind_fields):
        by = {f.name: f.text.strip() for f in fields}
        ind.name, ind.target, ind.actual = by["name"], by["target"], by["actual"]
        ind.deviation_reason = by.get("reason", "")
    texts_out = {k: "\n".join(f.text.strip() for f in v if f.name == k).strip() for k, v in texts.items()}
    if "goal" in texts:
        texts_out["goal"] = texts["goal"][0].text.strip()
        texts_out["goal_actual"] = texts["goal"][1].text.strip()
    if not name:
        problems.append(Problem(path, block[0].no, "expected 专项名称 in the self-evaluation table"))
    if not any(f.fund_row == "年度资金总额" for f in funds):
        problems.append(Problem(path, block[0].no, f"expected a 年度资金总额 row in the table of {name!r}"))
    project = Project(
        project_id=project_id,
        name=name,
        competent_dept=dept,
        implementing_unit=unit,
        funds=funds,
        texts={k: v for k, v in texts_out.items() if v},
        indicators=indicators,
        total_score=total,
        grade=grade,
        grade_text=grade_text,
        issues=[(t, f[0].text.strip(), f[1].text.strip()) for t, f in zip(issue_types, issues)],
        source_ref=block[0].ref,
    )
    return project, problems


def _indicator_cells(ne: list[tuple[int, str]]):
    """(level1, level2, fields, weight, score) of an indicator row, or None for a wrapped continuation."""
    l1 = l2 = ""
    rest = list(ne)
    while rest and (fold(rest[0][1]) in LEVEL1 or fold(rest[0][1]) in LEVEL2_PARENT):
        label = fold(rest.pop(0)[1])
        if label in LEVEL1 and not l2:
            l1 = label
        else:
            l2 = label
    shapes = []
    if len(rest) >= 5:
        shapes.append(("name", "target", "actual", "weight", "score"))
    if len(rest) >= 4:
        shapes.append(("name", "target", "weight", "score"))
    for shape in shapes:
        w_idx, s_idx = shape.index("weight"), shape.index("score")
        if is_number(rest[w_idx][1]) and is_number(rest[s_idx][1]):
            fields = [_Field(n, rest[k][1], rest[k][0]) for k, n in enumerate(shape) if n not in ("weight", "score")]
            if "actual" not in shape:
                fields.append(_Field("actual", "", rest[1][0] + 1))
            tail = rest[len(shape) :]
            col = tail[0][0] if tail else rest[s_idx][0] + 1
            fields.append(_Field("reason", " ".join(c for _, c in tail), col))
            return l1, l2, fields, parse_amount(rest[w_idx][1]), parse_amount(rest[s_idx][1])
    return None


def parse_reports(lines: list[Line]) -> list[EvaluationReport]:
    """Attachment 2: each report's title, stated score, grade, target counts and indicator lines."""
    blocks: list[list[Line]] = []
    for ln in lines:
        f = fold(ln.text)
        if f.endswith("绩效评价报告") and "《" not in f:
            blocks.append([])
            continue
        if blocks:
            blocks[-1].append(ln)
    reports = []
    for block in blocks:
        paras = paragraphs(block)
        if not paras:
            continue
        title = paras[0].text.strip()
        if title[:1] in "(（" and title[-1:] in ")）":
            title = title[1:-1].strip()
        text = "\n".join(p.text for p in paras[1:])
        folded = fold(text)
        m = re.search(
            r"绩效自评得分(\d+(?:\.\d+)?)分,等级为([优良中差]),设置绩效目标(\d+)个,实际完成(\d+)个", folded
        )
        report = EvaluationReport(
            title=title,
            score=Decimal(m.group(1)) if m else None,
            grade=m.group(2) if m else None,
            targets_set=int(m.group(3)) if m else None,
            targets_met=int(m.group(4)) if m else None,
            text=text,
            source_ref=block[0].ref,
        )
        level1 = level2 = ""
        for p in paras[1:]:
            f = p.folded
            h1 = re.match(r"^\([一二三]\)(产出指标|效益指标|满意度指标)$", f)
            h2 = re.match(r"^\d+、(.+指标)$", f)
            if h1:
                level1, level2 = h1.group(1), ""
                continue
            if h2:
                level2 = h2.group(1)
                continue
            im = re.match(
                r"^\d+\)(?P<name>.{0,200})\((?P<unit>[^()]{0,40})\),目标值(?P<target>[^,]{0,200}),完成值(?P<actual>[^,]{0,200}),"
                r"分值(?P<w>\d+(?:\.\d+)?),得分(?P<s>\d+(?:\.\d+)?)",
                f,
            )
            if im:
                report.indicators.append(
                    ReportIndicator(level1, level2, im.group("name"), im.group("unit"), im.group("target"),
                                    im.group("actual"), text_number(im.group("w")), text_number(im.group("s")),
                                    p.first_ref)
                )
        reports.append(report)
    return reports


def _name_key(name: str) -> str:
    return re.sub(r"[\"“”'‘’()（）、,，\s]", "", fold(name))


def link_reports(projects: list[Project], reports: list[EvaluationReport]) -> None:
    """Give each report the project it evaluates: exact name first, then the closest name, one to one."""
    free = {p.project_id: p for p in projects}
    pending = []
    for r in reports:
        exact = [p for p in free.values() if _name_key(p.name) == _name_key(r.title)]
        if exact:
            r.project_id, r.match_note = exact[0].project_id, "名称完全一致"
            del free[exact[0].project_id]
        else:
            pending.append(r)
    pairs = sorted(
        (
            (difflib.SequenceMatcher(None, _name_key(r.title), _name_key(p.name)).ratio(), n, p.project_id)
            for n, r in enumerate(pending)
            for p in free.values()
        ),
        reverse=True,
    )
    taken: set[int] = set()
    for ratio, n, pid in pairs:
        if n in taken or pid not in free or ratio < 0.5:
            continue
        r = pending[n]
        r.project_id = pid
        r.match_note = f"名称相近（相似度 {ratio:.2f}）：报告“{r.title}” ↔ 自评表“{free[pid].name}”"
        taken.add(n)
        del free[pid]
    for n, r in enumerate(pending):
        if n not in taken:
            r.match_note = "未找到对应的自评表"


def parse_attachments(lines: list[Line], path: str) -> tuple[list[Project], list[EvaluationReport], list[Problem]]:
    """Attachment 1 and 2 of Part 5, whichever are present."""
    split_at = next(
        (i for i, ln in enumerate(lines) if "绩效评价报告》" in fold(ln.text) and "\t" not in ln.text), len(lines)
    )
    projects: list[Project] = []
    problems: list[Problem] = []
    for n, block in enumerate(split_self_evaluations(lines[:split_at]), start=1):
        project, probs = parse_self_evaluation(block, f"P{n:02d}", path)
        projects.append(project)
        problems.extend(probs)
    reports = parse_reports(lines[split_at:])
    link_reports(projects, reports)
    return projects, reports, problems


