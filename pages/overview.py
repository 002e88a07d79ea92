"""总览: the headline figures in plain words, where the money came from and went, what changed most."""

import altair as alt
import streamlit as st

from pages._common import (GLOSSARY_HELP, PALETTE, about_data, call, current_doc, display, money, percent, safe,
                           documents)

doc = current_doc("overview")
about_data(doc)
info = documents().set_index("doc_id").loc[doc]
st.title(safe(f"{info['department']} {int(info['fiscal_year'])} 年度部门{info['kind']}"))
st.caption("金额单位：万元。每个数字都来自部门公开的决算文件，可在“数据与下载”页找到原表。")

s = call("figures.summary", doc)
counts = call("audit.severity_counts", doc)
ps = s["projects"]
stated = call("figures.performance_stated", doc)
if ps["count"]:
    perf_value, perf_text = f"{ps['count']} 个", f"平均自评得分 {ps['average_score']} 分；部门按指标给这些项目打了分。"
else:
    perf_value = "未附自评表"
    perf_text = (f"情况说明：自评项目 {int(stated.projects)} 个" + (f"，平均 {stated.average_score} 分" if stated.average_score else "")
                 + "；文件没有附逐项目的自评表。") if stated.projects is not None else "文件没有附项目支出绩效自评表。"
three_value = money(s["three_public_total"]) if s["three_public_total"] is not None else "未列示"
three_text = "出国、公务用车、公务接待三项花费。" if s["three_public_total"] is not None else \
    "公开07表的决算数一栏是空白；情况说明中的数字见“三公经费”页。"

cards = [
    ("收入合计", money(s["income_total"]), "这一年部门总共收到的钱。", GLOSSARY_HELP["收入合计"]),
    ("支出合计", money(s["expenditure_total"]), "这一年部门总共花出去的钱。", GLOSSARY_HELP["支出合计"]),
    ("财政拨款收入", money(s["fiscal_income"]), "其中由财政（政府预算）拨给的钱。", GLOSSARY_HELP["财政拨款"]),
    ("基本支出", money(s["basic_total"]), "养人、办公等维持日常运转的钱。", GLOSSARY_HELP["基本支出"]),
    ("项目支出", money(s["project_total"]), "为办具体事情、完成专项任务花的钱。", GLOSSARY_HELP["项目支出"]),
    ("三公经费", three_value, three_text, GLOSSARY_HELP["三公经费"]),
    ("绩效自评项目", perf_value, perf_text, GLOSSARY_HELP["绩效自评"]),
    ("审核发现：错误", f"{counts['error']} 条",
     f"另有警示 {counts['warning']} 条、尾数提示 {counts['info']} 条；我们逐项核对了文件自身的勾稽关系。",
     "错误：数字对不上；警示：值得关注；尾数提示：四舍五入造成的小差异。"),
]
for start in range(0, len(cards), 4):
    cols = st.columns(4)
    for col, (label, value, explain, help_text) in zip(cols, cards[start:start + 4]):
        with col:
            st.metric(label, value, help=help_text)
            st.caption(explain)

st.divider()
left, right = st.columns(2)
with left:
    st.subheader("钱从哪里来", help="收入决算表（公开02表）合计行，按资金来源。")
    income = call("figures.income_by_source", doc)
    shown = display(income[income["amount"] != 0], ["amount"], ["share_pct"])
    chart = alt.Chart(shown).mark_arc(innerRadius=50).encode(
        theta=alt.Theta("amount:Q", title="金额（万元）"),
        color=alt.Color("source:N", title="来源", scale=alt.Scale(range=PALETTE)),
        tooltip=[alt.Tooltip("source:N", title="来源"), alt.Tooltip("amount:Q", title="金额（万元）", format=",.2f"),
                 alt.Tooltip("share_pct:Q", title="占比（%）", format=".1f")],
    )
    st.altair_chart(chart, width="stretch")
    with st.expander("表格"):
        st.dataframe(display(income, ["amount"], ["share_pct"]), hide_index=True, width="stretch",
                     column_config={"source": "来源", "amount": st.column_config.NumberColumn("金额（万元）", format="%,.2f"),
                                    "share_pct": st.column_config.NumberColumn("占比", format="%.1f%%"),
                                    "is_fiscal": "财政拨款"})
with right:
    st.subheader("钱花到哪里去", help="支出决算表（公开03表）按功能分类的“类”。点“支出去向”可以一层层往下看。")
    spend = call("figures.expenditure_by_function", doc, "all", None)
    shown = display(spend, ["total"], ["share_pct"])
    shown["label"] = [f"{c} {n}" for c, n in zip(shown["code"], shown["name"])]
    pick = alt.selection_point(name="pick", fields=["code"], on="click")
    chart = alt.Chart(shown).mark_bar(color=PALETTE[0], cursor="pointer").encode(
        y=alt.Y("label:N", sort="-x", title=None),
        x=alt.X("total:Q", title="金额（万元）"),
        tooltip=[alt.Tooltip("label:N", title="科目"), alt.Tooltip("total:Q", title="金额（万元）", format=",.2f"),
                 alt.Tooltip("share_pct:Q", title="占比（%）", format=".1f")],
    ).add_params(pick)
    event = st.altair_chart(chart, width="stretch", on_select="rerun", key="overview-classes")
    picked = (event or {}).get("selection", {}).get("pick") or []
    if picked and picked[0].get("code"):
        # every aggregate leads down: a click opens that 类 in 支出去向
        st.switch_page("pages/spending.py", query_params={"doc": doc, "code": str(picked[0]["code"])})
    st.caption("点击柱子查看这一类支出的明细。")
    with st.expander("表格"):
        st.dataframe(shown[["code", "name", "total", "share_pct"]], hide_index=True, width="stretch",
                     column_config={"code": "编码", "name": "科目", "total": st.column_config.NumberColumn("金额（万元）", format="%,.2f"),
                                    "share_pct": st.column_config.NumberColumn("占比", format="%.1f%%")})
    st.page_link("pages/spending.py", label="逐层查看支出去向 →", query_params={"doc": doc})

st.divider()
st.subheader("和上年比，变化最大的是什么", help="来自情况说明“一般公共预算财政拨款支出决算情况”，按项级科目。原因是部门自己的说明。")
changes = call("figures.document_changes", doc)
if len(changes):
    st.caption("；".join(f"{r.measure} {money(r.current)} 万元，比上年{'增加' if r.change >= 0 else '减少'} "
                         f"{money(abs(r.change))} 万元（{percent(r.change_pct)}）" for r in changes.itertuples()))
up, down = call("figures.largest_changes", doc, 5)
cols = st.columns(2)
for col, title, frame in ((cols[0], "增加最多", up), (cols[1], "减少最多", down)):
    with col:
        st.markdown(f"**{title}**")
        if frame.empty:
            st.caption("无")
            continue
        st.dataframe(display(frame[["code", "name", "amount", "change", "change_pct", "reason"]], ["amount", "change"],
                             ["change_pct"]), hide_index=True, width="stretch",
                     column_config={"code": "编码", "name": "科目", "amount": st.column_config.NumberColumn("本年（万元）", format="%,.2f"),
                                    "change": st.column_config.NumberColumn("增减（万元）", format="%,.2f"),
                                    "change_pct": st.column_config.NumberColumn("增减率", format="%.1f%%"),
                                    "reason": "部门说明的原因"})
st.caption(safe("说明：增减率为负表示下降；“上年”= 本年 − 增减额。"))
