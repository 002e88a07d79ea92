"""自动核对: every inconsistency in the document's own arithmetic, with evidence and the size of the gap; rule coverage."""

import streamlit as st

from pages._common import call, current_doc, display, download_buttons, labels_of, money, safe, table

doc = current_doc()
st.title("自动核对")
st.caption("我们用文件自己的数字相互比对（勾稽关系），这是自动核对的结果，不是审计机关的审计结论。"
           "错误 = 两个应当相等的数不相等；警示 = 值得关注；尾数提示 = 四舍五入造成的小差异，不算错误。"
           "差距大小看两数相差多少：大（≥10%）、中（≥1%）、小（<1%）。")
SEV = {"error": "错误", "warning": "警示", "info": "尾数提示"}
counts = call("audit.severity_counts", doc)
c = st.columns(3)
for col, sev in zip(c, ("error", "warning", "info")):
    col.metric(SEV[sev], counts[sev])

cat = call("audit.catalogue_frame", doc)
all_findings = call("audit.findings", doc)
f1, f2, f3 = st.columns(3)
severities = f1.multiselect("严重程度", list(SEV), format_func=SEV.get, key="sev", bind="query-params", placeholder="全部")
rules = f2.multiselect("规则", list(cat["rule_id"]), key="rule", bind="query-params", placeholder="全部",
                       format_func=lambda r: f"{r} {dict(zip(cat['rule_id'], cat['title'])).get(r, '')}")
tables = f3.multiselect("表", sorted(set(all_findings["table_code"])), key="table", bind="query-params", placeholder="全部")
shown = call("audit.findings", doc, tuple(rules), tuple(tables), tuple(severities))
st.caption(f"显示 {len(shown)} / {len(all_findings)} 条。选择一行，下方显示这一条的完整说明。")
view = display(shown, ["expected", "actual", "difference"])
view["severity"] = view["severity"].map(SEV)
FINDING_COLUMNS = {"severity": "程度", "gap": "差距", "rule_id": "规则", "title": "规则名称", "table_code": "表",
                   "row_ref": "行", "related_refs": "对照", "message": st.column_config.TextColumn("说明", width="large"),
                   "expected": st.column_config.NumberColumn("对照数", format="%.2f"),
                   "actual": st.column_config.NumberColumn("文件列示", format="%.2f"),
                   "difference": st.column_config.NumberColumn("差额", format="%.2f"), "source_ref": "出处"}
event = table(view, FINDING_COLUMNS, key="findings", select=True, first=["severity", "gap", "message"])
rows = (event or {}).get("selection", {}).get("rows") or []
if rows:  # the whole finding, wrapped: nothing the reader needs stays cut off in a grid cell
    f = shown.iloc[rows[0]]
    with st.container(border=True):
        st.markdown(safe(f"{SEV[f['severity']]} · 差距{f['gap']} · {f['rule_id']} {f['title']}"))
        st.markdown(safe(f["message"]))
        if f["difference"] is not None:
            st.markdown(safe(f"对照数 {money(f['expected'])}，文件列示 {money(f['actual'])}，差额 {money(f['difference'])}"))
        st.caption(safe(f"出处：{f['source_ref'] or '—'}；对照：{f['related_refs'] or '—'}"))
download_buttons(shown.assign(severity=shown["severity"].map(SEV)), "自动核对结果", "dl-findings", doc,
                 labels_of(FINDING_COLUMNS))

st.divider()
st.subheader("规则覆盖", help="通过：没有错误和警示；未通过：至少一条错误或警示；无法判断：文件缺少所需数据（不算通过）；不适用：文件没有这一部分。")
cov = call("audit.coverage", doc)
STATUS = {"passed": "通过", "failed": "未通过", "not_determinable": "无法判断（缺数据）", "not_applicable": "不适用"}
cov = cov.assign(status=cov["status"].map(STATUS), severity=cov["severity"].map(SEV))
table(cov, {"rule_id": "规则", "title": "规则名称", "severity": "级别", "status": "结果", "checked": "核对次数"}, key="coverage",
      first=["title", "status"])
st.page_link("pages/methods.py", label="每条规则比较什么、为什么（方法说明）", icon=":material/menu_book:",
             query_params={"doc": doc})
