"""Databases of 1, 50, 500 and 5,000 documents for the benchmarks, cloned in SQL from the real documents of a built
database under new departments and years, with every amount scaled by a per-clone factor (0.90–1.10).

Never touches data/raw: `python bench/scale.py SOURCE.duckdb OUT.duckdb N` copies SOURCE and adds clones until it holds
N documents (N = 1 keeps only the seed).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SEED_DOC = "2022-final-1c256323b7"
REGIONS = ["福建省泉州市", "上海市普陀区", "江苏省南京市", "浙江省杭州市", "广东省深圳市", "四川省成都市", "湖北省武汉市"]


def doc_tables(con) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT DISTINCT table_name FROM information_schema.columns WHERE column_name = 'doc_id' "
        "AND table_name LIKE 't\\_%' ESCAPE '\\' ORDER BY 1").fetchall()]


def clone_plan(con, total: int) -> list[tuple]:
    """(source doc_id, new doc_id, department, fiscal_year, factor) for each clone to add."""
    from core.ingest.document import make_doc_id

    real = con.execute("SELECT doc_id, department, fiscal_year, kind, scope FROM t_document ORDER BY doc_id").fetchall()
    plan, taken = [], {r[0] for r in real}
    i = 0
    while len(real) + len(plan) < total:
        src, dept, year, kind, scope = real[i % len(real)]
        region = REGIONS[(i // len(real)) % len(REGIONS)]
        department = f"{region}样本{i // (len(real) * len(REGIONS)):04d}{dept}"
        new_year = int(year) - (i // len(real)) % 4
        doc_id = make_doc_id(department, new_year, kind, scope)
        if doc_id not in taken:
            taken.add(doc_id)
            plan.append((src, doc_id, department, new_year, 0.90 + ((i * 37) % 21) / 100))
        i += 1
    return plan


def _select(con, table: str) -> str:
    """The table's columns for a clone: the new doc_id, department (with an id of its own) and year, every DECIMAL
    scaled by the factor."""
    cols = con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
                       "ORDER BY ordinal_position", [table]).fetchall()
    out = []
    for name, dtype in cols:
        if name == "doc_id":
            out.append("c.doc_id")
        elif name == "doc_no":
            out.append("c.doc_no")
        elif table == "t_document" and name == "department":
            out.append("c.department")
        elif table == "t_document" and name == "department_id":  # a clone is another body, not its source's
            out.append("'bench-' || md5(c.department)[:12]")
        elif table == "t_document" and name == "fiscal_year":
            out.append("c.fiscal_year")
        elif dtype.startswith("DECIMAL"):
            out.append(f"CAST(t.{name} * c.factor AS {dtype})")
        else:
            out.append(f"t.{name}")
    return ", ".join(out)


def make_scaled(source: Path, out: Path, total: int) -> int:
    """OUT holds `total` documents; returns how many."""
    shutil.copyfile(source, out)
    con = duckdb.connect(str(out))
    try:
        tables = doc_tables(con)
        if total <= 1:
            for t in tables:
                con.execute(f"DELETE FROM {t} WHERE doc_id <> ?", [SEED_DOC])
        else:
            plan = clone_plan(con, total)
            first = con.execute("SELECT max(doc_no) + 1 FROM t_document").fetchall()[0][0]
            con.execute("CREATE TEMP TABLE clones (src VARCHAR, doc_id VARCHAR, department VARCHAR, "
                        "fiscal_year INTEGER, factor DECIMAL(4,2), doc_no INTEGER)")
            con.executemany("INSERT INTO clones VALUES (?, ?, ?, ?, ?, ?)",
                            [(*row, first + n) for n, row in enumerate(plan)])
            for t in tables:  # in doc_no order, so each document's rows lie together as an ingest leaves them
                con.execute(f"INSERT INTO {t} SELECT {_select(con, t)} FROM {t} t JOIN clones c ON t.doc_id = c.src "
                            "ORDER BY c.doc_no")
            # a clone's search entry for its department names the clone's department; then index the new names
            from core.search import fold, index_grams

            con.execute("CREATE TEMP TABLE names (doc_no INTEGER, label VARCHAR, term VARCHAR)")
            con.executemany("INSERT INTO names VALUES (?, ?, ?)",
                            [(first + n, dept, fold(dept)) for n, (_, _, dept, _, _) in enumerate(plan)])
            con.execute("UPDATE t_search SET label = names.label, term = names.term FROM names "
                        "WHERE t_search.doc_no = names.doc_no AND t_search.what = '部门'")
            index_grams(con)
        con.execute("CHECKPOINT")
        return con.execute("SELECT count(*) FROM t_document").fetchone()[0]
    finally:
        con.close()


if __name__ == "__main__":
    src, dst, n = sys.argv[1:4]
    print(make_scaled(Path(src), Path(dst), int(n)), "documents in", dst)
