"""`juesuan build` streams over a pool of workers: every disclosure arrives, a failing one is reported with its
place and stops nothing, progress is reported as documents finish, and the output is quiet when not on a terminal."""

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb

from bench.variants import write_variants
from core.pipeline import build

ROOT = Path(__file__).resolve().parents[1]


def test_every_disclosure_arrives_and_a_bad_one_stops_nothing(tmp_path):
    raw = tmp_path / "raw"
    write_variants(raw, 7)  # more than the 2 × jobs read ahead, so the queue is refilled as documents finish
    (raw / "broken.txt").write_text("这不是一份决算\n" * 5, encoding="utf-8")
    seen, problems = [], []
    result = build(tmp_path / "b.duckdb", raw, jobs=2, on_progress=lambda *a: seen.append(a),
                   on_problem=problems.append)
    assert len(result.loaded) == 7 and len(set(result.loaded)) == 7
    assert [str(p).split(":")[0] for p in problems] == [str(raw / "broken.txt")]
    assert seen[-1] == (8, 8, 1) and [s[0] for s in seen] == list(range(1, 9))
    con = duckdb.connect(str(tmp_path / "b.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchall() == [(7,)]
    # each document's rows lie together under one doc_no, which the views join through
    assert con.execute("SELECT count(DISTINCT doc_no) FROM t_line_item").fetchall() == [(7,)]
    assert con.execute("SELECT sum(amount) FROM line_items WHERE doc_id = ? AND table_code = 'T01' "
                       "AND row_label = '本年支出合计'", [result.loaded[0]]).fetchall()[0][0] == Decimal("4074.57")


def test_build_command_is_quiet_off_a_terminal_and_names_the_failing_file(tmp_path):
    raw = tmp_path / "raw"
    write_variants(raw, 2)
    (raw / "broken.txt").write_text("这不是一份决算\n" * 5, encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "core", "build", "--force", "--raw", str(raw), "--db",
                          str(tmp_path / "b.duckdb"), "--jobs", "2"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 2
    assert "\r" not in run.stderr and "份/s" not in run.stderr  # no progress bar when output is not a terminal
    assert run.stderr.startswith(f"{raw / 'broken.txt'}:")
    assert run.stdout.count("loaded ") == 2


def test_an_up_to_date_build_answers_without_pandas_or_duckdb(tmp_path):
    """`make run` asks `juesuan build` first, every time: when nothing changed the answer must come at once. pandas
    took 0.4 s of it when the open-data module reached it through core/export.py, and DuckDB 0.13 s to look up the
    exports' version; the build now records which database file its exports belong to."""
    raw, db = tmp_path / "raw", tmp_path / "b.duckdb"
    write_variants(raw, 1)
    subprocess.run([sys.executable, "-m", "core", "build", "--raw", str(raw), "--db", str(db), "--jobs", "1"],
                   cwd=ROOT, capture_output=True, check=True)
    code = (f"import sys; from core.cli import main; main(['build', '--raw', {str(raw)!r}, '--db', {str(db)!r}]); "
            "print('pandas' in sys.modules, 'duckdb' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert "is up to date" in run.stdout, run.stdout + run.stderr
    assert run.stdout.strip().splitlines()[-1] == "False False", run.stdout + run.stderr


def test_a_database_replaced_since_its_exports_gets_exports_of_its_own(tmp_path):
    """The record is of one file (inode, mtime, size): an ingest swaps the file in whole, so the next up-to-date answer
    looks in the database again and writes the new data version's exports instead of naming the old ones."""
    from core.opendata import current_exports

    raw, db = tmp_path / "raw", tmp_path / "b.duckdb"
    write_variants(raw, 1)
    build_cmd = [sys.executable, "-m", "core", "build", "--raw", str(raw), "--db", str(db), "--jobs", "1"]
    subprocess.run(build_cmd, cwd=ROOT, capture_output=True, check=True)
    first = current_exports(db)
    assert first is not None and (first / "COMPLETE").exists()
    extra = write_variants(tmp_path / "more", 2)[1]  # a second department, ingested straight into the database
    subprocess.run([sys.executable, "-m", "core", "ingest", str(extra), "--db", str(db)], cwd=ROOT,
                   capture_output=True, check=True)
    assert current_exports(db) is None  # the file changed: the record no longer speaks for it
    run = subprocess.run(build_cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    second = current_exports(db)
    assert second is not None and second != first and str(second) in run.stdout
    assert len(json.loads((second / "COMPLETE").read_text(encoding="utf-8"))["documents"]) == 2
