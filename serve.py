"""`make run` starts this: the same app as app.py, with the sessions' one-time work done in the background at start.

A background thread imports what the pages need, opens the database connection the sessions share, and freezes
what that left for the garbage collector. A first visitor who arrives while it runs gains little (measured: as fast
as no warm-up, since the thread and the server sending the front end share one interpreter); the lasting gain is the
freeze, which takes 90–190 ms off every script run after it (docs: README, 性能与规模).
"""

from __future__ import annotations

import gc
import threading
from contextlib import asynccontextmanager

import streamlit as st


def _warm() -> None:
    # in the order a first page needs them: every page imports pages._common (pandas, DuckDB, core/) and reads the
    # shared database connection (st.cache_resource; opening it and reading its catalogue is the other one-time
    # cost); only the chart pages need Altair, so a first visitor to the landing page never waits for it
    import pages._common

    from core.db.connect import DatabaseError, db_path

    try:
        if db_path().exists():
            pages._common._handle(str(db_path()))
    except DatabaseError:
        pass  # the page says what is wrong when the visitor arrives

    import altair  # noqa: F401

    # Streamlit runs gc.collect(2) after every script run; over the 120,000-odd objects these imports leave, that
    # took 90–190 ms of each run (measured in the server), before the browser heard that the run had finished.
    # Frozen, they are skipped by every later collection; objects the sessions make are collected as before.
    gc.collect()
    gc.freeze()


@asynccontextmanager
async def lifespan(_app):
    threading.Thread(target=_warm, name="juesuan-warm-imports", daemon=True).start()
    yield


app = st.App("app.py", lifespan=lifespan)
