"""Malformed and pathological input: every case ends in exit 0 or 2 with FILE:LINE / FILE:page N, in bounded time,
and leaves the database as it was."""

from __future__ import annotations

import hashlib
import time
import zlib
from pathlib import Path

import pytest

from core.cli import main
from tests.conftest import SEED


def hanging_pdf(path: Path, operators: int = 300_000) -> Path:
    """CONSTRUCTED: a valid one-page PDF whose 3 KB content stream inflates to hundreds of thousands of path
    operators; pdfminer needs seconds per 100,000 of them (a stand-in for the damaged files that hang it)."""
    stream = zlib.compress(b"0 0 m\n" * operators, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


@pytest.fixture()
def loaded_db(tmp_path):
    db = tmp_path / "j.duckdb"
    assert main(["ingest", str(SEED), "--db", str(db)]) == 0
    return db


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_pdf_that_hangs_the_reader_is_stopped_at_the_deadline(tmp_path, loaded_db, capsys):
    pdf = hanging_pdf(tmp_path / "hang.pdf")
    before = _digest(loaded_db)
    capsys.readouterr()
    t0 = time.monotonic()
    assert main(["ingest", str(pdf), "--db", str(loaded_db), "--deadline", "1"]) == 2
    assert time.monotonic() - t0 < 20
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{pdf}:page 1: expected to be read within 1 s"), err
    assert _digest(loaded_db) == before


@pytest.mark.parametrize("name, make, where, expected", [
    ("huge-number.txt", lambda t: t.replace("313.84", "3" * 300 + ".84", 1), ":103:", "at most 16 digits"),
    ("late-nul.txt", lambda t: t + "\n" + "x" * 70_000 + "\0", ":2868:", "binary content"),
    ("long-line.txt", lambda t: t + "\n" + "中" * 5_000_000, ":2868:", "at most 100,000 characters"),
])
def test_malformed_text_is_refused_with_its_place_and_changes_nothing(name, make, where, expected, tmp_path,
                                                                    loaded_db, capsys):
    bad = tmp_path / name
    bad.write_text(make(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    before = _digest(loaded_db)
    capsys.readouterr()
    t0 = time.monotonic()
    assert main(["ingest", str(bad), "--db", str(loaded_db)]) == 2
    assert time.monotonic() - t0 < 10
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{bad}{where}") and expected in err, err
    assert _digest(loaded_db) == before


def test_a_damaged_pdf_stream_is_an_input_problem_not_a_traceback(tmp_path, loaded_db, capsys):
    pdf = hanging_pdf(tmp_path / "broken.pdf", operators=10)
    data = pdf.read_bytes().replace(b"/FlateDecode", b"/LZWDecode")  # the stream no longer decodes
    pdf.write_bytes(data)
    before = _digest(loaded_db)
    capsys.readouterr()
    assert main(["ingest", str(pdf), "--db", str(loaded_db)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{pdf}:") and "Traceback" not in err, err
    assert _digest(loaded_db) == before


def test_a_misread_department_name_is_refused(tmp_path, loaded_db, capsys):
    misread = "级决算、下属行政事业单位决算。纳入上海市普陀区财政局"
    bad = tmp_path / "misread.txt"
    text = SEED.read_text(encoding="utf-8")
    bad.write_text(text.replace("部门：中共福建省委泉州台商投资区工作委员会社会治理办公室", f"部门：{misread}", 1),
                   encoding="utf-8")
    before = _digest(loaded_db)
    capsys.readouterr()
    assert main(["ingest", str(bad), "--db", str(loaded_db)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:1: expected a department name without sentence punctuation" in err
    assert _digest(loaded_db) == before


@pytest.mark.parametrize("name, text, reason", [
    ("某某" * 25 + "局", "", "at most 40 characters"),
    ("上海市普陀区财政", "上海市普陀区财政 …", "organisation suffix"),
    ("上海市普陀区财政局", "封面" + "。" * 2000 + "上海市普陀区财政局", "cover or title"),
    ("上海市普陀区财政局", "上海市普陀区财政局" + "。" * 2000, "not found in the body"),
])
def test_department_name_rules(name, text, reason):
    from core.ingest.identity import department_problems

    problems = department_problems(name, text, "f.pdf")
    assert len(problems) == 1 and reason in problems[0].message
    assert department_problems("上海市普陀区财政局", "上海市普陀区财政局" + "。" * 2000 + "部门：上海市普陀区财政局",
                               "f.pdf") == []


def test_a_truncated_copy_is_reported_and_never_replaces_the_complete_one(tmp_path, loaded_db, capsys):
    """`head -n 418` of the seed keeps the nine tables and loses the narrative, glossary and 24 projects."""
    import duckdb

    cut = tmp_path / "cut.txt"
    cut.write_text("\n".join(SEED.read_text(encoding="utf-8").split("\n")[:418]) + "\n", encoding="utf-8")
    before = _digest(loaded_db)
    capsys.readouterr()
    assert main(["ingest", str(cut), "--db", str(loaded_db)]) == 2
    err = capsys.readouterr().err
    assert f"{cut}:1: expected a copy at least as complete as the stored 2022-final-1c256323b7" in err
    assert "self_evaluations" in err and "--replace" in err
    assert _digest(loaded_db) == before
    fresh = tmp_path / "fresh.duckdb"  # on its own it loads, and the audit says what the 目录 promised
    assert main(["ingest", str(cut), "--db", str(fresh)]) == 0
    con = duckdb.connect(str(fresh), read_only=True)
    rows = con.execute("SELECT row_ref FROM audit_findings WHERE rule_id = 'D-ANNOUNCED' AND severity = 'error'").fetchall()
    con.close()
    assert sorted(r[0] for r in rows) == ["三", "五", "四"]
    assert main(["ingest", str(cut), "--db", str(loaded_db), "--replace"]) == 0


@pytest.mark.parametrize("old, new, table, row", [
    # a T06 款 printed twice (its line duplicated)
    ("30109\t职业年金缴费\t5.69\t30207\t邮电费\t3.70\t31006\t大型修缮\t0.00\n",
     "30109\t职业年金缴费\t5.69\t30207\t邮电费\t3.70\t31006\t大型修缮\t0.00\n"
     "30109\t职业年金缴费\t5.69\t30207\t邮电费\t3.70\t31006\t大型修缮\t0.00\n", "T06", "30109"),
    # a 项 row that lost its tabs is kept as a table note: the note is reported
    ("2101102\t事业单位医疗\t4.49\t4.49\t0.00\n", "2101102 事业单位医疗 4.49 4.49 0.00\n", "T05", "表注"),
    # every 项 of a 款 gone
    ("2101101\t行政单位医疗\t6.22\t6.22\t0.00\n2101102\t事业单位医疗\t4.49\t4.49\t0.00\n"
     "2101103\t公务员医疗补助\t3.98\t3.98\t0.00\n", "", "T05", "21011"),
])
def test_lost_or_duplicated_rows_are_errors(old, new, table, row, variant, tmp_path):
    import duckdb

    from core.pipeline import ingest

    db = tmp_path / "rows.duckdb"
    assert ingest([variant((old, new))], db).loaded
    con = duckdb.connect(str(db), read_only=True)
    found = con.execute("SELECT table_code, row_ref FROM audit_findings WHERE rule_id = 'D-ROWS' AND severity = 'error'"
                        ).fetchall()
    con.close()
    assert (table, row) in found, found
