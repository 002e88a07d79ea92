"""The juesuan command: bad input is rejected with FILE:LINE messages and exit 2, changing nothing."""

import hashlib
import shutil

import duckdb
import pytest

from core.cli import main
from tests.conftest import SEED, SEED_DOC


@pytest.fixture()
def db(tmp_path, seed_db):
    path = tmp_path / "live.duckdb"
    shutil.copy(seed_db, path)
    return path


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys, *args):
    code = main(list(map(str, args)))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_empty_file(tmp_path, db, capsys):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    before = digest(db)
    code, _, err = run(capsys, "ingest", bad, "--db", db)
    assert code == 2
    assert err.strip() == f"{bad}:1: expected a 部门决算 text document; found an empty file"
    assert digest(db) == before


def test_missing_tables_named_each(variant, db, capsys):
    bad = variant(("公开 03 表", "表三"), ("公开 07 表", "表七"))
    before = digest(db)
    code, _, err = run(capsys, "ingest", bad, "--db", db)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{bad}:82: expected 公开03表 (支出决算表); not found")
    assert "公开07表" in lines[1]
    assert digest(db) == before


def test_binary_content(tmp_path, db, capsys):
    bad = tmp_path / "image.png"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    before = digest(db)
    code, _, err = run(capsys, "ingest", bad, "--db", db)
    assert code == 2
    assert "expected text; found binary content" in err and err.startswith(f"{bad}:")
    assert digest(db) == before


def test_text_that_is_not_a_final_account(tmp_path, db, capsys):
    bad = tmp_path / "notes.txt"
    bad.write_text("会议纪要\n今天讨论了预算编制。\n", encoding="utf-8")
    before = digest(db)
    code, _, err = run(capsys, "ingest", bad, "--db", db)
    assert code == 2
    assert err.strip() == f"{bad}:1: expected a 部门决算 document; found no 决算 title or table"
    assert digest(db) == before


def test_unknown_encoding(tmp_path, db, capsys, seed_text):
    bad = tmp_path / "big5.txt"
    bad.write_bytes(seed_text[:4000].encode("big5", errors="replace"))
    before = digest(db)
    code, _, err = run(capsys, "ingest", bad, "--db", db)
    assert code == 2
    assert err.startswith(f"{bad}:1: expected")
    assert digest(db) == before
    undecodable = tmp_path / "bytes.txt"
    undecodable.write_bytes(b"\x80\x80\xff\xfe" * 50)
    code, _, err = run(capsys, "ingest", undecodable, "--db", db)
    assert code == 2
    assert err.strip() == f"{undecodable}:1: expected UTF-8 or GB18030 text; the bytes decode as neither"
    assert digest(db) == before


@pytest.mark.parametrize("encoding,newline", [("gb18030", "\n"), ("utf-8-sig", "\n"), ("utf-8", "\r\n")])
def test_other_encodings_and_line_endings_read_the_same(variant, tmp_path, encoding, newline, capsys, seed_db):
    path = variant(name=f"seed-{encoding}.txt", encoding=encoding, newline=newline)
    db = tmp_path / "enc.duckdb"
    code, out, err = run(capsys, "ingest", path, "--db", db)
    assert code == 0, err
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT doc_id FROM documents").fetchall() == [(SEED_DOC,)]
    reference = duckdb.connect(str(seed_db), read_only=True)
    expected = reference.execute("SELECT count(*), sum(amount) FROM line_items").fetchone()
    reference.close()
    assert expected[0] == 720
    assert con.execute("SELECT count(*), sum(amount) FROM line_items").fetchone() == expected
    assert con.execute("SELECT count(*) FROM indicators").fetchone() == (195,)
    con.close()


def test_reingest_replaces_never_duplicates(db, capsys):
    code, out, _ = run(capsys, "ingest", SEED, "--db", db)
    assert code == 0 and out.strip() == f"loaded {SEED_DOC}"
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    assert con.execute("SELECT count(*) FROM line_items").fetchone() == (720,)
    assert con.execute("SELECT count(*) FROM projects").fetchone() == (24,)
    con.close()


def test_good_files_load_beside_a_rejected_one(tmp_path, variant, capsys):
    other = variant(("中共福建省委泉州台商投资区工作委员会社会治理办公室", "某某县司法局", -1),
                    ("中共福建省委泉州台商投资区工作\n\n委员会社会治理办公室", "某某县司法局"), name="other.txt")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    db = tmp_path / "two.duckdb"
    code, out, err = run(capsys, "ingest", SEED, empty, other, "--db", db)
    assert code == 2
    assert out.count("loaded ") == 2
    assert err.startswith(f"{empty}:1:")
    code, _, err = run(capsys, "export", "T01", "--db", db)
    assert code == 2
    assert "several documents" in err and SEED_DOC in err
    code, out, _ = run(capsys, "docs", "--db", db)
    assert code == 0 and len(out.strip().splitlines()) == 2
    code, out, _ = run(capsys, "export", "T01", "--db", db, "--doc", SEED_DOC)
    assert code == 0 and "4180.76" in out


def test_allow_incomplete_records_missing_tables(variant, tmp_path, capsys):
    bad = variant(("公开 03 表", "表三"))
    db = tmp_path / "incomplete.duckdb"
    code, out, err = run(capsys, "ingest", bad, "--db", db, "--allow-incomplete")
    assert code == 0, err
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT missing_tables FROM documents").fetchone()[0] == ["T03"]
    assert ("D-TABLES", "error", "T03") in con.execute(
        "SELECT rule_id, severity, row_ref FROM audit_findings WHERE table_code = 'D'").fetchall()
    assert con.execute("SELECT status FROM audit_coverage WHERE rule_id = 'X-T01-T03'").fetchone() == ("not_determinable",)
    con.close()


def test_io_failure_exits_1(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(capsys, "ingest", SEED, "--db", blocker / "sub" / "db.duckdb")
    assert code == 1
    assert len(err.strip().splitlines()) == 1


def test_missing_database_is_a_usage_problem(tmp_path, capsys):
    code, _, err = run(capsys, "docs", "--db", tmp_path / "nope.duckdb")
    assert code == 2 and "不存在" in err


def test_env_names_the_database(seed_db, monkeypatch, capsys):
    monkeypatch.setenv("JUESUAN_DB", str(seed_db))
    code, out, _ = run(capsys, "docs")
    assert code == 0 and out.startswith(SEED_DOC)


def test_python_m_core_is_the_same_command(seed_db):
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "core", "docs", "--db", str(seed_db)], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith(SEED_DOC)


def test_build_force_replaces_the_file_whole_and_keeps_its_mode(tmp_path):
    """A rebuild is built aside and swapped in: the old file serves until then; mode and stale copies handled."""
    import os
    import stat

    from core.cli import main as cli

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "seed.txt").write_bytes(SEED.read_bytes())
    db = tmp_path / "j.duckdb"
    assert cli(["build", "--raw", str(raw), "--db", str(db)]) == 0
    assert stat.S_IMODE(db.stat().st_mode) == 0o666 & ~_umask()
    os.chmod(db, 0o640)
    reader = duckdb.connect(str(db), read_only=True)  # a reader of the old file is not disturbed
    dead = tmp_path / f".j.duckdb.{_dead_pid()}.abc.tmp"
    dead.write_bytes(b"left by a killed build")
    before = db.stat().st_ino
    assert cli(["build", "--force", "--raw", str(raw), "--db", str(db)]) == 0
    assert db.stat().st_ino != before and stat.S_IMODE(db.stat().st_mode) == 0o640
    assert reader.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    reader.close()
    assert not dead.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".j.duckdb")] == []


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def _dead_pid() -> int:
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_export_neutralises_formula_cells_and_list_cells(tmp_path, capsys):
    import io

    import pandas as pd

    from core.export import safe_frame, write_csv

    out = io.StringIO()
    write_csv(["=项目", "金额"], [["=cmd|' /C calc'!A0", "1.00"], ["+1", "@SUM(A1)"]], out)
    assert out.getvalue().splitlines() == ["'=项目,金额", "'=cmd|' /C calc'!A0,1.00", "'+1,'@SUM(A1)"]
    frame = safe_frame(pd.DataFrame({"parts": [["=1+1", "x"]]}))
    assert frame["parts"][0] == "'=1+1、x"


def test_an_ingest_never_imports_pandas(tmp_path):
    """pandas is the app's (0.2 s to import); reading and writing a document needs none of it."""
    import subprocess
    import sys

    code = ("import sys; from core.cli import main; "
            f"main(['ingest', {str(SEED)!r}, '--db', {str(tmp_path / 'x.duckdb')!r}]); "
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=SEED.parents[2])
    assert out.stdout.strip().splitlines()[-1] == "False", out.stdout + out.stderr
