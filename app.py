"""juesuan — 部门决算公开看板: the entry point; navigation and the page frame, nothing else."""

from __future__ import annotations

import streamlit as st

from pages._common import NAV, PAGE_CONFIG, frame

st.set_page_config(**PAGE_CONFIG)
nav = st.navigation(
    [st.Page(path, title=title, icon=icon, url_path=url, default=n == 0) for n, (path, title, icon, url) in enumerate(NAV)],
    position="hidden",
)
frame()
nav.run()
