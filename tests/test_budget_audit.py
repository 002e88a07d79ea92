"""Every 预算 rule finds one changed number in a copy of a real budget, at the right table and row."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from core.audit.engine import store_audit
from core.audit.rules import CATALOGUE
from core.db.store import write_documents
from core.ingest.budget_report import read_budget

RAW = Path(__file__).resolve().parents[1] / "data" / "raw"
ONE = Decimal(1)


@pytest.fixture(scope="module")
def budgets():
    return {
        "js": read_budget(sorted((RAW / "js-procuratorate-2019-dept-budget").glob("*.pdf"))),
        "sh": read_budget([RAW / "sh-putuo-justice-bureau-2026-dept-budget" / "dept_budget.pdf"]),
    }


def _item(doc, table, label, side=None):
    return next(i for i in doc.line_items if i.table_code == table and i.row_label == label
                and (side is None or i.side == side))


def _row(doc, table, code):
    return next(r for r in doc.classified if r.table_code == table and r.code == code)


def _bump_item(table, label, side=None):
    def change(doc):
        _item(doc, table, label, side).amount += ONE
    return change


def _bump_row(table, code, key):
    def change(doc):
        _row(doc, table, code).values[key] += ONE
    return change


def _bump_figure(key):
    def change(doc):
        next(f for f in doc.narrative if f.key == key).value += ONE
    return change


def _bump_pct(code):
    def change(doc):
        next(y for y in doc.yoy if y.code == code).change_pct += Decimal(5)
    return change


def _double_stop(doc):
    doc.source_text = doc.source_text.replace("。", "。。", 1)


CASES = [
    ("B-BALANCE", "js", _bump_item("B01", "支出合计", "支出"), "B01", "收入合计"),
    ("B-ROW-SUMS", "js", _bump_item("B01", "四、公共安全支出", "支出"), "B01", "当年支出小计"),
    ("B-HIERARCHY", "js", _bump_row("B07", "2040401", "total"), "B07", "20404"),
    ("B-CROSS", "js", _bump_item("B05", "合计"), "B05", "合计"),
    ("B-NARRATIVE", "js", _bump_figure("income_total"), "B01", "收入合计"),
    ("B-ROW-COLUMNS", "sh", _bump_row("B03", "2040601", "basic"), "B03", "2040601"),
    ("B-ITEMS", "sh", _bump_pct("2040601"), "N", "2040601"),
    ("B-TEXT", "js", _double_stop, "N", "文字"),
]


def test_every_budget_rule_has_a_case():
    assert sorted(c[0] for c in CASES) == sorted(r.id for r in CATALOGUE if "预算" in r.kinds and r.id.startswith("B-"))


def _findings(doc, db: Path) -> set[tuple]:
    write_documents(db, [doc], after_insert=lambda con, d: store_audit(con, d.doc_id))
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT rule_id, severity, table_code, row_ref FROM audit_findings").fetchall()
    con.close()
    return set(rows)


@pytest.mark.parametrize("rule_id,which,change,table,row", CASES, ids=[c[0] for c in CASES])
def test_injected_budget_violation_is_found(rule_id, which, change, table, row, budgets, tmp_path):
    severity = next(r.severity for r in CATALOGUE if r.id == rule_id)
    before = _findings(budgets[which], tmp_path / "before.duckdb")
    assert (rule_id, severity, table, row) not in before
    changed = copy.deepcopy(budgets[which])
    change(changed)
    after = _findings(changed, tmp_path / "after.duckdb")
    assert (rule_id, severity, table, row) in after, sorted(f for f in after if f[0] == rule_id)


def _pct_findings(doc, db: Path, code: str) -> set[str]:
    write_documents(db, [doc], after_insert=lambda con, d: store_audit(con, d.doc_id))
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT severity, message FROM audit_findings WHERE rule_id = 'B-ITEMS' AND row_ref = ? "
                       "AND message LIKE '%增减%'", [code]).fetchall()
    con.close()
    return {sev + (" truncated" if "截去尾数" in msg else "") for sev, msg in rows}


def test_truncated_percentage_is_a_rounding_note(budgets, tmp_path):
    """A percentage cut off instead of rounded (95.4572% printed as 95.45%) is an info note, not an error."""
    doc = copy.deepcopy(budgets["sh"])
    line = next(y for y in doc.yoy if y.code == "2040604")  # 2170.39 万元 this year
    line.prior = Decimal("2148.94")  # +0.99816%: rounded 1.00, truncated 0.99
    line.change_pct = Decimal("1.00")
    assert _pct_findings(doc, tmp_path / "a.duckdb", "2040604") == set()
    line.change_pct = Decimal("0.99")
    assert _pct_findings(doc, tmp_path / "b.duckdb", "2040604") == {"info truncated"}
    line.change_pct = Decimal("0.98")
    assert _pct_findings(doc, tmp_path / "c.duckdb", "2040604") == {"error"}
