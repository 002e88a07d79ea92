"""core figures against the seed's own published numbers; Decimal end to end."""

import dataclasses
import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from core import figures as F
from core.grades import grade_for, standard_execution_score
from tests.conftest import SEED_DOC

DOC = SEED_DOC


def test_summary_keys_and_values(con):
    s = F.summary(con, DOC)
    assert s["income_total"] == D("4180.76")
    assert s["expenditure_total"] == D("4074.57")
    assert (s["basic_total"], s["project_total"]) == (D("1564.57"), D("2510.00"))
    assert s["gpb_expenditure_total"] == D("3875.32")
    assert (s["personnel_total"], s["public_total"]) == (D("1513.41"), D("41.90"))
    assert s["three_public_total"] == D("0.00")
    assert s["yoy_total_change"] == D("1024.83")
    p = s["projects"]
    assert (p["count"], p["budget"], p["executed"]) == (24, D("2605.10"), D("2104.33"))
    assert p["grades"] == {"优": 23, "良": 1, "中": 0, "差": 0}
    assert p["execution_rate"] == D("80.78")


def walk_decimals(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from walk_decimals(v)
    elif not isinstance(value, (str, int, type(None))):
        yield value


def test_money_is_decimal_never_float(con):
    assert all(isinstance(v, D) for v in walk_decimals(F.summary(con, DOC)))
    for df in (F.projects(con, DOC), F.expenditure_by_function(con, DOC), F.yoy_table(con, DOC), F.three_public(con, DOC)):
        for col in df.columns:
            assert not any(isinstance(v, float) for v in df[col]), col


def test_income_by_source(con):
    df = F.income_by_source(con, DOC).set_index("source")
    assert df.loc["财政拨款收入", "amount"] == D("3866.92")
    assert df.loc["其他收入", "amount"] == D("313.84")
    assert df.loc["财政拨款收入", "share_pct"] == D("92.49")
    split = F.fiscal_split(con, DOC)
    assert (split.fiscal, split.non_fiscal, split.fiscal_share_pct) == (D("3866.92"), D("313.84"), D("92.49"))


def test_expenditure_levels_and_shares(con):
    classes = F.expenditure_by_function(con, DOC).set_index("code")
    assert list(classes.index) == ["201", "204", "208", "210"]
    assert classes.loc["204", "total"] == D("3391.24")
    assert classes.loc["204", "share_pct"] == D("83.23")
    items = F.expenditure_by_function(con, DOC, "gpb", "20406").set_index("code")
    assert items.loc["2040605", ["total", "basic", "project"]].tolist() == [D("25.76"), D("0.00"), D("25.76")]
    assert not items.loc["2040605", "has_children"]
    totals = F.function_totals(con, DOC, "gpb")
    assert (totals.total, totals.basic, totals.project) == (D("3875.32"), D("1555.32"), D("2320.00"))


def test_economic_rollup(con):
    totals = F.economic_totals(con, DOC)
    assert (totals.personnel, totals.public, totals.total) == (D("1513.41"), D("41.90"), D("1555.31"))
    classes = F.economic_rollup(con, DOC).set_index("code")
    assert classes.loc["301", "category"] == "人员经费"
    assert classes.loc["302", "amount"] == D("41.90")
    items = F.economic_rollup(con, DOC, parent="303")
    assert items["amount"].sum() == D("16.59")


def test_yoy_prior_and_extremes(con):
    df = F.yoy_table(con, DOC).set_index("code")
    assert df.loc["2040605", "prior"] == D("122.15")  # 25.76 − (−96.39)
    assert df.loc["2040299", "only_last_year"]
    assert sum(df["change"]) == D("1024.83")
    up, down = F.largest_changes(con, DOC, 3)
    assert up["code"].tolist() == ["2049999", "2010308", "2010350"]
    assert down["code"].tolist() == ["2040299", "2040605", "2120199"]
    changes = F.document_changes(con, DOC).set_index("measure")
    assert changes.loc["收入", ["current", "change", "prior", "change_pct"]].tolist() == [
        D("4180.76"), D("1686.56"), D("2494.20"), D("67.62")]
    assert changes.loc["一般公共预算财政拨款支出", "change_pct"] == D("35.95")


def test_project_execution(con):
    df = F.projects(con, DOC).set_index("name")
    sky = df.loc["公共视频“天网”工程后期维护项目（含设备购买）"]
    assert (sky["budget"], sky["executed"], sky["unspent"], sky["execution_rate"]) == (
        D("394.60"), D("47.93"), D("346.67"), D("12.15"))
    assert sky["low_execution"]
    assert (sky["score"], sky["grade"], sky["recomputed_score"], sky["recomputed_grade"]) == (D("80.00"), "良", D("80.00"), "良")
    assert (sky["standard_execution_score"], sky["standard_score"], sky["standard_grade"]) == (D("1.21"), D("81.21"), "良")
    basket = df.loc["一篮子项目经费"]
    assert (basket["execution_score"], basket["standard_execution_score"]) == (D("10.00"), D("1.34"))
    low = df[df["low_execution"]].index.tolist()
    assert len(low) == 7 and "社会管理救助基金" in low
    strict = F.projects(con, DOC, low_threshold=D(30))
    assert strict["low_execution"].sum() == 3


def test_grades_and_bands():
    assert [grade_for(D(x)) for x in ("90", "89.99", "80", "79.99", "60", "59.99")] == ["优", "良", "良", "中", "中", "差"]
    assert standard_execution_score(D(10), D("120")) == D("10.00")
    assert standard_execution_score(D(10), D("12.15")) == D("1.22")


def test_grade_distribution(con):
    df = F.grade_distribution(con, DOC).set_index("grade")
    assert df.loc["优"].tolist() == [23, 23, 23]
    assert df.loc["良"].tolist() == [1, 1, 1]


@pytest.mark.parametrize("target,actual,status", [
    ("≥2 个", "2", "达成"), ("≥800 件", "2584", "达成"), ("≥180 篇", "175", "未达成"),
    ("≤394.6 万元", "298", "达成"), ("=1 年", "1", "达成"), ("<0 人", "-1", "无法判断"),
    ("≥90 百分比", "99.74", "达成"), ("≥90%", "98. 42", "达成"), ("≥4 次", "0", "未达成"), ("好", "好", "无法判断"),
])
def test_indicator_status(target, actual, status):
    assert F.indicator_status(target, actual) == status


def test_indicator_parsing(con):
    df = F.indicators(con, DOC, "P13")
    row = df[df["name"] == "每年至少开展 4 次验收"].iloc[0]
    assert (row["operator"], row["target_value"], row["target_unit"], row["status"]) == (">=", D(4), "次", "未达成")
    assert F.parse_target("≥100 百分比") == (">=", D(100), "%")
    assert len(F.indicators(con, DOC)) == 195


def test_three_public_and_counts(con):
    df = F.three_public(con, DOC).set_index("item")
    assert df.loc["合计", "actual"] == D("0.00") and df.loc["合计", "budget"] is None
    assert df.loc["公务用车购置及运行维护费", "change"] == D("0.00")
    counts = F.three_public_counts(con, DOC)
    assert counts.vehicles_held == 0 and counts.reception_persons == 0
    assert F.admin_cost(con, DOC) == F.AdminCost(D("36.52"), D("-50.96"))


def test_procurement(con):
    p = F.procurement(con, DOC)
    assert (p.total, p.goods, p.works, p.services) == (D("252.22"), D("17.09"), D("0.00"), D("235.13"))
    assert p.parts_sum == p.total
    assert (p.sme, p.sme_pct, p.sme_pct_recomputed) == (D("65.32"), D("25.90"), D("25.90"))
    assert (p.goods_sme_pct, p.services_sme_pct) == (D("48.80"), D("24.23"))
    a = F.assets(con, DOC)
    assert a.vehicles_total == 0 and a.equipment_over_1m == 0 and len(a.vehicles_by_type) == 8


def test_every_project_has_a_confirmed_mapping(con):
    df = F.projects(con, DOC)
    assert df["code"].notna().all()
    assert all(note for note in df["mapping_note"])
    assert df.set_index("name").loc["普法、依法治区经费", "code"] == "2040605"


def test_mapped_projects_never_exceed_their_item(con):
    cov = F.function_coverage(con, DOC).set_index("code")
    assert (cov["remainder"] >= 0).all()
    assert cov.loc["2040607", ["project_expenditure", "covered", "remainder"]].tolist() == [D("60.80"), D("60.80"), D("0.00")]
    assert sum(cov["covered"]) == D("2104.33")


def test_mapping_proposer_finds_exact_sums(con):
    from core.mapping import propose_mappings
    from core.query import frame

    projects = frame(con, "SELECT project_id, name, executed FROM projects")
    items = frame(con, "SELECT code, name, project FROM gpb_expenditure_by_function WHERE level = 3")
    proposal = propose_mappings(projects, items).set_index("project_name")
    assert proposal.loc[["一篮子项目经费", "法律援助工作经费", "一村一法律顾问"], "code"].tolist() == ["2040607"] * 3
    assert proposal.loc["普法、依法治区经费", "code"] == "2040605"
    assert "恰好相等" in proposal.loc["法律援助工作经费", "note"]


def test_filters_and_search(con):
    df = F.projects(con, DOC)
    assert len(F.select_projects(df, grades=["良"])) == 1
    assert len(F.select_projects(df, code_prefix="20406")) == 8
    assert len(F.select_projects(df, rate_max=50)) == 7
    ids = F.search_projects(con, DOC, "法律援助")
    assert "P02" in ids and len(F.select_projects(df, ids=ids)) == len(ids)


METHODOLOGY = Path(__file__).resolve().parents[1] / "docs" / "methodology.md"


def exposed_fields():
    from core import collection, listing, reconcile, review, search

    modules = (F, reconcile, review, listing, collection, search)
    for name, obj in [(n, getattr(m, n)) for m in modules for n in dir(m)]:
        if name.endswith("_COLUMNS") and isinstance(obj, list):
            yield name, obj
        elif dataclasses.is_dataclass(obj) and isinstance(obj, type):
            yield name, [f.name for f in dataclasses.fields(obj)]


def test_every_exposed_figure_is_documented(con):
    text = METHODOLOGY.read_text(encoding="utf-8")
    sections = re.split(r"\n(?=#{2,3} )", text)
    missing = []
    for owner, fields in exposed_fields():
        section = next((s for s in sections if owner in s.splitlines()[0]), None)
        if section is None:
            missing.append(owner)
            continue
        missing += [f"{owner}.{f}" for f in fields if f"`{f}`" not in section]
    summary_section = next(s for s in sections if s.startswith("## `summary`"))
    keys = list(F.summary(con, DOC)) + list(F.summary(con, DOC)["projects"])
    missing += [f"summary.{k}" for k in keys if f"`{k}`" not in summary_section and f"`{k}`" not in text]
    assert not missing, f"not documented in docs/methodology.md: {missing}"


def test_two_scopes_of_one_figure_side_by_side(con):
    from core.reconcile import project_money, scope_gap

    gap = scope_gap(con, DOC, "2049999")
    assert (gap.all_funds, gap.general_budget, gap.difference) == (D("2233.79"), D("2043.79"), D("190.00"))
    assert gap.differs and gap.name == "其他公共安全支出"
    assert not scope_gap(con, DOC, "2040607").differs
    whole = scope_gap(con, DOC)
    assert (whole.all_funds, whole.general_budget) == (D("2510.00"), D("2320.00"))
    pm = project_money(con, DOC)
    assert (pm.table_all_funds, pm.table_general_budget, pm.evaluated_executed, pm.not_evaluated) == (
        D("2510.00"), D("2320.00"), D("2104.33"), D("215.67"))
    assert pm.evaluated_count == 24 and pm.evaluated_budget == D("2605.10")


def test_a_handle_reads_a_documents_shared_rows_once_and_hands_out_copies(seed_db, con):
    """The app's handle remembers a document's projects, 合计 rows and narrative figures (several figures of one page
    start from them); the figures are the same as from a bare connection, and a caller's change stays its own."""
    from core.db.connect import open_readonly

    handle = open_readonly(seed_db)
    try:
        cur = handle.cursor()
        before = handle.statements[0]
        first = F.summary(cur, SEED_DOC)
        used = handle.statements[0] - before
        again = F.summary(cur, SEED_DOC)
        assert handle.statements[0] - before - used < used  # the second summary re-reads only what is not shared
        assert first == again == F.summary(con, SEED_DOC)
        assert first["expenditure_total"] == D("4074.57")
        mine = F.projects(cur, SEED_DOC)
        mine.loc[0, "name"] = "changed"
        assert F.projects(cur, SEED_DOC).loc[0, "name"] != "changed"
        assert F.projects(cur, SEED_DOC).equals(F.projects(con, SEED_DOC))
        handle.memo.clear()
        before = handle.statements[0]
        F.projects(cur, SEED_DOC)
        assert handle.statements[0] == before + 1
    finally:
        handle.con.close()
