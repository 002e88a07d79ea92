"""Recognition cases of the budget reader, each on a real corpus page in data/raw (two constructed, labelled so)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from core.ingest.budget_report import BudgetFile, _identity, open_budget_file, read_budget
from core.ingest.pdf_lines import PdfLine, Word

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"


@pytest.fixture(scope="module")
def files():
    names = {
        "court2017": "js-high-court-2017-dept-budget/省法院2017年度部门预算公开.pdf",
        "court2018": "js-high-court-2018-dept-budget/省法院2018年度部门预算公开.pdf",
        "proc2018": "js-procuratorate-2018-dept-budget/2018年省检察院部门预算公开.pdf",
        "proc2019": "js-procuratorate-2019-dept-budget/2019年度部门预算公开.pdf",
        "cppcc_text": "js-cppcc-office-2019-dept-budget/江苏省政协办公厅2019年度部门预算.pdf",
        "cppcc_tables": "js-cppcc-office-2019-dept-budget/江苏省政协办公厅2019年预算公开表.pdf",
    }
    return {k: open_budget_file(RAW / v) for k, v in names.items()}


def test_cover_with_the_year_first(files):
    f = files["court2017"]  # 2017 年度江苏省高级人民法院部门预算公开, and no 部门： label on its tables
    assert (f.department, f.department_source, f.year) == ("江苏省高级人民法院", "cover", 2017)


def test_cover_without_部门_and_a_name_broken_over_lines(files):
    f = files["court2018"]  # `2018 年度江苏省高级` / `人民法院预算公开`
    assert (f.department, f.department_source, f.year) == ("江苏省高级人民法院", "cover", 2018)


def test_年_without_度_and_spaced_公开_codes(files):
    f = files["proc2018"]  # cover `2018年部门预算`; titles `公开 01 表：收支预算总表`
    assert f.year == 2018 and f.department == "江苏省人民检察院"
    assert [r.layout.code for r in f.regions][:4] == ["B01", "B02", "B03", "B04"]
    assert f.regions[0].title.startswith("公开 01 表")


def test_narrative_cover_without_a_text_layer_takes_the_file_name(files):
    f = files["cppcc_text"]
    assert f.lines[0] == [] or all(not ln.folded.startswith("江苏") for ln in f.lines[0])
    assert (f.department, f.department_source, f.year) == ("江苏省政协办公厅", "file name", 2019)
    assert not f.regions and f.parts == {"narrative"}


def test_部门名称_and_部门_labels_both_name_the_body(files):
    labels = {ln.folded.split("：")[0].split(":")[0] for page in files["proc2019"].lines for ln in page
              if ln.folded.startswith(("部门名称", "部门：", "部门:"))}
    assert labels == {"部门名称", "部门"}
    assert files["proc2019"].department_source == "table label"


def test_several_small_tables_on_one_page_and_separators_in_one_table_only(files):
    regions = {r.layout.code: r for r in files["proc2019"].regions}
    assert regions["B02"].ref == regions["B03"].ref == "page:15"  # 公开02表, 03表 and the title of 04表 share p15
    doc = read_budget([RAW / "js-procuratorate-2019-dept-budget" / "2019年度部门预算公开.pdf"])
    b01 = {i.row_label: i.amount for i in doc.line_items if i.table_code == "B01" and i.side == "收入"}
    b02 = {i.row_label: i.amount for i in doc.line_items if i.table_code == "B02"}
    assert b01["收入合计"] == Decimal("24169.74")  # printed 24,169.74
    assert b02["收入总计"] == Decimal("24169.74")  # printed 24169.74
    assert b01["当年收入小计"] == Decimal("24169.74")  # 总计 / 合计 / 小计 wording


def test_landscape_pages_and_a_title_printed_after_its_table_body(files):
    f = files["cppcc_tables"]
    assert f.texts and all(r.layout for r in f.regions)
    doc = read_budget([RAW / "js-cppcc-office-2019-dept-budget" / "江苏省政协办公厅2019年预算公开表.pdf",
                       RAW / "js-cppcc-office-2019-dept-budget" / "江苏省政协办公厅2019年度部门预算.pdf"])
    b03 = {i.column_label: i.amount for i in doc.line_items if i.table_code == "B03"}
    assert b03["合计"] == Decimal("13377.11") and b03["项目支出"] == Decimal("4968.34")


def test_yuan_tables_beside_wan_yuan_tables():
    doc = read_budget([RAW / "sh-putuo-justice-bureau-2026-dept-budget" / "dept_budget.pdf"])
    assert {c: t.unit for c, t in doc.tables.items()}["B01"] == "元"
    assert doc.tables["B09"].unit == "万元"
    assert "精确换算" in "".join(doc.tables["B01"].notes)


def _constructed(lines: list[str], name="constructed.pdf") -> BudgetFile:
    """CONSTRUCTED fixture, not from the corpus: a cover given as printed lines."""
    page = [PdfLine(1, 100 + 20 * i, [Word(t, 100, 300, 100 + 20 * i)], name) for i, t in enumerate(lines)]
    f = BudgetFile(Path(name), b"", ["\n".join(lines)], [page])
    _identity(f)
    return f


def test_constructed_department_name_split_across_lines():
    f = _constructed(["江苏省人民代表大会常务委员", "会办公厅", "2019年度部门预算"])
    assert (f.department, f.year, f.scope) == ("江苏省人民代表大会常务委员会办公厅", 2019, "部门")


def test_constructed_部门_预算_broken_across_lines():
    f = _constructed(["2019年度江苏省人民检察院部门", "预算公开"])
    assert (f.department, f.year) == ("江苏省人民检察院", 2019)
    f = _constructed(["上海市普陀区2026年区级单位", "预算", "预算单位：上海市普陀区司法局"])
    assert (f.department, f.scope) == ("上海市普陀区司法局", "单位")


def test_a_total_printed_a_little_above_its_figure_keeps_both():
    doc = read_budget([RAW / "js-procuratorate-2019-dept-budget" / "2019年度部门预算公开.pdf"])
    b12 = [(i.row_label, i.column_label, i.amount) for i in doc.line_items if i.table_code == "B12" and i.code is None]
    assert b12 == [("合计", "机关运行经费支出", Decimal("2391.92"))]
