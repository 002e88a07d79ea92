"""比较: two to five department-years side by side, on one screen and as a download."""

from datetime import date

import altair as alt
import pandas as pd
import streamlit as st

from core import export
from core.collection import COMPARE_MAX, CompareCover, column_heads
from pages._common import PALETTE, call, display, draw, ensure_frame, money, percent, printing, safe, table


def shares_chart(classes, order: tuple):
    return alt.Chart(classes).mark_bar().encode(
        y=alt.Y("name:N", title=None, axis=alt.Axis(labelLimit=200)),
        yOffset=alt.YOffset("label:N", sort=list(order)),
        x=alt.X("share_pct:Q", title="占各类支出之和（%）"),
        color=alt.Color("label:N", title=None, sort=list(order), scale=alt.Scale(domain=list(order), range=PALETTE),
                        legend=alt.Legend(orient="top", columns=1, labelLimit=320)),
        tooltip=[alt.Tooltip("label:N", title="文件"), alt.Tooltip("name:N", title="类"),
                 alt.Tooltip("amount:Q", title="金额（万元）", format=",.2f"),
                 alt.Tooltip("share_pct:Q", title="占比（%）", format=".2f"), alt.Tooltip("source_ref:N", title="出处")],
    ).properties(height=alt.Step(14))


ensure_frame()
st.title("比较")
st.caption("把两到五份文件（部门 + 年度）并排放在一起：总额、基本与项目支出的比例、“三公”经费、人均、执行率和自评等级。"
           "每个数字都取自各自的文件；不同部门的数字不相加。金额单位：万元。")

# the chosen documents live in the URL (?docs=…&docs=…), so a comparison can be shared as a link
wanted = list(dict.fromkeys(st.query_params.get_all("docs")))[:COMPARE_MAX]
if not wanted and st.query_params.get("doc"):
    wanted = [st.query_params["doc"]]
known = call("listing.document_rows", None, tuple(wanted))
if len(known) < len(wanted):
    st.warning("链接中有的文件不在数据库中（可能已被替换或删除），已略去。")
chosen = list(known["doc_id"])
labels = {r.doc_id: f"{r.fiscal_year} 年{r.scope}{r.kind} · {r.department}" for r in known.itertuples()}

if not printing():
    f1, f2 = st.columns([2, 3])
    query = f1.text_input("找文件：部门名称中的字，或年份", key="compare-find", placeholder="例如：法院、2019")
    found = call("listing.find_documents", None, query) if query.strip() else known.iloc[0:0]
    if query.strip() and len(found) == 0:
        f1.caption("没有找到。")
    same = call("listing.department_documents", chosen[0]) if chosen else known.iloc[0:0]
    labels.update({r.doc_id: f"{r.fiscal_year} 年{r.scope}{r.kind} · {r.department}"
                   for r in (*found.itertuples(), *same.itertuples())})
    options = list(dict.fromkeys([*chosen, *found["doc_id"], *same["doc_id"]]))
    picked = f2.multiselect(f"要比较的文件（2–{COMPARE_MAX} 份）", options, default=chosen, key="compare-docs",
                            format_func=lambda d: labels.get(d, d), max_selections=COMPARE_MAX,
                            placeholder="先在左边找，再在这里选")
    if picked != chosen:
        st.query_params.from_dict({"docs": picked})  # one write, one history entry
        st.rerun()
if len(chosen) < 2:
    st.info("请至少选两份文件。可以是同一部门的不同年份，也可以是不同部门的同一年。")
    st.stop()

c = call("collection.compare", None, tuple(chosen))
for note in c.notes:
    st.warning(note)
h = c.headline
ROWS = [  # (label, column, format)
    ("支出合计（万元）", "expenditure_total", money), ("基本支出（万元）", "basic_total", money),
    ("项目支出（万元）", "project_total", money), ("基本支出占比", "basic_share_pct", percent),
    ("项目支出占比", "project_share_pct", percent), ("“三公”经费（万元）", "three_public_total", money),
    ("“三公”占支出合计", "three_public_share_pct", percent), ("在职人数", "staff", lambda v: f"{int(v):,}"),
    ("人均支出（万元）", "per_staff", money), ("自评项目数", "projects", lambda v: f"{int(v)}"),
    ("项目执行率", "execution_rate", percent), ("自评平均得分", "mean_score", lambda v: f"{v:.2f}"),
    ("自评等级", "grades", str), ("核对错误 / 警示", "errors", None),
]
missing = {"staff": "未公布", "per_staff": "—（无人数）", "projects": "无自评表", "execution_rate": "—",
           "mean_score": "—", "grades": "—", "three_public_total": "未列示", "three_public_share_pct": "—"}
grid = {"指标": [label for label, *_ in ROWS]}
heads, left_out = column_heads(h)  # short enough for a phone to show two columns; what they leave out said once
if h["display_name"].nunique() == 1:
    st.markdown(f"**{safe(h['display_name'].iloc[0])}**（同一部门的几份文件）")
elif left_out:
    st.caption(safe(left_out))
for r, head in zip(h.to_dict("records"), heads):
    column = []
    for _, key, fmt in ROWS:
        if key == "errors":
            column.append(f"{int(r['errors'])} / {int(r['warnings'])}")
        elif r[key] is None or (isinstance(r[key], float) and r[key] != r[key]):
            column.append("预算无执行数" if r["kind"] == "预算" and key in ("projects", "execution_rate") else missing.get(key, "—"))
        else:
            column.append(fmt(r[key]))
    grid[head] = column
side = pd.DataFrame(grid)
table(side, {c: c for c in side.columns}, key="compare-grid", first=["指标"], height="content")

st.subheader("支出按“类”的构成")
st.caption("每份文件中各类支出占它各类支出之和的比例，取自各自的支出表。")
if c.classes.empty:
    st.caption("这些文件没有按科目列示支出。")
else:
    mix = display(c.classes, ["amount", "share_pct"])
    if not printing():
        draw("compare-shares", shares_chart, mix, tuple(h["label"]))  # colours in the order chosen
    table(mix, {"label": "文件", "code": "科目编码", "name": "类",
                "amount": st.column_config.NumberColumn("金额（万元）", format="%,.2f"),
                "share_pct": st.column_config.NumberColumn("占比（%）", format="%.2f"), "basis": "取自", "source_ref": "出处"},
          key="compare-classes", first=["name", "label", "share_pct"])

if not printing():
    cover = CompareCover(tuple(h["label"]), c.notes, date.today().isoformat())
    HEAD = {"label": "文件", "fiscal_year": "年度", "kind": "类型", "scope": "范围", "expenditure_total": "支出合计",
            "basic_total": "基本支出", "project_total": "项目支出", "basic_share_pct": "基本支出占比（%）",
            "project_share_pct": "项目支出占比（%）", "three_public_total": "“三公”经费",
            "three_public_share_pct": "“三公”占比（%）", "staff": "在职人数", "per_staff": "人均支出",
            "projects": "自评项目数", "execution_rate": "项目执行率（%）", "mean_score": "自评平均得分",
            "grades": "自评等级", "errors": "核对错误", "warnings": "警示"}
    CLASSES = {"label": "文件", "code": "科目编码", "name": "类", "amount": "金额（万元）", "share_pct": "占比（%）",
               "basis": "取自", "source_ref": "出处"}
    sheets = [("并排比较", export.labelled(h, HEAD)), ("类构成", export.labelled(c.classes, CLASSES))]
    st.download_button("下载比较（Excel：说明页 + 并排表 + 类构成）", data=lambda: export.workbook(sheets, cover),
                       file_name=cover.file_name(), key="compare-xlsx", on_click="ignore", type="primary",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    st.page_link("pages/compare.py", label="打印版（适合打印或存为 PDF）", icon=":material/print:",
                 query_params={"docs": chosen, "print": "1"})
    cols = st.columns(len(chosen))
    for col, r in zip(cols, h.itertuples()):
        col.page_link("pages/overview.py", label=safe(r.label), query_params={"doc": r.doc_id})
