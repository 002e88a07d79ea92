"""juesuan — 部门决算公开看板: the entry point; navigation and the page frame, nothing else."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="部门决算公开看板", page_icon=":material/account_balance:", layout="wide",
                   menu_items={"About": "juesuan：把部门决算公开文件变得可读、可查、可比。"})

PAGES = [
    st.Page("pages/overview.py", title="总览", icon=":material/home:", url_path="overview", default=True),
    st.Page("pages/spending.py", title="支出去向", icon=":material/account_tree:", url_path="spending"),
    st.Page("pages/projects.py", title="项目绩效", icon=":material/task_alt:", url_path="projects"),
    st.Page("pages/three_public.py", title="三公经费", icon=":material/directions_car:", url_path="sangong"),
    st.Page("pages/audit.py", title="审核发现", icon=":material/fact_check:", url_path="audit"),
    st.Page("pages/data.py", title="数据与下载", icon=":material/download:", url_path="data"),
]

nav = st.navigation(PAGES)
nav.run()
