"""搜索: departments, projects, 科目 (name or code) and indicators across every document; narrative within a department."""

import streamlit as st

from core.search import RANKS, WHATS, snippet
from pages._common import call, ensure_frame, printing, safe

ensure_frame()
st.title("搜索")
st.caption("在所有文件中按名称找部门、项目、科目（名称或编码，如 2040601）和绩效指标。几个词用空格隔开表示都要包含；"
           "字不连着也能找到（“泉州社会治理”能找到“泉州台商投资区社会治理办公室”）。")

f1, f2, f3 = st.columns([4, 3, 2])
text = f1.text_input("搜索", key="q", bind="query-params", placeholder="例如：平安建设、满意度、2040601")
whats = f2.multiselect("只看", list(WHATS), key="what", bind="query-params", placeholder="部门、项目、科目、指标")
years = [""] + [str(y) for y in call("review.review_years")]
year = f3.selectbox("年度", years, key="year", bind="query-params", format_func=lambda y: y or "全部年度")

PAGE = {"部门": "pages/overview.py", "项目": "pages/projects.py", "指标": "pages/projects.py", "科目": "pages/spending.py"}


def target(r) -> tuple[str, dict]:
    """The page that explains a hit, and its link parameters."""
    params = {"doc": r.doc_id}
    if r.what in ("项目", "指标") and r.kind == "决算":
        params["project"] = r.ref
    elif r.what == "科目" and r.kind == "决算":
        if r.context == "功能分类":
            params["code"] = r.ref
        else:  # an economic 科目: the spending page's economic view, at its 类
            params.update(view="economic", econ=r.ref[:3])
    return PAGE[r.what], params


if text.strip():
    hits = call("search.search", None, text, tuple(whats), int(year) if year else None)
    if hits.empty:
        st.info("没有找到。试试更短的词，或者去掉“只看”和年度的限制。")
    else:
        total = int(hits["matching"].iloc[0])
        st.markdown(f"找到 **{total}** 条" + (f"，按相关程度列出前 {len(hits)} 条。" if total > len(hits) else "。"))
        for r in hits.itertuples():
            before, match, after = snippet(r.label, text)
            name = safe(before) + (f"**{safe(match)}**" if match else "") + safe(after)
            where = f"{int(r.fiscal_year)} 年{r.scope}{r.kind} · {r.department}"
            extra = f" · {r.context}" if r.context else ""
            code = f"（{r.code}）" if r.code else ""
            with st.container(border=True):
                st.markdown(f"`{r.what}` {name}{safe(code)}")
                st.caption(safe(f"{where}{extra} · {RANKS[int(r.rank)]}"))
                if not printing():
                    page, params = target(r)
                    st.page_link(page, label="打开", icon=":material/open_in_new:", query_params=params)

st.divider()
st.subheader("在一个部门的说明文字里找")
doc = st.query_params.get("doc")
if not doc:
    st.caption("先打开一个部门（上面的结果或“部门一览”），这里就能搜索它各年文件的说明文字。")
else:
    same = call("collection.series", doc)  # the body's documents over the years, under any spelling of its name
    if same.empty:
        st.caption("链接中的文件不在数据库中。")
    else:
        st.caption(safe(f"{same['display_name'].iloc[-1]}（{same['scope'].iloc[-1]}）：{len(same)} 份文件的情况说明、"
                        "绩效说明等文字。按原文逐字查找。"))
        words = st.text_input("说明文字中的词", key="nq", bind="query-params", placeholder="例如：厉行节约、培训")
        if words.strip():
            passages = call("search.search_narrative", None, tuple(same["doc_id"]), words)
            if not passages:
                st.info("这些文件的说明文字里没有这个词。")
            for p in passages:
                with st.container(border=True):
                    st.markdown(safe(p["before"]) + f"**{safe(p['match'])}**" + safe(p["after"]))
                    st.caption(safe(f"{p['fiscal_year']} 年{p['kind']} · {p['section']}"))
