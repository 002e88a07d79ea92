"""Real disclosure PDFs (Shanghai 普陀区 2024): the authentic document round-trips every number of its tables;
the template reports its placeholder; the altered copy is rejected, or audited with --allow-incomplete; a scan
without a text layer is refused."""

import csv
import hashlib
import io
import re
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pdfplumber
import pytest

from core.cli import main
from core.ingest.errors import InputError
from core.pipeline import ingest

ROOT = Path(__file__).resolve().parents[1]
AUTHENTIC = ROOT / "data" / "raw" / "sh-putuo-finance-bureau-2024-final.pdf"
CORPUS = ROOT.parent / "shared" / "corpus"
TEMPLATE = CORPUS / "sh-template-dept-final-2024" / "附件2：部门决算模板.pdf"
ALTERED = CORPUS / "sh-putuo-finance-bureau-2024-final-MODIFIED-seeded-errors" / "24年普陀区财政局（测试问题版本）.pdf"
# the pages each table is printed on (the corpus MANIFEST, checked by eye)
PAGES = {"T01": [6, 7], "T02": [8, 9], "T03": [10, 11], "T04": [12, 13], "T05": [15], "T06": [16, 17], "T07": [18]}
MONEY = re.compile(r"^-?\d{1,3}(,\d{3})*\.\d\d$")


def needs(path: Path):
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is not here (shared/corpus sits beside the repo)")


@pytest.fixture(scope="module")
def pdf_db(tmp_path_factory):
    db = tmp_path_factory.mktemp("pdf") / "sh.duckdb"
    result = ingest([AUTHENTIC], db)
    assert result.loaded, result.problems
    return db


@pytest.fixture()
def pcon(pdf_db):
    c = duckdb.connect(str(pdf_db), read_only=True)
    yield c
    c.close()


def independent_numbers(code: str) -> list[str]:
    """Every printed amount of a table, read with pdfplumber directly, in reading order."""
    out = []
    with pdfplumber.open(AUTHENTIC) as pdf:
        for page in PAGES[code]:
            for grid in pdf.pages[page - 1].extract_tables():
                for row in grid:
                    out += [c.replace(",", "") for c in row if c and MONEY.match(c.strip())]
    return out


@pytest.mark.parametrize("code", sorted(PAGES))
def test_authentic_round_trip(code, pdf_db, capsys):
    assert main(["export", code, "--db", str(pdf_db)]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    header = rows[0]
    money_cols = [i for i, h in enumerate(header) if not h.endswith(("项目", "编码")) and h != "行"]
    exported = [r[i] for r in rows[1:] for i in money_cols if r[i] != ""]
    printed = independent_numbers(code)
    # blanks are read as 0.00 inside tables that print figures; every printed amount is there, in order
    assert [x for x in exported if x != "0.00"] == [x for x in printed if x != "0.00"]


def test_authentic_figures(pcon):
    doc = pcon.execute("SELECT department, fiscal_year, source_format, parts_found, missing_tables FROM documents").fetchone()
    assert doc[:3] == ("上海市普陀区财政局", 2024, "pdf")
    assert "self_evaluations" not in doc[3] and "units" in doc[3] and doc[4] == []
    t01 = dict(pcon.execute("SELECT row_label || '/' || side, amount FROM line_items WHERE table_code = 'T01'").fetchall())
    assert t01["本年收入合计/收入"] == D("2946.25")
    assert t01["总计/支出"] == D("2995.39")
    assert pcon.execute("SELECT source_ref FROM line_items WHERE table_code='T01' AND row_label='总计' LIMIT 1").fetchone() == ("page:7",)
    assert pcon.execute("SELECT total, basic, project FROM expenditure_by_function WHERE code = '2010601'").fetchone() == (
        D("1511.89"), D("1503.52"), D("8.37"))
    assert pcon.execute("SELECT amount FROM line_items WHERE table_code='T06' AND row_label='人员经费合计'").fetchone() == (D("2152.26"),)
    assert pcon.execute("SELECT category FROM basic_expenditure_by_economic WHERE code = '30399'").fetchone() == ("人员经费",)
    units = pcon.execute("SELECT name, note, source_ref FROM units").fetchall()
    assert units[0] == ("上海市普陀区财政局（本级）", "", "page:5") and len(units) == 3
    assert units[1][1] == "预算不单列，并入本级"


def test_blank_three_public_actuals_are_not_given(pcon):
    rows = pcon.execute("SELECT item, budget, actual FROM three_public_funds").fetchall()
    assert ("合计", D("0.95"), None) in rows and ("公务接待费", D("0.95"), None) in rows
    notes = pcon.execute("SELECT severity, message FROM audit_findings WHERE row_ref = 'three_public:合计:actual'").fetchall()
    assert notes and notes[0][0] == "info" and "空白" in notes[0][1]


def test_declared_empty_tables_give_nothing(pcon):
    assert pcon.execute("SELECT count(*) FROM line_items WHERE table_code IN ('T08', 'T09')").fetchone() == (0,)
    assert "故本表无数据" in pcon.execute("SELECT notes FROM published_tables WHERE table_code = 'T08'").fetchone()[0]


def test_authentic_audit_has_only_the_genuine_defect(pcon):
    errors = pcon.execute("SELECT rule_id, row_ref, actual, expected FROM audit_findings WHERE severity = 'error'").fetchall()
    # two defects of the document itself, checked by hand on page 21:
    # 财政拨款收入支出总计0.3万元, while 公开04表 prints 总计 2,961.68;
    # 一般公共服务支出（类）2106.66万元，占71.73% — 2106.66 / 2940.05 is 71.65% (the four stated shares add to 100.07%)
    assert errors == [("N-TABLES", "fiscal_income_total", D("0.3"), D("2961.68")),
                      ("N-NAMED-ITEMS", "class_share_pct:一般公共服务支出", D("71.73"), D("71.6539"))]
    assert pcon.execute("SELECT count(*) FROM audit_findings WHERE severity = 'warning'").fetchone() == (0,)


@needs(TEMPLATE)
def test_template_placeholder_is_a_document_finding(tmp_path):
    db = tmp_path / "t.duckdb"
    assert ingest([TEMPLATE], db).loaded
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT department FROM documents").fetchone() == ("上海市XX局",)
    assert con.execute("SELECT rule_id, severity FROM audit_findings WHERE table_code = 'D'").fetchall() == [
        ("D-PLACEHOLDER", "error")]
    # a template prints no figures: nothing is given, and no rule counts that as a pass
    assert con.execute("SELECT status FROM audit_coverage WHERE rule_id = 'T01-BALANCE'").fetchone() == ("not_determinable",)


@needs(ALTERED)
def test_altered_copy_rejected_naming_the_missing_table(tmp_path, capsys):
    db = tmp_path / "a.duckdb"
    assert main(["ingest", str(ALTERED), "--db", str(db)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"{ALTERED}:page 7: expected 公开03表 (支出决算表); not found in the document"]
    assert not db.exists()


@needs(ALTERED)
def test_altered_copy_audited_with_allow_incomplete(tmp_path, capsys):
    db = tmp_path / "a.duckdb"
    assert main(["ingest", str(ALTERED), "--db", str(db), "--allow-incomplete"]) == 0
    con = duckdb.connect(str(db), read_only=True)
    found = {(r[0], r[1]) for r in con.execute("SELECT rule_id, row_ref FROM audit_findings WHERE severity = 'error'").fetchall()}
    assert ("D-TABLES", "T03") in found  # 公开03表 removed
    assert ("D-YEAR", "年度") in found  # the narrative header says 2023
    assert con.execute("SELECT source_ref FROM audit_findings WHERE rule_id = 'D-YEAR'").fetchone() == ("page:18",)
    assert ("D-PLACEHOLDER", "部门") in found  # 上海市普陀区XX局 on the tables
    assert ("N-TABLES", "total_income_all") in found  # 收入支出总计 0 万元
    status = dict(con.execute("SELECT rule_id, status FROM audit_coverage").fetchall())
    assert status["T07-SUM"] == "not_determinable"  # the 公开07表 figures were removed
    assert status["X-T01-T03"] == "not_determinable"


def test_scan_without_text_layer_is_refused(tmp_path, capsys, seed_db):
    import pypdfium2

    image = pypdfium2.PdfDocument(str(AUTHENTIC))[5].render(scale=1).to_pil().convert("RGB")
    scan = tmp_path / "scan.pdf"
    image.save(scan, "PDF")
    db = tmp_path / "live.duckdb"
    db.write_bytes(seed_db.read_bytes())
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    assert main(["ingest", str(scan), "--db", str(db)]) == 2
    assert capsys.readouterr().err.strip() == f"{scan}:1: no text layer; OCR is not supported"
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


BUDGET = ROOT / "data" / "raw" / "sh-putuo-justice-bureau-2026-dept-budget" / "dept_budget.pdf"


def test_a_budget_is_read_as_a_budget_not_as_a_final_account(tmp_path, capsys):
    from core.ingest.pdf_report import read_pdf_document

    with pytest.raises(InputError) as exc:
        read_pdf_document(BUDGET)  # the 决算 reader alone refuses it, saying what it is
    assert "found a 预算 (budget) disclosure" in str(exc.value)
    assert main(["ingest", str(BUDGET), "--db", str(tmp_path / "b.duckdb")]) == 0
    assert capsys.readouterr().out.startswith("loaded 2026-budget-")
