"""Query helpers that keep DECIMAL columns as Python Decimal (DuckDB's .df() would turn them into floats)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def frame(con, sql: str, params: list | dict | None = None) -> pd.DataFrame:
    """Run a parameterised query and return a DataFrame whose money columns hold Decimal objects."""
    import pandas as pd  # imported on first use: an ingest never needs it

    cur = con.cursor() if hasattr(con, "cursor") else con
    cur.execute(sql, params or [])
    cols = [d[0] for d in cur.description]
    return pd.DataFrame(cur.fetchall(), columns=cols, dtype=object)
