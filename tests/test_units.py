"""A table printed in 元 is converted to 万元 exactly, and the conversion is recorded."""

import re
from decimal import Decimal as D

import duckdb
import pytest

from core.ingest.model import RawRow, RawTable
from core.ingest.tables import interpret
from core.pipeline import ingest


def in_yuan(text: str) -> str:
    """The seed with 公开05表 printed in 元: its unit label changed and every amount × 10000."""
    start = text.index("公开 05 表")
    end = text.index("注：", start)
    section = text[start:end].replace("单位：万元", "单位：元")
    section = re.sub(r"(?<![\d.])(\d+\.\d\d)(?![\d])", lambda m: f"{D(m.group(1)) * 10000:.2f}", section)
    return text[:start] + section + text[end:]


def test_yuan_table_converts_exactly(tmp_path, seed_text, seed_db):
    path = tmp_path / "yuan.txt"
    path.write_text(in_yuan(seed_text), encoding="utf-8")
    assert "38753200.00" in path.read_text(encoding="utf-8")
    db = tmp_path / "yuan.duckdb"
    assert ingest([path], db).loaded
    con = duckdb.connect(str(db), read_only=True)
    ref = duckdb.connect(str(seed_db), read_only=True)
    query = "SELECT code, total, basic, project FROM gpb_expenditure_by_function ORDER BY code"
    assert con.execute(query).fetchall() == ref.execute(query).fetchall()
    unit, notes = con.execute("SELECT unit, notes FROM published_tables WHERE table_code = 'T05'").fetchone()
    assert unit == "元" and "精确换算为万元" in notes
    assert con.execute("SELECT money_unit FROM documents").fetchone() == ("万元",)
    # a table printed in 元 is checked at 元 precision: the seed's 0.01 万元 rounding gaps are 100 元 here
    errors = con.execute("SELECT DISTINCT rule_id, difference FROM audit_findings WHERE severity = 'error'").fetchall()
    assert {r[0] for r in errors} == {"T05-ROW-SUM", "T05-HIERARCHY"}
    assert {abs(r[1]) for r in errors} == {D("0.01")}
    # comparing it with tables printed in 万元 keeps the coarser 万元 rounding
    assert con.execute("SELECT severity FROM audit_findings WHERE rule_id = 'X-T05-T06'").fetchone() == ("info",)


def test_six_decimal_places_are_kept():
    table = RawTable("T09", "国有资本经营预算财政拨款支出决算表", "元", "line:1",
                     rows=[RawRow(["合计", "", "1234.56", "1234.56", "0.01"], "line:2")], unit_factor=D("0.0001"))
    items, _, problems = interpret(table)
    assert not problems
    assert [i.amount for i in items] == [D("0.123456"), D("0.123456"), D("0.000001")]


def test_unknown_unit_is_rejected(tmp_path, variant, capsys):
    from core.cli import main

    bad = variant(("单位：万元\n\n项 目\t\t本年支出\t\t\n功能分 类科目", "单位：亿元\n\n项 目\t\t本年支出\t\t\n功能分 类科目"))
    assert main(["ingest", str(bad), "--db", str(tmp_path / "u.duckdb")]) == 2
    assert "expected the unit 万元 or 元 for 公开05表; found '亿元'" in capsys.readouterr().err


def test_downloads_read_like_the_screen():
    import io

    import pandas as pd

    from core.export import Cover, labelled, to_csv_bytes, to_xlsx_bytes

    cover = Cover("上海市普陀区财政局", 2024, "决算", "部门", "三公经费", "https://example.gov.cn/a.pdf")
    df = pd.DataFrame({"item": ["合计"], "actual": [D("12.30")], "low": [True], "note": ["=cmd"]})
    shown = labelled(df, {"item": "项目", "actual": "决算数（万元）", "low": "执行率低于60%"})
    assert list(shown.columns) == ["项目", "决算数（万元）", "执行率低于60%"]
    text = to_csv_bytes(shown, cover).decode("utf-8-sig")
    head, table = text.split("\n\n", 1)
    assert "部门,上海市普陀区财政局" in head and "年度,2024 年" in head and "金额单位,万元" in head
    assert "来源,https://example.gov.cn/a.pdf" in head
    assert table.splitlines() == ["项目,决算数（万元）,执行率低于60%", "合计,12.30,是"]
    assert cover.file_name("csv") == "上海市普陀区财政局-2024年部门决算-三公经费.csv"
    book = pd.read_excel(io.BytesIO(to_xlsx_bytes(labelled(df, None), "三公经费", cover)), sheet_name=None)
    assert list(book) == ["说明", "三公经费"]
    assert book["说明"].iloc[0].tolist() == ["部门", "上海市普陀区财政局"]
    assert book["三公经费"]["low"].tolist() == ["是"] and book["三公经费"]["note"].tolist() == ["'=cmd"]


def test_file_names_never_carry_path_characters():
    from core.export import Cover, clean_sheet

    assert Cover("a/b\\c", 2020, "预算", "单位", "x:y*z?").file_name("xlsx") == "a_b_c-2020年单位预算-x_y_z.xlsx"
    assert clean_sheet("[2040607]:项目/*") == "_2040607__项目__"


@pytest.mark.parametrize("expected, actual, difference, size", [
    (D("2961.68"), D("0.30"), D("-2961.38"), "大"),
    (D("71.6539"), D("71.73"), D("0.0761"), "小"),
    (D("24.00"), D("22.22"), D("-1.78"), "中"),
    (None, D("20"), None, "—"),
    (D("0"), D("0"), D("0"), "小"),
])
def test_gap_size_weighs_a_finding(expected, actual, difference, size):
    from core.audit.report import gap_size

    assert gap_size(expected, actual, difference) == size
