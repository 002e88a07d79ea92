"""Shared presentation helpers: the database handle, cached core calls, safe text, formats and palette."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import streamlit as st

from core import budget, export, figures
from core.audit import report as audit
from core.db.connect import DatabaseError, Handle, db_path, file_version, open_readonly
from core.drill import DrillState, against, parse_drill, to_params

# Okabe–Ito: distinguishable with the common forms of colour blindness
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
BASIC_PROJECT_COLORS = {"基本支出": "#0072B2", "项目支出": "#E69F00"}
GRADE_COLORS = {"优": "#009E73", "良": "#56B4E9", "中": "#E69F00", "差": "#D55E00"}

GLOSSARY_HELP = {
    "收入合计": "部门本年取得的全部收入，包括财政拨款和其他来源。",
    "支出合计": "部门本年实际花出去的全部钱。",
    "财政拨款": "从本级财政取得的预算资金，也就是“政府给的钱”。",
    "基本支出": "为保障机构正常运转、完成日常工作而发生的人员支出和公用支出（发工资、办公用品等）。",
    "项目支出": "在基本支出之外，为完成特定任务和事业发展目标所花的钱（具体办事的钱）。",
    "三公经费": "因公出国（境）费、公务用车购置及运行维护费、公务接待费，三项合称“三公”经费。",
    "人员经费": "工资福利支出和对个人和家庭的补助。",
    "公用经费": "办公、印刷、水电、差旅、维修等保障机构运转的费用。",
    "执行率": "实际花掉的钱 ÷ 全年预算，说明预算用了多少。",
    "绩效自评": "项目实施单位按指标给自己打分，满分 100 分：90 分以上为优，80–90 为良，60–80 为中，60 以下为差。",
    "机关运行经费": "保障行政单位运行、用于购买货物和服务的各项资金。",
}


PAGE_CONFIG = {"page_title": "部门决算公开看板", "page_icon": ":material/account_balance:", "layout": "wide",
               "menu_items": {"About": "juesuan：把部门决算公开文件变得可读、可查、可比。"}}
NAV = [
    ("pages/overview.py", "总览", ":material/home:", "overview"),
    ("pages/spending.py", "支出去向", ":material/account_tree:", "spending"),
    ("pages/projects.py", "项目绩效", ":material/task_alt:", "projects"),
    ("pages/sangong.py", "三公经费", ":material/directions_car:", "sangong"),
    ("pages/audit.py", "审核发现", ":material/fact_check:", "audit"),
    ("pages/data.py", "数据与下载", ":material/download:", "data"),
]
_FRAMED = "_juesuan_framed"


def frame() -> None:
    """The sidebar links, drawn once per run; they keep the chosen document in the URL."""
    st.session_state[_FRAMED] = True
    doc = st.query_params.get("doc")
    with st.sidebar:
        st.markdown("**部门决算公开看板**")
        for path, title, icon, _ in NAV:
            st.page_link(path, label=title, icon=icon, query_params={"doc": doc} if doc else None)
        st.divider()


def ensure_frame() -> None:
    """A page opened by a deep link in a server's very first session runs without app.py (Streamlit's
    pages/ directory fallback): draw the same frame then, and never twice."""
    if not st.session_state.get(_FRAMED):
        try:
            st.set_page_config(**PAGE_CONFIG)
        except st.errors.StreamlitAPIException:
            pass
        frame()
    st.session_state[_FRAMED] = False


def safe(text) -> str:
    """Document text for st.markdown: every markdown, HTML, LaTeX and emoji-shortcode character escaped."""
    if text is None:
        return ""
    escaped = re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&^@\"'])", r"\\\1", str(text))
    # a bare URL or e-mail address would still be linked by the renderer: a zero-width space breaks the pattern
    return re.sub(r"(?i)(://|www\\\.|@)", lambda m: m.group(1)[0] + ZWSP + m.group(1)[1:], escaped)


ZWSP = "\u200b"


def money(x: Decimal | None) -> str:
    """万元 with thousands separators and two decimals."""
    return "—" if x is None else f"{x:,.2f}"


def percent(x: Decimal | None) -> str:
    """A percentage to one decimal."""
    return "—" if x is None else f"{x:.1f}%"


def count(x: Decimal | None, unit: str = "") -> str:
    return "—" if x is None else f"{int(x):,}{unit}"


def _release(h: Handle) -> None:
    try:
        h.con.close()
    except Exception:  # noqa: BLE001 - closing a stale handle must never break a rerun
        pass


@st.cache_resource(
    show_spinner=False,
    validate=lambda h: Path(h.path).exists() and h.version == file_version(h.path),
    on_release=_release,
)
def _handle(path: str) -> Handle:
    return open_readonly(path)


def handle() -> Handle:
    """The read-only database handle; a replaced file (an ingest) opens a fresh one on the next rerun."""
    path = db_path()
    if not path.exists():  # the app only reads: building is `make db`'s job
        st.warning(f"还没有数据库（{path}）。请在项目目录运行 `make db`（或 `juesuan build`）构建，然后刷新本页。")
        st.stop()
    try:
        return _handle(str(path))
    except DatabaseError as exc:
        st.error(f"数据库无法打开：{exc}。请运行 `make db` 重新构建。")
        st.stop()


def con():
    return handle().cursor()


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(name: str, version: tuple, path: str, doc_id: str, args: tuple):
    module, _, fn = name.rpartition(".")
    target = {"figures": figures, "export": export, "audit": audit, "budget": budget}[module]
    return getattr(target, fn)(_handle(path).cursor(), doc_id, *args)


def call(name: str, doc_id: str, *args):
    """A core function, cached per database file version: `call('figures.projects', doc)`."""
    h = handle()
    return _cached(name, h.version, str(h.path), doc_id, args)


@st.cache_data(show_spinner=False, max_entries=8)
def _documents(version: tuple, path: str):
    from core.query import frame

    return frame(_handle(path).cursor(),
                 "SELECT doc_id, department, fiscal_year, kind, scope, source_file, parts_found FROM documents "
                 "ORDER BY kind = '决算' DESC, fiscal_year DESC, department, scope")


def documents():
    h = handle()
    return _documents(h.version, str(h.path))


def state() -> DrillState:
    return parse_drill(st.query_params.to_dict())


def set_state(new: DrillState) -> None:
    """Write the state to the URL (the page reruns with it, and the link can be shared)."""
    st.query_params.clear()
    st.query_params.update(to_params(new))


def current_doc(page: str = "") -> str | None:
    """The document chosen in the sidebar (kept in the URL as ?doc= so links open on it). A 预算 is shown by
    pages._budget for pages made for 决算 data (`page` names the page)."""
    ensure_frame()
    docs = documents()
    if docs.empty:
        st.info("数据库中还没有文件。请用 `juesuan ingest 文件` 导入一份部门决算。")
        st.stop()
    ids = list(docs["doc_id"])
    s = state()
    if s.doc and s.doc not in ids:  # a stale or mistyped link: say so, never show another document under it
        st.warning(f"链接中的文件“{s.doc}”不在数据库中（可能已被替换或删除），下面打开的是另一份文件，请看标题。")
        s = DrillState()
        set_state(s)
    remembered = st.session_state.get("doc")
    default = s.doc if s.doc in ids else remembered if remembered in ids else ids[0]
    labels = {r.doc_id: f"{r.fiscal_year} 年{r.scope}{r.kind} · {r.department}" for r in docs.itertuples()}
    picked = st.sidebar.selectbox("部门与年度", ids, index=ids.index(default), format_func=labels.get)
    if picked != s.doc:
        # a different document starts from the top; a URL without ?doc= just gains it
        set_state(DrillState(doc=picked) if s.doc in ids else replace(s, doc=picked))
    st.session_state["doc"] = picked
    checked, notices = against(state(), call("figures.known_keys", picked))
    for notice in notices:
        st.warning(notice)
    if notices:
        set_state(checked)
    row = docs[docs["doc_id"] == picked].iloc[0]
    if row["kind"] == "预算" and page in BUDGET_PAGES:
        from pages._budget import show

        show(picked, row, page)
        st.stop()
    return picked


BUDGET_PAGES = ("overview", "spending", "projects", "sangong")  # the others read any kind as they are


def about_data(doc_id: str) -> None:
    """The sidebar note naming the source document and what it covers."""
    docs = documents()
    row = docs[docs["doc_id"] == doc_id].iloc[0]
    with st.sidebar.expander("关于数据", expanded=False):
        st.markdown(
            f"来源：{safe(row['department'])} {int(row['fiscal_year'])} 年度{safe(row['scope'])}{safe(row['kind'])}公开文件"
            f"（{safe(row['source_file'])}）。  \n金额单位：万元，按原文列示。"
            f"  \n包含：{safe('、'.join(PART_NAMES.get(p, p) for p in row['parts_found']))}。"
        )


PART_NAMES = {
    "overview": "部门概况", "units": "单位构成", "narrative": "情况说明", "yoy": "逐项同比说明", "glossary": "名词解释",
    "self_evaluations": "项目绩效自评表", "evaluation_reports": "绩效评价报告",
    **{f"T0{i}": f"公开0{i}表" for i in range(1, 10)},
}


def download_buttons(df, name: str, key: str) -> None:
    """CSV and Excel downloads of a table, with spreadsheet formulas neutralised."""
    c1, c2 = st.columns(2)
    c1.download_button("下载 CSV", export.to_csv_bytes(df), file_name=f"{name}.csv", mime="text/csv",
                       key=f"{key}-csv", width="stretch")
    c2.download_button("下载 Excel", export.to_xlsx_bytes(df, sheet=name[:31]), file_name=f"{name}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key=f"{key}-xlsx", width="stretch")


def display(df, money_cols=(), pct_cols=()):
    """A copy for st.dataframe: Decimal money as float for sorting and formatting (display only)."""
    out = df.copy()
    for c in list(money_cols) + list(pct_cols):
        if c in out:
            out[c] = [float(x) if x is not None else None for x in out[c]]
    return out
