"""项目绩效: every evaluated project with filters; select one for its indicators, scores and problems."""

from dataclasses import replace

import altair as alt
import streamlit as st

from pages._common import (GLOSSARY_HELP, GRADE_COLORS, call, current_doc, display, download_buttons, draw,
                           labels_of, money, percent, printing, reveal_next, set_state, state, table)
from pages._project import render_project



def _scatter(scatter):
    return alt.Chart(scatter).mark_circle(size=90).encode(
        x=alt.X("execution_rate:Q", title="执行率（%）"), y=alt.Y("score:Q", title="自评得分", scale=alt.Scale(zero=False)),
        color=alt.Color("grade:N", title="等级",
                        scale=alt.Scale(domain=list(GRADE_COLORS), range=list(GRADE_COLORS.values()))),
        tooltip=[alt.Tooltip("name:N", title="项目"), alt.Tooltip("execution_rate:Q", title="执行率", format=".1f"),
                 alt.Tooltip("score:Q", title="得分")])


doc = current_doc("projects")
s = state()
if s.project:
    # the chosen project comes first, so after a choice the answer is on the first screen (phones included)
    if not printing() and st.button("← 返回项目列表", type="tertiary", key="back-to-list"):
        set_state(replace(s, project=None))
        st.rerun()
    render_project(doc, s.project)
    if printing():
        st.stop()
    st.divider()
st.title("项目绩效")
ps = call("figures.project_summary", doc)
if ps.count == 0:
    st.info("这份文件没有附项目支出绩效自评表，因此没有逐个项目的绩效数据。部门在情况说明中对绩效的概述见“数据与下载”页的原文。")
    st.stop()
c = st.columns(5)
c[0].metric("自评项目", f"{ps.count} 个", help=GLOSSARY_HELP["绩效自评"])
c[1].metric("全年预算（万元）", money(ps.budget))
c[2].metric("执行数（万元）", money(ps.executed))
c[3].metric("总体执行率", percent(ps.execution_rate), help=GLOSSARY_HELP["执行率"])
c[4].metric("执行率低于 60% 的项目", f"{ps.low_execution} 个")
pm = call("reconcile.project_money", doc)
if pm.not_evaluated is not None:  # the overview's 项目支出 and this page's money differ in scope: say how
    st.caption(f"这些项目执行 {money(pm.evaluated_executed)} 万元。总览的项目支出 {money(pm.table_all_funds)} 万元是全部资金"
               f"（公开03表），其中一般公共预算财政拨款 {money(pm.table_general_budget)} 万元（公开05表）；"
               f"其余 {money(pm.not_evaluated)} 万元的项目没有附逐项自评表。")

df = call("figures.projects", doc)
with st.container(border=True):
    f1, f2 = st.columns(2)
    grades = f1.multiselect("等级", ["优", "良", "中", "差"], key="grade", bind="query-params", placeholder="全部等级")
    codes = sorted({c for c in df["code"] if c})
    options = [""] + sorted({c[:3] for c in codes} | {c[:5] for c in codes} | set(codes))
    known = call("figures.function_names", doc, tuple(options[1:]), "gpb")
    names = {code: f"{code} {known[code]}" if code in known else code for code in options[1:]}
    category = f2.selectbox("科目（类 / 款 / 项）", options, format_func=lambda c: names.get(c, "全部科目"), key="cat",
                           bind="query-params")
    f3, f4 = st.columns(2)
    rate = f3.slider("执行率范围（%）", 0, 100, (0, 100), key="rate", bind="query-params")
    keyword = f4.text_input("关键词（项目名称、成效、指标、问题）", key="kw", bind="query-params")
ids = call("figures.search_projects", doc, keyword) if keyword.strip() else None
rate_max = None if rate[1] == 100 else rate[1]
filtered = call("figures.select_projects_cached", doc, tuple(grades), category or None, rate[0] or None, rate_max,
                tuple(ids) if ids is not None else None)
st.caption(f"显示 {len(filtered)} / {len(df)} 个项目。选择一行查看详情。")
PROJECT_COLUMNS = {
    "project_id": "编号", "name": "项目", "code": "科目",
    "budget": st.column_config.NumberColumn("全年预算（万元）", format="%,.2f"),
    "executed": st.column_config.NumberColumn("执行数（万元）", format="%,.2f"),
    "execution_rate": st.column_config.ProgressColumn("执行率", format="%.1f%%", min_value=0, max_value=100),
    "score": st.column_config.NumberColumn("自评得分", format="%.2f"), "grade": "等级",
    "standard_grade": st.column_config.TextColumn("按标准方法计算的等级",
                                                  help="按 分值 × min(执行率,100%) 重算预算执行率得分后的等级"),
}
shown = display(filtered, ["budget", "executed", "score"], ["execution_rate"])
# keyed by the open project: a grid made for another state starts unselected, so Back (which changes the URL, not
# the grid) is not undone by the grid's remembered selection
event = table(shown, PROJECT_COLUMNS, key=f"project-table-{s.project or 'none'}", select=True,
              first=["name", "executed", "execution_rate", "grade"])
download_buttons(filtered, "项目绩效", "dl-projects", doc,
                 labels_of(PROJECT_COLUMNS))
rows = (event or {}).get("selection", {}).get("rows") or []
if rows:
    picked = str(filtered.iloc[rows[0]]["project_id"])
    if picked != s.project:
        set_state(replace(s, doc=doc, project=picked, code=None))
        reveal_next("project-detail")
        st.rerun()

st.divider()
st.subheader("等级分布与得分—执行率", help="执行率低却拿满分的项目值得关注。")
dist = call("figures.grade_distribution", doc)
table(dist, {"grade": "等级", "reported": "表中填报", "recomputed": "按总分重算", "standard": "按标准方法计算"}, key="grades")
scatter = display(df[["name", "execution_rate", "score", "grade"]], [], ["execution_rate", "score"])
draw("scatter", _scatter, scatter)
with st.expander("表格（得分与执行率）"):
    st.dataframe(scatter, hide_index=True, width="stretch",
                 column_config={"name": "项目", "execution_rate": st.column_config.NumberColumn("执行率", format="%.1f%%"),
                                "score": st.column_config.NumberColumn("自评得分", format="%.2f"), "grade": "等级"})
