"""Golden files: every table figure (with its page) that today's PDF readers take from every corpus disclosure.

`python -m tests.golden_files` writes tests/golden/<folder>.csv; tests/test_golden.py holds each reader change to
them, so a faster PDF library can replace a slower one only if it reads exactly the same figures from the same pages.
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
GOLDEN = Path(__file__).resolve().parent / "golden"
# what the table readers saw (every printed row, its cells and page) and what they made of it (figures by row and
# column, and by 科目 code)
QUERIES = {
    "row": "SELECT doc_id, table_code, row_no, is_header, array_to_string(cells, ' | '), source_ref FROM t_table_row "
           "ORDER BY ALL",
    "item": "SELECT doc_id, table_code, row_no, side, col_no, code, row_label, column_label, amount, source_ref "
            "FROM t_line_item ORDER BY ALL",
    "value": "SELECT doc_id, table_code, code, column_key, amount FROM t_classified_value ORDER BY ALL",
}


def disclosures() -> list[Path]:
    """Each corpus folder is one disclosure; a 决算 folder is read as its single PDF (a 决算 is one file)."""
    return sorted(p for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.exists() else []


def sources(folder: Path) -> list[Path]:
    pdfs = sorted(folder.glob("*.pdf"))
    return [folder] if "budget" in folder.name else pdfs


def snapshot(folder: Path) -> str:
    """The CSV text of every table figure read from the folder, or the refusal's messages when it is refused."""
    import duckdb

    from core.pipeline import ingest

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "golden.duckdb"
        result = ingest(sources(folder), db, allow_incomplete=True)
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        for p in result.problems:
            w.writerow(["refused", str(p).replace(str(CORPUS) + "/", "")])
        if result.loaded:
            con = duckdb.connect(str(db), read_only=True)
            for kind, sql in QUERIES.items():
                w.writerows([[kind] + ["" if v is None else format(v, "f") if hasattr(v, "as_tuple") else v for v in r]
                             for r in con.execute(sql).fetchall()])
            con.close()
        return out.getvalue()


def main() -> int:
    GOLDEN.mkdir(exist_ok=True)
    for folder in disclosures():
        (GOLDEN / f"{folder.name}.csv").write_text(snapshot(folder), encoding="utf-8")
        print(f"wrote tests/golden/{folder.name}.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
