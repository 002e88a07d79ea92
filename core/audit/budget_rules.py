"""Identities of a 预算 disclosure: the 收支预算总表 balance, row sums, 类 = Σ款 = Σ项, cross-table and narrative."""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from core.audit.context import Missing
from core.audit.rules import rule
from core.budget import EXPENDITURE_TOTALS, INCOME_TOTALS
from core.ingest.numbers import fold
from core.ingest.reference import strip_ordinal

BUDGET = ("预算",)
_TOP = re.compile(r"^[一二三四五六七八九十]+、")


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
    pairs = []
    if {"B01", "B03"} <= ctx.tables:
        pairs.append((_table_total(ctx, "B03"), _subtotal(ctx, "B01", "支出"), "B01"))
    if {"B01", "B02"} <= ctx.tables:
        pairs.append((_table_total(ctx, "B02"), _subtotal(ctx, "B01", "收入"), "B01"))
    if {"B04", "B05"} <= ctx.tables:
        pairs.append((_table_total(ctx, "B05"), _total(ctx, "B04", "支出", EXPENDITURE_TOTALS), "B04"))
    if {"B04", "B07"} <= ctx.tables:
        gpb = next((i for i in ctx.rows("B04", "收入") if strip_ordinal(i.label) == "一般公共预算"), None)
        if gpb is not None:
            pairs.append((_table_total(ctx, "B07"), gpb, "B04"))
    for mine, theirs, other in pairs:
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


NARRATIVE_PAIRS = (
    ("income_total", "收入预算总额"), ("expenditure_total", "支出预算总额"),
    ("three_public:合计:budget", "“三公”经费预算"), ("admin_cost", "机关运行经费预算"),
    ("procurement_total", "政府采购预算"),
)


@rule("B-NARRATIVE", "情况说明与预算表一致", "情况说明中的收入、支出预算总额，“三公”经费及各项、机关运行经费、政府采购预算 = 表中对应数字",
      "文字说明与表格不一致时，读者无从判断哪个数字是真的。", kinds=BUDGET)
def _b_narrative(ctx, out):
    table_figures = {}
    if "B01" in ctx.tables:
        for key, side, labels in (("income_total", "收入", INCOME_TOTALS), ("expenditure_total", "支出", EXPENDITURE_TOTALS)):
            try:
                table_figures[key] = _total(ctx, "B01", side, labels)
            except Missing:
                pass
    for i in ctx.rows("B09"):
        if i.label in ("合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费",
                       "公务接待费"):
            table_figures[f"three_public:{i.label}:budget"] = i
        if i.label == "机关运行经费":
            table_figures["admin_cost"] = i
    if "admin_cost" not in table_figures and "B12" in ctx.tables:
        table_figures["admin_cost"] = _table_total(ctx, "B12")
    if "B13" in ctx.tables:
        try:
            table_figures["procurement_total"] = _table_total(ctx, "B13")
        except Missing:
            pass
    for key, (value, ref) in ctx.narrative.items():
        item = table_figures.get(key)
        if item is None:
            continue
        out.equal(item.table, item.label, value, item.amount, f"N:{key}", ref,
                  what=f"情况说明 {key}（表 {item.table} {item.label}）")
    if out.checked == 0:
        raise Missing("no keyed narrative figure with a table counterpart")
