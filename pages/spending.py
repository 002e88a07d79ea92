"""支出去向: drill from 类 to 款, 项, the projects behind a 项 and one project; or basic spending by economic class."""

from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

from core.drill import DrillState
from pages._common import (BASIC_PROJECT_COLORS, PALETTE, call, current_doc, display, download_buttons, money,
                           reveal_next, safe, set_state, state, draw, table)
from pages._project import render_project

doc = current_doc("spending")
s = state()
st.title("支出去向")

c1, c2 = st.columns(2)
scope_labels = {"all": "全部资金（03表）", "gpb": "财政拨款（05表）"}
view_labels = {"function": "按用途", "economic": "基本支出按经济分类"}
view = c1.radio("看什么", list(view_labels), index=list(view_labels).index(s.view), format_func=view_labels.get,
                horizontal=True, help="按用途（功能分类）说明钱用于哪类事务；经济分类说明基本支出花在工资还是办公等。")
if view != s.view:
    set_state(DrillState(doc=doc, view=view, scope=s.scope))
    st.rerun()
if s.view == "function":
    scope = c2.radio("资金范围", list(scope_labels), index=list(scope_labels).index(s.scope), format_func=scope_labels.get,
                     horizontal=True, help="全部资金（公开03表）包括财政拨款和其他收入；一般公共预算财政拨款（公开05表）只含财政给的钱。")
    if scope != s.scope:
        set_state(replace(s, scope=scope, doc=doc))
        st.rerun()


def bar_chart(df, key: str, value_parts: dict[str, str], what: str = "科目", drill: bool = True):
    """Horizontal stacked bars, one per row, the total written at the end of each bar (no hover needed); a click,
    or the keyboard's choice in the select box under the chart, returns that row's code."""
    rows = df[["code", "name", "total", *value_parts.values()]]
    if not drill:
        draw("bars", _bars, rows, tuple(value_parts.items()), False, key=key)
        return None
    event = draw("bars", _bars, rows, tuple(value_parts.items()), True, on_select="rerun", key=key)
    picked = (event or {}).get("selection", {}).get("pick") or []
    labels = {r.code: f"{r.code} {r.name}" for r in rows.sort_values("total", ascending=False, key=_number).itertuples()}
    chosen = st.selectbox(f"往下看：选择一个{what}", list(labels), index=None, key=f"{key}-pick",
                          placeholder="点柱子，或在这里选择", format_func=labels.get)
    return (picked[0].get("code") if picked else None) or chosen


def _number(column):
    return column.map(lambda v: float(v) if v is not None else 0.0)


def _bars(df, value_parts: tuple, drill: bool):
    parts = dict(value_parts)
    long = []
    for r in df.itertuples():
        for part, column in parts.items():
            v = getattr(r, column)
            long.append({"code": r.code, "label": f"{r.code} {r.name}", "part": part,
                         "amount": float(v) if v is not None else 0.0, "total": float(r.total or 0)})
    totals = pd.DataFrame(long).drop_duplicates("code")
    order = list(totals.sort_values("total", ascending=False)["label"])
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=170))
    bars = alt.Chart(pd.DataFrame(long)).mark_bar(cursor="pointer").encode(
        y=y, x=alt.X("amount:Q", title="金额（万元）", stack="zero"),
        color=alt.Color("part:N", title=None, scale=alt.Scale(domain=list(parts),
                        range=[BASIC_PROJECT_COLORS.get(p, PALETTE[n]) for n, p in enumerate(parts)]),
                        legend=alt.Legend(orient="bottom") if len(parts) > 1 else None),
        tooltip=[alt.Tooltip("label:N", title="科目"), alt.Tooltip("part:N", title="类型"),
                 alt.Tooltip("amount:Q", title="金额（万元）", format=",.2f")],
    )
    if drill:
        bars = bars.add_params(alt.selection_point(name="pick", fields=["code"], on="click"))
    values = alt.Chart(totals).mark_text(align="left", dx=3, color="#262730").encode(
        y=y, x="total:Q", text=alt.Text("total:Q", format=",.2f"))
    return alt.layer(bars, values, height=alt.Step(36))


def table_pick(df, key: str, columns: dict, money_cols=(), pct_cols=(), first=None):
    """The table alternative to a chart; selecting a row is the same as clicking its bar."""
    shown = display(df[list(columns)], money_cols, pct_cols)
    config = {c: (st.column_config.NumberColumn(label, format="%,.2f") if c in money_cols else
                  st.column_config.NumberColumn(label, format="%.1f%%") if c in pct_cols else label)
              for c, label in columns.items()}
    event = table(shown, config, key=key, select=True, first=first)
    rows = (event or {}).get("selection", {}).get("rows") or []
    return df.iloc[rows[0]] if rows else None


def headline(total, basic, project, label="合计") -> None:
    """One line, not three tall cards: on a phone the chart below stays in the first screen."""
    st.markdown(f"**{label} {money(total)} 万元** · 基本支出 {money(basic)} · 项目支出 {money(project)}",
                help="基本支出：保运转（工资、办公）；项目支出：为完成专项任务花的钱。")


def breadcrumb(s: DrillState, names: dict[str, str]):
    """全部 › 类 › 款 › 项 › 项目: each step leads back up."""
    crumbs = [("全部类别", None)] + [(safe(f"{c} {names.get(c, '')}"), c) for c in s.path]
    with st.container(horizontal=True, gap="small"):
        for n, (label, code) in enumerate(crumbs):
            current = code == s.code and not s.project
            if st.button(("› " if n else "") + label, key=f"crumb-{n}", disabled=current, type="tertiary"):
                set_state(s.up_to(code))
                st.rerun()
        if s.project:
            st.button(f"› 项目 {s.project}", key="crumb-project", disabled=True, type="tertiary")


if s.view == "function":
    names = call("figures.function_names", doc, tuple(s.path), s.scope) if s.path else {}
    breadcrumb(s, names)
    totals = call("figures.function_totals", doc, s.scope)
    if s.project:
        render_project(doc, s.project)
    elif s.level < 3:
        parent = s.code
        children = call("figures.expenditure_by_function", doc, s.scope, parent)
        node = call("figures.function_node", doc, parent, s.scope) if parent else None
        head_total = node["total"] if node else totals.total
        head_basic = node["basic"] if node else totals.basic
        head_project = node["project"] if node else totals.project
        level_name = {0: "类", 1: "款", 2: "项"}[s.level]
        headline(head_total, head_basic, head_project)
        st.subheader(f"按{level_name}分" + (safe(f"：{names.get(parent, '')}") if parent else ""),
                     help="点击柱子或表格中的一行，往下一层看。")
        if children.empty:
            st.info("这一层没有下级科目。")
        else:
            picked = bar_chart(children, f"chart-{s.scope}-{parent or 'root'}", {"基本支出": "basic", "项目支出": "project"},
                               level_name)
            columns = {"code": "编码", "name": "科目", "total": "合计（万元）", "basic": "基本支出", "project": "项目支出",
                       "share_pct": "占总额"}
            with st.expander("表格（可选择一行往下看）", expanded=False):
                row = table_pick(children, f"table-{s.scope}-{parent or 'root'}", columns, ["total", "basic", "project"],
                                 ["share_pct"], first=["name", "total"])
                download_buttons(children, f"支出按{level_name}" + (f"_{parent}" if parent else ""),
                                 f"dl-{parent or 'root'}", doc, columns)
            target = picked or (row["code"] if row is not None else None)
            if target and target != s.code:
                set_state(s.drill(str(target)))
                st.rerun()
    else:
        node = call("figures.function_node", doc, s.code, s.scope) or {}
        projects, coverage = call("figures.projects_for_code", doc, s.code)
        headline(node.get("total"), node.get("basic"), node.get("project"), "该项合计")
        st.subheader(safe(f"{s.code} {names.get(s.code, '')} 背后的项目"),
                     help="项目与科目的对应关系由 data/mappings 中经人工确认的映射给出；金额为项目的全年执行数。")
        gap = call("reconcile.scope_gap", doc, s.code)
        if gap.differs:  # two 项目支出 figures for one 项: say why, with both numbers
            st.caption(f"上面的项目支出 {money(gap.all_funds)} 万元含全部资金（公开03表）；下面与项目对照的是只含一般公共预算"
                       f"财政拨款的 {money(gap.general_budget)} 万元（公开05表），相差的 {money(gap.difference)} 万元来自其他资金。")
        elif s.scope == "all":
            st.caption("项目执行数属于一般公共预算财政拨款；与之对照的是公开05表的项目支出。")
        rows = projects[["project_id", "name", "budget", "executed", "execution_rate", "score", "grade"]].copy()
        if coverage is not None:
            st.caption(f"该项项目支出 {money(coverage['project_expenditure'])} 万元，其中绩效自评项目执行 "
                       f"{money(coverage['covered'])} 万元，未被任何自评项目解释的部分 {money(coverage['remainder'])} 万元。")
            remainder = {"project_id": "", "name": "（未被绩效自评项目解释的部分）", "budget": None,
                         "executed": coverage["remainder"], "execution_rate": None, "score": None, "grade": ""}
            rows = pd.concat([rows, pd.DataFrame([remainder], dtype=object)], ignore_index=True)
        if rows.empty:
            st.info("没有绩效自评项目对应到这个科目。")
        else:
            columns = {"project_id": "编号", "name": "项目", "budget": "全年预算", "executed": "执行数",
                       "execution_rate": "执行率", "score": "自评得分", "grade": "等级"}
            row = table_pick(rows, f"projects-{s.code}", columns, ["budget", "executed", "score"], ["execution_rate"],
                             first=["name", "executed", "execution_rate", "grade"])
            st.caption("选择一行查看项目详情。")
            download_buttons(rows, f"{s.code}的项目", f"dl-{s.code}", doc, columns)
            if row is not None and row["project_id"]:
                set_state(s.open_project(str(row["project_id"])))
                reveal_next("project-detail")
                st.rerun()
else:
    econ = s.econ
    totals = call("figures.economic_totals", doc)
    st.markdown(f"**基本支出（财政拨款）{money(totals.total)} 万元** · 人员经费 {money(totals.personnel)} · "
                f"公用经费 {money(totals.public)}",
                help="人员经费：工资福利和对个人和家庭的补助；公用经费：办公、水电、差旅等。")
    if st.button("← 全部经济分类", disabled=econ is None, type="tertiary"):
        set_state(replace(s, econ=None))
        st.rerun()
    rows = call("figures.economic_rollup", doc, None, econ)
    rows = rows[rows["amount"] != 0].reset_index(drop=True) if econ is None else rows
    st.subheader("基本支出按经济分类" + (f"：{econ}" if econ else "（类）"), help="来自公开06表（一般公共预算财政拨款基本支出）。")
    if rows.empty:
        st.info("没有数据。")
    else:
        rows = rows.assign(total=rows["amount"])
        picked = bar_chart(rows, f"econ-{econ or 'root'}", {"金额": "amount"}, "经济分类") if econ is None else None
        if econ is not None:
            nonzero = rows[rows["amount"] != 0]
            chart_rows = nonzero if len(nonzero) else rows
            bar_chart(chart_rows, f"econ-items-{econ}", {"金额": "amount"}, "经济分类", drill=False)
        columns = {"category": "类别", "code": "编码", "name": "科目", "amount": "金额（万元）", "share_pct": "占基本支出"}
        with st.expander("表格", expanded=econ is not None):
            row = table_pick(rows, f"econ-table-{econ or 'root'}", columns, ["amount"], ["share_pct"],
                             first=["name", "amount"])
            download_buttons(rows, f"基本支出经济分类_{econ or '类'}", f"dl-econ-{econ or 'root'}", doc, columns)
        target = picked or (row["code"] if row is not None and econ is None else None)
        if target and len(str(target)) == 3 and target != econ:
            set_state(replace(s, econ=str(target)))
            st.rerun()
