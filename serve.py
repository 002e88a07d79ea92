"""`make run` starts this: the same app as app.py, with the first session's imports done while the server starts.

A first visitor otherwise waits for pandas, Altair, DuckDB and core/ to import, and for the database to open, inside
their session; here a background thread does both as soon as the server is up, while the browser is still loading
the page.
"""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager

import streamlit as st


def _warm() -> None:
    import altair  # noqa: F401
    import duckdb  # noqa: F401
    import pandas  # noqa: F401
    import pyarrow  # noqa: F401

    import pages._common  # (and through it every core module the pages call)

    # the database connection the sessions share (st.cache_resource): opening it and reading its catalogue is the
    # first session's other one-time cost
    from core.db.connect import DatabaseError, db_path

    try:
        if db_path().exists():
            pages._common._handle(str(db_path()))
    except DatabaseError:
        pass  # the page says what is wrong when the visitor arrives


@asynccontextmanager
async def lifespan(_app):
    threading.Thread(target=_warm, name="juesuan-warm-imports", daemon=True).start()
    yield


app = st.App("app.py", lifespan=lifespan)
