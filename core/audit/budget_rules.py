"""Identities of a 预算 disclosure: the 收支预算总表 balance, row sums, 类 = Σ款 = Σ项, cross-table and narrative."""

from __future__ import annotations

import re
from collections import defaultdict

from core.audit.context import Missing
from core.audit.rules import _code_by_path, rule
from core.ingest.numbers import plain
from core.budget import EXPENDITURE_TOTALS, INCOME_TOTALS
from core.ingest.numbers import fold
from core.ingest.reference import strip_ordinal

BUDGET = ("预算",)
_TOP = re.compile(r"^[一二三四五六七八九十]+、")


def _maybe(find, *args):
    """A figure one comparison needs, or None: a rule compares what the document prints and skips the rest."""
    try:
        return find(*args)
    except Missing:
        return None


def _total(ctx, table: str, side: str, labels: tuple[str, ...]):
    for want in labels:
        for i in ctx.rows(table, side):
            if strip_ordinal(i.label) == fold(want):
                return i
    raise Missing(f"{table}:{side}:{labels[0]}")


def _subtotal(ctx, table: str, side: str):
    """The 当年 subtotal where printed (Jiangsu), else the side's total."""
    word = "收入" if side == "收入" else "支出"
    for i in ctx.rows(table, side):
        if fold(i.label) in (f"当年{word}小计", f"本年{word}合计"):
            return i
    return _total(ctx, table, side, INCOME_TOTALS if side == "收入" else EXPENDITURE_TOTALS)


def _table_total(ctx, table: str, column_key_words: tuple[str, ...] = ("合计", "金额", "预算数", "")):
    rows = [i for i in ctx.rows(table) if i.code is None and fold(i.label) in ("合计", "总计", "收入总计")]
    if not rows:
        raise Missing(f"{table}:合计")
    for word in column_key_words:
        for i in rows:
            if word in fold(i.column):
                return i
    return rows[0]


def whole_yuan(out) -> None:
    """Budget tables printed in 元 are compiled from amounts rounded to whole 元: their rounding is ±0.5 元 a figure."""
    out.units = {t: (u * 100 if u < 1 else u) for t, u in out.units.items()}


@rule("B-BALANCE", "收支预算总表收支平衡", "收支预算总表、财政拨款收支预算总表：收入合计（总计）= 支出合计（总计）",
      "预算必须收支平衡，两边不等说明表内数字有误。", kinds=BUDGET)
def _b_balance(ctx, out):
    for table in ("B01", "B04"):
        if table not in ctx.tables:
            continue
        income = _total(ctx, table, "收入", INCOME_TOTALS)
        spend = _total(ctx, table, "支出", EXPENDITURE_TOTALS)
        out.equal(table, income.label, spend.amount, income.amount, f"{table}:{income.label}", spend.ref,
                  what=f"{table} {spend.label} 与 {income.label}")
    if out.checked == 0:
        raise Missing("no 收支预算总表")


@rule("B-ROW-SUMS", "收支预算总表分项之和", "收支预算总表每一侧“一、二、三…”各项之和 = 该侧小计（或合计）；"
      "支出按功能分类和按用途各成一组", "分项加总不等于合计，说明漏列、重列或抄错了某一项。", kinds=BUDGET)
def _b_row_sums(ctx, out):
    if "B01" not in ctx.tables:
        raise Missing("B01")
    for side in ("收入", "支出"):
        subtotal = _subtotal(ctx, "B01", side)
        same_row = {i.column: i for i in ctx.rows("B01", side) if i.row_no == subtotal.row_no}
        groups: dict[str, list] = defaultdict(list)
        for i in ctx.rows("B01", side):
            if _TOP.match(fold(i.label)):
                groups[i.column].append(i)
        for column, items in groups.items():
            # a column's own subtotal where the row prints one; else the side's, when the column is a whole block
            total = same_row.get(column) or (subtotal if len(groups) <= 2 else None)
            if total is None:
                continue
            out.equal_sum("B01", total.label, total.amount, [i.amount for i in items], f"B01:{side}:{column}",
                          total.ref, what=f"B01 {total.label}（{column}）")


@rule("B-HIERARCHY", "科目层级加总", "按科目列示的预算表：类 = Σ款，款 = Σ项，合计 = Σ类（逐列）",
      "上下级科目对不上，说明某一科目漏列、重列或抄错。", kinds=BUDGET)
def _b_hierarchy(ctx, out):
    whole_yuan(out)
    tables = {t for t in ctx.budget_classified}
    if not tables:
        raise Missing("no classified budget table")
    for table in sorted(tables):
        rows = ctx.budget_classified[table]
        for (code, key), (amount, ref, level) in rows.items():
            children = [a for (c, k), (a, _, _) in rows.items() if k == key and len(c) == len(code) + 2
                        and c.startswith(code)]
            if children:
                out.equal_sum(table, code, amount, children, f"{table}:{code}下级", ref,
                              what=f"{table} {code}（{key}）")
        totals = {fold(i.column): i for i in ctx.rows(table) if i.code is None and fold(i.label) in ("合计", "总计")}
        keys = sorted({k for (_, k) in rows})
        for key in keys:
            top = [a for (c, k), (a, _, level) in rows.items() if k == key and level == 1]
            total = next((i for col, i in totals.items() if ctx.column_keys.get((table, col)) == key), None)
            if total is not None and top:
                out.equal_sum(table, "合计", total.amount, top, f"{table}:类", total.ref,
                              what=f"{table} 合计（{key}）")


@rule("B-CROSS", "预算表之间相互一致", "支出预算总表合计 = 收支预算总表支出；财政拨款支出预算表合计 = 财政拨款收支预算总表支出；"
      "一般公共预算支出预算表合计 = 财政拨款收支预算总表的一般公共预算收入；收入预算总表合计 = 收支预算总表收入；"
      "“三公”合计 = 三项之和，公务用车 = 购置 + 运行，总计 = “三公” + 会议费 + 培训费",
      "同一笔钱在不同表里应是同一个数。", kinds=BUDGET)
def _b_cross(ctx, out):
    whole_yuan(out)
    gpb_income = next((i for i in ctx.rows("B04", "收入") if strip_ordinal(i.label) == "一般公共预算"), None)
    pairs = [
        (_maybe(_table_total, ctx, "B03"), _maybe(_subtotal, ctx, "B01", "支出"), "B01"),
        (_maybe(_table_total, ctx, "B02"), _maybe(_subtotal, ctx, "B01", "收入"), "B01"),
        (_maybe(_table_total, ctx, "B05"), _maybe(_total, ctx, "B04", "支出", EXPENDITURE_TOTALS), "B04"),
        (_maybe(_table_total, ctx, "B07"), gpb_income, "B04"),
    ]
    for mine, theirs, other in pairs:
        if mine is None or theirs is None:
            continue
        out.equal(mine.table, mine.label, mine.amount, theirs.amount, f"{other}:{theirs.label}", mine.ref,
                  what=f"{mine.table} {mine.label}（{mine.column}）与 {other} {theirs.label}")
    items = {i.label: i for i in ctx.rows("B09")}
    for total, parts in (("合计", ("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费")),
                         ("公务用车购置及运行维护费", ("公务用车购置费", "公务用车运行维护费")),
                         ("总计", ("合计", "会议费", "培训费"))):
        if total in items and any(p in items for p in parts):
            out.equal_sum("B09", total, items[total].amount, [items[p].amount for p in parts if p in items],
                          "B09:" + "+".join(p for p in parts if p in items), items[total].ref, what=f"B09 {total}")
    if out.checked == 0:
        raise Missing("no pair of budget tables to compare")


@rule("B-NARRATIVE", "情况说明与预算表一致", "情况说明中的收入、支出预算总额，“三公”经费及各项、机关运行经费、政府采购预算 = 表中对应数字",
      "文字说明与表格不一致时，读者无从判断哪个数字是真的。", kinds=BUDGET)
def _b_narrative(ctx, out):
    table_figures = {}
    for key, side, labels in (("income_total", "收入", INCOME_TOTALS), ("expenditure_total", "支出", EXPENDITURE_TOTALS)):
        table_figures[key] = _maybe(_total, ctx, "B01", side, labels)
    for i in ctx.rows("B09"):
        if i.label in ("合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费",
                       "公务接待费"):
            table_figures[f"three_public:{i.label}:budget"] = i
        if i.label == "机关运行经费":
            table_figures["admin_cost"] = i
    if "admin_cost" not in table_figures:
        table_figures["admin_cost"] = _maybe(_table_total, ctx, "B12")
    table_figures["procurement_total"] = _maybe(_table_total, ctx, "B13")
    for key, (value, ref) in ctx.narrative.items():
        item = table_figures.get(key)
        if item is None:
            continue
        out.equal(item.table, item.label, value, item.amount, f"N:{key}", ref,
                  what=f"情况说明 {key}（表 {item.table} {item.label}）")
    if out.checked == 0:
        raise Missing("no keyed narrative figure with a table counterpart")


# Per row of a 科目 table: the total column against its parts, by the layout's column keys.
ROW_PARTS = (("total", ("basic", "project", "reserve", "carry_forward")), ("total", ("personnel", "public")),
             ("total", ("fiscal", "business", "operating", "other")))


@rule("B-ROW-COLUMNS", "每行合计等于各分列之和", "按科目列示的预算表逐行：合计 = 基本支出 + 项目支出（经济分类：人员经费 + 公用经费；"
      "收入：财政拨款 + 事业 + 经营 + 其他）", "一行之内合计与分项对不上，说明该行有数字抄错。", kinds=BUDGET)
def _b_row_columns(ctx, out):
    whole_yuan(out)
    for table, rows in sorted(ctx.budget_classified.items()):
        codes = sorted({c for c, _ in rows})
        for code in codes:
            for total_key, part_keys in ROW_PARTS:
                total = rows.get((code, total_key))
                parts = [rows[(code, k)][0] for k in part_keys if (code, k) in rows]
                if total is None or len(parts) < 2:
                    continue
                out.equal_sum(table, code, total[0], parts, f"{table}:{code}:" + "+".join(
                    k for k in part_keys if (code, k) in rows), total[1], what=f"{table} {code} 合计")
    if out.checked == 0:
        raise Missing("no budget table prints a total beside its parts")


@rule("B-ITEMS", "情况说明逐项数字与表格一致",
      "逐项说明中：行首金额 = 行内“本年预算安排”= 一般公共预算支出表该科目合计；增减比例 = 本年预算安排 / 上年预算执行数 − 1；"
      "所写类名 = 表中类名；按“类/款/项”名称列示的金额 = 表中该科目合计",
      "同一科目在一句话里写了两个不同金额、比例算错或科目改了名，读者无从判断哪个是真的。", kinds=BUDGET)
def _b_items(ctx, out):
    rows = ctx.classified.get("T05", {})
    named = [k for k in ctx.narrative if k.startswith("item_budget:")]
    if not ctx.yoy and not named:
        raise Missing("no per-项 lines in the narrative")
    for y in ctx.yoy:
        code, ref, label = y["code"], y["ref"], f"{y['code']} {y['name']}"
        if y["restated"] is not None and y["amount"] is not None:
            out.equal("N", code, y["restated"], y["amount"], f"N:{code}", ref,
                      what=f"{label}：行首 {plain(y['amount'])} 万元，行内“预算安排”")
        if code in rows and y["amount"] is not None:
            out.equal("N", code, y["amount"], rows[code]["values"]["total"], f"N:{code}", ref,
                      what=f"{label}：说明 vs 表中合计")
        if y["prior"] and y["amount"] is not None and y["change_pct"] is not None:
            # measured from the line's own amount (checked against the table above), not its restatement
            out.ratio("N", code, y["change_pct"], y["amount"] - y["prior"], y["prior"], f"N:{code}", ref,
                      f"{label} 比上年预算执行数增减")
        stated_class = (y["stated_name"] or "").split("/")[0]
        table_class = rows.get(code[:3], {}).get("name")
        if stated_class and table_class:
            out.checked += 1
            if fold(stated_class) != fold(table_class):
                out.flag("N", code, f"{label}：说明写作“{stated_class}（{code[:3]}类）”，表中为“{table_class}”", ref,
                         severity="warning", related=f"T05:{code[:3]}")
    for key in named:
        value, ref = ctx.narrative[key]
        path = key.split(":", 1)[1]
        code = _code_by_path(ctx, path)
        if code is None:
            out.flag("N", key, f"说明中的科目“{path}”在一般公共预算支出表中找不到", ref, actual=value, severity="warning")
            continue
        out.equal("N", key, value, rows[code]["values"]["total"], f"N:{code}", ref, what=path)


_TEXT_CHECKS = (
    (re.compile(r"。。"), "连续两个句号"),
    (re.compile(r"主要原因是[:：]?\s*[。；;]"), "“主要原因是”后没有写原因"),
    (re.compile(r"增加[(（]减少[)）]|增长[(（]下降[)）]|增加/减少"), "模板中的“增加（减少）”未按实际情况选定"),
)


def _stray_close(sentence: str) -> int | None:
    """Where a closing quote first has no opening quote before it in the sentence (info only: PDF text layers
    sometimes place a title's quote marks apart from their words)."""
    depth = 0
    for i, ch in enumerate(sentence):
        depth += {"“": 1, "”": -1}.get(ch, 0)
        if depth < 0:
            return i
    return None


@rule("B-TEXT", "说明文字没有明显的编辑错误",
      "重复句号；“主要原因是”后无内容；模板选项未删除；与本年度自身比较（“比{本年}年预算”）；单位预算写成“部门预算”；"
      "一句话中右引号没有对应的左引号（仅提示）", "这些编辑错误不改变数字，但说明文件未经仔细核对，读者可能误解。", severity="warning",
      kinds=BUDGET)
def _b_text(ctx, out):
    pages = ctx.source_text.split("\f")
    own_year = re.compile(rf"(?:比|与)\s*{ctx.fiscal_year}\s*年(?:度)?(?:预算|同期)")
    for n, page in enumerate(pages, start=1):
        text = re.sub(r"\s+", "", page)
        ref = ctx.page_ref(n)
        for pattern, what in _TEXT_CHECKS:
            for m in pattern.finditer(text):
                out.flag("N", "文字", f"{what}：“…{text[max(m.start() - 16, 0):m.end() + 4]}…”", ref)
        for m in own_year.finditer(text):
            out.flag("N", "文字", f"{ctx.fiscal_year} 年预算与“{ctx.fiscal_year} 年”自身比较："
                                  f"“…{text[max(m.start() - 16, 0):m.end() + 8]}…”", ref)
        if ctx.scope == "单位":
            for m in re.finditer(r"部门预算(?:安排|编制)", text):
                out.flag("N", "文字", f"单位预算中写作“{m.group()}”：“…{text[max(m.start() - 12, 0):m.end() + 8]}…”", ref)
        for sentence in re.split(r"(?<=。)", text):
            stray = _stray_close(sentence)
            if stray is not None:
                out.flag("N", "文字", f"右引号没有对应的左引号：「…{sentence[max(stray - 24, 0):stray + 8]}…」", ref,
                         severity="info")
        out.checked += 1
