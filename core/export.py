"""CSV and Excel exports: formulas neutralised, Decimal kept exact, Chinese readable in spreadsheet apps."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from core.formulas import neutralise


def _cell(v):
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, (bool, np.bool_)):
        return "是" if v else "否"  # a reader's spreadsheet, never True/False
    if isinstance(v, (list, tuple, np.ndarray)):
        return neutralise("、".join(map(str, v)))
    return neutralise(v)


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells neutralised, Decimal as plain strings of the published value, lists joined, booleans 是/否."""
    out = df.copy()
    out.columns = [neutralise(str(c)) for c in out.columns]
    for c in out.columns:
        out[c] = pd.Series([_cell(v) for v in out[c]], index=out.index, dtype=object)
    return out


@dataclass(frozen=True)
class Cover:
    """What a downloaded table is about: the first block of a CSV and the first sheet of a workbook."""

    department: str
    fiscal_year: int
    kind: str  # 决算 / 预算
    scope: str  # 部门 / 单位
    content: str  # what the table holds, as on the screen
    source: str = ""  # the official URL where known, else the published file's name
    unit: str = "万元"

    def rows(self) -> list[tuple[str, str]]:
        return [("部门", self.department), ("年度", f"{self.fiscal_year} 年"), ("文件", f"{self.scope}{self.kind}"),
                ("内容", self.content), ("金额单位", self.unit), ("来源", self.source),
                ("说明", "juesuan 部门决算公开看板导出；数字按原文列示，未经改动。")]

    def file_name(self, ext: str) -> str:
        """`<部门>-<年度>-<内容>.<ext>`, with characters file systems refuse replaced."""
        return clean_file_name(f"{self.department}-{self.fiscal_year}年{self.scope}{self.kind}-{self.content}") + f".{ext}"


def clean_file_name(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", name).strip("._")[:150]


def labelled(df: pd.DataFrame, columns: dict[str, str] | None) -> pd.DataFrame:
    """The columns a screen shows, under the screen's Chinese headers (all columns if no map is given)."""
    if not columns:
        return df
    keep = [c for c in columns if c in df.columns]
    return df[keep].rename(columns=columns)


def write_csv(header: list, rows: list[list], out) -> None:
    """CSV to a text stream (the CLI's stdout) with every cell neutralised, as the page downloads are."""
    import csv

    w = csv.writer(out, lineterminator="\n")
    w.writerow([neutralise(str(h)) for h in header])
    w.writerows([[neutralise(c) for c in row] for row in rows])


def to_csv_bytes(df: pd.DataFrame, cover: Cover | None = None) -> bytes:
    """UTF-8 with BOM so Excel opens Chinese text correctly; a cover block, then a blank line, then the table."""
    head = ""
    if cover is not None:
        out = io.StringIO()
        write_csv(["项目", "内容"], [list(r) for r in cover.rows()], out)
        head = out.getvalue() + "\n"
    return (head + safe_frame(df).to_csv(index=False)).encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, sheet: str = "data", cover: Cover | None = None) -> bytes:
    """An .xlsx written with XlsxWriter: a 说明 sheet first when a cover is given; numbers stay numbers, text never
    becomes a formula."""
    return workbook([(sheet, df)], cover)


def workbook(sheets: list[tuple[str, pd.DataFrame]], cover: Cover | None = None) -> bytes:
    """Several tables in one workbook, each on its own sheet, after the 说明 sheet."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter", engine_kwargs={"options": {"strings_to_formulas": False,
                                                                            "strings_to_numbers": False}}) as xw:
        if cover is not None:
            safe_frame(pd.DataFrame(cover.rows(), columns=["项目", "内容"])).to_excel(xw, index=False, sheet_name="说明")
            xw.sheets["说明"].set_column(0, 0, 12)
            xw.sheets["说明"].set_column(1, 1, 80)
        for name, df in sheets:
            safe = safe_frame(df)
            original = df.reset_index(drop=True)
            for c_safe, c in zip(safe.columns, original.columns):
                if original[c].map(lambda v: isinstance(v, Decimal) or v is None).all() and original[c].notna().any():
                    safe[c_safe] = [float(v) if v is not None else None for v in original[c]]
            safe.to_excel(xw, index=False, sheet_name=clean_sheet(name))
    return buf.getvalue()


def clean_sheet(name: str) -> str:
    """Excel's sheet-name rules: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "_", name or "data")[:31] or "data"


def published_frame(con, doc_id: str, table_code: str) -> pd.DataFrame:
    """One of the nine tables as published (see core.published), as a DataFrame."""
    from core.published import published_table

    header, rows = published_table(con, doc_id, table_code)
    return pd.DataFrame(rows, columns=header, dtype=object)


def source_text(con, doc_id: str) -> str:
    """The stored text of the source document, exactly as ingested."""
    row = con.execute("SELECT text FROM source_texts WHERE doc_id = ?", [doc_id]).fetchone()
    return row[0] if row else ""
