"""A table printed in 元 is converted to 万元 exactly, and the conversion is recorded."""

import re
from decimal import Decimal as D

import duckdb

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
