"""How a 预算 document is shown: its 预算数 only, with a plain word on how a budget differs from final accounts."""

from __future__ import annotations

import altair as alt
import streamlit as st

from pages._common import PALETTE, call, display, draw, money, safe, table

WHAT_IS_A_BUDGET = ("这是一份**预算**：年初公布的计划，说明这一年打算收多少钱、花多少钱、花在哪里。"
                    "年度结束后公布的**决算**才是实际收支。所以这里只有预算数，没有执行率、完成情况或绩效自评。")
CARDS = (
    ("income_total", "收入预算", "这一年计划收到的钱（收支预算总表）。"),
    ("expenditure_total", "支出预算", "这一年计划花的钱。"),
    ("basic_total", "基本支出预算", "保运转：工资和日常办公。"),
    ("project_total", "项目支出预算", "为完成特定任务安排的钱。"),
    ("three_public_total", "“三公”经费预算", "出国、公务用车、公务接待三项的预算数。"),
    ("office_operation_budget", "机关运行经费预算", "机关日常运转的公用经费。"),
    ("procurement_total", "政府采购预算", "计划通过政府采购花的钱。"),
)
NOTHING_HERE = {
    "projects": "预算文件没有项目绩效自评表：项目支出绩效自评是在年度结束后对照决算做的，随决算公开。",
}


def show(doc: str, row, page: str) -> None:
    st.title(safe(f"{row['department']} {int(row['fiscal_year'])} 年度{row['scope']}预算"))
    st.info(WHAT_IS_A_BUDGET)
    if page in NOTHING_HERE:
        st.markdown(NOTHING_HERE[page])
        st.page_link("pages/overview.py", label="看这份预算的总览 →", query_params={"doc": doc})
        return
    if page == "overview":
        _cards(doc)
    if page in ("overview", "spending"):
        _classes(doc, detailed=page == "spending")
    if page in ("overview", "sangong"):
        _three_public(doc)
    st.caption("金额单位：万元（以元列示的表已精确换算为万元）。每个数字都可在“数据与下载”页找到原表。")


def _cards(doc: str) -> None:
    s = call("figures.summary", doc)
    shown = [(label, s.get(key), help_) for key, label, help_ in CARDS if s.get(key) is not None]
    for start in range(0, len(shown), 2):  # one row per pair, so a phone reads them in order
        for col, (label, value, help_) in zip(st.columns(2), shown[start:start + 2]):
            with col:
                st.metric(label, money(value))
                st.caption(help_)


def _classes(doc: str, detailed: bool) -> None:
    classes = call("budget.budget_classes", doc, 1)
    if classes.empty:
        st.caption("这份预算没有按功能分类列示支出。")
        return
    st.subheader("钱计划花到哪里去", help=f"按功能分类的“类”，来自{classes['source'].iloc[0]}。")
    shown = display(classes, ["total"], ["share_pct"])
    shown["label"] = [f"{c} {n}" for c, n in zip(shown["code"], shown["name"])]
    draw("budget-classes", _classes_chart, shown[["label", "total", "share_pct"]])
    config = {"code": "编码", "name": "科目", "total": st.column_config.NumberColumn("预算数（万元）", format="%,.2f"),
              "share_pct": st.column_config.NumberColumn("占比", format="%.1f%%")}
    st.dataframe(shown[["code", "name", "total", "share_pct"]], hide_index=True, width="stretch", column_config=config)
    if detailed:
        for level, title in ((2, "款"), (3, "项")):
            rows = call("budget.budget_classes", doc, level)
            if len(rows):
                st.subheader(f"按“{title}”", help="占比是占同一层级预算数之和的比例。")
                st.dataframe(display(rows, ["total"], ["share_pct"])[["code", "name", "total", "share_pct"]],
                             hide_index=True, width="stretch", column_config=config)
        lines = call("budget.budget_item_lines", doc)
        if len(lines):
            st.subheader("情况说明逐项列出的科目", help="部门在情况说明中与上年预算执行数比较的各项。")
            event = table(display(lines, ["amount", "prior_amount"], ["change_pct"]), {
                "code": "编码", "name": "科目", "amount": st.column_config.NumberColumn("本年预算（万元）", format="%,.2f"),
                "prior_amount": st.column_config.NumberColumn("上年预算执行数（万元）", format="%,.2f"),
                "change_pct": st.column_config.NumberColumn("增减率", format="%.2f%%"),
                "reason": st.column_config.TextColumn("部门说明的原因", width="large"), "source_ref": "出处"},
                key="budget-lines", select=True, first=["name", "amount", "change_pct"])
            rows = (event or {}).get("selection", {}).get("rows") or []
            st.caption("选择一行，下方显示部门说明的原因全文。")
            if rows:  # the reason in full, wrapped
                r = lines.iloc[rows[0]]
                st.markdown(safe(f"{r['code']} {r['name']}：{r['reason'] or '部门没有说明原因。'}"))
    else:
        st.page_link("pages/spending.py", label="按款、项查看预算数 →", query_params={"doc": doc})


def _three_public(doc: str) -> None:
    three = call("budget.budget_three_public", doc)
    st.subheader("“三公”经费预算", help="因公出国（境）费、公务用车购置及运行维护费、公务接待费的预算数；"
                                      "有的地区在同一张表里还列出会议费、培训费或机关运行经费。")
    if three.empty:
        st.caption("这份预算没有列示“三公”经费预算表。")
        return
    st.dataframe(display(three, ["budget"]), hide_index=True, width="stretch",
                 column_config={"item": "项目", "budget": st.column_config.NumberColumn("预算数（万元）", format="%,.2f"),
                                "source_ref": "出处"})


def _classes_chart(shown):
    bars = alt.Chart(shown).mark_bar(color=PALETTE[0]).encode(
        y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("total:Q", title="预算数（万元）"),
        tooltip=[alt.Tooltip("label:N", title="科目"), alt.Tooltip("total:Q", title="预算数（万元）", format=",.2f"),
                 alt.Tooltip("share_pct:Q", title="占比（%）", format=".1f")],
    )
    values = bars.mark_text(align="left", dx=3, color="#262730").encode(text=alt.Text("total:Q", format=",.2f"))
    return alt.layer(bars, values, height=alt.Step(34))
