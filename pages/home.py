"""部门一览: the whole collection, one row per department (its latest year), filtered and sorted in SQL."""

import streamlit as st

from core.listing import MAX_ROWS
from pages._common import call, display, ensure_frame, money, percent, safe, table

ensure_frame()
# an old link to a document (`/?doc=…`) and a collection of one document go straight to the document, as before
if st.query_params.get("doc"):
    st.switch_page("pages/overview.py", query_params=st.query_params.to_dict())
if call("listing.document_count") <= 1:
    st.switch_page("pages/overview.py")

st.title("部门一览")
st.caption("每个部门一行，显示它最近一年的文件（同一年既有决算又有预算时显示决算）。部门和单位的预算是两个系列，各占一行。"
           "金额单位：万元。选中一行打开这个部门。")
f1, f2, f3, f4 = st.columns([3, 2, 2, 2])
text = f1.text_input("部门名称包含", key="name", bind="query-params", placeholder="例如：司法局")
region = f2.selectbox("地区", [""] + call("listing.regions"), key="region", bind="query-params",
                      format_func=lambda r: r or "全部地区")
kinds = f3.multiselect("文件类型", ["决算", "预算"], key="kind", bind="query-params", placeholder="决算和预算")
ORDERS = {"name": "按地区和名称", "expenditure": "按支出合计（大到小）", "year": "按年度（新到旧）", "errors": "按核对错误（多到少）"}
order = f4.selectbox("排序", list(ORDERS), format_func=ORDERS.get, key="order", bind="query-params")

rows = call("listing.department_overview", None, text, region, tuple(kinds), order)
matching = int(rows["matching"].iloc[0]) if len(rows) else 0
st.markdown(f"**{matching}** 个部门系列" + (f"，只列出前 {MAX_ROWS} 个，请用上面的条件缩小范围。" if matching > len(rows) else "。"))
st.caption("不同部门的数字不能相加当作政府的总支出：部门预算已包含所属单位，区里拨给街道的钱也会在街道再出现一次。"
           "所以这里不给合计。")
if rows.empty:
    st.info("没有符合条件的部门。")
    st.stop()
shown = display(rows, ["expenditure_total", "basic_total", "project_total"])
# figures a document does not publish read as words, never as an empty cell or "None" (SQL already sorted the rows)
shown["three_public_total"] = [money(v) if v is not None else "未列示" for v in rows["three_public_total"]]
shown["staff"] = [f"{int(v):,}" if v is not None else "未公布" for v in rows["staff"]]
shown["per_staff"] = [money(v) if v is not None else "—（无人数）" for v in rows["per_staff"]]
shown["execution_rate"] = [percent(v) if v is not None else ("预算无执行数" if k == "预算" else "无自评项目")
                           for v, k in zip(rows["execution_rate"], rows["kind"])]
shown["years"] = [f"{a}–{b}" if a != b else str(b) for a, b in zip(rows["first_year"], rows["fiscal_year"])]
shown["latest"] = [f"{y} 年{s}{k}" for y, s, k in zip(rows["fiscal_year"], rows["scope"], rows["kind"])]
number = lambda label: st.column_config.NumberColumn(label, format="%,.2f")  # noqa: E731
COLUMNS = {"display_name": "部门", "region": "地区", "latest": "最近一份", "expenditure_total": number("支出合计"),
           "basic_total": number("基本支出"), "project_total": number("项目支出"), "three_public_total": "“三公”经费",
           "staff": "在职人数", "per_staff": "人均支出", "execution_rate": "项目执行率",
           "errors": "核对错误", "warnings": "警示", "years": "有文件的年度", "document_count": "文件份数"}
event = table(shown, COLUMNS, key="departments", select=True, first=["display_name", "latest", "expenditure_total"])
picked = (event or {}).get("selection", {}).get("rows") or []
if picked:
    st.switch_page("pages/overview.py", query_params={"doc": str(rows.iloc[picked[0]]["doc_id"])})
st.caption(safe("人均支出 = 支出合计 ÷ 在职人数（只在文件公布了人数时计算）；项目执行率 = 自评项目的执行数之和 ÷ 全年预算之和。"
                "文件没有公布人数、预算没有执行数时，这两列写明原因。"))
