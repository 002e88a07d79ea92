"""审核发现: every inconsistency in the document's own arithmetic, with evidence; rule coverage."""

import streamlit as st

from pages._common import about_data, call, current_doc, display, download_buttons, safe

doc = current_doc()
about_data(doc)
st.title("审核发现")
st.caption("我们用文件自己的数字相互核对（勾稽关系）。错误 = 数字对不上；警示 = 值得关注；尾数提示 = 四舍五入造成的小差异，不算错误。")
SEV = {"error": "错误", "warning": "警示", "info": "尾数提示"}
counts = call("audit.severity_counts", doc)
c = st.columns(3)
for col, sev in zip(c, ("error", "warning", "info")):
    col.metric(SEV[sev], counts[sev])

cat = call("audit.catalogue_frame", doc)
all_findings = call("audit.findings", doc)
f1, f2, f3 = st.columns(3)
severities = f1.multiselect("严重程度", list(SEV), format_func=SEV.get, key="a-sev", placeholder="全部")
rules = f2.multiselect("规则", list(cat["rule_id"]), key="a-rule", placeholder="全部",
                       format_func=lambda r: f"{r} {dict(zip(cat['rule_id'], cat['title'])).get(r, '')}")
tables = f3.multiselect("表", sorted(set(all_findings["table_code"])), key="a-table", placeholder="全部")
shown = call("audit.findings", doc, tuple(rules), tuple(tables), tuple(severities))
st.caption(f"显示 {len(shown)} / {len(all_findings)} 条。")
view = display(shown, ["expected", "actual", "difference"])
view["severity"] = view["severity"].map(SEV)
st.dataframe(view, hide_index=True, width="stretch",
             column_config={"severity": "程度", "rule_id": "规则", "title": "规则名称", "table_code": "表",
                            "row_ref": "行", "related_refs": "对照", "message": st.column_config.TextColumn("说明", width="large"),
                            "expected": st.column_config.NumberColumn("应为", format="%.2f"),
                            "actual": st.column_config.NumberColumn("实为", format="%.2f"),
                            "difference": st.column_config.NumberColumn("差额", format="%.2f"), "source_ref": "出处"})
download_buttons(shown, "审核发现", "dl-findings")

st.divider()
st.subheader("规则覆盖", help="通过：没有错误和警示；未通过：至少一条错误或警示；无法判断：文件缺少所需数据（不算通过）；不适用：文件没有这一部分。")
cov = call("audit.coverage", doc)
STATUS = {"passed": "通过", "failed": "未通过", "not_determinable": "无法判断（缺数据）", "not_applicable": "不适用"}
cov = cov.assign(status=cov["status"].map(STATUS))
st.dataframe(cov, hide_index=True, width="stretch",
             column_config={"rule_id": "规则", "title": "规则名称", "severity": "级别", "status": "结果", "checked": "核对次数"})
with st.expander("规则说明"):
    for r in cat.itertuples():
        st.markdown(f"**{safe(r.rule_id)} {safe(r.title)}**（{SEV[r.severity]}）  \n比较：{safe(r.compares)}  \n为什么：{safe(r.why)}")
