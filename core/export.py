"""CSV and Excel exports: formulas neutralised, Decimal kept exact, Chinese readable in spreadsheet apps."""

from __future__ import annotations

import io
from decimal import Decimal

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell starting with = + - @ (or a tab/CR) gets a leading apostrophe so no spreadsheet runs it."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells neutralised, Decimal as plain strings of the published value, lists joined."""
    out = df.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for c in out.columns:
        out[c] = [
            format(v, "f") if isinstance(v, Decimal)
            else neutralise("、".join(map(str, v))) if isinstance(v, (list, tuple)) else neutralise(v)
            for v in out[c]
        ]
    return out


def write_csv(header: list, rows: list[list], out) -> None:
    """CSV to a text stream (the CLI's stdout) with every cell neutralised, as the page downloads are."""
    import csv

    w = csv.writer(out, lineterminator="\n")
    w.writerow([neutralise(str(h)) for h in header])
    w.writerows([[neutralise(c) for c in row] for row in rows])


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with BOM so Excel opens Chinese text correctly."""
    return safe_frame(df).to_csv(index=False).encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """An .xlsx written with XlsxWriter; numbers stay numbers, text never becomes a formula."""
    buf = io.BytesIO()
    safe = safe_frame(df)
    with pd.ExcelWriter(buf, engine="xlsxwriter", engine_kwargs={"options": {"strings_to_formulas": False,
                                                                            "strings_to_numbers": False}}) as xw:
        original = df.reset_index(drop=True)
        for c_safe, c in zip(safe.columns, original.columns):
            if original[c].map(lambda v: isinstance(v, Decimal) or v is None).all() and original[c].notna().any():
                safe[c_safe] = [float(v) if v is not None else None for v in original[c]]
        safe.to_excel(xw, index=False, sheet_name=sheet or "data")
    return buf.getvalue()


def published_frame(con, doc_id: str, table_code: str) -> pd.DataFrame:
    """One of the nine tables as published (see core.tables), as a DataFrame."""
    from core.tables import published_table

    header, rows = published_table(con, doc_id, table_code)
    return pd.DataFrame(rows, columns=header, dtype=object)


def source_text(con, doc_id: str) -> str:
    """The stored text of the source document, exactly as ingested."""
    row = con.execute("SELECT text FROM source_texts WHERE doc_id = ?", [doc_id]).fetchone()
    return row[0] if row else ""
