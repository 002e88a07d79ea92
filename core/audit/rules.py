"""The rule catalogue: each rule has an id, a Chinese title, what it compares, a severity and one check."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

from core.audit.context import Context, Item, Missing, number_in
from core.audit.tolerance import exact_ratio, ratio_range, sum_tolerance
from core.grades import execution_rate, grade_for, standard_execution_score
from core.ingest.numbers import fold, plain
from core.ingest.reference import class_code

ZERO = Decimal(0)


def truncates_to(exact: Decimal, stated: Decimal) -> bool:
    """True when `stated` is `exact` with its further decimals cut off (95.4572% printed as 95.45%)."""
    places = max(-stated.as_tuple().exponent, 0)
    step = Decimal(1).scaleb(-places)
    return exact.quantize(step, rounding="ROUND_DOWN") == stated


@dataclass
class Finding:
    """One inconsistency (or rounding note) with its evidence."""

    rule_id: str
    severity: str
    table_code: str
    row_ref: str
    related_refs: str
    message: str
    expected: Decimal | None
    actual: Decimal | None
    difference: Decimal | None
    source_ref: str


class NotApplicable(Exception):
    """The rule does not apply to this document (e.g. it has no performance tables)."""


@dataclass
class Outcome:
    """What a rule found and how many comparisons it made."""

    rule: "Rule"
    findings: list[Finding] = field(default_factory=list)
    checked: int = 0
    units: dict[str, Decimal] = field(default_factory=dict)  # table → its printed unit in 万元 (元 = 0.0001)

    def unit_for(self, table: str, related: str) -> Decimal:
        """The coarser printed unit of the two sides compared: their rounding bounds the difference."""
        if related.startswith("N:"):  # the narrative states 万元 to two decimals
            return Decimal(1)
        other = related.split(":", 1)[0] if re.match(r"^[TB]\d\d:", related) else table
        return max(self.units.get(table, Decimal(1)), self.units.get(other, Decimal(1)))

    def _add(self, severity, table, row, related, message, expected, actual, ref):
        diff = actual - expected if expected is not None and actual is not None else None
        self.findings.append(Finding(self.rule.id, severity, table, row, related, message, expected, actual, diff, ref))

    def equal_sum(self, table: str, row: str, actual: Decimal, parts: list[Decimal], related: str, ref: str,
                  what: str = "") -> None:
        """actual = Σ parts within the rounding of the parts: an info note when inside it, the rule's severity outside."""
        self.checked += 1
        expected = sum(parts, start=ZERO)
        diff = actual - expected
        if diff == 0:
            return
        tol = sum_tolerance(len(parts), self.unit_for(table, related))
        label = what or f"{table} {row}"
        a, e, d = plain(actual), plain(expected), plain(diff)
        if abs(diff) <= tol:
            self._add("info", table, row, related,
                      f"{label}：{a} 与 {related} 合计 {e} 相差 {d}，在尾数误差 ±{plain(tol)} 以内", expected, actual, ref)
        else:
            self._add(self.rule.severity, table, row, related,
                      f"{label}：{a} ≠ {related} 合计 {e}（差 {d}）", expected, actual, ref)

    def equal(self, table: str, row: str, actual: Decimal, expected: Decimal, related: str, ref: str,
              what: str = "") -> None:
        self.equal_sum(table, row, actual, [expected], related, ref, what)

    def ratio(self, table: str, row: str, stated: Decimal, num: Decimal, den: Decimal, related: str, ref: str,
              what: str) -> None:
        """A stated percentage against num/den, passing anywhere in the range rounding allows."""
        self.checked += 1
        if den == 0:
            return
        lo, hi = ratio_range(num, den, unit=self.unit_for(table, related))
        if lo <= stated <= hi:
            return
        exact = exact_ratio(num, den)
        if truncates_to(num / den * 100, stated):
            self._add("info", table, row, related,
                      f"{what}：列示 {plain(stated)}%，按 {plain(num)}/{plain(den)} 计算为 {exact}%，"
                      f"是截去尾数而非四舍五入的写法", exact, stated, ref)
            return
        self._add(self.rule.severity, table, row, related,
                  f"{what}：列示 {plain(stated)}%，按 {plain(num)}/{plain(den)} 计算应为 {exact}%（允许 {lo:.4f}–{hi:.4f}）",
                  exact, stated, ref)

    def flag(self, table: str, row: str, message: str, ref: str, expected=None, actual=None, related: str = "",
             severity: str | None = None) -> None:
        self.checked += 1
        self._add(severity or self.rule.severity, table, row, related, message, expected, actual, ref)


@dataclass(frozen=True)
class Rule:
    """A catalogue entry; `check` records comparisons and findings on an Outcome."""

    id: str
    title: str
    compares: str
    why: str
    severity: str
    check: Callable[[Context, Outcome], None]
    kinds: tuple[str, ...] = ("决算",)  # the document kinds whose data the rule reads; others: not_applicable


CATALOGUE: list[Rule] = []


def rule(id: str, title: str, compares: str, why: str, severity: str = "error", kinds: tuple[str, ...] = ("决算",)):
    def register(fn):
        CATALOGUE.append(Rule(id, title, compares, why, severity, fn, kinds))
        return fn
    return register


def _need(ctx: Context, *tables: str) -> None:
    missing = [t for t in tables if t not in ctx.tables]
    if missing:
        raise Missing(",".join(missing))


def _lines_before(ctx: Context, table: str, side: str, stop_label: str, column: str | None = None) -> tuple[Item, list[Item]]:
    stop = ctx.find(table, stop_label, side, column)
    lines = [i for i in ctx.rows(table, side) if i.row_no < stop.row_no and (column is None or i.column == column)]
    return stop, lines


# ---------------------------------------------------------------- within a table

@rule("T01-BALANCE", "收入支出决算总表两侧平衡",
      "T01 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余 = 本年支出合计 + 结余分配 + 年末结转和结余；两侧总计相等",
      "总表的收入方与支出方必须平衡，这是决算的基本勾稽关系。")
def _t01_balance(ctx, out):
    _need(ctx, "T01")
    inc = [ctx.find("T01", l, "收入") for l in ("本年收入合计", "使用非财政拨款结余", "年初结转和结余")]
    exp = [ctx.find("T01", l, "支出") for l in ("本年支出合计", "结余分配", "年末结转和结余")]
    tin, tout = ctx.find("T01", "总计", "收入"), ctx.find("T01", "总计", "支出")
    out.equal_sum("T01", "总计", tin.amount, [i.amount for i in inc], "T01:本年收入合计+使用非财政拨款结余+年初结转和结余", tin.ref, "收入方总计")
    out.equal_sum("T01", "总计", tout.amount, [i.amount for i in exp], "T01:本年支出合计+结余分配+年末结转和结余", tout.ref, "支出方总计")
    out.equal_sum("T01", "本年收入合计", sum((i.amount for i in inc), ZERO), [e.amount for e in exp],
                  "T01:本年支出合计+结余分配+年末结转和结余", inc[0].ref, "收入方合计与支出方合计")
    out.equal("T01", "总计", tin.amount, tout.amount, "T01:支出方总计", tin.ref, "两侧总计")


@rule("T01-INCOME-SUM", "总表收入合计等于各收入项之和", "T01 本年收入合计 = Σ 各项收入", "合计行必须等于其上各行之和。")
def _t01_income(ctx, out):
    _need(ctx, "T01")
    stop, lines = _lines_before(ctx, "T01", "收入", "本年收入合计")
    out.equal_sum("T01", "本年收入合计", stop.amount, [i.amount for i in lines], "T01:收入各行", stop.ref)


@rule("T01-EXPENDITURE-SUM", "总表支出合计等于各功能分类支出之和", "T01 本年支出合计 = Σ 各功能分类（类）支出",
      "合计行必须等于其上各行之和。")
def _t01_exp(ctx, out):
    _need(ctx, "T01")
    stop, lines = _lines_before(ctx, "T01", "支出", "本年支出合计")
    out.equal_sum("T01", "本年支出合计", stop.amount, [i.amount for i in lines], "T01:支出各类", stop.ref)


ROW_SUMS = {
    "T02": ("total", ("fiscal", "superior", "business", "operating", "affiliated", "other")),
    "T03": ("total", ("basic", "project", "to_superior", "operating", "affiliated")),
    "T05": ("total", ("basic", "project")),
}
COLUMN_NAMES = {"total": "合计", "fiscal": "财政拨款收入", "superior": "上级补助收入", "business": "事业收入",
                "operating": "经营", "affiliated": "附属单位", "other": "其他收入", "basic": "基本支出",
                "project": "项目支出", "to_superior": "上缴上级支出"}


def _row_sum(table: str):
    def check(ctx, out):
        _need(ctx, table)
        total_col, parts = ROW_SUMS[table]
        for code, row in ctx.classified[table].items():
            v = row["values"]
            if v.get(total_col) is None:
                continue
            out.equal_sum(table, code, v[total_col], [v[p] for p in parts if v.get(p) is not None],
                          "+".join(f"{table}:{COLUMN_NAMES[p]}" for p in parts if v.get(p) is not None), row["ref"],
                          f"{table} {code} {row['name']} 合计")
        totals = ctx.total_row(table)
        labels = [c for c in totals]
        if labels:
            first = totals[labels[0]]
            out.equal_sum(table, "合计", first.amount, [totals[l].amount for l in labels[1:]],
                          "+".join(f"{table}:合计行{l}" for l in labels[1:]), first.ref, f"{table} 合计行")
    return check


rule("T02-ROW-SUM", "收入决算表每行合计等于各来源之和", "T02 每行 本年收入合计 = 财政拨款 + 上级补助 + 事业 + 经营 + 附属单位上缴 + 其他",
     "每一行的合计必须等于按来源分列的各列之和。")(_row_sum("T02"))
rule("T03-ROW-SUM", "支出决算表每行合计等于基本支出、项目支出等之和",
     "T03 每行 本年支出合计 = 基本支出 + 项目支出 + 上缴上级 + 经营 + 对附属单位补助", "每一行的合计必须等于各列之和。")(_row_sum("T03"))
rule("T05-ROW-SUM", "一般公共预算财政拨款支出表每行合计等于基本支出加项目支出", "T05 每行 合计 = 基本支出 + 项目支出",
     "每一行的合计必须等于基本支出与项目支出之和。")(_row_sum("T05"))


def _hierarchy(table: str):
    def check(ctx, out):
        _need(ctx, table)
        rows = ctx.classified[table]
        cols = sorted({k for r in rows.values() for k, v in r["values"].items() if v is not None})
        for code, row in rows.items():
            children = [c for c, r in rows.items() if r["parent"] == code]
            if not children:
                continue
            for col in cols:
                if row["values"].get(col) is None:
                    continue
                out.equal_sum(table, code, row["values"][col], [rows[c]["values"].get(col) or ZERO for c in children],
                              ",".join(f"{table}:{c}" for c in children), row["ref"],
                              f"{table} {code} {row['name']}（{COLUMN_NAMES.get(col, col)}）")
        totals = ctx.total_row(table)
        classes = [c for c, r in rows.items() if r["level"] == 1]
        for n, (label, item) in enumerate(totals.items()):
            col = list(ROW_SUMS.get(table, ("total", ()))[:1]) + list(ROW_SUMS.get(table, ("total", ()))[1])
            key = col[n] if n < len(col) else None
            if key is None:
                continue
            out.equal_sum(table, "合计", item.amount, [rows[c]["values"].get(key) or ZERO for c in classes],
                          ",".join(f"{table}:{c}" for c in classes), item.ref, f"{table} 合计（{label}）")
    return check


for _t, _name in (("T02", "收入决算表"), ("T03", "支出决算表"), ("T05", "一般公共预算财政拨款支出决算表")):
    rule(f"{_t}-HIERARCHY", f"{_name}层级合计（类 = Σ款 = Σ项，合计 = Σ类）", f"{_t} 类 = Σ 款，款 = Σ 项，合计 = Σ 类（每一金额列）",
         "功能分类是一棵树：上级科目必须等于下级科目之和。")(_hierarchy(_t))


@rule("T04-BALANCE", "财政拨款收支总表平衡（分侧、分列）",
      "T04 本年收入合计 = Σ 收入行；本年支出合计 = Σ 功能分类行（每列）；两侧总计相等；合计列 = 三类拨款列之和",
      "财政拨款收支总表的每一侧、每一列都必须自洽。")
def _t04(ctx, out):
    _need(ctx, "T04")
    stop, lines = _lines_before(ctx, "T04", "收入", "本年收入合计")
    out.equal_sum("T04", "本年收入合计", stop.amount, [i.amount for i in lines], "T04:收入各行", stop.ref)
    right = ctx.rows("T04", "支出")
    columns = sorted({(i.col_no, i.column) for i in right})
    for col_no, col in columns:
        total = ctx.maybe("T04", "本年支出合计", "支出", col)
        if total is None:
            continue
        fn_lines = [i for i in right if i.row_no < total.row_no and i.column == col]
        out.equal_sum("T04", "本年支出合计", total.amount, [i.amount for i in fn_lines], f"T04:支出各类（{col}）",
                      total.ref, f"T04 本年支出合计（{col}）")
    sub_cols = [c for _, c in columns if fold(c) != "合计"]
    for row_no in sorted({i.row_no for i in right}):
        cells = {i.column: i for i in right if i.row_no == row_no}
        if "合计" in cells and all(c in cells for c in sub_cols):
            out.equal_sum("T04", cells["合计"].key, cells["合计"].amount, [cells[c].amount for c in sub_cols],
                          "+".join(f"T04:{c}" for c in sub_cols), cells["合计"].ref, f"T04 {cells['合计'].label} 合计列")
    tin = ctx.find("T04", "总计", "收入")
    tout = ctx.find("T04", "总计", "支出", "合计")
    out.equal("T04", "总计", tin.amount, tout.amount, "T04:支出方总计", tin.ref, "两侧总计")
    opening = ctx.find("T04", "年初财政拨款结转和结余", "收入")
    out.equal_sum("T04", "总计", tin.amount, [stop.amount, opening.amount], "T04:本年收入合计+年初财政拨款结转和结余",
                  tin.ref, "收入方总计")
    closing = ctx.find("T04", "年末财政拨款结转和结余", "支出", "合计")
    exp_total = ctx.find("T04", "本年支出合计", "支出", "合计")
    out.equal_sum("T04", "总计", tout.amount, [exp_total.amount, closing.amount],
                  "T04:本年支出合计+年末财政拨款结转和结余", tout.ref, "支出方总计")


@rule("T06-CLASSES", "基本支出表：人员经费、公用经费与各类、各款一致",
      "T06 人员经费合计 = 301 + 303；公用经费合计 = 其余各类之和；每类 = Σ 其款",
      "人员经费由工资福利支出和对个人和家庭的补助构成，其余经济分类均属公用经费。")
def _t06(ctx, out):
    _need(ctx, "T06")
    rows = ctx.classified["T06"]
    personnel = ctx.find("T06", "人员经费合计")
    public = ctx.find("T06", "公用经费合计")
    classes = {c: r for c, r in rows.items() if r["level"] == 1}
    p_classes = [c for c in classes if c in ("301", "303")]
    o_classes = [c for c in classes if c not in ("301", "303")]
    out.equal_sum("T06", "人员经费合计", personnel.amount, [classes[c]["values"]["amount"] for c in p_classes],
                  "+".join(f"T06:{c}" for c in p_classes), personnel.ref)
    out.equal_sum("T06", "公用经费合计", public.amount, [classes[c]["values"]["amount"] for c in o_classes],
                  "+".join(f"T06:{c}" for c in o_classes), public.ref)
    for code, row in classes.items():
        items = [c for c, r in rows.items() if r["parent"] == code]
        if items:
            out.equal_sum("T06", code, row["values"]["amount"], [rows[c]["values"]["amount"] for c in items],
                          f"T06:{code}xx 各款", row["ref"], f"T06 {code} {row['name']}")


THREE_PUBLIC = ("合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费", "公务用车运行维护费", "公务接待费")


def _t07_items(ctx) -> dict[str, dict[str, Item]]:
    from core.ingest.tables import three_public_item

    items: dict[str, dict[str, Item]] = {}
    for i in ctx.rows("T07"):
        name = three_public_item(i.label)
        if name:
            items.setdefault(name, {})[i.column] = i
    return items


@rule("T07-SUM", "“三公”经费表合计", "T07 合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费；公务用车 = 购置 + 运行",
      "“三公”经费合计必须等于三项之和，公务用车费必须等于购置与运行维护之和。")
def _t07(ctx, out):
    _need(ctx, "T07")
    items = _t07_items(ctx)
    columns = sorted({c for v in items.values() for c in v})
    if not columns:
        raise Missing("T07 figures")
    for col in columns:
        def amt(name, col=col):
            i = items.get(name, {}).get(col)
            return i.amount if i else ZERO
        total = items.get("合计", {}).get(col)
        if total is None:
            continue
        out.equal_sum("T07", "合计", total.amount, [amt("因公出国（境）费"), amt("公务用车购置及运行维护费"), amt("公务接待费")],
                      "T07:因公出国（境）费+公务用车购置及运行维护费+公务接待费", total.ref, f"T07 合计（{col}）")
        car = items.get("公务用车购置及运行维护费", {}).get(col)
        if car is not None:
            out.equal_sum("T07", "公务用车购置及运行维护费", car.amount, [amt("公务用车购置费"), amt("公务用车运行维护费")],
                          "T07:公务用车购置费+公务用车运行维护费", car.ref, f"T07 公务用车（{col}）")


# ---------------------------------------------------------------- across tables

def _t01_total_vs(table: str, label: str, side: str):
    """T01's 本年收入合计 / 本年支出合计 against the 合计 row of the table that details it."""
    def check(ctx, out):
        _need(ctx, "T01", table)
        a = ctx.find("T01", label, side)
        b = ctx.total_row(table).get(label)
        if b is None:
            raise Missing(f"{table} 合计")
        out.equal("T01", label, a.amount, b.amount, f"{table}:合计", a.ref)
    return check


rule("X-T01-T02", "总表收入合计等于收入决算表合计", "T01 本年收入合计 = T02 合计（本年收入合计）",
     "两张表列示同一笔收入。")(_t01_total_vs("T02", "本年收入合计", "收入"))
rule("X-T01-T03", "总表支出合计等于支出决算表合计", "T01 本年支出合计 = T03 合计（本年支出合计）",
     "两张表列示同一笔支出。")(_t01_total_vs("T03", "本年支出合计", "支出"))


@rule("X-T01-T03-CLASSES", "总表各类支出等于支出决算表各类合计", "T01 各功能分类（类）支出 = T03 对应类的本年支出合计",
      "总表按类列示的支出应与支出决算表的类级合计一致。")
def _x0103c(ctx, out):
    _need(ctx, "T01", "T03")
    stop, lines = _lines_before(ctx, "T01", "支出", "本年支出合计")
    t03 = {c: r for c, r in ctx.classified["T03"].items() if r["level"] == 1}
    seen = set()
    for i in lines:
        code = i.code or class_code(i.label)
        if code is None:
            out.flag("T01", i.key, f"T01 支出行“{i.label}”不是已知的功能分类（类）名称", i.ref, severity="warning")
            continue
        seen.add(code)
        expected = t03[code]["values"]["total"] if code in t03 else ZERO
        out.equal("T01", code, i.amount, expected, f"T03:{code}", i.ref, f"T01 {i.key}")
    for code, r in t03.items():
        if code not in seen and r["values"]["total"]:
            out.flag("T01", code, f"T03 有类 {code} {r['name']} {r['values']['total']}，T01 未列示", r["ref"],
                     expected=r["values"]["total"], actual=ZERO, related=f"T03:{code}")


@rule("X-T02-T04", "收入决算表财政拨款收入等于财政拨款收支总表收入", "T02 合计 财政拨款收入 = T04 本年收入合计",
      "财政拨款收入在两张表中应相同。")
def _x0204(ctx, out):
    _need(ctx, "T02", "T04")
    a = ctx.find("T04", "本年收入合计", "收入")
    b = ctx.total_row("T02").get("财政拨款收入")
    if b is None:
        raise Missing("T02 财政拨款收入")
    out.equal("T02", "合计", b.amount, a.amount, "T04:本年收入合计", b.ref, "T02 财政拨款收入")


@rule("X-T04-T05", "财政拨款总表一般公共预算支出等于一般公共预算支出表（合计及各类）",
      "T04 本年支出合计（一般公共预算财政拨款列）= T05 合计；T04 各类 = T05 各类合计", "同一笔一般公共预算拨款支出在两张表中应相同。")
def _x0405(ctx, out):
    _need(ctx, "T04", "T05")
    col = "一般公共预算财政拨款"
    total = ctx.find("T04", "本年支出合计", "支出", col)
    t05 = ctx.total_row("T05")
    first = next(iter(t05.values()), None)
    if first is None:
        raise Missing("T05 合计")
    out.equal("T04", "本年支出合计", total.amount, first.amount, "T05:合计", total.ref, "T04 一般公共预算支出合计")
    classes = {c: r for c, r in ctx.classified["T05"].items() if r["level"] == 1}
    for i in ctx.rows("T04", "支出"):
        if i.row_no >= total.row_no or i.column != col:
            continue
        code = i.code or class_code(i.label)
        if code is None:
            continue
        expected = classes[code]["values"]["total"] if code in classes else ZERO
        out.equal("T04", code, i.amount, expected, f"T05:{code}", i.ref, f"T04 {i.key}")


@rule("X-T05-T06", "一般公共预算基本支出等于人员经费加公用经费", "T05 合计 基本支出 = T06 人员经费合计 + 公用经费合计",
      "公开06表是公开05表基本支出的经济分类明细。")
def _x0506(ctx, out):
    _need(ctx, "T05", "T06")
    basic = ctx.total_row("T05").get("基本支出")
    if basic is None:
        raise Missing("T05 基本支出")
    p, q = ctx.find("T06", "人员经费合计"), ctx.find("T06", "公用经费合计")
    out.equal_sum("T05", "合计", basic.amount, [p.amount, q.amount], "T06:人员经费合计+公用经费合计", basic.ref,
                  "T05 基本支出")


@rule("X-T07-T06", "“三公”经费不少于基本支出中的对应科目", "T07 各项 ≥ T06 30212、30217、30231、31013（单向：T07 还含项目资金）",
      "基本支出里的出国、接待、公务用车费用都是“三公”经费的一部分。")
def _x0706(ctx, out):
    _need(ctx, "T07", "T06")
    items = _t07_items(ctx)
    actual_col = next((c for c in sorted({c for v in items.values() for c in v}) if "预算" not in c), None)
    if actual_col is None:
        raise Missing("T07 决算数")
    pairs = (("30212", "因公出国（境）费"), ("30217", "公务接待费"), ("30231", "公务用车运行维护费"), ("31013", "公务用车购置费"))
    rows = ctx.classified["T06"]
    for code, name in pairs:
        if code not in rows:
            continue
        t07 = items.get(name, {}).get(actual_col)
        t07_amount = t07.amount if t07 else ZERO
        out.checked += 1
        if t07_amount < rows[code]["values"]["amount"]:
            out.flag("T07", name, f"T07 {name} {t07_amount} 小于 T06 {code} {rows[code]['values']['amount']}",
                     t07.ref if t07 else rows[code]["ref"], expected=rows[code]["values"]["amount"], actual=t07_amount,
                     related=f"T06:{code}")


def _empty_vs_t04(table: str, column: str):
    def check(ctx, out):
        _need(ctx, table, "T04")
        figures = [i for i in ctx.rows(table)]
        empty = all(i.amount == 0 for i in figures)
        t04 = [i for i in ctx.rows("T04") if fold(column) in fold(i.column) or fold(column) in fold(i.label)]
        t04_zero = all(i.amount == 0 for i in t04)
        out.checked += 1
        if empty != t04_zero:
            out.flag(table, "合计", f"{table} {'为空' if empty else '有数据'}，但 T04 {column} {'为零' if t04_zero else '不为零'}",
                     figures[0].ref if figures else "", related=f"T04:{column}")
    return check


rule("X-T08-T04", "政府性基金表为空当且仅当财政拨款总表政府性基金为零", "T08 为空 ⇔ T04 政府性基金预算财政拨款各数为零",
     "没有政府性基金收支的部门，两张表都应为零。")(_empty_vs_t04("T08", "政府性基金预算财政拨款"))
rule("X-T09-T04", "国有资本经营预算表为空当且仅当财政拨款总表国有资本经营预算为零", "T09 为空 ⇔ T04 国有资本经营预算财政拨款各数为零",
     "没有国有资本经营预算收支的部门，两张表都应为零。")(_empty_vs_t04("T09", "国有资本经营预算财政拨款"))


# ---------------------------------------------------------------- narrative against tables

def _narrative_pairs(ctx: Context):
    """(narrative key, table, row label, side, column) of the same scope."""
    t03 = ctx.total_row("T03") if "T03" in ctx.tables else {}
    t05 = ctx.total_row("T05") if "T05" in ctx.tables else {}
    pairs = [
        ("total_income_all", lambda: ctx.find("T01", "总计", "收入"), "T01:总计(收入)"),
        ("total_expenditure_all", lambda: ctx.find("T01", "总计", "支出"), "T01:总计(支出)"),
        ("income_total", lambda: ctx.find("T01", "本年收入合计", "收入"), "T01:本年收入合计"),
        ("expenditure_total", lambda: ctx.find("T01", "本年支出合计", "支出"), "T01:本年支出合计"),
        ("basic_total", lambda: t03["基本支出"], "T03:合计 基本支出"),
        ("project_total", lambda: t03["项目支出"], "T03:合计 项目支出"),
        ("to_superior_total", lambda: t03["上缴上级支出"], "T03:合计 上缴上级支出"),
        ("operating_total", lambda: t03["经营支出"], "T03:合计 经营支出"),
        ("affiliated_total", lambda: t03["对附属单位补助支出"], "T03:合计 对附属单位补助支出"),
        ("fiscal_income_total", lambda: ctx.find("T04", "总计", "收入"), "T04:总计(收入)"),
        ("fiscal_expenditure_total", lambda: ctx.find("T04", "总计", "支出", "合计"), "T04:总计(支出)"),
        ("gpb_total", lambda: t05["合计"], "T05:合计"),
        ("gpb_basic_total", lambda: t05["基本支出"], "T05:合计 基本支出"),
        ("gpb_personnel_total", lambda: ctx.find("T06", "人员经费合计"), "T06:人员经费合计"),
        ("gpb_public_total", lambda: ctx.find("T06", "公用经费合计"), "T06:公用经费合计"),
    ]
    for key in [k for k in ctx.narrative if k.startswith("income_item:")]:
        name = key.split(":", 1)[1]
        pairs.append((key, lambda n=name: ctx.find("T01", n, "收入"), f"T01:{name}"))
    items = _t07_items(ctx) if "T07" in ctx.tables else {}
    for name in THREE_PUBLIC:
        for measure, is_budget in (("actual", False), ("budget", True)):
            key = f"three_public:{name}:{measure}"
            if key in ctx.narrative:
                def t07(n=name, budget=is_budget):
                    cols = items.get(n, {})
                    col = next((c for c in cols if ("预算" in c) == budget), None)
                    if col is None:
                        raise Missing(f"T07:{n}")
                    return cols[col]
                pairs.append((key, t07, f"T07:{name}{'预算数' if is_budget else '决算数'}"))
    return pairs


@rule("N-TABLES", "情况说明中的金额与表格一致", "情况说明所列收入、支出总额，基本/项目支出，各项收入，财政拨款、一般公共预算、人员/公用经费、“三公”经费 = 同口径表格数",
      "说明文字与表格说的是同一笔钱，必须一致。")
def _n_tables(ctx, out):
    if not ctx.narrative:
        raise Missing("narrative")
    determinable = 0
    for key, getter, related in _narrative_pairs(ctx):
        if key not in ctx.narrative:
            continue
        value, ref = ctx.narrative[key]
        try:
            item = getter()
        except (Missing, KeyError):
            table = related.split(":", 1)[0]
            if table in ctx.tables and key.startswith("three_public:"):
                out.flag("N", key, f"情况说明列示 {key} = {value}，但 {related} 在表中为空白（未列示）", ref,
                         actual=value, related=related, severity="info")
            continue
        determinable += 1
        out.equal("N", key, value, item.amount, related, ref, f"情况说明“{key}”")
    if "personnel_all" in ctx.narrative and "public_all" in ctx.narrative and "T03" in ctx.tables:
        basic = ctx.total_row("T03").get("基本支出")
        if basic is not None:
            determinable += 1
            (p, ref), (q, _) = ctx.narrative["personnel_all"], ctx.narrative["public_all"]
            out.equal_sum("N", "personnel_all+public_all", basic.amount, [p, q], "N:人员支出+公用支出", ref,
                          "情况说明人员支出 + 公用支出（全部资金）与 T03 基本支出")
    if not determinable:
        raise Missing("no narrative figure with a table counterpart")


@rule("N-YOY-LINES", "逐项同比：本年数与表格一致，上年数与增减率自洽",
      "每条项级说明：本年数 = T05 该项合计；上年 = 本年 − 增减额 ≥ 0；增减率 = 增减额 / 上年",
      "按项级科目说明的变化必须能由表格和上年数复核。")
def _n_yoy(ctx, out):
    if not ctx.yoy:
        raise Missing("yoy")
    t05 = ctx.classified.get("T05", {})
    for y in ctx.yoy:
        current = t05.get(y["code"], {}).get("values", {}).get("total")
        if current is None:
            current = ZERO
        out.equal("N", y["code"], y["amount"], current, f"T05:{y['code']}", y["ref"], f"{y['code']} {y['name']} 本年数")
        if y["change"] is None:
            continue
        prior = y["amount"] - y["change"]
        if prior < 0:
            out.flag("N", y["code"], f"{y['code']} 上年数 = {y['amount']} − {y['change']} = {prior} < 0", y["ref"],
                     expected=ZERO, actual=prior)
            continue
        if y["change_pct"] is not None and prior > 0:
            out.ratio("N", y["code"], y["change_pct"], y["change"], prior, f"N:{y['code']} 增减额/上年数", y["ref"],
                      f"{y['code']} {y['name']} 增减率")


@rule("N-YOY-TOTAL", "逐项同比合计等于总体变化", "Σ 项级增减额 = 一般公共预算财政拨款支出比上年增减额；Σ 项级本年数 = T05 合计",
      "各项变化加起来应等于说明中的总变化。")
def _n_yoy_total(ctx, out):
    if not ctx.yoy:
        raise Missing("yoy")
    change, ref = ctx.figure("gpb_change")
    out.equal_sum("N", "gpb_change", change, [y["change"] or ZERO for y in ctx.yoy], "N:各项增减额", ref,
                  "一般公共预算支出增减额")
    t05 = ctx.total_row("T05")
    if "合计" in t05:
        out.equal_sum("N", "Σ本年数", t05["合计"].amount, [y["amount"] for y in ctx.yoy], "N:各项本年数", ctx.yoy[0]["ref"],
                      "T05 合计与各项本年数")


@rule("N-CHANGE-PCT", "总体增减率与增减额自洽", "收入、支出、收支总计、财政拨款、一般公共预算：增减率 = 增减额 / (本年 − 增减额)",
      "说明中的增长百分比必须能由金额算出。")
def _n_change_pct(ctx, out):
    done = 0
    for base, change, pct in (("income_total", "income_change", "income_change_pct"),
                              ("expenditure_total", "expenditure_change", "expenditure_change_pct"),
                              ("total_income_all", "total_change", "total_change_pct"),
                              ("fiscal_income_total", "fiscal_change", "fiscal_change_pct"),
                              ("gpb_total", "gpb_change", "gpb_change_pct")):
        if not all(k in ctx.narrative for k in (base, change, pct)):
            continue
        (b, _), (c, _), (p, ref) = ctx.narrative[base], ctx.narrative[change], ctx.narrative[pct]
        prior = b - c
        if prior <= 0:
            continue
        done += 1
        out.ratio("N", pct, p, c, prior, f"N:{change}/({base}-{change})", ref, f"{pct}")
    if not done:
        raise Missing("no stated change with its base")


@rule("N-PERFORMANCE", "绩效情况说明与附件一致", "说明中的自评项目数、涉及资金、各等次项目数 = 附件自评表的计数与合计",
      "说明概括的是附件中的项目，两者必须一致。")
def _n_perf(ctx, out):
    if not ctx.projects:
        raise NotApplicable("no performance tables")
    determinable = False
    budgets = [f["budget"] for p in ctx.projects for f in ctx.funds.get(p["project_id"], []) if f["fund_row"] == "年度资金总额"]
    for key in ("perf_self_count", "perf_eval_count"):
        if key in ctx.narrative:
            determinable = True
            value, ref = ctx.narrative[key]
            out.equal("N", key, value, Decimal(len(ctx.projects)), "P:自评表数量", ref, "项目数")
    for key in ("perf_self_funds", "perf_eval_funds"):
        if key in ctx.narrative:
            determinable = True
            value, ref = ctx.narrative[key]
            out.equal_sum("N", key, value, [b or ZERO for b in budgets], "P:各项目全年预算数", ref, "涉及资金")
    for grade in ("优", "良", "中", "差"):
        key = f"grade_count:{grade}"
        if key in ctx.narrative:
            determinable = True
            value, ref = ctx.narrative[key]
            out.equal("N", key, value, Decimal(sum(1 for p in ctx.projects if p["grade"] == grade)), f"P:等级为{grade}的项目",
                      ref, f"“{grade}”等次项目数")
    if not determinable:
        raise Missing("no performance summary in the narrative")


@rule("N-PROCUREMENT", "政府采购：分项相加、比例自洽", "货物 + 工程 + 服务 = 政府采购支出总额；中小企业占比 = 中小企业金额 / 总额；小微占比 = 小微 / 中小企业",
      "采购说明中的分项与比例必须能相互复核。")
def _n_proc(ctx, out):
    total, ref = ctx.figure("procurement_total")
    parts = [ctx.figure(k)[0] for k in ("procurement_goods", "procurement_works", "procurement_services")
             if k in ctx.narrative]
    out.equal_sum("N", "procurement_total", total, parts, "N:货物+工程+服务", ref, "政府采购支出总额")
    if "procurement_sme" in ctx.narrative and "procurement_sme_pct" in ctx.narrative:
        sme, _ = ctx.figure("procurement_sme")
        pct, pref = ctx.figure("procurement_sme_pct")
        out.ratio("N", "procurement_sme_pct", pct, sme, total, "N:中小企业/总额", pref, "中小企业合同占比")
        if "procurement_small" in ctx.narrative and "procurement_small_pct" in ctx.narrative and sme:
            small, _ = ctx.figure("procurement_small")
            spct, sref = ctx.figure("procurement_small_pct")
            out.ratio("N", "procurement_small_pct", spct, small, sme, "N:小微/中小企业", sref, "小微企业合同占比")


def _code_by_path(ctx: Context, path: str) -> str | None:
    """The 公开05表 code of a 科目 named by its printed path `类/款/项` (names compared without spaces)."""
    rows = ctx.classified.get("T05", {})
    code = None
    for level, name in enumerate(path.split("/"), start=1):
        match = [c for c, r in rows.items() if r["level"] == level and fold(r["name"]) == fold(name)
                 and (code is None or r["parent"] == code)]
        if len(match) != 1:
            return None
        code = match[0]
    return code


@rule("N-NAMED-ITEMS", "按科目名称列示的金额与表格一致",
      "说明中按“类/款/项”名称列示的支出决算数 = 公开05表该科目合计；各类支出及占比 = 公开05表类合计 / 合计；"
      "完成年初预算的比例 = 支出决算 / 年初预算",
      "有的地区不写科目编码，只写名称，同样要能与表格核对。")
def _n_named(ctx, out):
    keys = [k for k in ctx.narrative if k.startswith(("item_actual:", "class_amount:", "class_share_pct:"))]
    if not keys and "gpb_completion_pct" not in ctx.narrative:
        raise Missing("no 科目 named by path in the narrative")
    _need(ctx, "T05")
    rows = ctx.classified["T05"]
    total = ctx.total_row("T05").get("合计")
    for key in keys:
        kind, path = key.split(":", 1)
        value, ref = ctx.narrative[key]
        code = _code_by_path(ctx, path)
        if code is None:
            out.flag("N", key, f"说明中的科目“{path}”在公开05表中找不到", ref, actual=value, severity="warning")
            continue
        amount = rows[code]["values"]["total"]
        if kind == "class_share_pct":
            if total is not None:
                out.ratio("N", key, value, amount, total.amount, f"T05:{code}/T05:合计", ref, f"{path} 占比")
            continue
        out.equal("N", key, value, amount, f"T05:{code}", ref, f"{path}")
    if all(k in ctx.narrative for k in ("gpb_completion_pct", "gpb_actual", "gpb_budget_initial")):
        (pct_value, ref), (actual, _), (budget, _) = (ctx.narrative[k] for k in
                                                      ("gpb_completion_pct", "gpb_actual", "gpb_budget_initial"))
        out.ratio("N", "gpb_completion_pct", pct_value, actual, budget, "N:支出决算/年初预算", ref, "完成年初预算比例")
        if total is not None:
            out.equal("N", "gpb_actual", actual, total.amount, "T05:合计", ref, "一般公共预算财政拨款支出决算")


# ---------------------------------------------------------------- performance tables

def _perf(ctx: Context) -> None:
    if not ctx.projects:
        raise NotApplicable("no performance tables")


def _total_fund(ctx: Context, pid: str) -> dict | None:
    return next((f for f in ctx.funds.get(pid, []) if f["fund_row"] == "年度资金总额"), None)


@rule("P-SCORE-SUM", "自评总分等于各指标得分加预算执行率得分", "自评表 总分 = Σ 指标自评得分 + 预算执行率得分",
      "总分是各部分得分之和。")
def _p_score(ctx, out):
    _perf(ctx)
    for p in ctx.projects:
        f = _total_fund(ctx, p["project_id"])
        if p["score"] is None or f is None or f["score"] is None:
            continue
        parts = [i["score"] for i in ctx.indicators.get(p["project_id"], []) if i["score"] is not None] + [f["score"]]
        out.equal_sum("P", p["name"], p["score"], parts, "P:指标得分+预算执行率得分", p["ref"], f"{p['name']} 总分")


@rule("P-GRADE-BAND", "评价等级与总分所在区间一致", "等级 = 按 财预〔2020〕10号 区间（优≥90，良80–90，中60–80，差<60）由总分确定",
      "等级只能由分数决定。")
def _p_grade(ctx, out):
    _perf(ctx)
    for p in ctx.projects:
        out.checked += 1
        expected = grade_for(p["score"])
        if p["grade"] != expected:
            out.flag("P", p["name"], f"{p['name']} 总分 {p['score']} 应为“{expected}”，表中为“{p['grade']}”", p["ref"],
                     actual=p["score"])


@rule("P-EXECUTION-RATE", "执行率等于执行数除以预算数", "自评表每一资金行 执行率 = 全年执行数 / 全年预算数",
      "执行率是两个列示金额之比，必须能复算。")
def _p_rate(ctx, out):
    _perf(ctx)
    for p in ctx.projects:
        for f in ctx.funds.get(p["project_id"], []):
            if f["execution_rate"] is None or not f["budget"] or f["executed"] is None:
                continue
            out.ratio("P", p["name"], f["execution_rate"], f["executed"], f["budget"], f"P:{f['fund_row']} 执行数/预算数",
                      f["ref"], f"{p['name']} {f['fund_row']} 执行率")


@rule("P-INDICATOR-WEIGHTS", "指标得分不超过分值，分值合计为100", "每个指标 自评得分 ≤ 指标分值；Σ 指标分值 + 预算执行率分值 = 100",
      "评分表的满分是100分。")
def _p_weights(ctx, out):
    _perf(ctx)
    for p in ctx.projects:
        inds = ctx.indicators.get(p["project_id"], [])
        for i in inds:
            if i["weight"] is None or i["score"] is None:
                continue
            out.checked += 1
            if i["score"] > i["weight"]:
                out.flag("P", p["name"], f"{p['name']}：指标“{i['name']}”得分 {i['score']} 超过分值 {i['weight']}", i["ref"],
                         expected=i["weight"], actual=i["score"])
        f = _total_fund(ctx, p["project_id"])
        if f is not None and f["weight"] is not None:
            out.equal_sum("P", p["name"], Decimal(100), [i["weight"] or ZERO for i in inds] + [f["weight"]],
                          "P:指标分值+预算执行率分值", p["ref"], f"{p['name']} 分值合计")


@rule("P-REPORT-COUNTS", "评价报告的目标数与完成数与自评表一致", "报告“设置绩效目标 N 个，实际完成 M 个”：N = 指标行数，M = 得满分的指标数",
      "报告概括的是自评表的指标。")
def _p_counts(ctx, out):
    _perf(ctx)
    if not ctx.reports:
        raise NotApplicable("no evaluation reports")
    for r in ctx.reports:
        inds = ctx.indicators.get(r["project_id"] or "", [])
        if not inds or r["targets_set"] is None:
            continue
        met = sum(1 for i in inds if i["score"] is not None and i["weight"] is not None and i["score"] >= i["weight"])
        out.equal("P", r["title"], Decimal(r["targets_set"]), Decimal(len(inds)), "P:自评表指标行数", r["ref"], f"{r['title']} 设置目标数")
        out.equal("P", r["title"], Decimal(r["targets_met"]), Decimal(met), "P:得满分的指标数", r["ref"], f"{r['title']} 完成目标数")


@rule("P-REPORT-AGREES", "评价报告与自评表一致", "同一项目：报告得分 = 自评表总分；报告等级 = 自评表等级；报告各指标分值、得分合计 = 自评表",
      "同一项目在两个附件中的评价结果必须相同。")
def _p_agree(ctx, out):
    _perf(ctx)
    if not ctx.reports:
        raise NotApplicable("no evaluation reports")
    by_id = {p["project_id"]: p for p in ctx.projects}
    for r in ctx.reports:
        p = by_id.get(r["project_id"])
        if p is None:
            out.flag("P", r["title"], f"评价报告“{r['title']}”找不到对应的自评表", r["ref"], severity="warning")
            continue
        if r["score"] is not None and p["score"] is not None:
            out.equal("P", p["name"], r["score"], p["score"], "P:自评表总分", r["ref"], f"{r['title']} 报告得分")
        out.checked += 1
        if r["grade"] and p["grade"] and r["grade"] != p["grade"]:
            out.flag("P", p["name"], f"报告等级“{r['grade']}”与自评表“{p['grade']}”不同", r["ref"])
        rinds = ctx.report_indicators.get(r["project_id"], [])
        tinds = ctx.indicators.get(r["project_id"], [])
        if rinds and tinds:
            out.equal_sum("P", p["name"], sum((i["score"] for i in rinds), ZERO), [i["score"] or ZERO for i in tinds],
                          "P:自评表指标得分", r["ref"], f"{r['title']} 报告指标得分合计")


_MONEY_UNIT = re.compile(r"(万元|元)")
_PER_UNIT = re.compile(r"人均|每[个人村户次件]|平均|均不|增长|增加|节约|降低")
COST_TOLERANCE = Decimal("0.05")  # a claim may exceed the executed amount by rounding and timing, not by more


def cost_claims(indicators: list[dict]) -> list[tuple[dict, Decimal]]:
    """Cost indicators (成本指标) whose actual value is a total amount of money, in 万元; per-head, per-unit and
    growth targets are not totals and are left out."""
    out = []
    for i in indicators:
        if "成本" not in (i.get("level2") or "") or _PER_UNIT.search(fold(i["name"] or "")):
            continue
        unit = _MONEY_UNIT.search(fold(i["target"] or "") + fold(i["name"] or ""))
        value = number_in(i["actual"])
        if unit and value is not None and value >= 0:
            out.append((i, value if unit.group(1) == "万元" else value / 10000))
    return out


@rule("P-COST-CLAIM", "成本指标与项目资金一致", "成本指标（以万元或元计的总额）的实际完成值之和 ≤ 项目全年预算数，"
      f"且不超过全年执行数的 {int(COST_TOLERANCE * 100)}%以上", "成本指标说花了多少钱，不能多于项目预算，也不能明显多于实际执行的钱。",
      severity="warning")
def _p_cost(ctx, out):
    _perf(ctx)
    for p in ctx.projects:
        claims = cost_claims(ctx.indicators.get(p["project_id"], []))
        total = _total_fund(ctx, p["project_id"])
        if not claims or total is None:
            continue
        claimed = sum((v for _, v in claims), start=ZERO)
        names = "、".join(f"“{i['name']}” {plain(v)}" for i, v in claims)
        ref = claims[0][0]["ref"]
        out.checked += 1
        if total["budget"] is not None and claimed > total["budget"] + Decimal("0.01"):
            out.flag("P", p["name"], f"{p['name']}：成本指标称实际投入 {plain(claimed)} 万元（{names}），超过项目全年预算数 "
                                     f"{plain(total['budget'])} 万元", ref, expected=total["budget"], actual=claimed,
                     related="P:全年预算数")
        elif total["executed"] is not None and claimed > total["executed"] * (1 + COST_TOLERANCE) + Decimal("0.01"):
            out.flag("P", p["name"], f"{p['name']}：成本指标称实际投入 {plain(claimed)} 万元（{names}），项目全年执行数只有 "
                                     f"{plain(total['executed'])} 万元", ref, expected=total["executed"], actual=claimed,
                     related="P:全年执行数")
    if out.checked == 0:
        raise Missing("no cost indicator stated as an amount of money")


@rule("P-IMPLAUSIBLE", "不可能的指标值", "实际完成值为 -1 等占位数；以百分比为目标却以非百分比的值“完成”",
      "占位数和口径不符的值会让“完成”的判断失去意义。", severity="warning")
def _p_implausible(ctx, out):
    _perf(ctx)
    for p in ctx.projects:
        for i in ctx.indicators.get(p["project_id"], []):
            out.checked += 1
            actual = number_in(i["actual"])
            if actual is not None and actual < 0:
                out.flag("P", p["name"], f"{p['name']}：指标“{i['name']}”实际完成值为 {i['actual']}，是占位数而非实际值",
                         i["ref"], actual=actual)
            elif actual is not None and "%" in (i["target"] or "") and actual > 100 and (i["score"] or 0) > 0:
                out.flag("P", p["name"], f"{p['name']}：指标“{i['name']}”以百分比为目标（{i['target']}），完成值 {i['actual']} 不是百分比",
                         i["ref"], actual=actual)


@rule("P-STANDARD-EXECUTION", "预算执行率得分与标准算法不一致", "预算执行率得分 = 分值 × min(执行率, 100%)（财预〔2020〕10号）",
      "执行率低的项目不应拿满预算执行率分。", severity="warning")
def _p_standard(ctx, out):
    _perf(ctx)
    for p in ctx.projects:
        f = _total_fund(ctx, p["project_id"])
        if f is None or f["score"] is None:
            continue
        rate = execution_rate(f["executed"], f["budget"])
        standard = standard_execution_score(f["weight"], execution_rate(f["executed"], f["budget"], exact=True))
        if standard is None:
            continue
        out.checked += 1
        if abs(f["score"] - standard) > Decimal("0.01"):
            out.flag("P", p["name"], f"{p['name']}：执行率 {rate}%，标准预算执行率得分 {standard}，表中为 {f['score']}",
                     f["ref"], expected=standard, actual=f["score"], related="P:分值×min(执行率,100%)")


# ---------------------------------------------------------------- the document as a whole

@rule("D-TABLES", "九张表齐全", "公开01–09表均存在（声明无数据的空表也算存在）", "缺表的决算不完整。")
def _d_tables(ctx, out):
    for code in (f"T0{i}" for i in range(1, 10)):
        out.checked += 1
        if code not in ctx.tables:
            out.flag("D", code, f"缺少公开{code[1:]}表", "", related=code)


@rule("D-ROWS", "表格行没有丢失或重复", "同一张表里同一科目编码只出现一次；印有“项”的表里每个“款”下都有“项”、"
      "印有“款”的表里每个“类”下都有“款”；表注中没有看起来是数据行的内容",
      "丢行、重复行（重复的页面）会让合计仍然对得上，却丢掉或多算了明细。", kinds=("决算", "预算"))
def _d_rows(ctx, out):
    seen: dict[tuple[str, str], int] = {}
    for i in ctx.items:
        if not i.code or i.side not in ("", "人员经费", "公用经费") and not i.table.startswith("B"):
            continue
        key = (i.table, i.code)
        first = seen.setdefault(key, i.row_no)
        out.checked += 1
        if first != i.row_no and i.col_no == 1:
            out.flag(i.table, i.code, f"{i.table} 科目 {i.code} {i.label} 出现了两次（第 {first} 行和第 {i.row_no} 行）",
                     i.ref, related=f"{i.table}:{i.code}")
    for table, rows in ctx.all_classified.items():
        codes = set(rows)
        for level, child_len in ((2, 7), (1, 5)):
            if not any(len(c) == child_len for c in codes):
                continue
            for code, (name, ref) in rows.items():
                if len(code) == child_len - 2:
                    out.checked += 1
                    if not any(c.startswith(code) and len(c) == child_len for c in codes):
                        below = "项" if child_len == 7 else "款"
                        out.flag(table, code, f"{table} 科目 {code} {name} 下面没有任何“{below}”，而表中其他科目都列到了"
                                              f"“{below}”（丢了行？）", ref, related=f"{table}:{code}")
    for table, notes in ctx.notes.items():
        for line in notes:
            if re.match(r"^\s*\d{3}(?:\s?\d{2}){0,2}\s*[\u4e00-\u9fff]", line) and re.search(r"\d+\.\d{2}", line):
                out.checked += 1
                out.flag(table, "表注", f"{table} 的表注里有一行像数据行，没有作为表格读入：“{line[:60]}”", "",
                         related=table)
    if out.checked == 0:
        raise Missing("no coded rows")


# What each part of a 目录 promises, by the words of its title, and the parts_found that keep the promise.
ANNOUNCED_PARTS = (
    (("情况说明", "编制说明"), ("narrative",), "情况说明"),
    (("名词解释",), ("glossary",), "名词解释"),
    (("附件",), ("self_evaluations", "evaluation_reports"), "附件（绩效自评表或评价报告）"),
    (("概况",), ("overview", "units"), "部门概况"),
)
READ_BY_KIND = {"决算": ("narrative", "glossary", "self_evaluations", "evaluation_reports", "overview", "units"),
                "预算": ("narrative",)}  # the parts each kind's reader reads; others are not promised to it


def toc_parts(text: str) -> list[tuple[str, str]]:
    """(title, ref) of every 第X部分 the table of contents lists: the lines after 目录 up to the first heading
    repeated in the body."""
    lines = text.split("\n")
    start = next((i for i, ln in enumerate(lines[:400]) if fold(ln) == "目录"), None)
    if start is None:
        return []
    out, seen = [], set()
    for ln in lines[start + 1 : start + 120]:
        key = re.sub(r"[.…·]*\d*$", "", fold(ln))
        m = re.match(r"^(?:第([一二三四五六七八九十])部分|([一二三四五六七八九十]{1,3})、)", key)
        if not m:
            continue
        if key in seen:
            break
        seen.add(key)
        out.append((key, m.group(1) or m.group(2)))
    return out


@rule("D-ANNOUNCED", "目录列出的部分都在", "目录中每个“第X部分”（情况说明、名词解释、附件、概况）在文件中都读到了；"
      "预算的目录列出的每张表都在", "截断或缺页的文件读起来完整，实际丢了内容：以目录为准核对。",
      kinds=("决算", "预算"))
def _d_announced(ctx, out):
    parts = toc_parts(ctx.source_text)
    if not parts and not ctx.announced_tables:
        raise Missing("no table of contents")
    readable = READ_BY_KIND.get(ctx.kind, ())
    promised = set()
    for title, numeral in parts:
        for words, keys, label in ANNOUNCED_PARTS:
            if any(w in title for w in words) and any(k in readable for k in keys) and label not in promised:
                promised.add(label)  # one finding per missing part, at the first entry that promises it
                out.checked += 1
                if not any(k in ctx.parts for k in keys):
                    out.flag("D", numeral, f"目录列出“{title}”，文件中没有读到{label}（文件被截断或标题缺失？）",
                             "", related="目录")
    if ctx.kind == "预算":
        out.checked += len(ctx.announced_tables)
        for code in ctx.missing_tables:
            out.flag("D", code, f"目录列出的表 {code}（{ctx.table_title(code)}）在文件中没有找到", "", related="目录")


PLACEHOLDER = re.compile(r"XX|ＸＸ|××|xx|\*\*\*|某某")


@rule("D-PLACEHOLDER", "部门名称不是模板占位符", "部门名称及文中的单位名称不含 XX、××、*** 等占位符",
      "模板未替换就发布，说明文件不是真实部门的决算或预算。", kinds=("决算", "预算"))
def _d_placeholder(ctx, out):
    out.checked += 1
    if PLACEHOLDER.search(ctx.department or ""):
        out.flag("D", "部门", f"部门名称“{ctx.department}”含占位符", "", related="documents.department")
        return
    text = ctx.source_text
    for m in re.finditer(r"XX|ＸＸ|××", text):  # the mark first, then its bounded surroundings: linear in the text
        before = re.search(r"[\u4e00-\u9fff]{2,30}$", text[max(m.start() - 30, 0):m.start()])
        if not before:
            continue
        after = re.match(r"[\u4e00-\u9fff]{0,3}", text[m.end():m.end() + 3]).group()
        out.checked += 1
        out.flag("D", "部门", f"文中出现占位的单位名称“{before.group()}{m.group()}{after}”（文件部门为“{ctx.department}”）",
                 ctx.text_ref(m.start() - len(before.group())), related="documents.department")


@rule("D-TITLES", "表格标题规范", "每张表的标题与规范名称一致（各地允许的写法之一），没有缺字、乱码或多余符号",
      "标题错误说明表格可能被改动或排版出错。", severity="warning")
def _d_titles(ctx, out):
    from core.ingest.tables import standard_title

    for code, title in ctx.titles.items():
        out.checked += 1
        if not standard_title(code, title):
            out.flag("D", code, f"公开{code[1:]}表标题为“{title}”，不是规范写法", "", related=code)


@rule("D-YEAR", "各部分标注的年度一致", "“第X部分 YYYY 年度…”等标题中的年度 = 文件年度", "年度写错会让读者误读整份文件。",
      kinds=("决算", "预算"))
def _d_year(ctx, out):
    years = [(m.group(1) or m.group(2), ctx.text_ref(m.start()))
             for m in re.finditer(r"第[一二三四五]部分[^\n]{0,80}?(?:(20\d{2})\s*年度|年度[^\n]{0,80}\n\s*(20\d{2})\s*\n)",
                                  ctx.source_text)]
    if not years:
        raise Missing("no dated part headings")
    for year, ref in years:
        out.checked += 1
        if int(year) != ctx.fiscal_year:
            out.flag("D", "年度", f"{ref} 标注 {year} 年度，文件为 {ctx.fiscal_year} 年度", ref,
                     expected=Decimal(ctx.fiscal_year), actual=Decimal(year))


RULES = {r.id: r for r in CATALOGUE}


from core.audit import budget_rules  # noqa: E402,F401  (registers the 预算 rules in the same catalogue)
