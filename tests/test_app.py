"""Every page under Streamlit's AppTest: no exception, key figures present, query params drive the drill-down,
filters narrow the tables, document text is never rendered as markup, the database can be replaced."""

import os
import re
import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core.pipeline import ingest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ["pages/overview.py", "pages/spending.py", "pages/projects.py", "pages/sangong.py", "pages/audit.py",
         "pages/data.py"]
SWITCH = "正在查看的文件"


@pytest.fixture(autouse=True)
def fresh_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture()
def app_db(tmp_path, seed_db, monkeypatch):
    path = tmp_path / "app.duckdb"
    shutil.copy(seed_db, path)
    monkeypatch.setenv("JUESUAN_DB", str(path))
    return path


def open_page(page, params=None):
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    if page != PAGES[0]:
        at.switch_page(page)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def doc_switch(at):
    """The document switch: at the top of the main area, never in the drawer."""
    assert not at.sidebar.selectbox
    return next(s for s in at.selectbox if s.label.startswith(SWITCH))


def texts(at):
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption] + [t.value for t in at.title]
    parts += [s.value for s in at.subheader] + [m.label + " " + m.value for m in at.metric]
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(page, app_db):
    at = open_page(page)
    assert doc_switch(at).value == "2022-final-1c256323b7"


def test_overview_headlines(app_db):
    at = open_page(PAGES[0])
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["收入合计"] == "4,180.76"
    assert metrics["支出合计"] == "4,074.57"
    assert metrics["财政拨款收入"] == "3,866.92"
    assert (metrics["基本支出"], metrics["项目支出"]) == ("1,564.57", "2,510.00")
    assert metrics["三公经费"] == "0.00"
    assert metrics["绩效自评项目"] == "24 个"
    assert metrics["自动核对：数字对不上"] == "0 处"
    assert all(m.help for m in at.metric)  # every headline explains its term


def test_drill_down_by_query_params(app_db):
    at = open_page(PAGES[1], {"code": "204"})
    assert "合计 3,391.24 万元" in texts(at)
    at = open_page(PAGES[1], {"code": "20406", "scope": "gpb"})
    assert "按项分" in texts(at)
    at = open_page(PAGES[1], {"code": "2040607"})
    table = at.dataframe[-1].value
    assert list(table["project_id"]) == ["P01", "P02", "P24", ""]
    assert table["name"].iloc[-1] == "（未被绩效自评项目解释的部分）"
    at = open_page(PAGES[1], {"code": "2040607", "project": "P02"})
    assert "法律援助工作经费" in texts(at)


def test_clicking_a_table_row_drills(app_db):
    at = open_page(PAGES[1], {"code": "204"})
    key = next(k for k in ("table-all-204",) if k in at.session_state)
    at.session_state[key] = {"selection": {"rows": [1], "columns": []}}
    at.run()
    assert at.query_params["code"] == ["20406"] or at.query_params["code"] == "20406"


def test_economic_view(app_db):
    at = open_page(PAGES[1], {"view": "economic"})
    assert "人员经费 1,513.41 · 公用经费 41.90" in texts(at)
    at = open_page(PAGES[1], {"view": "economic", "econ": "302"})
    assert "302" in texts(at)


def test_project_filters_narrow(app_db):
    at = open_page(PAGES[2])
    assert len(at.dataframe[0].value) == 24
    at.multiselect(key="grade").set_value(["良"]).run()
    assert len(at.dataframe[0].value) == 1
    at.multiselect(key="grade").set_value([]).run()
    at.text_input(key="kw").set_value("法律").run()
    names = list(at.dataframe[0].value["name"])
    assert "法律援助工作经费" in names and len(names) < 24
    at.text_input(key="kw").set_value("").run()
    at.selectbox(key="cat").set_value("2040607").run()
    assert sorted(at.dataframe[0].value["project_id"]) == ["P01", "P02", "P24"]
    at.selectbox(key="cat").set_value("").run()
    at.slider(key="rate").set_value((0, 50)).run()
    assert len(at.dataframe[0].value) == 7


def test_project_detail_from_url(app_db):
    at = open_page(PAGES[2], {"project": "P13"})
    body = texts(at)
    assert "公共视频“天网”工程后期维护项目（含设备购买）" in body
    assert "执行率 12.2%，低于 60%" in "\n".join(w.value for w in at.warning)


def test_audit_page_filters(app_db):
    at = open_page(PAGES[4])
    assert {m.label: m.value for m in at.metric} == {"错误": "0", "警示": "31", "尾数提示": "18"}
    total = len(at.dataframe[0].value)
    at.multiselect(key="sev").set_value(["warning"]).run()
    assert len(at.dataframe[0].value) == 31 < total
    at.multiselect(key="rule").set_value(["P-IMPLAUSIBLE"]).run()
    assert len(at.dataframe[0].value) == 2


def test_data_page_tables(app_db):
    at = open_page(PAGES[5])
    assert "4180.76" in at.dataframe[0].value.to_csv()
    at.selectbox(key="table").set_value("T06").run()
    assert "1513.41" in at.dataframe[0].value.to_csv()
    assert len(at.expander) >= 13  # the glossary terms


def test_document_text_is_never_markup(tmp_path, variant, monkeypatch):
    path = variant(("专项名称\t\t\t一篮子项目经费", "专项名称\t\t\t<script>alert(1)</script>**粗体**"))
    db = tmp_path / "xss.duckdb"
    assert ingest([path], db).loaded
    monkeypatch.setenv("JUESUAN_DB", str(db))
    at = open_page(PAGES[2], {"project": "P01"})
    heading = at.subheader[0].value
    assert heading == r"\<script\>alert\(1\)\</script\>\*\*粗体\*\*"


def test_survives_database_replacement(app_db, tmp_path, variant):
    at = open_page(PAGES[0])
    assert {m.label: m.value for m in at.metric}["收入合计"] == "4,180.76"
    changed = variant(("本年收入合计\t4180.76", "本年收入合计\t4180.77"))
    staging = tmp_path / "staging.duckdb"
    shutil.copy(app_db, staging)
    assert ingest([changed], staging).loaded
    os.replace(staging, app_db)  # what an ingest does while the app serves
    at.run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["收入合计"] == "4,180.77"


def test_corrupt_database_message(tmp_path, monkeypatch):
    bad = tmp_path / "corrupt.duckdb"
    bad.write_bytes(b"this is not a database" * 100)
    monkeypatch.setenv("JUESUAN_DB", str(bad))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "数据库无法打开" in at.error[0].value


def test_missing_database_gets_a_notice_naming_make_db_and_is_never_built(tmp_path, monkeypatch):
    db = tmp_path / "new" / "juesuan.duckdb"
    monkeypatch.setenv("JUESUAN_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert not db.exists() and not db.parent.exists()
    assert "make db" in at.warning[0].value


@pytest.fixture()
def two_doc_db(tmp_path, monkeypatch):
    from tests.test_pdf import AUTHENTIC
    from tests.conftest import SEED

    db = tmp_path / "two.duckdb"
    assert len(ingest([SEED, AUTHENTIC], db).loaded) == 2
    monkeypatch.setenv("JUESUAN_DB", str(db))
    return db


@pytest.mark.parametrize("page", PAGES)
def test_pages_on_a_pdf_document_without_performance_tables(page, two_doc_db):
    at = open_page(page, {"doc": "2024-final-dae7287c88"})
    assert doc_switch(at).value == "2024-final-dae7287c88"
    if page == PAGES[0]:
        metrics = {m.label: m.value for m in at.metric}
        assert metrics["收入合计"] == "2,946.25"
        assert (metrics["三公经费"], metrics["绩效自评项目"]) == ("未列示", "未附自评表")
        assert "自评项目 4 个，平均 99.43 分" in "\n".join(c.value for c in at.caption)


def test_overview_bar_click_opens_the_category(app_db):
    at = open_page(PAGES[0])
    at.session_state["overview-classes"] = {"selection": {"pick": [{"code": "204"}]}}
    at.run()
    assert not at.exception
    assert "合计 3,391.24 万元" in texts(at)


def test_the_keyboard_control_beside_the_chart_drills_too(app_db):
    at = open_page(PAGES[0])
    at.selectbox(key="overview-class-pick").set_value("204").run()
    assert not at.exception and "合计 3,391.24 万元" in texts(at)
    at.selectbox(key="chart-all-204-pick").set_value("20406").run()
    assert "按项分" in texts(at)


def test_document_text_never_becomes_a_link():
    from pages._common import safe

    text = safe("详见 https://www.shpt.gov.cn/a.pdf 或 www.example.com，联系 someone@example.cn")
    assert not re.search(r"(?i)https?://|www\.|\w@\w", text.replace("\\", ""))
    assert text.replace("\u200b", "").replace("\\", "") == "详见 https://www.shpt.gov.cn/a.pdf 或 www.example.com，联系 someone@example.cn"


def test_serving_config_hides_tracebacks_and_binds_to_this_machine():
    import tomllib

    config = tomllib.loads((Path(APP).parent / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["address"] == "127.0.0.1"
    makefile = (Path(APP).parent / "Makefile").read_text(encoding="utf-8")
    assert "ADDRESS ?= 127.0.0.1" in makefile and "--server.address=$(ADDRESS)" in makefile


def test_unknown_document_or_code_in_the_url_gets_a_notice_not_wrong_figures(seed_db, monkeypatch):
    monkeypatch.setenv("JUESUAN_DB", str(seed_db))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["doc"] = "2099-final-0000000000"
    at.run()
    assert not at.exception and "不在数据库中" in at.warning[0].value
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["doc"] = "2022-final-1c256323b7"
    at.query_params["code"] = "999"
    at.run()
    assert not at.exception
    assert any("没有科目 999" in w.value for w in at.warning)
    assert at.query_params.get("code") in (None, [], "")  # cleared (an empty value reads as absent)
    at.switch_page("pages/spending.py")
    at.run()
    assert not at.exception
    assert "999" not in " ".join(str(e.value) for e in (*at.metric, *at.caption, *at.markdown, *at.subheader))


def test_three_public_page_says_not_given_for_blanks_and_shows_the_narrative(tmp_path, monkeypatch):
    """The 2024 Shanghai 决算 leaves 公开07表's 决算数 blank: never —, None or a rate computed from nothing."""
    from tests.test_pdf import AUTHENTIC

    db = tmp_path / "sh.duckdb"
    assert ingest([AUTHENTIC], db).loaded
    monkeypatch.setenv("JUESUAN_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("pages/sangong.py")
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["三公经费决算数（万元）"] == "未列示"
    table = at.dataframe[0].value
    assert "None" not in table.to_csv() and "—" not in table.to_csv()
    assert "未列示" in set(table["actual"])
    assert any("空白" in i.value for i in at.info)
    stated = at.dataframe[1].value
    assert len(stated) and set(stated["source_ref"]) <= {f"page:{n}" for n in range(1, 26)}
    assert "—" not in " ".join(m.value for m in at.markdown)


def test_methods_page_shows_the_documents_the_tests_hold_to_the_code(app_db):
    at = open_page("pages/methods.py")
    body = "\n".join(m.value for m in at.markdown)
    assert "ScopeGap" in body and "差距大小" in body and "T01-BALANCE" in body


def test_two_figures_of_different_scope_are_explained_with_both_numbers(app_db):
    at = open_page(PAGES[1], {"code": "2049999"})
    body = texts(at)
    assert "2,233.79" in body and "2,043.79" in body and "190.00 万元来自其他资金" in body
    at = open_page(PAGES[2])
    body = texts(at)
    assert all(x in body for x in ("2,104.33", "2,510.00", "2,320.00", "215.67"))
    at = open_page(PAGES[0])
    project_card = next(c.value for c in at.caption if c.value.startswith("为办具体事情"))
    assert "2,104.33" in project_card and "215.67" in project_card


def test_wording_is_neutral(app_db, two_doc_db):
    at = open_page(PAGES[2], {"project": "P13"})
    assert not any("应为" in i.value for i in at.info)
    # no seed project's grade changes under the standard method, so the sentence is checked where it is written
    project_page = (Path(APP).parent / "pages" / "_project.py").read_text(encoding="utf-8")
    assert "按标准方法计算为" in project_page and "应为" not in project_page
    at = open_page(PAGES[4], {"doc": "2024-final-dae7287c88"})
    assert at.title[0].value == "自动核对" and "不是审计" in texts(at)
    findings = at.dataframe[0].value
    errors = findings[findings["severity"] == "错误"]
    assert list(errors["gap"]) == ["大", "小"]  # the 2,961 万元 gap and the 0.08-point share slip
    at = open_page(PAGES[0], {"doc": "2024-final-dae7287c88"})
    assert [c.value for c in at.caption].count("文件未逐项说明。") == 2


def test_a_selected_finding_opens_in_full(app_db, two_doc_db):
    at = open_page(PAGES[4], {"doc": "2024-final-dae7287c88"})
    at.session_state["findings"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    body = texts(at)
    assert "对照数 2,961.68，文件列示 0.30，差额 -2,961.38" in body.replace("\\", "")


@pytest.mark.parametrize("page, params, expect", [
    (PAGES[0], {}, ["4,180.76", "204", "公共安全支出", "3,391.24"]),
    (PAGES[2], {"project": "P13"}, ["公共视频“天网”工程后期维护项目（含设备购买）", "每年至少开展 4 次验收", "81.21"]),
])
def test_print_view_has_static_tables_and_no_controls(app_db, page, params, expect):
    at = open_page(page, {**params, "print": "1"})
    assert not at.selectbox and not at.button and not at.get("download_button")
    assert not at.dataframe and len(at.table)
    static = "\n".join(t.value.to_csv() for t in at.table) + texts(at)
    assert all(x in static for x in expect), [x for x in expect if x not in static]


def test_download_cover_names_the_document(app_db):
    from core.sources import cover_for
    import duckdb

    con = duckdb.connect(str(app_db), read_only=True)
    cover = cover_for(con, "2022-final-1c256323b7", "项目绩效")
    assert cover.file_name("xlsx") == "中共福建省委泉州台商投资区工作委员会社会治理办公室-2022年部门决算-项目绩效.xlsx"
    at = open_page(PAGES[2])
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["下载 CSV", "下载 Excel"]


def test_document_switch_lists_the_department_and_searches_the_rest(two_doc_db):
    at = open_page(PAGES[0], {"doc": "2022-final-1c256323b7"})
    switch = doc_switch(at)
    assert len(switch.options) == 1 and "中共福建省委" in switch.options[0]  # this department's documents only
    at.text_input(key="doc-search").set_value("上海").run()
    switch = doc_switch(at)
    assert len(switch.options) == 2 and any("上海市普陀区财政局" in o for o in switch.options)
    switch.set_value("2024-final-dae7287c88").run()
    assert at.query_params["doc"] in ("2024-final-dae7287c88", ["2024-final-dae7287c88"])
    assert {m.label: m.value for m in at.metric}["收入合计"] == "2,946.25"


def test_a_database_from_an_older_build_gets_the_make_db_message(tmp_path, seed_db, monkeypatch):
    old = tmp_path / "old.duckdb"
    shutil.copy(seed_db, old)
    con = __import__("duckdb").connect(str(old))
    con.execute("DROP VIEW department_years")
    con.close()
    monkeypatch.setenv("JUESUAN_DB", str(old))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "旧版本" in at.error[0].value and "make db" in at.error[0].value
