"""方法说明: how every figure is computed and every rule checks, read from the same docs the tests hold to the code."""

from pathlib import Path

import streamlit as st

from pages._common import GLOSSARY_HELP, ensure_frame

DOCS = Path(__file__).resolve().parents[1] / "docs"

ensure_frame()
st.title("方法说明")
st.caption("这些说明与代码一一对应：测试会检查每个数字、每条核对规则都在这里写明。")
glossary, methods, rules = st.tabs(["常用名词", "数字怎么算", "自动核对规则"])
with glossary:
    for term, meaning in GLOSSARY_HELP.items():
        st.markdown(f"**{term}**：{meaning}")
with methods:
    st.markdown((DOCS / "methodology.md").read_text(encoding="utf-8"))
with rules:
    st.markdown((DOCS / "audit-rules.md").read_text(encoding="utf-8"))
