"""Every audit rule catches a violation injected into a copy of the seed (one number changed in the text),
naming the right table, row and difference; the unaltered seed has no error."""

from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

from core.audit.docs import render
from core.audit.rules import CATALOGUE
from core.cli import main
from core.pipeline import ingest

CASES = [
    # rule, (old, new) in the seed text, table_code, row_ref, difference (None: not a numeric rule)
    ("T01-BALANCE", ("总计\t4236.39\t总计", "总计\t4236.49\t总计"), "T01", "总计", D("0.10")),
    ("T01-INCOME-SUM", ("八、其他收入\t313.84", "八、其他收入\t313.94"), "T01", "本年收入合计", D("-0.10")),
    ("T01-EXPENDITURE-SUM", ("\t\t九、卫生健康支出\t14.69\n", "\t\t九、卫生健康支出\t15.69\n"), "T01", "本年支出合计", D("-1.01")),
    ("T02-ROW-SUM", ("2010308\t信访事务\t101.48\t101.48", "2010308\t信访事务\t111.48\t101.48"), "T02", "2010308", D("10.00")),
    ("T03-ROW-SUM", ("2040605\t普法宣传\t25.76\t0.00\t25.76\t0.00", "2040605\t普法宣传\t25.76\t0.00\t20.76\t0.00"), "T03", "2040605", D("5.00")),
    ("T05-ROW-SUM", ("2040605\t普法宣传\t25.76\t0.00\t25.76\n", "2040605\t普法宣传\t25.76\t0.00\t24.76\n"), "T05", "2040605", D("1.00")),
    ("T02-HIERARCHY", ("20103\t政府办公厅（室）及相关机构事务\t750.26\t626.42", "20103\t政府办公厅（室）及相关机构事务\t760.26\t626.42"), "T02", "20103", D("10.01")),
    ("T03-HIERARCHY", ("204\t公共安全支出\t3391.24\t991.11\t2400.12", "204\t公共安全支出\t3401.24\t1001.11\t2400.12"), "T03", "204", D("10.00")),
    ("T05-HIERARCHY", ("20499\t其他公共安全支出\t2876.78\t832.99\t2043.79", "20499\t其他公共安全支出\t2886.78\t842.99\t2043.79"), "T05", "20499", D("10.00")),
    ("T04-BALANCE", ("本年收入合计\t3866.92\t本年支出合计", "本年收入合计\t3876.92\t本年支出合计"), "T04", "本年收入合计", D("10.00")),
    ("T06-CLASSES", ("人员经费合计\t\t1513.41", "人员经费合计\t\t1523.41"), "T06", "人员经费合计", D("10.00")),
    ("T07-SUM", ("合计\t1\t0.00", "合计\t1\t5.00"), "T07", "合计", D("5.00")),
    ("X-T01-T02", ("类 款 项\t合 计\t4180.76", "类 款 项\t合 计\t4190.76"), "T01", "本年收入合计", D("-10.00")),
    ("X-T01-T03", ("类 款 项\t合 计\t4074.57\t1564.57", "类 款 项\t合 计\t4084.57\t1574.57"), "T01", "本年支出合计", D("-10.00")),
    ("X-T01-T03-CLASSES", ("八、社会保障和就业支出\t24.58", "八、社会保障和就业支出\t34.58"), "T01", "208", D("10.00")),
    ("X-T02-T04", ("本年收入合计\t3866.92\t本年支出合计", "本年收入合计\t3876.92\t本年支出合计"), "T02", "合计", D("-10.00")),
    ("X-T04-T05", ("四、公共安全支出\t3201.24\t3201.24", "四、公共安全支出\t3211.24\t3211.24"), "T04", "204", D("10.00")),
    ("X-T05-T06", ("合计\t\t3875.32\t1555.32\t2320.00", "合计\t\t3885.32\t1565.32\t2320.00"), "T05", "合计", D("10.01")),
    ("X-T07-T06", ("30217\t公务接待费\t0.00", "30217\t公务接待费\t1.00"), "T07", "公务接待费", D("-1.00")),
    ("X-T08-T04", ("二、政府性基金预算财政拨款\t0.00", "二、政府性基金预算财政拨款\t5.00"), "T08", "合计", None),
    ("X-T09-T04", ("三、国有资本经营预算财政拨款\t0.00", "三、国有资本经营预算财政拨款\t5.00"), "T09", "合计", None),
    ("N-TABLES", ("2022年度收入4180.76万元", "2022年度收入4190.76万元"), "N", "income_total", D("10.00")),
    ("N-YOY-LINES", ("2040304-安全业务支出 26.82 万元", "2040304-安全业务支出 36.82 万元"), "N", "2040304", D("10.00")),
    ("N-YOY-TOTAL", ("较上年决算数增加 12.81 万元", "较上年决算数增加 22.81 万元"), "N", "gpb_change", D("-10.00")),
    ("N-CHANGE-PCT", ("增长67.62%", "增长69.62%"), "N", "income_change_pct", D("2.0007")),
    ("N-NAMED-ITEMS", ("(一) 2010301-行政运行支出", "1、公共安全支出（类）司法（款）普法宣传（项）。主要用于：\n普法。年初预算为31.00万元，"
                                                "支出决算为35.76万元。\n\n(一) 2010301-行政运行支出"),
     "N", "item_actual:公共安全支出/司法/普法宣传", D("10.00")),
    ("N-PERFORMANCE", ("分别是 23 个、1 个", "分别是 22 个、1 个"), "N", "grade_count:优", D("-1")),
    ("N-PROCUREMENT", ("政府采购货物支出17.09万元", "政府采购货物支出27.09万元"), "N", "procurement_total", D("-10.00")),
    ("P-SCORE-SUM", ("总分值、评价总分 (S)\t\t\t\t\t\t95.93", "总分值、评价总分 (S)\t\t\t\t\t\t96.93"), "P", "法律援助工作经费", D("1.00")),
    ("P-GRADE-BAND", ("良（90>S≥80）", "优（S≥90）"), "P", "公共视频“天网”工程后期维护项目（含设备购买）", None),
    ("P-EXECUTION-RATE", ("0. 43\t10\t13. 44\t10", "0. 43\t10\t23. 44\t10"), "P", "一篮子项目经费", D("10.0025")),
    ("P-INDICATOR-WEIGHTS", ("配备 2 名法律顾问\t≥2 个\t\t2\t10\t10", "配备 2 名法律顾问\t≥2 个\t\t2\t10\t12"), "P", "一篮子项目经费", D("2")),
    ("P-REPORT-COUNTS", ("设置绩效目标 8 个，实际完成 7 个，具体情况如下：\n\n(一) 产出指标\n\n1、数量指标\n\n1)开展 4 场普法",
                         "设置绩效目标 8 个，实际完成 8 个，具体情况如下：\n\n(一) 产出指标\n\n1、数量指标\n\n1)开展 4 场普法"),
     "P", "普法、依法治区经费", D("1")),
    ("P-REPORT-AGREES", ("本项目绩效自评得分 96.45 分", "本项目绩效自评得分 97.45 分"), "P", "普法、依法治区经费", D("1.00")),
    ("P-IMPLAUSIBLE", ("小区居民满意度 90%\t≥90%\t90", "小区居民满意度 90%\t≥90%\t900"), "P", "一篮子项目经费", None),
    ("P-STANDARD-EXECUTION", ("2.00\t2.00\t2.00\t10\t100.00\t10", "2.00\t2.00\t2.00\t10\t100.00\t8"), "P", "人民防线工作经费", D("-2.00")),
    ("D-TABLES", ("公开 09 表", "表九"), "D", "T09", None),
    ("D-PLACEHOLDER", ("中共福建省委泉州台商投资区工作委员会社会治理办公室", "上海市XX局", -1), "D", "部门", None),
    ("D-TITLES", ("\n收入支出决算总表\n\n公开 01 表", "\n收入支出决算总…表\n\n公开 01 表"), "D", "T01", None),
    # the seed's own 一篮子 project: its cost indicator says 3.2 万元 was spent, the project executed 0.43
    ("P-COST-CLAIM", None, "P", "一篮子项目经费", D("2.77")),
    ("D-ROWS", ("2040607\t公共法律服务\t60.80\t0.00\t60.80\n",
                "2040607\t公共法律服务\t60.80\t0.00\t60.80\n2040607\t公共法律服务\t60.80\t0.00\t60.80\n"),
     "T05", "2040607", None),
    ("D-ANNOUNCED", ("\n第五部分 附件\n", "\n附件\n"), "D", "五", None),
    ("D-YEAR", ("\n第三部分 2022 年度部门决算情况说明\n", "\n第三部分 2023 年度部门决算情况说明\n"), "D", "年度", D("1")),
]


def test_every_rule_has_a_case():
    assert sorted(c[0] for c in CASES) == sorted(r.id for r in CATALOGUE if "决算" in r.kinds)


@pytest.mark.parametrize("rule_id,change,table,row,difference", CASES, ids=[c[0] for c in CASES])
def test_injected_violation_is_found(rule_id, change, table, row, difference, variant, tmp_path, seed_db):
    if change is None:
        db = seed_db
    else:
        old, new, *count = change
        path = variant((old, new, *count))
        db = tmp_path / "audit.duckdb"
        result = ingest([path], db, allow_incomplete=True)
        assert result.loaded, result.problems
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT severity, table_code, row_ref, difference, message FROM audit_findings WHERE rule_id = ?",
                       [rule_id]).fetchall()
    status = con.execute("SELECT status FROM audit_coverage WHERE rule_id = ?", [rule_id]).fetchone()[0]
    con.close()
    severity = next(r.severity for r in CATALOGUE if r.id == rule_id)
    hits = [r for r in rows if r[0] == severity and r[1] == table and r[2] == row]
    assert hits, f"{rule_id}: no {severity} finding at {table}:{row}; got {rows}"
    if difference is not None:
        assert difference in [r[3] for r in hits], [r[3] for r in hits]
    assert status == "failed"


def test_seed_has_no_error_and_known_warnings(con):
    rows = con.execute("SELECT rule_id, severity, count(*) FROM audit_findings GROUP BY ALL ORDER BY ALL").fetchall()
    assert all(r[1] != "error" for r in rows)
    warnings = {r[0]: r[2] for r in rows if r[1] == "warning"}
    assert warnings == {"P-IMPLAUSIBLE": 2, "P-STANDARD-EXECUTION": 16, "P-COST-CLAIM": 13}
    infos = sum(r[2] for r in rows if r[1] == "info")
    assert infos == 18
    # a fiscal-row 执行率 of 41.13 for 0.82 / 2.00 passes (the issue's own example)
    assert con.execute("SELECT count(*) FROM audit_findings WHERE rule_id = 'P-EXECUTION-RATE'").fetchone() == (0,)


def test_seed_coverage(con):
    status = dict(con.execute("SELECT rule_id, status FROM audit_coverage").fetchall())
    assert len(status) == len(CATALOGUE)
    assert {k for k, v in status.items() if v == "failed"} == {"P-IMPLAUSIBLE", "P-STANDARD-EXECUTION", "P-COST-CLAIM"}
    # the seed names its 科目 by code, so the rule for 科目 named by path has nothing to check
    assert status["N-NAMED-ITEMS"] == "not_determinable"
    assert all(v == "passed" for k, v in status.items()
               if k not in ("P-IMPLAUSIBLE", "P-STANDARD-EXECUTION", "P-COST-CLAIM", "N-NAMED-ITEMS")
               and not k.startswith("B-"))
    assert all(v == "not_applicable" for k, v in status.items() if k.startswith("B-"))


def test_rounding_is_info_not_error(con):
    row = con.execute("SELECT severity, expected, actual, difference FROM audit_findings "
                      "WHERE rule_id = 'X-T05-T06'").fetchone()
    assert row == ("info", D("1555.31"), D("1555.32"), D("0.01"))


def test_audit_command_exit_status(seed_db, tmp_path, variant, capsys):
    assert main(["audit", "--db", str(seed_db)]) == 0
    out = capsys.readouterr().out
    assert out.strip().endswith("0 error, 31 warning, 18 info")
    bad = variant(("八、其他收入\t313.84", "八、其他收入\t313.94"))
    db = tmp_path / "bad.duckdb"
    ingest([bad], db)
    assert main(["audit", "--db", str(db), "--format", "json"]) == 1
    import json

    data = json.loads(capsys.readouterr().out)
    assert any(f["rule_id"] == "T01-INCOME-SUM" and f["severity"] == "error" for f in data["findings"])
    assert main(["audit", "--db", str(tmp_path / "missing.duckdb")]) == 2


def test_rules_doc_is_generated_from_the_code():
    doc = Path(__file__).resolve().parents[1] / "docs" / "audit-rules.md"
    assert doc.read_text(encoding="utf-8") == render(), "regenerate: python -m core.audit.docs > docs/audit-rules.md"
