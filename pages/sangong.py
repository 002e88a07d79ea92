"""三公经费 and the other disclosed figures: 机关运行经费, 政府采购, 国有资产."""

import altair as alt
import pandas as pd
import streamlit as st

from pages._common import (GLOSSARY_HELP, PALETTE, call, count, current_doc, display, download_buttons, money, percent,
                           safe, draw)



def _procurement_chart(shown):
    bars = alt.Chart(shown).mark_bar().encode(
        x=alt.X("金额:Q", title="金额（万元）"), y=alt.Y("类别:N", title=None),
        color=alt.Color("类别:N", legend=None, scale=alt.Scale(range=PALETTE)),
        tooltip=["类别", alt.Tooltip("金额:Q", format=",.2f"), alt.Tooltip("中小企业占比:Q", format=".1f")])
    values = alt.Chart(shown).mark_text(align="left", dx=3, color="#262730").encode(
        x="金额:Q", y=alt.Y("类别:N"), text=alt.Text("金额:Q", format=",.2f"))
    return alt.layer(bars, values, height=alt.Step(36))


doc = current_doc("sangong")
st.title("三公经费与其他公开事项")
st.caption(GLOSSARY_HELP["三公经费"])

items = call("figures.three_public", doc)
NOT_GIVEN = "未列示"  # a blank in the table: the document does not give the figure (never shown as 0 or —)


def given(fmt, value) -> str:
    return fmt(value) if value is not None else NOT_GIVEN


total = items[items["item"] == "合计"]
if len(total):
    t = total.iloc[0]
    c = st.columns(3)
    c[0].metric("三公经费决算数（万元）", money(t["actual"]) if t["actual"] is not None else NOT_GIVEN,
                help=GLOSSARY_HELP["三公经费"])
    c[1].metric("比上年增减（万元）", money(t["change"]) if t["change"] is not None else NOT_GIVEN)
    c[2].metric("完成全年预算", percent(t["completion_pct"]) if t["completion_pct"] is not None else NOT_GIVEN,
                help="来自部门的情况说明；表中没有决算数时不做推算。")
    if t["actual"] is None:
        st.info("公开07表的决算数一栏是空白，文件没有在表中给出这一年的“三公”经费支出；下面列出情况说明里写的数字及出处。")
shown = display(items, ["budget", "actual", "change", "prior"], ["change_pct", "completion_pct"])
for col, fmt in (("budget", "{:,.2f}"), ("actual", "{:,.2f}"), ("change", "{:,.2f}"), ("prior", "{:,.2f}"),
                 ("change_pct", "{:.1f}%"), ("completion_pct", "{:.1f}%")):
    shown[col] = [fmt.format(v) if v is not None and v == v else NOT_GIVEN for v in shown[col]]
SANGONG_COLUMNS = {"item": "项目", "actual": "决算数（万元）", "budget": "预算数（万元）", "change": "比上年增减（万元）",
                   "prior": "上年（推算）", "change_pct": "增减率", "completion_pct": "完成预算", "source_ref": "出处"}
st.dataframe(shown, hide_index=True, width="stretch", column_config=SANGONG_COLUMNS, column_order=list(SANGONG_COLUMNS))
download_buttons(items, "三公经费", "dl-sangong", doc, SANGONG_COLUMNS)
stated = call("figures.stated_three_public", doc)
if len(stated) and (not len(total) or total.iloc[0]["actual"] is None):
    st.markdown("**情况说明中写的“三公”经费数字**")
    st.dataframe(display(stated, ["value"]), hide_index=True, width="stretch",
                 column_config={"item": "项目", "measure": "指标", "value": st.column_config.NumberColumn("数值", format="%,.2f"),
                                "source_ref": "出处", "phrase": st.column_config.TextColumn("原句", width="large")})
counts = call("figures.three_public_counts", doc)
facts = [(label, count(value, unit)) for label, value, unit in (
    ("本部门组织出国团组", counts.abroad_groups_own, " 个"), ("参加其他部门出国团组", counts.abroad_groups_other, " 个"),
    ("因公出国（境）累计", counts.abroad_persons, " 人次"), ("公务用车购置", counts.vehicles_purchased, " 辆"),
    ("公务用车保有", counts.vehicles_held, " 辆"), ("公务接待", counts.reception_batches, " 批次"),
    ("公务接待", counts.reception_persons, " 人次")) if value is not None]
if facts:  # only what the document states; a missing count is left out, not shown as —
    st.markdown(safe("；".join(f"{label} {value}" for label, value in facts) + "。"))
for _section, text in call("figures.section_texts", doc, "三公"):
    with st.expander("部门的说明（原文）"):
        st.markdown(safe(text))

st.divider()
st.subheader("机关运行经费", help=GLOSSARY_HELP["机关运行经费"])
ac = call("figures.admin_cost", doc)
c = st.columns(2)
c[0].metric("机关运行经费（万元）", given(money, ac.amount))
c[1].metric("比上年增减率", given(percent, ac.change_pct))

st.divider()
st.subheader("政府采购", help="部门通过政府采购买货物、工程和服务的金额，以及给中小企业的合同份额。")
pr = call("figures.procurement", doc)
c = st.columns(3)
c[0].metric("采购总额（万元）", given(money, pr.total))
c[1].metric("授予中小企业（万元）", given(money, pr.sme))
c[2].metric("中小企业占比", given(percent, pr.sme_pct), help=f"按金额重算：{given(percent, pr.sme_pct_recomputed)}")

parts = pd.DataFrame([("货物", pr.goods, pr.goods_sme_pct), ("工程", pr.works, pr.works_sme_pct),
                      ("服务", pr.services, pr.services_sme_pct)], columns=["类别", "金额", "中小企业占比"], dtype=object)
shown = display(parts, ["金额"], ["中小企业占比"])
draw("procurement", _procurement_chart, shown)
table = shown.assign(金额=[given(money, v) for v in parts["金额"]], 中小企业占比=[given(percent, v) for v in parts["中小企业占比"]])
st.dataframe(table, hide_index=True, width="stretch", column_config={"金额": "金额（万元）"})

st.divider()
st.subheader("国有资产占用")
assets = call("figures.assets", doc)
c = st.columns(2)
c[0].metric("车辆（辆）", given(count, assets.vehicles_total))
c[1].metric("单价 100 万元以上设备（台/套）", given(count, assets.equipment_over_1m))
if assets.vehicles_by_type:
    st.dataframe(pd.DataFrame([(k, int(v)) for k, v in assets.vehicles_by_type.items()], columns=["用途", "数量（辆）"]),
                 hide_index=True, width="stretch")
