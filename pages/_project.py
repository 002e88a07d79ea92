"""One project's detail, shared by 支出去向 and 项目绩效: indicators, score breakdown, texts, problems."""

import pandas as pd
import streamlit as st

from pages._common import (GLOSSARY_HELP, call, display, download_buttons, labels_of, money, percent, print_link,
                           printing, revealed, safe, table)

STATUS_ICON = {"达成": "达成", "未达成": "未达成 ✗", "无法判断": "无法判断"}
TEXT_NAMES = {"overview": "项目概况", "outcomes": "主要成效", "goal": "年度目标", "goal_actual": "目标实际完成情况"}
INDICATOR_COLUMNS = {"name": "三级指标", "status": "是否达成", "actual": "实际完成值", "target": "年度指标值",
                     "level1": "一级指标", "level2": "二级指标",
                     "weight": st.column_config.NumberColumn("分值", format="%.2f"),
                     "score": st.column_config.NumberColumn("得分", format="%.2f"), "deviation_reason": "偏差原因"}


def render_project(doc: str, project_id: str) -> None:
    d = call("figures.project_detail", doc, project_id)
    if not d:
        st.warning(safe(f"找不到项目 {project_id}。"))
        return
    with st.container(key="project-detail"):
        _render(doc, project_id, d)
    revealed("project-detail")


def _render(doc: str, project_id: str, d: dict) -> None:
    p = d["project"]
    st.subheader(safe(p["name"]), anchor=False)
    st.caption(safe(f"编号 {p['project_id']} · 科目 {p['code'] or '未确定'} {p['code_name'] or ''}"))
    c = st.columns(4)
    c[0].metric("全年预算（万元）", money(p["budget"]))
    c[1].metric("执行数（万元）", money(p["executed"]), help="全年实际花掉的钱。")
    c[2].metric("执行率", percent(p["execution_rate"]), help=GLOSSARY_HELP["执行率"])
    c[3].metric("自评得分 · 等级", f"{p['score'] if p['score'] is not None else '—'} · {p['grade'] or '—'}",
                help=GLOSSARY_HELP["绩效自评"])
    if p["low_execution"]:
        st.warning(f"执行率 {percent(p['execution_rate'])}，低于 60%：有 {money(p['unspent'])} 万元预算没有花出去。")
    print_link("projects", doc, project=project_id)

    st.markdown("**得分构成**")
    rows = [
        ("各指标自评得分合计", p["indicator_score"]),
        ("预算执行率得分（表中填报）", p["execution_score"]),
        ("总分（表中填报）", p["score"]),
        ("按“指标得分 + 预算执行率得分”重算的总分", p["recomputed_score"]),
        ("标准预算执行率得分 = 分值 × min(执行率, 100%)", p["standard_execution_score"]),
        ("按标准执行率得分计算的总分", p["standard_score"]),
    ]
    breakdown = pd.DataFrame(rows, columns=["项目", "分数"], dtype=object)
    table(display(breakdown, ["分数"]), {"项目": "项目", "分数": st.column_config.NumberColumn("分数", format="%.2f")},
          key=f"breakdown-{project_id}")
    if p["standard_grade"] and p["standard_grade"] != p["grade"]:
        # our recomputation, stated neutrally: the document's own grade stays the document's
        st.info(f"按标准方法计算为“{p['standard_grade']}”，表中填报为“{p['grade']}”。标准方法见“方法说明”页。")

    st.markdown("**绩效指标：目标与实际**")
    ind = d["indicators"].copy()
    ind["status"] = ind["status"].map(STATUS_ICON)
    table(display(ind, ["weight", "score"]), INDICATOR_COLUMNS, key=f"indicators-{project_id}",
          first=["name", "status", "actual"])
    missed = ind[ind["status"] == STATUS_ICON["未达成"]]
    if len(missed):  # the reasons in full, wrapped: a grid cell would cut them off
        st.markdown("**未达成的指标及偏差原因**")
        for r in missed.itertuples():
            st.markdown(safe(f"· {r.name}：目标 {r.target or '未列示'}，实际 {r.actual or '未列示'}"))
            st.caption(safe(f"偏差原因：{r.deviation_reason}" if r.deviation_reason else "文件没有写偏差原因。"))
    download_buttons(ind, f"{p['name']}的绩效指标", f"dl-ind-{project_id}", doc,
                     labels_of(INDICATOR_COLUMNS))
    funds_config = {"fund_row": "资金", "budget_initial": "年初预算数", "budget": "全年预算数", "executed": "全年执行数",
                    "weight": "分值", "execution_rate": "执行率（%）", "score": "得分", "source_ref": "出处"}
    with st.expander("资金情况（各资金行）", expanded=printing()):
        table(display(d["funds"], ["budget_initial", "budget", "executed", "weight", "score"], ["execution_rate"]),
              funds_config, key=f"funds-{project_id}")
    for kind in ("overview", "outcomes", "goal", "goal_actual"):
        text = d["texts"].get(kind)
        if text:
            with st.expander(TEXT_NAMES[kind], expanded=kind == "outcomes" or printing()):
                st.markdown(safe(text))
    if len(d["issues"]):
        st.markdown("**存在问题与改进建议**")
        for n, r in enumerate(d["issues"].itertuples(), start=1):
            st.markdown(f"{n}\\. **问题**：{safe(r.problem)}  \n**建议**：{safe(r.suggestion)}")
    if d["report"]:
        r = d["report"]
        with st.expander("绩效评价报告（附件二）", expanded=printing()):
            st.markdown(safe(f"报告得分 {r['score']} 分，等级 {r['grade']}，设置绩效目标 {r['targets_set']} 个，"
                             f"实际完成 {r['targets_met']} 个。对应关系：{r['match_note']}"))
            st.markdown(safe(r["text"]))
