"""三公经费 and the other disclosed figures: 机关运行经费, 政府采购, 国有资产."""

import altair as alt
import pandas as pd
import streamlit as st

from pages._common import (GLOSSARY_HELP, PALETTE, about_data, call, count, current_doc, display, download_buttons,
                           money, percent, safe)

doc = current_doc("sangong")
about_data(doc)
st.title("三公经费与其他公开事项")
st.caption(GLOSSARY_HELP["三公经费"])

items = call("figures.three_public", doc)
total = items[items["item"] == "合计"]
if len(total):
    t = total.iloc[0]
    c = st.columns(3)
    c[0].metric("三公经费决算数（万元）", money(t["actual"]), help=GLOSSARY_HELP["三公经费"])
    c[1].metric("比上年增减（万元）", money(t["change"]))
    c[2].metric("完成全年预算", percent(t["completion_pct"]))
st.dataframe(display(items, ["budget", "actual", "change", "prior"], ["change_pct", "completion_pct"]),
             hide_index=True, width="stretch",
             column_config={"item": "项目", "budget": st.column_config.NumberColumn("预算数", format="%,.2f"),
                            "actual": st.column_config.NumberColumn("决算数", format="%,.2f"),
                            "change": st.column_config.NumberColumn("比上年增减", format="%,.2f"),
                            "prior": st.column_config.NumberColumn("上年（推算）", format="%,.2f"),
                            "change_pct": st.column_config.NumberColumn("增减率", format="%.1f%%"),
                            "completion_pct": st.column_config.NumberColumn("完成预算", format="%.1f%%"),
                            "source_ref": "出处"})
download_buttons(items, "三公经费", "dl-sangong")
counts = call("figures.three_public_counts", doc)
st.markdown(safe(
    f"出国团组：本部门组织 {count(counts.abroad_groups_own, ' 个')}，参加其他部门 {count(counts.abroad_groups_other, ' 个')}，"
    f"累计 {count(counts.abroad_persons, ' 人次')}；公务用车购置 {count(counts.vehicles_purchased, ' 辆')}，"
    f"保有 {count(counts.vehicles_held, ' 辆')}；公务接待 {count(counts.reception_batches, ' 批次')}、"
    f"{count(counts.reception_persons, ' 人次')}。"))
for _section, text in call("figures.section_texts", doc, "三公"):
    with st.expander("部门的说明（原文）"):
        st.markdown(safe(text))

st.divider()
st.subheader("机关运行经费", help=GLOSSARY_HELP["机关运行经费"])
ac = call("figures.admin_cost", doc)
c = st.columns(2)
c[0].metric("机关运行经费（万元）", money(ac.amount))
c[1].metric("比上年增减率", percent(ac.change_pct))

st.divider()
st.subheader("政府采购", help="部门通过政府采购买货物、工程和服务的金额，以及给中小企业的合同份额。")
pr = call("figures.procurement", doc)
c = st.columns(3)
c[0].metric("采购总额（万元）", money(pr.total))
c[1].metric("授予中小企业（万元）", money(pr.sme))
c[2].metric("中小企业占比", percent(pr.sme_pct), help=f"按金额重算：{percent(pr.sme_pct_recomputed)}")

parts = pd.DataFrame([("货物", pr.goods, pr.goods_sme_pct), ("工程", pr.works, pr.works_sme_pct),
                      ("服务", pr.services, pr.services_sme_pct)], columns=["类别", "金额", "中小企业占比"], dtype=object)
shown = display(parts, ["金额"], ["中小企业占比"])
st.altair_chart(alt.Chart(shown).mark_bar().encode(
    x=alt.X("金额:Q", title="金额（万元）"), y=alt.Y("类别:N", title=None),
    color=alt.Color("类别:N", legend=None, scale=alt.Scale(range=PALETTE)),
    tooltip=["类别", alt.Tooltip("金额:Q", format=",.2f"), alt.Tooltip("中小企业占比:Q", format=".1f")]),
    width="stretch")
st.dataframe(shown, hide_index=True, width="stretch",
             column_config={"金额": st.column_config.NumberColumn("金额（万元）", format="%,.2f"),
                            "中小企业占比": st.column_config.NumberColumn("中小企业占比", format="%.1f%%")})

st.divider()
st.subheader("国有资产占用")
assets = call("figures.assets", doc)
c = st.columns(2)
c[0].metric("车辆（辆）", count(assets.vehicles_total))
c[1].metric("单价 100 万元以上设备（台/套）", count(assets.equipment_over_1m))
if assets.vehicles_by_type:
    st.dataframe(pd.DataFrame([(k, int(v)) for k, v in assets.vehicles_by_type.items()], columns=["用途", "数量（辆）"]),
                 hide_index=True, width="stretch")
