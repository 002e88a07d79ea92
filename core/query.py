"""Query helpers that keep DECIMAL columns as Python Decimal (DuckDB's .df() would turn them into floats)."""

from __future__ import annotations

import pandas as pd


def frame(con, sql: str, params: list | None = None) -> pd.DataFrame:
    """Run a parameterised query and return a DataFrame whose money columns hold Decimal objects."""
    cur = con.cursor() if hasattr(con, "cursor") else con
    cur.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return pd.DataFrame(cur.fetchall(), columns=cols, dtype=object)
