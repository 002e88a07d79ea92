"""总览: the headline figures in plain words, where the money came from and went, what changed most."""

import altair as alt
import streamlit as st

from pages._common import (GLOSSARY_HELP, PALETTE, call, current_doc, display, draw, money, percent,
                           print_link, printing, safe, table)


def income_chart(shown):
    bars = alt.Chart(shown).mark_bar().encode(
        y=alt.Y("source:N", sort="-x", title=None, axis=alt.Axis(labelLimit=200)),
        x=alt.X("amount:Q", title="金额（万元）"),
        color=alt.Color("source:N", legend=None, scale=alt.Scale(range=PALETTE)),
        tooltip=[alt.Tooltip("source:N", title="来源"), alt.Tooltip("amount:Q", title="金额（万元）", format=",.2f"),
                 alt.Tooltip("share_pct:Q", title="占比（%）", format=".1f")],
    )
    values = alt.Chart(shown).mark_text(align="left", dx=3, color="#262730").encode(
        y=alt.Y("source:N", sort="-x"), x="amount:Q", text=alt.Text("share_pct:Q", format=".1f"))
    return alt.layer(bars, values, height=alt.Step(34))


def classes_chart(shown):
    pick = alt.selection_point(name="pick", fields=["code"], on="click")
    bars = alt.Chart(shown).mark_bar(color=PALETTE[0], cursor="pointer").encode(
        y=alt.Y("label:N", sort="-x", title=None, axis=alt.Axis(labelLimit=200)),
        x=alt.X("total:Q", title="金额（万元）"),
        tooltip=[alt.Tooltip("label:N", title="科目"), alt.Tooltip("total:Q", title="金额（万元）", format=",.2f"),
                 alt.Tooltip("share_pct:Q", title="占比（%）", format=".1f")],
    ).add_params(pick)
    values = alt.Chart(shown).mark_text(align="left", dx=3, color="#262730").encode(
        y=alt.Y("label:N", sort="-x"), x="total:Q", text=alt.Text("total:Q", format=",.2f"))
    return alt.layer(bars, values, height=alt.Step(34))


doc = current_doc("overview")
info = call("listing.document_row", doc)
st.title(safe(f"{info['department']} {int(info['fiscal_year'])} 年度{info['scope']}{info['kind']}"))
st.caption("金额单位：万元。每个数字都来自部门公开的决算文件，可在“数据与下载”页找到原表。")

s = call("figures.summary", doc)
counts = call("audit.severity_counts", doc)
ps = s["projects"]
stated = call("figures.performance_stated", doc)
pm = call("reconcile.project_money", doc)
if ps["count"]:
    perf_value, perf_text = f"{ps['count']} 个", f"平均自评得分 {ps['average_score']} 分；部门按指标给这些项目打了分。"
else:
    perf_value = "未附自评表"
    perf_text = (f"情况说明：自评项目 {int(stated.projects)} 个" + (f"，平均 {stated.average_score} 分" if stated.average_score else "")
                 + "；文件没有附逐项目的自评表。") if stated.projects is not None else "文件没有附项目支出绩效自评表。"
three_value = money(s["three_public_total"]) if s["three_public_total"] is not None else "未列示"
three_text = "出国、公务用车、公务接待三项花费。" if s["three_public_total"] is not None else \
    "公开07表的决算数一栏是空白；情况说明中的数字见“三公经费”页。"
project_text = "为办具体事情、完成专项任务花的钱（全部资金，公开03表）。"
if pm.evaluated_count and pm.not_evaluated is not None:
    # two different 项目支出 figures meet the reader: say why in one sentence with both numbers
    project_text += (f"其中财政拨款 {money(pm.table_general_budget)}（公开05表）；附自评表的 {pm.evaluated_count} 个项目"
                     f"执行 {money(pm.evaluated_executed)}，其余 {money(pm.not_evaluated)} 没有逐项自评。")

cards = [
    ("收入合计", money(s["income_total"]), "这一年部门总共收到的钱。", GLOSSARY_HELP["收入合计"]),
    ("支出合计", money(s["expenditure_total"]), "这一年部门总共花出去的钱。", GLOSSARY_HELP["支出合计"]),
    ("财政拨款收入", money(s["fiscal_income"]), "其中由财政（政府预算）拨给的钱。", GLOSSARY_HELP["财政拨款"]),
    ("基本支出", money(s["basic_total"]), "养人、办公等维持日常运转的钱。", GLOSSARY_HELP["基本支出"]),
    ("项目支出", money(s["project_total"]), project_text, GLOSSARY_HELP["项目支出"]),
    ("三公经费", three_value, three_text, GLOSSARY_HELP["三公经费"]),
    ("绩效自评项目", perf_value, perf_text, GLOSSARY_HELP["绩效自评"]),
    ("自动核对：数字对不上", f"{counts['error']} 处",
     f"另有值得关注 {counts['warning']} 处、尾数差 {counts['info']} 处。这是我们用文件自己的数字相互核对的结果，"
     "不是审计结论。",
     "错误：两个应当相等的数不相等；警示：值得关注；尾数提示：四舍五入造成的小差异。"),
]
for start in range(0, len(cards), 4):
    cols = st.columns(4)
    for col, (label, value, explain, help_text) in zip(cols, cards[start:start + 4]):
        with col:
            st.metric(label, value, help=help_text)
            st.caption(explain)
print_link("overview", doc)

st.divider()
left, right = st.columns(2)
with left:
    st.subheader("钱从哪里来", help="收入决算表（公开02表）合计行，按资金来源。")
    income = call("figures.income_by_source", doc)
    shown = display(income[income["amount"] != 0], ["amount"], ["share_pct"])
    if not printing() and len(shown):
        draw("income", income_chart, shown)
        st.caption("柱旁数字为占收入合计的百分比。")
    table(display(income, ["amount"], ["share_pct"]),
          {"source": "来源", "amount": st.column_config.NumberColumn("金额（万元）", format="%,.2f"),
           "share_pct": st.column_config.NumberColumn("占比", format="%.1f%%")}, key="income-table")
with right:
    st.subheader("钱花到哪里去", help="支出决算表（公开03表）按功能分类的“类”。点“支出去向”可以一层层往下看。")
    spend = call("figures.expenditure_by_function", doc, "all", None)
    shown = display(spend, ["total"], ["share_pct"])
    shown["label"] = [f"{c} {n}" for c, n in zip(shown["code"], shown["name"])]
    if not printing() and len(shown):
        event = draw("classes", classes_chart, shown[["code", "label", "total", "share_pct"]], on_select="rerun",
                     key="overview-classes")
        picked = (event or {}).get("selection", {}).get("pick") or []
        chosen = st.selectbox("查看一类支出的明细", list(shown["code"]), index=None, placeholder="点柱子，或在这里选择一类",
                              format_func=dict(zip(shown["code"], shown["label"])).get, key="overview-class-pick")
        code = (picked[0].get("code") if picked else None) or chosen
        if code:
            # every aggregate leads down: a click (or the keyboard's choice) opens that 类 in 支出去向
            st.switch_page("pages/spending.py", query_params={"doc": doc, "code": str(code)})
    table(shown, {"code": "编码", "name": "科目", "total": st.column_config.NumberColumn("金额（万元）", format="%,.2f"),
                  "share_pct": st.column_config.NumberColumn("占比", format="%.1f%%")}, key="class-table")
    if not printing():
        st.page_link("pages/spending.py", label="逐层查看支出去向 →", query_params={"doc": doc})

st.divider()
st.subheader("和上年比，变化最大的是什么", help="来自情况说明“一般公共预算财政拨款支出决算情况”，按项级科目。原因是部门自己的说明。")
changes = call("figures.document_changes", doc)
if len(changes):
    st.caption("；".join(f"{r.measure} {money(r.current)} 万元，比上年{'增加' if r.change >= 0 else '减少'} "
                         f"{money(abs(r.change))} 万元（{percent(r.change_pct)}）" for r in changes.itertuples()))
up, down = call("figures.largest_changes", doc, 5)
cols = st.columns(2)
for col, title, rows in ((cols[0], "增加最多", up), (cols[1], "减少最多", down)):
    with col:
        st.markdown(f"**{title}**")
        if rows.empty:
            st.caption("文件未逐项说明。")  # no itemised changes in the document: not the same as "nothing changed"
            continue
        for r in rows.itertuples():  # wrapped text, so the reason is never cut off
            st.markdown(safe(f"{r.code} {r.name}：本年 {money(r.amount)} 万元，{'增加' if r.change >= 0 else '减少'} "
                             f"{money(abs(r.change))} 万元（{percent(r.change_pct)}）"))
            st.caption(safe(f"部门说明的原因：{r.reason}" if r.reason else "部门没有说明原因。"))
st.caption(safe("说明：“上年”= 本年 − 增减额。"))
