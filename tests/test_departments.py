"""Department identity across years and spellings (data/departments.csv), and the views that follow a body.

The corpus prints each body's name the same way every year, so the rename rules are tested on constructed names and
on a labelled constructed variant of the seed (its name spelled 中国共产党…, its year moved to 2023)."""

import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

from core.departments import normalise, resolve, suggestion
from core.pipeline import ingest
from tests.conftest import SEED

ROOT = Path(__file__).resolve().parents[1]
SEED_NAME = "中共福建省委泉州台商投资区工作委员会社会治理办公室"


@pytest.mark.parametrize("printed, department_id", [
    (SEED_NAME, "fj-quanzhou-taishang-social-governance"),
    ("中国共产党福建省委泉州台商投资区工作委员会社会治理办公室", "fj-quanzhou-taishang-social-governance"),
    ("2019年江苏省人民检察院", "js-procuratorate"),
    ("2019年度江苏省人民检察院", "js-procuratorate"),
    ("省高级人民法院", "js-high-court"),
    ("江苏省政协办公厅", "js-cppcc-office"),
    ("上海市普陀区人民政府万里街道办事处", "sh-putuo-wanli-subdistrict"),
])
def test_printed_names_of_one_body_resolve_to_one_id(printed, department_id):
    assert resolve(printed).department_id == department_id


def test_standing_committee_spellings_are_one_name():
    assert normalise("江苏省人大常委会办公厅") == normalise("江苏省人民代表大会常务委员会办公厅") == normalise("江苏省人大办公厅")


def test_a_name_that_cannot_be_placed_gets_a_suggestion_not_a_guess():
    assert resolve("北京市海淀区教育委员会") is None
    assert resolve("省教育厅") is None  # no province the file knows has an 教育厅
    s = suggestion("北京市海淀区教育委员会")
    assert s["region"] == "北京市/海淀区" and s["department_id"].startswith("dept-")


@pytest.fixture(scope="module")
def renamed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("departments")
    text = SEED.read_text(encoding="utf-8").replace("2022", "2023").replace("2021", "2022")
    variant = tmp / "renamed-2023.txt"
    variant.write_text(text.replace(SEED_NAME, "中国共产党福建省委泉州台商投资区工作委员会社会治理办公室"), encoding="utf-8")
    unknown = tmp / "unknown.txt"
    unknown.write_text(SEED.read_text(encoding="utf-8").replace(SEED_NAME, "北京市海淀区教育委员会"), encoding="utf-8")
    db = tmp / "d.duckdb"
    result = ingest([SEED, variant, unknown], db)
    assert len(result.loaded) == 3, result.problems
    return db, result


def test_department_years_follow_a_renamed_body(renamed):
    db, result = renamed
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT fiscal_year, printed_name, expenditure_total, basic_total, project_total, staff, "
                       "errors, warnings FROM department_years WHERE department_id = ? ORDER BY fiscal_year",
                       ["fj-quanzhou-taishang-social-governance"]).fetchall()
    assert [r[0] for r in rows] == [2022, 2023]
    assert rows[1][1] == "中国共产党福建省委泉州台商投资区工作委员会社会治理办公室"
    assert rows[0][2:] == (D("4074.57"), D("1564.57"), D("2510.00"), 15, 0, 31)
    dept = con.execute("SELECT display_name, region, admin_level, document_count, first_year, last_year, printed_names "
                       "FROM departments WHERE department_id = ?", ["fj-quanzhou-taishang-social-governance"]).fetchall()
    assert dept == [("泉州台商投资区社会治理办公室", "福建省/泉州市/台商投资区", "区（开发区）", 2, 2022, 2023,
                     [SEED_NAME, SEED_NAME.replace("中共", "中国共产党")])]
    unplaced = con.execute("SELECT department_id, display_name FROM department_years WHERE printed_name = ?",
                           ["北京市海淀区教育委员会"]).fetchall()
    assert unplaced == [(None, "北京市海淀区教育委员会")]
    assert len(result.notices) == 1 and "北京市海淀区教育委员会" in result.notices[0]


def test_ingest_says_when_a_department_is_not_placed_and_still_loads_it(tmp_path):
    unknown = tmp_path / "unknown.txt"
    unknown.write_text(SEED.read_text(encoding="utf-8").replace(SEED_NAME, "北京市海淀区教育委员会"), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "core", "ingest", str(unknown), "--db", str(tmp_path / "u.duckdb")],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0 and run.stdout.startswith("loaded ")
    assert "is not in data/departments.csv" in run.stderr and "北京市/海淀区" in run.stderr


def test_department_overview_one_row_per_series_in_sql(renamed):
    from core.listing import department_overview

    db, _ = renamed
    con = duckdb.connect(str(db), read_only=True)
    rows = department_overview(con).set_index("display_name")
    assert len(rows) == 2 and set(rows["matching"]) == {2}
    fj = rows.loc["泉州台商投资区社会治理办公室"]
    assert (fj["fiscal_year"], fj["first_year"], fj["document_count"]) == (2023, 2022, 2)  # latest year, both years held
    assert (fj["expenditure_total"], fj["staff"], fj["per_staff"], fj["execution_rate"]) == (
        D("4074.57"), 15, D("271.64"), D("80.78"))
    assert rows.loc["北京市海淀区教育委员会", "department_id"] is None
    assert list(department_overview(con, text="海淀")["display_name"]) == ["北京市海淀区教育委员会"]
    assert len(department_overview(con, region="福建省")) == 1 and department_overview(con, kinds=("预算",)).empty
    assert len(department_overview(con, limit=1)) == 1


def test_landing_page_lists_departments_and_opens_one(renamed, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    monkeypatch.setenv("JUESUAN_DB", str(renamed[0]))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception and at.title[0].value == "部门一览"
    grid = at.dataframe[0].value
    assert list(grid["display_name"]) == ["泉州台商投资区社会治理办公室", "北京市海淀区教育委员会"]  # unplaced last
    assert "不能相加" in "\n".join(c.value for c in at.caption)  # no collection total passes for a government's
    at.session_state["departments"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    assert at.title[0].value.startswith("中国共产党福建省委泉州台商投资区工作委员会社会治理办公室 2023 年度")
    old = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    old.query_params["doc"] = "2022-final-1c256323b7"
    old.run()  # a link from before the landing page still opens the document
    assert old.title[0].value.startswith(SEED_NAME + " 2022 年度")
    st.cache_data.clear()
    st.cache_resource.clear()
