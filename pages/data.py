"""数据与下载: the tables as published (决算 or 预算), downloads, the glossary, the source text, how to query."""

import streamlit as st

from core.model_info import PUBLIC_VIEWS, query_example
from core.opendata import downloads
from core.sources import document_sources
from pages._common import call, con, current_doc, download_buttons, handle, safe

doc = current_doc()
st.title("数据与下载")
tables = call("budget.published_tables", doc)
TITLES = dict(zip(tables["table_code"], tables["title"]))
if not TITLES:
    st.info("这份文件没有可以列示的表格。")
    st.stop()
code = st.selectbox("选择表格", list(TITLES), key="table", bind="query-params",
                    format_func=lambda c: f"公开{c[1:]}表 {TITLES[c]}" if c.startswith("T") else TITLES[c])
table = call("export.published_frame", doc, code)
if table.empty:
    st.info("本表无数据（部门声明本年度没有此类收支）或文件中没有这张表。")
else:
    st.dataframe(table, hide_index=True, width="stretch")
download_buttons(table, f"公开{code[1:]}表" if code.startswith("T") else TITLES[code], f"dl-{code}", doc)

st.divider()
st.subheader("名词解释")
gl = call("figures.glossary", doc)
if gl.empty:
    st.caption("这份文件没有名词解释（或尚未读取）。")
for r in gl.itertuples():
    with st.expander(safe(r.term)):
        st.markdown(safe(r.definition))

st.divider()
st.subheader("原始文件")
info = call("figures.document_info", doc)
st.caption(safe(f"{info['source_file']} · SHA-256 {info['source_sha256'][:16]}…"))
for src in document_sources(con(), handle().path, doc):
    cols = st.columns([3, 2])
    where = f"发布者：{src['publisher']}" + (f"，{src['published']}" if src["published"] else "")
    cols[0].markdown(safe(f"{src['name']}（{where}）"))
    if src["url"]:
        cols[1].link_button("打开官方发布的原文", src["url"])
    if src["path"] is not None:
        cols[1].download_button("下载入库时的原文件", src["path"].read_bytes(), file_name=src["name"],
                                key=f"src-{src['sha256'][:12]}")
if len(info["units"]):
    st.markdown("**单位构成**")
    st.dataframe(info["units"], hide_index=True, width="stretch",
                 column_config={"name": "单位名称", "unit_type": "单位性质", "staff": "在职人数"})
with st.expander("查看原文全文"):
    st.text(call("export.source_text", doc).replace("\f", "\n—— 分页 ——\n"))

st.divider()
st.subheader("开放数据下载", help="数据包符合 Frictionless Tabular Data Package 规范；金额单位万元；每份导出都带数据版本，"
             "引用时写明版本号即可再次取得同一数字。")
for scope_label, scope_doc in (("这份文件", doc), ("全部文件", None)):
    offered = downloads(con(), handle().path, scope_doc)
    if not offered:
        st.caption("导出尚未生成：在项目目录运行 `make db`（或 `juesuan export --all`）。")
        break
    st.markdown(f"**{scope_label}**")
    cols = st.columns(len(offered))
    for col, item in zip(cols, offered):
        if item["servable"]:
            size = f"{item['size'] / 1024 / 1024:.1f} MB" if item["size"] >= 1024 * 1024 else f"{item['size'] // 1024 + 1} KB"
            col.download_button(f"{item['label']}（{size}）", item["path"].read_bytes(),
                                file_name=f"juesuan-{scope_doc or 'all'}-{item['name']}", key=f"od-{scope_doc}-{item['name']}")
        else:
            col.caption(f"{item['label']} 超过 100 MB，请按文件下载或下载 Parquet。")

st.divider()
st.subheader("用 SQL 查询（分析人员）")
st.markdown("数据库是一个 DuckDB 文件（默认 `data/juesuan.duckdb`），只读打开即可查询下列视图：")
st.dataframe([{"视图": v, "内容": d} for v, d in PUBLIC_VIEWS.items()], hide_index=True, width="stretch")
st.code(query_example(doc), language="python")
