"""Shared presentation helpers: the database handle, cached core calls, safe text, formats and palette."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import streamlit as st

from core import budget, collection, export, figures, listing, reconcile, review, search, sources
from core.audit import report as audit
from core.db.connect import DatabaseError, Handle, db_path, file_version, open_readonly
from core.drill import DrillState, against, parse_drill, url_changes

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
               "initial_sidebar_state": "collapsed",
               "menu_items": {"About": "juesuan：把部门决算公开文件变得可读、可查、可比。"}}
NAV = [
    ("pages/home.py", "部门一览", ":material/apps:", "home"),
    ("pages/search.py", "搜索", ":material/search:", "search"),
    ("pages/overview.py", "总览", ":material/summarize:", "overview"),
    ("pages/spending.py", "支出去向", ":material/account_tree:", "spending"),
    ("pages/projects.py", "项目绩效", ":material/task_alt:", "projects"),
    ("pages/sangong.py", "三公经费", ":material/directions_car:", "sangong"),
    ("pages/trends.py", "历年变化", ":material/timeline:", "trends"),
    ("pages/compare.py", "比较", ":material/compare_arrows:", "compare"),
    ("pages/audit.py", "自动核对", ":material/fact_check:", "audit"),
    ("pages/review.py", "需要关注", ":material/flag:", "review"),
    ("pages/data.py", "数据与下载", ":material/download:", "data"),
    ("pages/methods.py", "方法说明", ":material/menu_book:", "methods"),
]
_FRAMED = "_juesuan_framed"

# Our own stylesheet (never document text): readable caption contrast (≥ 4.5:1 on white), and a print layout
# without the app's chrome and controls. `st.html` with a lone <style> takes no space on the page.
STYLE = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #4a4f5c; opacity: 1; }
[data-testid="stWidgetLabel"] p, [data-testid="stMetricLabel"] p { color: #262730; }
[data-testid="stMainBlockContainer"] { padding-top: 4rem; }
/* the grid's and chart's own exports are English and bypass the download convention (Chinese headers, cover block) */
[aria-label="Download as CSV"], [aria-label="Download as PNG"], [aria-label="Copy Vega-Lite spec"] { display: none !important; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 3.75rem; padding-left: 0.75rem; padding-right: 0.75rem; }
  h1 { font-size: 1.55rem !important; } h2 { font-size: 1.3rem !important; } h3 { font-size: 1.15rem !important; }
  [data-testid="stMetricValue"] { font-size: 1.6rem !important; }
}
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header, [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  .st-key-nav, .st-key-doc-switch, .stDownloadButton, .stButton, .stSelectbox, .stMultiSelect, .stSlider,
  .stTextInput, .stRadio, .stPageLink, .stLinkButton, [data-testid="stElementToolbar"] { display: none !important; }
  [data-testid="stMain"] { padding: 0 !important; }
  [data-testid="stMainBlockContainer"] { padding: 0 1rem !important; max-width: 100% !important; }
  table { page-break-inside: auto; } tr { page-break-inside: avoid; }
}
</style>"""
# Streamlit serves <html lang="en">; this sets zh-CN once the page runs (docs/deploying.md: a proxy can set it at
# serving time, which reaches screen readers before any script runs).
LANG = "<script>document.documentElement.lang = 'zh-CN';</script>"


def printing() -> bool:
    """`?print=1`: the print view — static tables, no navigation, pickers or buttons."""
    return st.query_params.get("print") == "1"


def frame() -> None:
    """The page links, at the top of the main area (no drawer on phones); they keep the chosen document in the URL."""
    st.session_state[_FRAMED] = True
    st.html(STYLE)
    st.html(LANG, unsafe_allow_javascript=True)
    if printing():
        return
    doc = st.query_params.get("doc")
    with st.container(horizontal=True, gap="small", key="nav"):
        for path, title, icon, _ in NAV:
            keep = doc and path != "pages/home.py"  # the collection's page is not about one document
            st.page_link(path, label=title, icon=icon, query_params={"doc": doc} if keep else None)


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
    target = {"figures": figures, "export": export, "audit": audit, "budget": budget, "reconcile": reconcile,
              "sources": sources, "listing": listing, "review": review, "collection": collection,
              "search": search}[module]
    con = _handle(path).cursor()
    return getattr(target, fn)(con, *(() if doc_id is None else (doc_id,)), *args)


def call(name: str, doc_id: str | None = None, *args):
    """A core function, cached per database file version: `call('figures.projects', doc)`; a doc_id of None calls it
    without one (`call('listing.document_count')`)."""
    h = handle()
    return _cached(name, h.version, str(h.path), doc_id, args)


def state() -> DrillState:
    return parse_drill(st.query_params.to_dict())


def set_state(new: DrillState) -> None:
    """Write the state to the URL (the page reruns with it, the link can be shared, and Back returns to the state
    before). One update: clear() then update() made two history entries, and Back landed on the empty one; a page's
    filters (bound to the URL by their widgets) and the print flag stay."""
    changes = url_changes(st.query_params.to_dict(), new)
    if changes:
        st.query_params.update(changes)


def doc_label(r) -> str:
    """Year and kind first, so a phone's narrow picker still shows which year it is."""
    return f"{r.fiscal_year} 年{r.scope}{r.kind} · {r.department}"


def current_doc(page: str = "") -> str | None:
    """The document in view (kept in the URL as ?doc= so links open on it), switched at the top of the page. A 预算
    is shown by pages._budget for pages made for 决算 data (`page` names the page). Only this department's documents
    and a search's matches are ever listed, never the whole collection."""
    ensure_frame()
    s = state()
    row = call("listing.document_row", s.doc) if s.doc else None
    if s.doc and row is None:  # a stale or mistyped link: say so, never show another document under it
        st.warning(f"链接中的文件“{s.doc}”不在数据库中（可能已被替换或删除），下面打开的是另一份文件，请看标题。")
        s = DrillState()
        set_state(s)
    if row is None:
        remembered = st.session_state.get("doc")
        fallback = remembered if remembered and call("listing.document_row", remembered) else call("listing.default_doc")
        if fallback is None:
            st.info("数据库中还没有文件。请用 `juesuan ingest 文件` 导入一份部门决算。")
            st.stop()
        row = call("listing.document_row", fallback)
    picked, tools = (row["doc_id"], None) if printing() else _switch(row["doc_id"])
    if picked != s.doc:
        # a different document starts from the top; a URL without ?doc= just gains it
        set_state(DrillState(doc=picked) if s.doc else replace(s, doc=picked))
        row = call("listing.document_row", picked)
    st.session_state["doc"] = picked
    now = state()
    # only a link that points into the document needs its keys (one statement over four views, ~15 ms)
    checked, notices = against(now, call("figures.known_keys", picked)) if now.points_into else (now, [])
    for notice in notices:
        st.warning(notice)
    if notices:
        set_state(checked)
    document_header(picked, row, page, tools)
    if row["kind"] == "预算" and page in BUDGET_PAGES:
        from pages._budget import show

        show(picked, row, page)
        st.stop()
    return picked


def _switch(doc_id: str):
    """The document switch: this department's years and kinds in one select box, and under it a row of small
    buttons (a search for another department, then the document's sources), so a phone keeps the answer in view."""
    with st.container(key="doc-switch"):
        box = st.container()
        tools = st.container(horizontal=True, gap="small", key="doc-tools")
        same = call("listing.department_documents", doc_id)
        query = ""
        if call("listing.document_count", None) > len(same):
            with tools.popover("找其他部门", icon=":material/search:"):
                query = st.text_input("部门名称中的字，或年份", key="doc-search", placeholder="例如：司法局、2019")
                found = call("listing.find_documents", None, query) if query.strip() else same.iloc[0:0]
                if query.strip():
                    st.caption(f"找到 {len(found)} 份" + ("（只列出前 50 份，请再具体一些）" if len(found) >= 50 else "")
                               + "，在上面的“正在查看的文件”中选择。")
        else:
            found = same.iloc[0:0]
        options = list(dict.fromkeys([doc_id, *same["doc_id"], *found["doc_id"]]))
        labels = {r.doc_id: doc_label(r) for r in (*same.itertuples(), *found.itertuples())}
        picked = box.selectbox("正在查看的文件", options, index=0, format_func=lambda d: labels.get(d, d),
                               key=f"doc-pick-{doc_id}")
        return picked, tools


def document_header(doc_id: str, row, page: str, tools=None) -> None:
    """Which document this is, on every page, with its sources one tap away (and printed in the print view)."""
    sources = call("sources.sources_of", doc_id)
    where = "；".join(f"{src['publisher'] or '发布机构未登记'}{('，' + src['published']) if src['published'] else ''}"
                     for src in sources[:1])
    line = (f"{row['department']} · {int(row['fiscal_year'])} 年度 · {row['scope']}{row['kind']} · 金额单位：万元"
            + (f" · 来源：{where}" if where else ""))
    if printing():
        st.markdown(safe(line))
        for src in sources:
            st.caption(safe(f"原文：{src['url'] or src['name']}（SHA-256 {src['sha256'][:16]}…）"))
        st.page_link(f"pages/{page or 'overview'}.py" if page else "pages/overview.py", label="← 返回正常视图",
                     query_params={"doc": doc_id})
        return
    with (tools or st).popover("来源与方法", icon=":material/info:"):
        st.markdown(safe(line))
        st.caption(safe("包含：" + "、".join(PART_NAMES.get(p, p) for p in row["parts_found"]) + "。"))
        for n, src in enumerate(sources):
            cols = st.columns([3, 2, 2])
            cols[0].caption(safe(f"{src['name']} · SHA-256 {src['sha256'][:16]}…"))
            if src["url"]:
                cols[1].link_button("官方发布的原文", src["url"], icon=":material/open_in_new:")
            else:
                cols[1].caption("官方网址未登记（data/sources.csv）")
            if src["path"] is not None:
                cols[2].download_button("入库时的原文件", data=_reader(src["path"]), file_name=src["name"],
                                        key=f"src-{n}-{src['sha256'][:12]}", on_click="ignore")
        st.page_link("pages/methods.py", label="数字怎么算、怎么核对（方法说明）", icon=":material/menu_book:",
                     query_params={"doc": doc_id})


def _reader(path: Path):
    return lambda: path.read_bytes()  # read when the reader asks for the file, not on every rerun


BUDGET_PAGES = ("overview", "spending", "projects", "sangong")  # the others read any kind as they are


PART_NAMES = {
    "overview": "部门概况", "units": "单位构成", "narrative": "情况说明", "yoy": "逐项同比说明", "glossary": "名词解释",
    "self_evaluations": "项目绩效自评表", "evaluation_reports": "绩效评价报告",
    **{f"T0{i}": f"公开0{i}表" for i in range(1, 10)},
}


def download_buttons(df, content: str, key: str, doc: str, columns: dict | None = None) -> None:
    """CSV and Excel of a table as the screen shows it: Chinese headers, 是/否, a first block naming department, year,
    kind, unit and source, and a file name `<部门>-<年度>-<内容>`; spreadsheet formulas neutralised."""
    if printing():
        return
    cover = call("sources.cover_for", doc, content)
    table = export.labelled(df, columns)
    c1, c2 = st.columns(2)
    c1.download_button("下载 CSV", data=lambda: export.to_csv_bytes(table, cover), file_name=cover.file_name("csv"),
                       mime="text/csv", key=f"{key}-csv", width="stretch", on_click="ignore")
    c2.download_button("下载 Excel", data=lambda: export.to_xlsx_bytes(table, content, cover),
                       file_name=cover.file_name("xlsx"),
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       key=f"{key}-xlsx", width="stretch", on_click="ignore")


def labels_of(config: dict) -> dict[str, str]:
    """The screen's column headers from a column_config mapping (plain strings or column objects)."""
    out = {}
    for column, spec in config.items():
        out[column] = spec if isinstance(spec, str) else (spec.get("label") if isinstance(spec, dict) else None) or column
    return out


def table(df, config: dict, key: str | None = None, select: bool = False, first: list[str] | None = None,
          height: int | str = "auto"):
    """A data grid (st.dataframe) on screen; a static, wrapping table (st.table) in the print view. `first` names the
    columns a phone sees without scrolling; the others follow. Returns the selection event when `select`."""
    columns = [c for c in config if c in df.columns]
    if printing():
        st.table(static_frame(df[columns], config), hide_index=True)
        return None
    order = [c for c in (first or []) if c in columns] + [c for c in columns if c not in (first or [])]
    kwargs = {"on_select": "rerun", "selection_mode": "single-row"} if select else {}
    return st.dataframe(df[columns], hide_index=True, width="stretch", column_config=config, column_order=order,
                        key=key, height=height, **kwargs)


def static_frame(df, config: dict):
    """Every cell as escaped text (st.table reads Markdown), numbers formatted as on screen, headers in Chinese."""
    import pandas as pd

    labels = labels_of(config)
    out = {}
    for c in df.columns:
        spec = config.get(c)
        fmt = spec.get("type_config", {}).get("format") if isinstance(spec, dict) else None
        out[safe(labels.get(c, c))] = [_static_cell(v, fmt) for v in df[c]]
    return pd.DataFrame(out)


def _static_cell(v, fmt) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if fmt and isinstance(v, (int, float, Decimal)):
        return fmt.replace("%,.2f", f"{float(v):,.2f}").replace("%.2f", f"{float(v):.2f}").replace(
            "%.1f%%", f"{float(v):.1f}%").replace("%.1f", f"{float(v):.1f}")
    return safe(v)


def display(df, money_cols=(), pct_cols=()):
    """A copy for st.dataframe: Decimal money as float for sorting and formatting (display only)."""
    out = df.copy()
    for c in list(money_cols) + list(pct_cols):
        if c in out:
            out[c] = [float(x) if x is not None else None for x in out[c]]
    return out


def draw(name: str, build, data, *options, **kwargs):
    """st.vega_lite_chart of the Altair chart `build(data, *options)`, styled. The finished spec is cached by the
    chart's name and its data, so a rerun builds no Altair objects and runs no JSON-schema validation (together they
    were most of a page's rerun); `name` tells apart charts built from the same data."""
    return st.vega_lite_chart(_chart_spec(name, data, options, build), width="stretch", **kwargs)


@st.cache_data(show_spinner=False, max_entries=512)
def _chart_spec(name: str, data, options: tuple, _build) -> dict:
    import altair as alt  # here, not at the top: pages without charts (the landing page, search) never need it

    # Altair validates every schema object as it is built while its debug mode is on (the default); our charts are
    # fixed and covered by the page tests, so they are built without it
    with alt.utils.schemapi.debug_mode(False):
        return styled(_build(data, *options).to_dict(validate=False))


AXIS_STYLE = {"labelColor": "#262730", "titleColor": "#262730", "labelFontSize": 12, "titleFontSize": 12}
LEGEND_STYLE = {"labelColor": "#262730", "titleColor": "#262730", "labelFontSize": 12}


def styled(spec: dict) -> dict:
    """Chart text dark enough to read (≥ 4.5:1), and no English-only export menu on the chart. Applied to the finished
    spec: Altair's configure_*() and properties() each copy the whole chart (a third of a chart's build time)."""
    config = spec.setdefault("config", {})
    config["axis"] = {**config.get("axis", {}), **AXIS_STYLE}
    config["legend"] = {**config.get("legend", {}), **LEGEND_STYLE}
    spec["usermeta"] = {"embedOptions": {"actions": False}}
    spec["padding"] = {"left": 4, "top": 4, "bottom": 4, "right": 72}
    return spec


def print_link(page: str, doc: str, **params) -> None:
    """The way into the print view of this page (the browser's print dialog then prints clean tables)."""
    if not printing():
        st.page_link(f"pages/{page}.py", label="打印版（适合打印或存为 PDF）", icon=":material/print:",
                     query_params={"doc": doc, **params, "print": "1"})


_REVEAL = "_juesuan_reveal"


def reveal_next(key: str) -> None:
    """After this choice, bring the element with this key into view on the next run (the answer to a tap far down
    the page would otherwise open above the screen)."""
    st.session_state[_REVEAL] = key


def revealed(key: str) -> None:
    """Scroll the element keyed `key` into view if the last choice asked for it. Our own static script (the key is
    ours, never document text)."""
    if st.session_state.get(_REVEAL) != key or printing():
        return
    del st.session_state[_REVEAL]
    assert re.fullmatch(r"[a-z-]+", key)
    st.html("<script>setTimeout(function () { var e = document.querySelector('.st-key-" + key + "');"
            " if (e) { e.scrollIntoView({block: 'start'}); } }, 250);</script>", unsafe_allow_javascript=True)
