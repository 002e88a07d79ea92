"""Budgets read from the real corpus files kept in data/raw: identity, tables by role, merge, views, audit."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from core.cli import main
from core.ingest.budget_report import read_budget
from core.ingest.layouts import match_title
from core.pipeline import ingest, raw_sources

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
PROCURATORATE_2019 = RAW / "js-procuratorate-2019-dept-budget"
JUSTICE_DEPT = RAW / "sh-putuo-justice-bureau-2026-dept-budget"
JUSTICE_UNIT = RAW / "sh-putuo-justice-bureau-2026-unit-budget"
CPPCC_2019 = RAW / "js-cppcc-office-2019-dept-budget"


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("corpus") / "corpus.duckdb"
    result = ingest(raw_sources(RAW), db)
    assert not result.problems, result.problems
    assert len(result.loaded) == 16
    return db


@pytest.fixture()
def ccon(corpus_db):
    c = duckdb.connect(str(corpus_db), read_only=True)
    yield c
    c.close()


def test_every_corpus_budget_reads_as_a_budget_with_scope(ccon):
    rows = ccon.execute("SELECT department, fiscal_year, kind, scope FROM documents WHERE kind = '预算' "
                        "ORDER BY department, fiscal_year, scope").fetchall()
    assert len(rows) == 14
    assert ("上海市普陀区司法局", 2026, "预算", "部门") in rows
    assert ("上海市普陀区司法局", 2026, "预算", "单位") in rows
    assert {(d, y) for d, y, *_ in rows if d.startswith("江苏省")} == {
        (d, y) for d in ("江苏省人民检察院", "江苏省高级人民法院", "江苏省政协办公厅") for y in (2017, 2018, 2019)}
    assert ccon.execute("SELECT count(*) FROM documents WHERE kind = '决算'").fetchone()[0] == 2


def test_procuratorate_2019_tables_by_role_with_pages():
    doc = read_budget(sorted(PROCURATORATE_2019.glob("*.pdf")))
    assert (doc.department, doc.fiscal_year, doc.kind, doc.scope) == ("江苏省人民检察院", 2019, "预算", "部门")
    assert sorted(doc.tables) == ["B01", "B02", "B03", "B04", "B05", "B06", "B07", "B08", "B09", "B10", "B12", "B13"]
    b01 = {(i.side, i.row_label): i for i in doc.line_items if i.table_code == "B01"}
    assert b01[("收入", "收入合计")].amount == Decimal("24169.74")
    assert b01[("支出", "支出合计")].amount == Decimal("24169.74")
    # the wrapped label 三、单位预留机动经 / 费 rejoins and keeps its figure printed on the line between
    assert b01[("支出", "三、单位预留机动经费")].amount == Decimal("3990.40")
    assert b01[("支出", "四、公共安全支出")].source_ref == "page:14"
    b07 = {r.code: r for r in doc.classified if r.table_code == "B07"}
    assert b07["2040401"].values["total"] == Decimal("12268.62") and b07["2040401"].source_ref == "page:18"
    # a name wrapped around its code's line (机关事业单位基本养老保险 / 30108 1,064.46 / 缴费)
    b08 = {r.code: r for r in doc.classified if r.table_code == "B08"}
    assert b08["30108"].name == "机关事业单位基本养老保险缴费"
    assert b08["30108"].values["total"] == Decimal("1064.46")
    three = {i.row_label: i.amount for i in doc.line_items if i.table_code == "B09"}
    assert three["合计"] == Decimal("418.26") and three["公务用车运行维护费"] == Decimal("237")
    assert three["会议费"] == Decimal("158.44") and "公务用车购置费" not in three  # printed blank


def test_a_unit_whose_yuan_wrapped_onto_the_next_line_is_still_wan_yuan(ccon):
    """js-high-court-2019 公开09表 prints 单位：万 / 元 over two lines (page 14): its figures are 万元, not 元."""
    three = dict(ccon.execute("SELECT item, budget FROM three_public_funds WHERE doc_id = '2019-budget-9260b06ed9'")
                 .fetchall())
    assert three["合计"] == Decimal("513.75") and three["因公出国（境）费"] == Decimal("160.00")
    assert ccon.execute("SELECT unit FROM published_tables WHERE doc_id = '2019-budget-9260b06ed9' "
                        "AND table_code = 'B09'").fetchall() == [("万元",)]


def test_shanghai_tables_in_yuan_convert_exactly_and_unit_scope_is_its_own_document():
    dept = read_budget([JUSTICE_DEPT / "dept_budget.pdf"])
    unit = read_budget([JUSTICE_UNIT / "unit_budget.pdf"])
    assert dept.doc_id != unit.doc_id and (dept.scope, unit.scope) == ("部门", "单位")
    b01 = {(i.side, i.row_label): i.amount for i in dept.line_items if i.table_code == "B01"}
    assert b01[("收入", "收入总计")] == Decimal("9628.221344")  # 96,282,213.44 元
    assert dept.tables["B01"].unit == "元" and dept.tables["B09"].unit == "万元"
    three = {i.row_label: i.amount for i in dept.line_items if i.table_code == "B09"}
    assert three == {"合计": Decimal("10.81"), "因公出国（境）费": 0, "公务接待费": Decimal("0.83"),
                     "公务用车购置及运行维护费": Decimal("9.98"), "公务用车购置费": 0,
                     "公务用车运行维护费": Decimal("9.98"), "机关运行经费": Decimal("217.83")}
    keyed = {f.key: f.value for f in dept.narrative if f.key}
    assert keyed["income_total"] == Decimal("9628.22") and keyed["three_public:合计:budget"] == Decimal("10.81")


def test_two_files_merge_into_one_disclosure_with_file_named_provenance(tmp_path, capsys):
    files = sorted(CPPCC_2019.glob("*.pdf"))
    db = tmp_path / "m.duckdb"
    assert main(["ingest", *map(str, files), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "merged" in out and "2019-budget-" in out
    con = duckdb.connect(str(db), read_only=True)
    source_files, = con.execute("SELECT source_files FROM documents").fetchone()
    assert sorted(source_files) == sorted(f.name for f in files)
    ref = con.execute("SELECT source_ref FROM line_items WHERE table_code = 'B01' LIMIT 1").fetchone()[0]
    assert ref.startswith("江苏省政协办公厅2019年预算公开表.pdf#page:")
    assert con.execute("SELECT count(*) FROM narrative_figures WHERE key = 'income_total'").fetchone()[0] >= 1


def test_narrative_alone_is_refused_with_a_hint(tmp_path, capsys):
    narrative = CPPCC_2019 / "江苏省政协办公厅2019年度部门预算.pdf"
    assert main(["ingest", str(narrative), "--db", str(tmp_path / "n.duckdb")]) == 2
    assert "ingest A.pdf B.pdf" in capsys.readouterr().err
    assert not (tmp_path / "n.duckdb").exists()


def test_views_span_both_kinds_and_summary_gives_budget_totals(ccon, corpus_db, capsys):
    kinds = dict(ccon.execute("SELECT d.kind, count(DISTINCT g.doc_id) FROM gpb_expenditure_by_function g "
                              "JOIN documents d USING (doc_id) GROUP BY 1").fetchall())
    assert kinds["预算"] == 14 and kinds["决算"] == 2
    roles = ccon.execute("SELECT DISTINCT role FROM published_tables WHERE table_code = 'B07'").fetchall()
    assert roles == [("gpb_expenditure_by_function",)]
    doc = ccon.execute("SELECT doc_id FROM documents WHERE department = '江苏省人民检察院' AND fiscal_year = 2019"
                       ).fetchone()[0]
    assert main(["summary", "--doc", doc, "--json", "--db", str(corpus_db)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "预算" and data["income_total"] == 24169.74 and data["expenditure_total"] == 24169.74
    assert data["three_public_total"] == 418.26 and data["basic_total"] == 15844.04


def test_error_findings_on_authentic_documents_are_exactly_the_reviewed_list(ccon):
    with open(ROOT / "tests" / "fixtures" / "expected_findings.csv", encoding="utf-8") as fh:
        expected = sorted((r["source"], r["rule_id"], r["table_code"], r["row_ref"], int(r["page"]))
                          for r in csv.DictReader(fh))
    rows = ccon.execute("SELECT d.source_file, d.source_files, f.rule_id, f.table_code, f.row_ref, f.source_ref "
                        "FROM audit_findings f JOIN documents d USING (doc_id) WHERE f.severity = 'error'").fetchall()
    folders = {p.name: sorted(f.name for f in p.iterdir()) for p in RAW.iterdir() if p.is_dir()}
    found = []
    for source, files, rule_id, table, row, ref in rows:
        folder = next((k for k, v in folders.items() if v == sorted(files)), source)
        found.append((folder, rule_id, table, row, int(ref.rsplit(":", 1)[1])))
    assert sorted(found) == expected


def test_budget_rules_declare_kinds_and_final_rules_are_not_applicable_to_budgets(ccon):
    status = dict(ccon.execute(
        "SELECT c.rule_id, c.status FROM audit_coverage c JOIN documents d USING (doc_id) "
        "WHERE d.department = '上海市普陀区司法局' AND d.scope = '部门'").fetchall())
    assert status["T01-BALANCE"] == "not_applicable" and status["P-SCORE-SUM"] == "not_applicable"
    assert status["B-BALANCE"] == "passed" and status["B-NARRATIVE"] == "passed"
    final = dict(ccon.execute("SELECT c.rule_id, c.status FROM audit_coverage c WHERE doc_id = '2022-final-1c256323b7'"
                              ).fetchall())
    assert final["B-BALANCE"] == "not_applicable"


@pytest.mark.parametrize("line, code", [
    ("公开 04 表：财政拨款收支预算总表", "B04"),
    ("一、2017年度江苏省高级人民法院部门收支预算总表", "B01"),
    ("2026年预算单位财务收支预算总表", "B01"),
    ("十、2018年度江苏省高级人民法院政府性基金预算财政拨款支出预算表", "B10"),
    ("2026年部门“三公”经费和机关运行经费预算表", "B09"),
    ("一、收支预算总表情况说明", None),
])
def test_titles_are_recognised_from_the_layout_data(line, code):
    lay = match_title(line)
    assert (lay.code if lay else None) == code


def test_budget_pages_say_what_a_budget_is_and_show_only_budget_figures(corpus_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("JUESUAN_DB", str(corpus_db))
    con = duckdb.connect(str(corpus_db), read_only=True)
    doc = con.execute("SELECT doc_id FROM documents WHERE department = '江苏省人民检察院' AND fiscal_year = 2019").fetchone()[0]
    con.close()
    seen = {}
    for page in ("pages/overview.py", "pages/spending.py", "pages/projects.py", "pages/sangong.py",
                 "pages/audit.py", "pages/data.py"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        at.query_params["doc"] = doc
        at.run()
        if page != "pages/overview.py":
            at.switch_page(page)
            at.run()
        assert not at.exception, page
        text = " ".join(str(e.value) for e in (*at.info, *at.markdown, *at.caption, *at.title))
        seen[page] = (text, at)
        assert "决算数" not in text and "执行率" not in text.replace("没有执行率", ""), page
    overview, at = seen["pages/overview.py"]
    assert "这是一份**预算**" in overview and "2019 年度部门预算" in overview
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["收入预算"] == "24,169.74" and metrics["“三公”经费预算"] == "418.26"
    assert "绩效自评" in seen["pages/projects.py"][0]
    sangong = seen["pages/sangong.py"][1].dataframe[0].value
    assert "会议费" in list(sangong["item"])
    assert "B-BALANCE" in " ".join(str(d.value) for d in seen["pages/audit.py"][1].dataframe)
    data_page = seen["pages/data.py"][1]
    assert data_page.selectbox(key="table").value == "B01"
    labels = [o for o in data_page.selectbox(key="table").options]
    assert any("收支预算总表" in o for o in labels)


def test_audit_holds_to_the_official_inspection_sheets(ccon):
    """Each point the district's reviewers made on the two 司法局 budgets: found by the audit, or why not."""
    with open(ROOT / "tests" / "fixtures" / "inspection_sheets.csv", encoding="utf-8") as fh:
        points = list(csv.DictReader(fh))
    assert len(points) == 18
    for p in points:
        scope = "单位" if "unit" in p["source"] else "部门"
        messages = [m for (m,) in ccon.execute(
            "SELECT f.message FROM audit_findings f JOIN documents d USING (doc_id) "
            "WHERE d.department = '上海市普陀区司法局' AND d.scope = ? AND f.rule_id = ?", [scope, p["rule_id"]]).fetchall()]
        if p["found"] == "yes":
            assert any(p["match"] in m for m in messages), (p["point"], messages)
        else:
            assert p["found"] == "no" and len(p["reason"]) > 20, p


def test_methodology_documents_every_budget_figure(ccon):
    from core import budget

    text = (ROOT / "docs" / "methodology.md").read_text(encoding="utf-8")
    section = text.split("## `budget_summary`", 1)[1].split("\n## ", 1)[0]
    doc = ccon.execute("SELECT doc_id FROM documents WHERE kind = '预算' LIMIT 1").fetchone()[0]
    missing = [k for k in budget.budget_summary(ccon, doc) if f"`{k}`" not in section]
    for fn in (budget.budget_classes, budget.budget_item_lines, budget.budget_three_public):
        missing += [f"{fn.__name__}.{c}" for c in fn(ccon, doc).columns if f"`{c}`" not in section]
    assert not missing
