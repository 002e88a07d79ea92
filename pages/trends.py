"""历年变化: one department over every year the collection holds, budgets and final accounts, each point traceable."""

import altair as alt
import streamlit as st

from pages._common import (PALETTE, call, current_doc, display, download_buttons, draw, labels_of, money, percent,
                           printing, safe, table)

KIND_DASH = {"决算": [1, 0], "预算": [6, 4]}
# a 类 mix has more classes than the Okabe–Ito eight: Paul Tol's muted scheme follows, still colour-blind safe
MIX_COLORS = PALETTE + ["#88CCEE", "#882255", "#44AA99", "#117733", "#332288", "#DDCC77", "#AA4499", "#999933", "#BBBBBB"]


def lines_chart(points):
    base = alt.Chart(points).encode(
        x=alt.X("fiscal_year:O", title="年度", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("amount:Q", title="金额（万元）", axis=alt.Axis(format=",.2~f")),
        color=alt.Color("measure:N", title=None, scale=alt.Scale(range=PALETTE), legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("fiscal_year:O", title="年度"), alt.Tooltip("kind:N", title="类型"),
                 alt.Tooltip("measure:N", title="指标"), alt.Tooltip("amount:Q", title="金额（万元）", format=",.2f"),
                 alt.Tooltip("basis:N", title="依据"), alt.Tooltip("source:N", title="出处")],
    )
    lines = base.mark_line().encode(
        strokeDash=alt.StrokeDash("kind:N", title=None, scale=alt.Scale(domain=list(KIND_DASH), range=list(KIND_DASH.values())),
                                  legend=alt.Legend(orient="bottom", symbolType="stroke")))
    # the document's own figure is a filled point; a prior-year figure the next year's 决算 states is hollow
    own = base.transform_filter(alt.datum.basis == "本年数").mark_point(filled=True, size=70)
    stated = base.transform_filter(alt.datum.basis != "本年数").mark_point(filled=False, size=70, strokeWidth=2)
    return alt.layer(lines, own, stated, height=300)


def mix_chart(classes):
    return alt.Chart(classes).mark_bar().encode(
        y=alt.Y("document:N", title=None, sort=None, axis=alt.Axis(labelLimit=220)),
        x=alt.X("share_pct:Q", title="占本年各类支出之和（%）", stack="normalize", axis=alt.Axis(format="%")),
        color=alt.Color("name:N", title="类", scale=alt.Scale(range=MIX_COLORS), legend=alt.Legend(orient="bottom", columns=2)),
        order=alt.Order("code:N"),
        tooltip=[alt.Tooltip("document:N", title="文件"), alt.Tooltip("name:N", title="类"),
                 alt.Tooltip("amount:Q", title="金额（万元）", format=",.2f"),
                 alt.Tooltip("share_pct:Q", title="占比（%）", format=".2f"), alt.Tooltip("source_ref:N", title="出处")],
    ).properties(height=alt.Step(34))


doc = current_doc("trends")
h = call("collection.history", doc)
st.title("历年变化")
st.caption(safe(f"{h.name}（{h.scope}）在数据库中的每一份文件：预算（年初的计划，虚线）和决算（年底的实际，实线），"
                "加上决算说明里自己写出的上年数（空心点）。金额单位：万元。每个点都能追到它的文件和行（见下表）。"))
docs = h.documents
if len(docs) < 2 and h.points["basis"].eq("本年数").all():
    st.info("数据库里这个部门只有这一份文件，还画不出变化。导入它其他年度的预算或决算后，这里会出现历年对比。")

st.subheader("总额、基本支出与项目支出")
main = h.points[h.points["measure"] != "“三公”经费"]
shown = display(main, ["amount"])
shown["source"] = [f"{r.fiscal_year} 年{r.kind} · {r.source_ref or '—'}" for r in main.itertuples()]
if not printing():
    draw("trend-totals", lines_chart, shown)
st.subheader("“三公”经费")
three = h.points[h.points["measure"] == "“三公”经费"]
if three.empty:
    st.caption("这些文件都没有列示“三公”经费合计。")
else:
    shown3 = display(three, ["amount"])
    shown3["source"] = [f"{r.fiscal_year} 年{r.kind} · {r.source_ref or '—'}" for r in three.itertuples()]
    if not printing():
        draw("trend-three", lines_chart, shown3)

st.markdown("**每个点的来源**")
POINTS = {"fiscal_year": "年度", "kind": "类型", "measure": "指标",
          "amount": st.column_config.NumberColumn("金额（万元）", format="%,.2f"), "basis": "依据",
          "document": "所在文件", "source_ref": "出处（页/行）"}
listed = display(h.points, ["amount"])
labels = {r.doc_id: f"{int(r.fiscal_year)} 年{r.scope}{r.kind}" for r in docs.itertuples()}
listed["document"] = [labels.get(d, d) for d in h.points["doc_id"]]
table(listed, POINTS, key="trend-points", first=["fiscal_year", "measure", "amount"])
download_buttons(h.points.assign(document=listed["document"]), "历年变化", "trend-points", doc, labels_of(POINTS))

st.subheader("支出按“类”的构成")
st.caption("每份文件中各类支出占它各类支出之和的比例。" + (
    "注意：有的文件只列了一般公共预算拨款的科目表，口径不同，已在表中标出。" if len(h.class_bases) > 1 else ""))
if h.classes.empty:
    st.caption("这些文件没有按科目列示支出。")
else:
    mix = display(h.classes, ["amount", "share_pct"])
    mix["document"] = [labels.get(d, d) for d in h.classes["doc_id"]]
    if not printing():
        draw("trend-mix", mix_chart, mix)
    table(mix, {"document": "文件", "code": "科目编码", "name": "类",
                "amount": st.column_config.NumberColumn("金额（万元）", format="%,.2f"),
                "share_pct": st.column_config.NumberColumn("占比（%）", format="%.2f"), "basis": "取自", "source_ref": "出处"},
          key="trend-mix", first=["document", "name", "share_pct"])

st.subheader("同一年的预算与决算")
if h.pairs.empty:
    st.caption("数据库里这个部门没有哪一年同时有预算和决算。两者都导入后，这里会逐类、逐项对比计划和实际。")
else:
    st.caption("预算是年初的计划，决算是年底实际花的。差额 = 决算 − 预算；完成比例 = 决算 ÷ 预算。"
               "“三公”一栏另列决算文件自己写的全年预算数（可能含年中调整，和年初预算文件不一定相同）。")
    for year, pair in h.pairs.groupby("fiscal_year", sort=True):
        st.markdown(f"**{int(year)} 年**")
        shown_pair = pair.copy()
        # blanks read as words: 未列示 where a document does not print the figure, — where nothing can be computed
        for col in ("budget", "final"):
            shown_pair[col] = [money(v) if v is not None else "未列示" for v in pair[col]]
        shown_pair["difference"] = [money(v) if v is not None else "—" for v in pair["difference"]]
        shown_pair["final_pct"] = [percent(v) if v is not None else "—" for v in pair["final_pct"]]
        shown_pair["final_stated_budget"] = [money(v) if v is not None else ("未列示" if s == "三公" else "")
                                             for v, s in zip(pair["final_stated_budget"], pair["section"])]
        shown_pair["code"] = [c or "" for c in pair["code"]]
        table(shown_pair, {"section": "部分", "code": "科目编码", "item": "项目", "budget": "预算数（预算文件）",
                           "final": "决算数（决算文件）", "difference": "差额", "final_pct": "完成比例",
                           "final_stated_budget": "决算文件所列预算数", "budget_ref": "预算出处", "final_ref": "决算出处"},
              key=f"pair-{int(year)}", first=["item", "budget", "final"])
    download_buttons(h.pairs, "预算与决算对比", "pairs", doc,
                     {"fiscal_year": "年度", "section": "部分", "code": "科目编码", "item": "项目", "budget": "预算数",
                      "final": "决算数", "difference": "差额", "final_pct": "完成比例（%）",
                      "final_stated_budget": "决算文件所列预算数", "budget_ref": "预算出处", "final_ref": "决算出处"})

if not printing():
    st.subheader("打开某一年的文件")
    cols = st.columns(min(len(docs), 4) or 1)
    for n, r in enumerate(docs.itertuples()):
        cols[n % len(cols)].page_link("pages/overview.py", label=labels[r.doc_id], query_params={"doc": r.doc_id})
    st.page_link("pages/compare.py", label="把这些年份放在一起比较", icon=":material/compare_arrows:",
                 query_params={"docs": list(docs["doc_id"][-5:])})
