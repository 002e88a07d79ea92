"""Part 3 (情况说明): every figure the narrative states, the keyed ones named, and the per-项 YoY lines."""

from __future__ import annotations

import re

from core.ingest.model import NarrativeFigure, YoyLine
from core.ingest.numbers import text_number
from core.ingest.paragraphs import Paragraph, is_heading, paragraphs

UNITS = ("万元", "%", "个", "辆", "人次", "批次", "台(套)", "台", "件", "人", "次", "部", "分")
N = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_FIGURE = re.compile(N + "(" + "|".join(re.escape(u) for u in UNITS) + ")")
_NEGATIVE = re.compile(r"(减少|下降|降低|减)$")
UP_DOWN = r"(?:增加|减少|净增加|净减少)"
PCT = r"(?:增长|下降)"

THREE_PUBLIC_NAMES = {
    "因公出国(境)费": "因公出国（境）费",
    "公务用车购置及运行费": "公务用车购置及运行维护费",
    "公务用车购置及运行维护费": "公务用车购置及运行维护费",
    "公务用车购置费": "公务用车购置费",
    "公务用车运行费": "公务用车运行维护费",
    "公务用车运行维护费": "公务用车运行维护费",
    "公务接待费": "公务接待费",
}

# (section must contain, pattern on the folded sentence, keys for the numeric groups; {name} = the text group)
KEYED: list[tuple[str, str, tuple[str, ...]]] = [
    ("收入支出决算总体情况", rf"本部门收入总计{N}万元,支出总计{N}万元,与上年决算数相比,各{UP_DOWN}{N}万元,{PCT}{N}%",
     ("total_income_all", "total_expenditure_all", "total_change", "total_change_pct")),
    (r"[)）、]收入决算情况", rf"年度收入{N}万元,比上年决算数{UP_DOWN}{N}万元,{PCT}{N}%",
     ("income_total", "income_change", "income_change_pct")),
    (r"[)）、]收入决算情况", rf"^\d+\.(?P<name>[^\d]+?){N}万元", ("income_item:{name}",)),
    (r"[)）、]支出决算情况", rf"年度支出{N}万元,比上年决算数{UP_DOWN}{N}万元,{PCT}{N}%",
     ("expenditure_total", "expenditure_change", "expenditure_change_pct")),
    (r"[)）、]支出决算情况", rf"基本支出{N}万元", ("basic_total",)),
    (r"[)）、]支出决算情况", rf"人员支出{N}万元", ("personnel_all",)),
    (r"[)）、]支出决算情况", rf"公用支出{N}万元", ("public_all",)),
    (r"[)）、]支出决算情况", rf"^\d+\.项目支出{N}万元", ("project_total",)),
    (r"[)）、]支出决算情况", rf"上缴上级支出{N}万元", ("to_superior_total",)),
    (r"[)）、]支出决算情况", rf"^\d+\.经营支出{N}万元", ("operating_total",)),
    (r"[)）、]支出决算情况", rf"对附属单位补助支出{N}万元", ("affiliated_total",)),
    ("财政拨款收入支出决算总体情况", rf"财政拨款收入总计{N}万元,支出总计{N}万元,与上年决算数相比,各{UP_DOWN}{N}万元,{PCT}{N}%",
     ("fiscal_income_total", "fiscal_expenditure_total", "fiscal_change", "fiscal_change_pct")),
    ("一般公共预算财政拨款支出决算情况", rf"一般公共预算(?:财政)?拨款支出{N}万元,比上年决算数{UP_DOWN}{N}万元,{PCT}{N}%",
     ("gpb_total", "gpb_change", "gpb_change_pct")),
    # the Shanghai template's phrasing
    ("收入支出决算总体情况", rf"收入支出总计{N}万元。?与\d{{4}}年度?相比,收入支出总计{UP_DOWN}{N}万元,{PCT}{N}%",
     ("total_income_all", "total_change", "total_change_pct")),
    (r"[)）、]收入决算情况", rf"本年收入合计{N}万元", ("income_total",)),
    (r"[)）、]收入决算情况", rf"(?P<name>财政拨款收入|其他收入|事业收入|经营收入|上级补助收入|附属单位上缴收入){N}万元,占{N}%",
     ("income_source:{name}", "income_source_pct:{name}")),
    (r"[)）、]支出决算情况", rf"本年支出合计{N}万元", ("expenditure_total",)),
    (r"[)）、]支出决算情况", rf"[;,:]项目支出{N}万元", ("project_total",)),
    ("财政拨款收入支出决算总体情况", rf"财政拨款收入支出总计{N}万元", ("fiscal_income_total",)),
    ("一般公共预算财政拨款支出决算情况", rf"^一般公共预算财政拨款支出{N}万元,占本年支出合计的{N}%。?与\d{{4}}年度?相比,"
     rf"一般公共预算财政拨款支出{UP_DOWN}{N}万元,{PCT}{N}%", ("gpb_total", "gpb_share_pct", "gpb_change", "gpb_change_pct")),
    ("一般公共预算财政拨款支出决算情况", rf"一般公共预算财政拨款支出年初预算为{N}万元,支出决算为{N}万元,完成年初预算的{N}%",
     ("gpb_budget_initial", "gpb_actual", "gpb_completion_pct")),
    ("三公", rf"“三公”经费财政拨款支出年初预算为{N}万元,支出决算为{N}万元,完成预算的{N}%",
     ("three_public:合计:budget", "three_public:合计:actual", "three_public:合计:completion_pct")),
    ("三公", rf"(?P<name>因公出国\(境\)费|公务用车购置及运行(?:维护)?费|公务接待费)(?:支出)?决算为{N}万元,完成预算的{N}%",
     ("three_public:{name}:actual", "three_public:{name}:completion_pct")),
    ("机关运行经费", rf"机关运行经费支出{N}万元,比\d{{4}}年度?{UP_DOWN}{N}万元,{PCT}{N}%",
     ("admin_cost", "admin_cost_change", "admin_cost_change_pct")),
    ("政府采购", rf"政府采购金额(?:\(以合同签订为准\))?为{N}万元,其中:货物采购金额{N}万元、工程采购金额{N}万元、服务采购金额{N}万元",
     ("procurement_total", "procurement_goods", "procurement_works", "procurement_services")),
    ("国有资产", rf"单价100万元(?:\(含\))?以上设备(?:\(不含车辆\))?{N}台", ("equipment_over_1m",)),
    ("绩效", rf"绩效自评的\d{{4}}年度项目{N}个,涉及预算金额{N}万元,平均得分{N}分", ("perf_self_count", "perf_self_funds", "perf_average_score")),
    ("政府性基金预算财政拨款支出决算情况", rf"政府性基金(?:预算)?(?:财政拨款)?支出{N}万元,比上年决算数{UP_DOWN}{N}万元,{PCT}{N}%",
     ("gov_fund_total", "gov_fund_change", "gov_fund_change_pct")),
    ("国有资本经营预算财政拨款支出决算情况", rf"国有资本经营预算(?:财政拨款)?支出{N}万元,比上年决算数{UP_DOWN}{N}万元,{PCT}{N}%",
     ("soe_total", "soe_change", "soe_change_pct")),
    ("基本支出决算情况", rf"基本支出{N}万元", ("gpb_basic_total",)),
    ("基本支出决算情况", rf"人员经费{N}万元", ("gpb_personnel_total",)),
    ("基本支出决算情况", rf"公用经费{N}万元", ("gpb_public_total",)),
    ("三公", rf"“三公”经费支出{N}万元,完成全年预算数{N}%,.{{0,300}}?较上年{UP_DOWN}{N}万元,{PCT}{N}%",
     ("three_public:合计:actual", "three_public:合计:completion_pct", "three_public:合计:change",
      "three_public:合计:change_pct")),
    ("三公", rf"(?P<name>因公出国\(境\)费|公务用车购置及运行(?:维护)?费|公务用车购置费|公务用车运行(?:维护)?费|公务接待费)支出{N}万元,完成全年预算数{N}%,.{{0,300}}?较上年{UP_DOWN}{N}万元,{PCT}{N}%",
     ("three_public:{name}:actual", "three_public:{name}:completion_pct", "three_public:{name}:change",
      "three_public:{name}:change_pct")),
    ("三公", rf"本部门组织的出国团组{N}个", ("abroad_groups_own",)),
    ("三公", rf"参加其他部门出国团组{N}个", ("abroad_groups_other",)),
    ("三公", rf"因公出国\(境\)累计{N}人次", ("abroad_persons",)),
    ("三公", rf"公务用车购置{N}辆", ("vehicles_purchased",)),
    ("三公", rf"公务用车保有量为{N}辆", ("vehicles_held",)),
    ("三公", rf"累计接待{N}批次、?,?{N}人次", ("reception_batches", "reception_persons")),
    ("绩效", rf"对(?:\d{{4}}年度)?{N}个项目实施单位自评.{{0,300}}?涉及财政拨款资金共计{N}万元",
     ("perf_self_count", "perf_self_funds")),
    ("绩效", rf"对(?:\d{{4}}年度)?{N}个项目实施部门评价.{{0,300}}?涉及财政拨款资金共计{N}万元",
     ("perf_eval_count", "perf_eval_funds")),
    ("绩效", rf"“优”“良”“中”“差”的项目分别是{N}个、{N}个、{N}个、{N}个",
     ("grade_count:优", "grade_count:良", "grade_count:中", "grade_count:差")),
    ("机关运行经费", rf"机关运行经费支出{N}万元,比上年决算数{UP_DOWN}{N}%", ("admin_cost", "admin_cost_change_pct")),
    ("政府采购", rf"政府采购支出总额{N}万元", ("procurement_total",)),
    ("政府采购", rf"政府采购货物支出{N}万元", ("procurement_goods",)),
    ("政府采购", rf"政府采购工程支出{N}万元", ("procurement_works",)),
    ("政府采购", rf"政府采购服务支出{N}万元", ("procurement_services",)),
    ("政府采购", rf"授予中小企业合同金额{N}万元,占政府采购支出总额的{N}%", ("procurement_sme", "procurement_sme_pct")),
    ("政府采购", rf"授予小微企业合同金额{N}万元,占授予中小企业合同金额的{N}%",
     ("procurement_small", "procurement_small_pct")),
    ("政府采购", rf"货物采购授予中小企业合同金额占货物支出金额的{N}%", ("procurement_goods_sme_pct",)),
    ("政府采购", rf"工程采购授予中小企业合同金额占工程支出金额的{N}%", ("procurement_works_sme_pct",)),
    ("政府采购", rf"服务采购授予中小企业合同金额占服务支出金额的{N}%", ("procurement_services_sme_pct",)),
    ("国有资产", rf"共有车辆{N}辆", ("vehicles_total",)),
    ("国有资产", rf"(?P<name>[^,:;、]{{1,20}}?用车){N}辆", ("vehicles:{name}",)),
    ("国有资产", rf"单位价值100万元以上设备(?:\(不含车辆\))?{N}台", ("equipment_over_1m",)),
]

# 预算 phrasing: the same keys where the meaning is the same (a budget's totals are its 收支预算总表 totals).
BUDGET_KEYED: list[tuple[str, str, tuple[str, ...]]] = [
    ("", rf"(?:本年)?收入预算(?:总计|合计){N}万元", ("income_total",)),
    ("", rf"(?:^|年,|[。;])[^,。;]{{0,40}}?收入预算{N}万元,其中:财政拨款收入{N}万元", ("income_total", "fiscal_income_total")),
    ("", rf"财政拨款收入预算总计{N}万元", ("fiscal_income_total",)),
    ("", rf"(?:本年)?支出预算(?:总计|合计){N}万元", ("expenditure_total",)),
    ("", rf"(?:^|[。;])支出预算{N}万元,其中:财政拨款支出预算{N}万元", ("expenditure_total", "fiscal_expenditure_total")),
    ("三公", rf"“三公”经费预算数?为{N}万元", ("three_public:合计:budget",)),
    ("三公", rf"(?:^|[(（)）\d、.:;,])(?P<name>因公出国\(境\)费|公务用车购置及运行(?:维护)?费|公务用车购置费|公务用车运行(?:维护)?费|公务接待费)(?:预算)?(?:为)?{N}万元",
     ("three_public:{name}:budget",)),
    ("", rf"机关运行经费预算(?:支出|为|数为)?{N}万元", ("admin_cost",)),
    ("", rf"政府采购预算(?:总金额为|总额为|为)?{N}万元", ("procurement_total",)),
    # a 科目 named by its path, with its budget: `“一般公共服务支出（类）商贸事务（款）行政运行（项）”科目938.99万元`
    ("", rf"(?P<name>[^“”()。,;:、]{{2,30}}\(类\)[^“”()。,;:]{{1,30}}\(款\)[^“”()。,;:]{{1,40}}\(项\))”?(?:科目)?{N}万元",
     ("item_budget:{name}",)),
]
NARRATIVE_PATTERNS = {"final": None, "budget": BUDGET_KEYED}

KEY_LABELS = {
    "total_income_all": "收入总计", "total_expenditure_all": "支出总计", "total_change": "收支总计比上年增减",
    "total_change_pct": "收支总计比上年增减率", "income_total": "本年收入合计", "income_change": "收入比上年增减",
    "income_change_pct": "收入比上年增减率", "expenditure_total": "本年支出合计",
    "expenditure_change": "支出比上年增减", "expenditure_change_pct": "支出比上年增减率",
    "basic_total": "基本支出", "personnel_all": "人员支出（全部资金）", "public_all": "公用支出（全部资金）",
    "project_total": "项目支出", "to_superior_total": "上缴上级支出", "operating_total": "经营支出",
    "affiliated_total": "对附属单位补助支出", "fiscal_income_total": "财政拨款收入总计",
    "fiscal_expenditure_total": "财政拨款支出总计", "fiscal_change": "财政拨款收支比上年增减",
    "fiscal_change_pct": "财政拨款收支比上年增减率", "gpb_total": "一般公共预算财政拨款支出",
    "gpb_change": "一般公共预算财政拨款支出比上年增减", "gpb_change_pct": "一般公共预算财政拨款支出比上年增减率",
    "gov_fund_total": "政府性基金预算财政拨款支出", "gpb_share_pct": "一般公共预算财政拨款支出占本年支出比例",
    "admin_cost_change": "机关运行经费比上年增减", "perf_average_score": "绩效自评平均得分",
    "gpb_budget_initial": "一般公共预算财政拨款支出年初预算", "gpb_actual": "一般公共预算财政拨款支出决算",
    "gpb_completion_pct": "一般公共预算财政拨款支出完成年初预算比例", "gov_fund_change": "政府性基金支出比上年增减",
    "gov_fund_change_pct": "政府性基金支出比上年增减率", "soe_total": "国有资本经营预算财政拨款支出",
    "soe_change": "国有资本经营预算支出比上年增减", "soe_change_pct": "国有资本经营预算支出比上年增减率",
    "gpb_basic_total": "一般公共预算财政拨款基本支出", "gpb_personnel_total": "人员经费",
    "gpb_public_total": "公用经费", "abroad_groups_own": "本部门组织的出国团组",
    "abroad_groups_other": "参加其他部门出国团组", "abroad_persons": "因公出国（境）人次",
    "vehicles_purchased": "公务用车购置数量", "vehicles_held": "公务用车保有量", "reception_batches": "公务接待批次",
    "reception_persons": "公务接待人次", "perf_self_count": "单位自评项目数", "perf_self_funds": "单位自评涉及资金",
    "perf_eval_count": "部门评价项目数", "perf_eval_funds": "部门评价涉及资金", "admin_cost": "机关运行经费",
    "admin_cost_change_pct": "机关运行经费比上年增减率", "procurement_total": "政府采购支出总额",
    "procurement_goods": "政府采购货物支出", "procurement_works": "政府采购工程支出",
    "procurement_services": "政府采购服务支出", "procurement_sme": "授予中小企业合同金额",
    "procurement_sme_pct": "中小企业合同占政府采购支出比例", "procurement_small": "授予小微企业合同金额",
    "procurement_small_pct": "小微企业合同占中小企业合同比例",
    "procurement_goods_sme_pct": "货物采购中小企业占比", "procurement_works_sme_pct": "工程采购中小企业占比",
    "procurement_services_sme_pct": "服务采购中小企业占比", "vehicles_total": "车辆总数",
    "equipment_over_1m": "单位价值100万元以上设备",
}
MEASURE_LABELS = {"budget": "预算数", "actual": "决算数", "completion_pct": "完成全年预算比例", "change": "比上年增减",
                  "change_pct": "比上年增减率"}

_YOY = re.compile(
    rf"^\([一二三四五六七八九十]+\)(?P<code>\d{{7}})-(?P<name>.+?){N}万元,较上年决算数(?P<dir>净增加|净减少|增加|减少){N}万元"
    rf"(?:,(?:增长|下降){N}%)?。?(?:主要原因是:?(?P<reason>.*?)。?)?$"
)


def label_for(key: str) -> str:
    """The Chinese label shown for a keyed figure."""
    if key in KEY_LABELS:
        return KEY_LABELS[key]
    parts = key.split(":")
    if parts[0] == "three_public":
        return f"{parts[1]}{MEASURE_LABELS[parts[2]]}"
    if parts[0] in ("income_item", "income_source"):
        return parts[1]
    if parts[0] == "income_source_pct":
        return f"{parts[1]}占比"
    if parts[0] == "grade_count":
        return f"评价等次为“{parts[1]}”的项目数"
    if parts[0] == "vehicles":
        return parts[1]
    names = {"item_budget": "年初预算", "item_actual": "支出决算", "class_amount": "支出", "class_share_pct": "占比"}
    if parts[0] in names:
        return f"{parts[1]} {names[parts[0]]}"
    return key


def _expand(template: str, m: re.Match) -> str:
    name = m.groupdict().get("name")
    if name is not None:
        name = THREE_PUBLIC_NAMES.get(name, name)
        if "(类)" in name:  # a 科目 named by its path: `一般公共服务支出(类)商贸事务(款)行政运行(项)` → 类/款/项
            name = re.sub(r"\((类|款|项)\)", "/", name).rstrip("/")
        return template.replace("{name}", name)
    return template


def parse_narrative(lines, keyed: str = "final") -> tuple[list[NarrativeFigure], list[YoyLine], dict[str, str]]:
    """All figures of Part 3 with keys where known, the YoY lines, and each section's text; `keyed` names the
    phrasing set (决算 "final", 预算 "budget")."""
    patterns = NARRATIVE_PATTERNS[keyed] or KEYED
    figures: list[NarrativeFigure] = []
    yoy: list[YoyLine] = []
    texts: dict[str, list[str]] = {}
    top, sub = "", ""
    for para in paragraphs(lines):
        if is_heading(para.text):
            if re.match(r"^[一二三四五六七八九十]+、", para.folded):
                top, sub = para.text.strip(), ""
            else:
                sub = para.text.strip()
            continue
        section = f"{top}/{sub}" if sub else top
        texts.setdefault(section, []).append(para.text)
        spanning = {**_keyed_positions(section, para.folded, True, patterns), **_named_item_keys(para.folded)}
        for sentence, offset in _sentences(para.folded):
            found = _sentence_figures(section, sentence, offset, para, patterns)
            for fig, pos in found:
                key = spanning.get(offset + pos)
                if key and not fig.key:
                    fig.key, fig.label = key, label_for(key)
            figures.extend(fig for fig, _ in found)
        m = _YOY.match(para.folded)
        if m and "一般公共预算" in top:
            line = _yoy_line(m, para, 0)
            verbatim = re.search(r"主要原因是[：:]?\s*(.*?)。?\s*$", para.text, re.S)
            line.reason = verbatim.group(1).strip() if verbatim else line.reason
            yoy.append(line)
    return figures, yoy, {k: "\n".join(v) for k, v in texts.items()}


def _sentences(folded: str):
    start = 0
    for m in re.finditer(r"。", folded):
        yield folded[start : m.end()], start
        start = m.end()
    if start < len(folded):
        yield folded[start:], start


def _quoted_spans(sentence: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"“[^”]{0,200}”", sentence)]


def _sentence_figures(section: str, sentence: str, offset: int, para: Paragraph, patterns) -> list[NarrativeFigure]:
    keyed = _keyed_positions(section, sentence, False, patterns)
    quoted = _quoted_spans(sentence)
    out: list[tuple[NarrativeFigure, int]] = []
    for m in _FIGURE.finditer(sentence):
        pos = m.start(1)
        if pos > 0 and (sentence[pos - 1].isdigit() or sentence[pos - 1] == "."):
            continue
        if any(a < pos < b for a, b in quoted) and pos not in keyed:
            continue
        value = text_number(m.group(1))
        before = sentence[:pos]
        clause = re.split(r"[,;:，；：。]", before)[-1]
        if _NEGATIVE.search(clause):
            value = -value
        key = keyed.get(pos)
        subject = re.split(r"[,;:，；：]", sentence)[0]
        subject = _FIGURE.sub("", subject)[:24]
        label = label_for(key) if key else (clause if clause and clause != subject else subject) or clause
        out.append((
            NarrativeFigure(
                section=section,
                label=label.strip() or subject,
                value=value,
                unit=m.group(2).replace("台(套)", "台（套）"),
                source_ref=para.ref_at(offset + pos),
                key=key,
                phrase=sentence,
            ),
            pos,
        ))
    return out


# Lines that name a 科目 by its printed path instead of its code (the Shanghai template):
#   1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：…年初预算为1560.05万元，支出决算为1511.89万元。
#   一般公共服务支出（类）2106.66万元，占71.73%；
_ITEM_LINE = re.compile(
    rf"^\d+、(?P<path>[^()]+?\(类\)[^()]+?\(款\)[^()]+?\(项\))。.*?年初预算为{N}万元,支出决算为{N}万元")
_CLASS_LINE = re.compile(rf"(?P<path>[^,;:()。]{{1,30}}?)\(类\){N}万元,占{N}%")


def _named_item_keys(folded: str) -> dict[int, str]:
    """Offsets of the amounts such lines state → `item_budget:<path>`, `item_actual:<path>`, `class_*:<name>`."""
    keyed: dict[int, str] = {}
    m = _ITEM_LINE.match(folded)
    if m:
        path = re.sub(r"\((类|款|项)\)", "/", m.group("path")).rstrip("/")
        keyed[m.start(2)] = f"item_budget:{path}"
        keyed[m.start(3)] = f"item_actual:{path}"
    for m in _CLASS_LINE.finditer(folded):
        keyed[m.start(2)] = f"class_amount:{m.group('path')}"
        keyed[m.start(3)] = f"class_share_pct:{m.group('path')}"
    return keyed


def _keyed_positions(section: str, text: str, spanning: bool, patterns=None) -> dict[int, str]:
    """Offset of each number a KEYED pattern names → its key; `spanning` picks the patterns that cross a 。."""
    keyed: dict[int, str] = {}
    for needle, pattern, keys in patterns or KEYED:
        if ("。" in pattern) != spanning or not re.search(needle, section):
            continue
        for m in re.finditer(pattern, text):
            numeric = [i for i in range(1, (m.re.groups or 0) + 1) if m.re.groupindex.get("name") != i]
            for key, gi in zip(keys, numeric):
                if m.start(gi) >= 0:
                    keyed.setdefault(m.start(gi), _expand(key, m))
    return keyed


def _yoy_line(m: re.Match, para: Paragraph, offset: int) -> YoyLine:
    amount = text_number(m.group(3))
    change = text_number(m.group(5))
    if "减少" in m.group("dir"):
        change = -change
    pct = text_number(m.group(6)) if m.group(6) else None
    if pct is not None and change < 0:
        pct = -pct
    stated = m.group("name")
    return YoyLine(
        code=m.group("code"),
        name=stated,
        stated_name=stated,
        amount=amount,
        change=change,
        change_pct=pct,
        reason=(m.group("reason") or "").strip(),
        source_ref=para.ref_at(offset),
    )


def table_name_for(stated: str, names: dict[str, str], code: str) -> str:
    """The classification name as the tables print it: `行政运行支出` → `行政运行` when the tables know the code."""
    if code in names:
        return names[code]
    return stated


