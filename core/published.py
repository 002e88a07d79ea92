"""The published tables (决算 nine, 预算 by layout) as printed, rebuilt from line_items in the document's row order (for export and display)."""

from __future__ import annotations

from decimal import Decimal

from core.ingest.layouts import layout_for
from core.ingest.numbers import plain


def _slot(table_code: str, side: str, col_no: int):
    # 公开06表 prints three (code, name, amount) groups side by side: each group is its own slot
    return (col_no,) if table_code == "T06" else (side,)


def published_table(con, doc_id: str, table_code: str) -> tuple[list[str], list[list]]:
    """Header and rows of one table: each printed row with, per side or group, its label, code and amounts."""
    items = con.execute(
        """SELECT row_no, side, row_label, code, column_label, col_no, amount
           FROM line_items WHERE doc_id = ? AND table_code = ? ORDER BY row_no, side DESC, col_no""",
        [doc_id, table_code],
    ).fetchall()
    slots: list[tuple] = []
    columns: dict[tuple, list[tuple[int, str]]] = {}
    for row_no, side, label, code, column, col_no, amount in items:
        slot = _slot(table_code, side, col_no)
        if slot not in columns:
            slots.append(slot)
            columns[slot] = []
        key = (col_no, column)
        if key not in columns[slot]:
            columns[slot].append(key)
    for slot in slots:
        columns[slot].sort()
    if table_code in ("T01", "T04") or getattr(layout_for(table_code), "shape", "") == "two_sided":
        slots.sort(key=lambda s: 0 if s[0] == "收入" else 1)
    else:
        slots.sort()
    header: list[str] = ["行"]
    for slot in slots:
        prefix = f"{slot[0]}:" if slot[0] else ""
        if table_code == "T06":
            prefix = f"第{slot[0]}组:"
        header += [f"{prefix}项目", f"{prefix}编码"] + [f"{prefix}{c}" for _, c in columns[slot]]
    by_row: dict[int, dict[tuple, dict]] = {}
    for row_no, side, label, code, column, col_no, amount in items:
        cell = by_row.setdefault(row_no, {}).setdefault(_slot(table_code, side, col_no), {"label": label, "code": code})
        cell[(col_no, column)] = amount
    rows = []
    for row_no in sorted(by_row):
        out: list = [row_no]
        for slot in slots:
            cell = by_row[row_no].get(slot)
            if cell is None:
                out += ["", ""] + [""] * len(columns[slot])
                continue
            out += [cell["label"], cell["code"] or ""]
            out += [_fmt(cell.get(k)) for k in columns[slot]]
        rows.append(out)
    return header, rows


def _fmt(x: Decimal | None) -> str:
    return plain(x)
