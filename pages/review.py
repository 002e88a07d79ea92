"""需要关注: the review list across the chosen documents, each row linked to the page that explains it."""

from datetime import date
from urllib.parse import urlencode

import streamlit as st

from core import export
from core.review import MAX_DOCUMENTS
from pages._common import call, display, ensure_frame, printing, safe, table

ensure_frame()
st.title("需要关注")
st.caption("把值得领导和审阅者留意的数字和项目集中在一起。这是提示，不是结论：每一行都有出处，点“打开”可看到它在原文件中的位置和前后文。")

years_all = call("review.review_years")
if printing():
    years = [int(y) for y in st.query_params.get_all("years") if y.isdigit()]
    text = st.query_params.get("q", "")
    kinds = [k for k in st.query_params.get_all("kinds") if k in ("决算", "预算")]
else:
    f1, f2, f3 = st.columns([2, 3, 2])
    years = f1.multiselect("年度", years_all, key="years", bind="query-params", placeholder="全部年度")
    text = f2.text_input("部门名称包含", key="q", bind="query-params", placeholder="例如：司法局")
    kinds = f3.multiselect("文件类型", ["决算", "预算"], key="kinds", bind="query-params", placeholder="决算和预算")
scope = call("review.review_scope", None, tuple(years), text, tuple(kinds))
if len(scope) > MAX_DOCUMENTS:
    st.warning(f"所选文件超过 {MAX_DOCUMENTS} 份，请按年度或部门缩小范围。")
    st.stop()
if scope.empty:
    st.info("没有符合条件的文件。")
    st.stop()
finals = int((scope["kind"] == "决算").sum())
st.markdown(f"覆盖 **{len(scope)}** 份文件：决算 {finals} 份、预算 {len(scope) - finals} 份，"
            f"{scope['department'].nunique()} 个部门。金额单位：万元。")
sections = call("review.review", None, tuple(scope["doc_id"]))

LINKS = {"low_full": "projects", "failed": "projects", "scoring": "projects", "errors": "audit", "rises": "sangong"}
COLUMNS = {
    "low_full": {"department": "部门", "fiscal_year": "年度", "project": "项目", "budget": "全年预算（万元）",
                 "executed": "执行数（万元）", "execution_rate": "执行率（%）", "execution_score": "执行率得分",
                 "execution_weight": "执行率分值", "source_ref": "出处"},
    "failed": {"department": "部门", "fiscal_year": "年度", "project": "项目", "indicator": "指标",
               "target": "年度指标值", "actual": "实际完成值", "deviation_reason": "偏差原因", "source_ref": "出处"},
    "scoring": {"department": "部门", "fiscal_year": "年度", "project": "项目", "execution_rate": "执行率（%）",
                "reported_execution_score": "填报的执行率得分", "standard_execution_score": "按标准方法计算",
                "difference": "相差", "direction": "多给还是少给", "grade": "填报等级",
                "standard_grade": "按标准方法计算的等级", "source_ref": "出处"},
    "errors": {"department": "部门", "fiscal_year": "年度", "gap": "差距", "rule_id": "规则", "message": "说明",
               "expected": "对照数", "actual": "文件列示", "difference": "差额", "source_ref": "出处"},
    "rises": {"department": "部门", "fiscal_year": "年度", "item": "项目", "actual": "决算数（万元）",
              "change": "比上年增加（万元）", "change_pct": "增长率（%）", "source_ref": "出处"},
}
MONEY = ("budget", "executed", "execution_rate", "execution_score", "execution_weight", "reported_execution_score",
         "standard_execution_score", "difference", "expected", "actual", "change", "change_pct")


def link(key: str, row) -> str:
    params = {"doc": row["doc_id"]}
    if key in ("low_full", "failed", "scoring"):
        params["project"] = row["project_id"]
    return f"{LINKS[key]}?{urlencode(params)}"


counts = st.columns(len(sections))
for col, section in zip(counts, sections):
    col.metric(section.title, f"{len(section.rows)} 条")
for section in sections:
    st.divider()
    st.subheader(f"{section.title}（{len(section.rows)}）", anchor=section.key)
    st.caption(section.explain)
    if section.not_applicable:
        st.caption(f"所选文件中有 {section.not_applicable} 份预算：预算是年初的计划，没有执行数和绩效自评，这一节不适用于它们。")
    if section.rows.empty:
        st.caption("所选文件中没有。" if finals or section.key == "errors" else "所选文件都是预算，这一节没有可列的内容。")
        continue
    columns = COLUMNS[section.key]
    numbers = [c for c in MONEY if c in section.rows and not (c == "actual" and section.key == "failed")]
    shown = display(section.rows, numbers)
    if not printing():
        shown = shown.assign(open=[link(section.key, r) for _, r in section.rows.iterrows()])
        config = {"open": st.column_config.LinkColumn("打开", display_text="打开", width="small"), **columns}
    else:
        config = dict(columns)
    for c in numbers:
        if c in columns:
            config[c] = st.column_config.NumberColumn(columns[c], format="%,.2f")
    table(shown, config, key=f"review-{section.key}",
          first=["open", "department", "project", "indicator", "item", "message", "execution_rate", "direction", "gap"])

if not printing():
    st.divider()
    cover = call("review.review_cover", None, tuple(scope["doc_id"]), date.today().isoformat())
    sheets = [(s.title[:31], export.labelled(s.rows, COLUMNS[s.key])) for s in sections]
    st.download_button("下载审阅包（Excel：说明页 + 每一部分一张表）", data=lambda: export.workbook(sheets, cover),
                       file_name=cover.file_name(), key="review-pack", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", type="primary")
    params = {"print": "1", **({"years": [str(y) for y in years]} if years else {}), **({"q": text} if text else {}),
              **({"kinds": kinds} if kinds else {})}
    st.page_link("pages/review.py", label="打印版（适合打印或存为 PDF）", icon=":material/print:", query_params=params)
else:
    st.page_link("pages/review.py", label="← 返回正常视图")
    st.caption(safe(f"打印于 {date.today().isoformat()}。"))
