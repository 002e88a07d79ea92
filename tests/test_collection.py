"""The collection as the subject: a department across years (历年变化), budget against final accounts, 比较 and search,
on a fixture of real documents with exact figures.

The corpus has no year with both a 预算 and a 决算 of one body, so the pair is built: the seed's text relabelled as the
2024 决算 of 上海市普陀区人民政府万里街道办事处 (a labelled constructed document), beside that body's real 2024 and 2025
部门预算. The seed also has a renamed 2023 copy (中国共产党…), so its series spans two years."""

from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest

from core.collection import column_heads, compare, history, series
from core.pipeline import ingest
from core.search import parse_query, search, search_narrative, snippet
from tests.conftest import SEED, SEED_DOC

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
SEED_NAME = "中共福建省委泉州台商投资区工作委员会社会治理办公室"
WANLI = "上海市普陀区人民政府万里街道办事处"
WANLI_FINAL = "2024-final-9f4673e6bd"  # constructed: the seed's text under 万里街道's name and 2024
WANLI_BUDGET = "2024-budget-9f4673e6bd"
WANLI_BUDGET_2025 = "2025-budget-9f4673e6bd"


@pytest.fixture(scope="module")
def collection(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("collection")
    text = SEED.read_text(encoding="utf-8")
    renamed = tmp / "renamed-2023.txt"
    renamed.write_text(text.replace("2022", "2023").replace("2021", "2022").replace(SEED_NAME, "中国共产党" + SEED_NAME[2:]),
                       encoding="utf-8")
    wanli = tmp / "wanli-2024-final-constructed.txt"
    wanli.write_text(text.replace(SEED_NAME, WANLI).replace("2022", "2024").replace("2021", "2023"), encoding="utf-8")
    db = tmp / "collection.duckdb"
    files = [SEED, renamed, wanli, RAW / "sh-putuo-wanli-subdistrict-2024-dept-budget",
             RAW / "sh-putuo-wanli-subdistrict-2025-dept-budget", RAW / "sh-putuo-justice-bureau-2026-dept-budget",
             RAW / "sh-putuo-justice-bureau-2026-unit-budget"]
    result = ingest(files, db)
    assert len(result.loaded) == len(files), result.problems
    return db


@pytest.fixture()
def con(collection):
    c = duckdb.connect(str(collection), read_only=True)
    yield c
    c.close()


def test_a_series_is_one_body_and_one_scope_over_the_years(con):
    assert list(series(con, SEED_DOC)["fiscal_year"]) == [2022, 2023]
    assert list(series(con, WANLI_BUDGET)[["fiscal_year", "kind"]].itertuples(index=False, name=None)) == [
        (2024, "预算"), (2024, "决算"), (2025, "预算")]
    dept = con.execute("SELECT doc_id FROM documents WHERE department LIKE '%司法局' AND scope = '部门'").fetchone()[0]
    unit = series(con, dept)
    assert list(unit["scope"]) == ["部门"]  # the 单位 budget of the same bureau is another series


def test_history_points_carry_their_document_row_and_the_stated_prior_year(con):
    h = history(con, SEED_DOC)
    assert (h.name, h.scope) == ("泉州台商投资区社会治理办公室", "部门")
    total = h.points[h.points["measure"] == "支出合计"]
    assert [(r.fiscal_year, r.amount, r.basis[:3]) for r in total.itertuples()] == [
        (2021, D("2918.04"), "上年数"), (2022, D("4074.57"), "本年数"), (2023, D("4074.57"), "本年数")]
    stated = total.iloc[0]
    assert stated["doc_id"] == SEED_DOC and stated["source_ref"]  # 4074.57 − 1156.53, said by the 2022 决算
    row = total.iloc[1]
    assert row["doc_id"] == SEED_DOC and row["source_ref"] == "line:185"
    basic = h.points[(h.points["measure"] == "基本支出") & (h.points["fiscal_year"] == 2022)]
    assert list(basic["amount"]) == [D("1564.57")]
    # the 2023 copy states 2022's figure too, but the collection holds the 2022 决算: its own figure is shown, once
    assert len(total[total["fiscal_year"] == 2022]) == 1


def test_class_mix_is_each_documents_share_of_its_own_classes(con):
    h = history(con, SEED_DOC)
    mix = h.classes[h.classes["doc_id"] == SEED_DOC]
    assert [(r.code, r.amount, r.share_pct) for r in mix.itertuples()] == [
        ("201", D("644.07"), D("15.81")), ("204", D("3391.24"), D("83.23")), ("208", D("24.58"), D("0.60")),
        ("210", D("14.69"), D("0.36"))]
    assert set(mix["basis"]) == {"支出表（全部资金）"}
    assert h.pairs.empty


def test_budget_against_final_for_a_year_that_has_both(con):
    pairs = history(con, WANLI_FINAL).pairs
    assert set(pairs["fiscal_year"]) == {2024}
    total = pairs[pairs["section"] == "合计"].iloc[0]
    assert (total["budget"], total["final"], total["difference"], total["final_pct"]) == (
        D("15621.1123"), D("4074.57"), D("-11546.5423"), D("26.08"))
    by_class = {r.code: r for r in pairs[pairs["section"] == "类"].itertuples()}
    assert (by_class["201"].budget, by_class["201"].final, by_class["201"].difference) == (D("293.27"), D("644.07"), D("350.80"))
    assert by_class["212"].budget == D("11938.5303") and by_class["212"].final is None  # planned, not in the 决算
    three = {r.item: r for r in pairs[pairs["section"] == "三公"].itertuples()}
    assert (three["合计"].budget, three["合计"].final, three["合计"].final_pct) == (D("47.91"), D("0"), D("0.00"))
    assert three["公务接待费"].budget == D("1.35")
    assert list(pairs[pairs["section"] == "三公"]["item"])[0] == "合计"
    assert pairs.iloc[0]["budget_doc"] == WANLI_BUDGET and pairs.iloc[0]["final_doc"] == WANLI_FINAL


def test_compare_puts_department_years_side_by_side_and_says_what_differs(con):
    c = compare(con, (WANLI_FINAL, WANLI_BUDGET, SEED_DOC))
    h = c.headline.set_index("doc_id")
    assert list(c.headline["doc_id"]) == [WANLI_FINAL, WANLI_BUDGET, SEED_DOC]  # in the order chosen
    assert h.loc[SEED_DOC, "per_staff"] == D("271.64")  # 4074.57 ÷ 15
    assert h.loc[SEED_DOC, "execution_rate"] == D("80.78")
    assert h.loc[SEED_DOC, "grades"] == "优 23 · 良 1 · 中 0 · 差 0"
    assert h.loc[SEED_DOC, "basic_share_pct"] == D("38.40") and h.loc[SEED_DOC, "project_share_pct"] == D("61.60")
    assert h.loc[WANLI_BUDGET, "execution_rate"] is None and h.loc[WANLI_BUDGET, "grades"] is None
    assert h.loc[WANLI_BUDGET, "three_public_total"] == D("47.91")
    assert any("既有预算也有决算" in n for n in c.notes) and any("年度不同" in n for n in c.notes)
    same_kind = compare(con, (SEED_DOC, WANLI_FINAL))
    assert not any("预算" in n for n in same_kind.notes)
    assert len(compare(con, tuple([SEED_DOC, WANLI_FINAL, WANLI_BUDGET, WANLI_BUDGET_2025, SEED_DOC] * 2)).headline) == 4


def test_search_ranks_exact_names_first_and_finds_words_that_are_not_adjacent(con):
    exact = search(con, "行政运行")
    assert set(exact["label"]) == {"行政运行"} and (exact["rank"] == 0).all()
    loose = search(con, "泉州社会治理")  # 州社 is not in the name: found by most of its bigrams
    assert list(loose["label"]) == [SEED_NAME, "中国共产党" + SEED_NAME[2:]] and (loose["rank"] == 3).all()
    project = search(con, "法律援助")
    assert project.iloc[0]["what"] == "项目" and project.iloc[0]["label"] == "法律援助工作经费"
    assert project.iloc[0]["fiscal_year"] == 2024  # newer years first among equals
    indicators = search(con, "满意度", whats=("指标",), year=2022)
    assert len(indicators) and set(indicators["what"]) == {"指标"} and set(indicators["fiscal_year"]) == {2022}
    assert "法律援助工作经费" in set(search(con, "法律援助", whats=("指标",))["context"])
    code = search(con, "2040607")
    assert code.iloc[0]["code"] == "2040607" and code.iloc[0]["label"] == "公共法律服务" and code.iloc[0]["rank"] == 0
    assert search(con, "不存在的名字甲乙丙").empty and search(con, "   ").empty


def test_search_query_and_snippet_are_plain_functions():
    q = parse_query(" 平安  2040607 ")
    assert q.words == ("平安",) and q.codes == ("2040607",) and q.grams == ("平安",)
    assert snippet("国家司法救助满意 度 90%", "满意度") == ("国家司法救助", "满意 度", " 90%")
    # a bigram match shows the longest stretch the query's character pairs cover
    assert snippet("泉州台商投资区社会治理办公室", "泉州社会治理") == ("泉州台商投资区", "社会治理", "办公室")
    assert snippet("泉州台商投资区社会治理办公室", "法律援助") == ("泉州台商投资区社会治理办公室", "", "")


def test_narrative_search_within_a_department(con):
    found = search_narrative(con, (SEED_DOC,), "厉行节约")
    assert found and all(f["doc_id"] == SEED_DOC and f["match"] == "厉行节约" for f in found)
    assert found[0]["section"].startswith("七、") and found[0]["after"].startswith("反对浪费")
    assert search_narrative(con, (WANLI_BUDGET,), "厉行节约") == [] or all(
        f["doc_id"] == WANLI_BUDGET for f in search_narrative(con, (WANLI_BUDGET,), "厉行节约"))


def test_the_search_index_is_a_documented_view(con):
    rows = con.execute("SELECT what, count(*) FROM search_index WHERE doc_id = ? GROUP BY what ORDER BY what",
                       [SEED_DOC]).fetchall()
    assert dict(rows)["项目"] == 24 and dict(rows)["部门"] == 1


# ------------------------------------------------------------------ pages (AppTest)

def _app(db, monkeypatch, page, **params):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("JUESUAN_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in params.items():
        at.query_params[k] = v
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def test_trends_page_shows_points_with_sources_and_the_pair(collection, monkeypatch):
    at = _app(collection, monkeypatch, "pages/trends.py", doc=WANLI_FINAL)
    points = at.dataframe[0].value
    assert D("15621.1123") in {D(str(v)).quantize(D("0.0001")) for v in points["amount"]}
    assert {"本年数"} < set(points["basis"]) and set(points["source_ref"]) >= {"page:20", "line:185"}
    assert any("2024 年" in m.value for m in at.markdown)  # the pair's heading
    pair = next(df.value for df in at.dataframe if "final_stated_budget" in df.value.columns)
    by_item = dict(zip(pair["item"], zip(pair["budget"], pair["final"])))
    assert by_item["城乡社区支出"] == ("11,938.53", "未列示") and by_item["支出合计"] == ("15,621.11", "4,074.57")


def test_compare_page_reads_its_documents_from_the_url(collection, monkeypatch):
    at = _app(collection, monkeypatch, "pages/compare.py", docs=[SEED_DOC, WANLI_BUDGET])
    grid = at.dataframe[0].value
    assert list(grid.columns)[1:] == ["泉州台商投资区社会治理办公室 2022 年部门决算", "万里街道办事处 2024 年部门预算"]
    by = dict(zip(grid["指标"], grid.iloc[:, 1]))
    assert by["支出合计（万元）"] == "4,074.57" and by["人均支出（万元）"] == "271.64"
    assert dict(zip(grid["指标"], grid.iloc[:, 2]))["项目执行率"] == "预算无执行数"
    assert any("既有预算也有决算" in w.value for w in at.warning)
    years = _app(collection, monkeypatch, "pages/compare.py", docs=[WANLI_BUDGET, WANLI_FINAL])
    assert list(years.dataframe[0].value.columns) == ["指标", "2024 年部门预算", "2024 年部门决算"]  # one department
    assert any("万里街道办事处" in m.value for m in years.markdown)
    one = _app(collection, monkeypatch, "pages/compare.py", doc=SEED_DOC)
    assert any("至少选两份" in i.value for i in one.info)


def test_search_page_links_each_hit_to_its_page(collection, monkeypatch):
    at = _app(collection, monkeypatch, "pages/search.py", q="法律援助工作")
    assert any("**法律援助工作**经费" in m.value for m in at.markdown)
    nothing = _app(collection, monkeypatch, "pages/search.py", q="不存在的名字甲乙丙")
    assert any("没有找到" in i.value for i in nothing.info)
    narrative = _app(collection, monkeypatch, "pages/search.py", doc=SEED_DOC, nq="厉行节约")
    assert any("**厉行节约**" in m.value for m in narrative.markdown)
    # the body's documents under either spelling of its name: 2022 (中共…) and the renamed 2023 copy (中国共产党…)
    years = {c.value[:4] for c in narrative.caption if "年决算 ·" in c.value}
    assert years == {"2022", "2023"}


def test_print_views_of_the_collection_pages_render(collection, monkeypatch):
    trends = _app(collection, monkeypatch, "pages/trends.py", doc=WANLI_FINAL, print="1")
    assert len(trends.table) >= 3 and not trends.get("vega_lite_chart")  # static tables, no charts
    compare_ = _app(collection, monkeypatch, "pages/compare.py", docs=[SEED_DOC, WANLI_FINAL], print="1")
    assert compare_.table and "4,074\\.57" in str(compare_.table[0].value)  # cells are escaped Markdown


def test_a_replaced_document_leaves_no_stale_search_hits(tmp_path, variant):
    db = tmp_path / "replace.duckdb"
    assert ingest([SEED], db).loaded == [SEED_DOC]
    renamed = variant(("法律援助工作经费", "法律援助专项资金", -1), name="same-document.txt")
    assert ingest([renamed], db).loaded == [SEED_DOC]  # the same department, year and kind: it replaces the seed
    con = duckdb.connect(str(db), read_only=True)
    assert search(con, "法律援助专项资金").iloc[0]["label"] == "法律援助专项资金"
    assert "法律援助工作经费" not in set(search(con, "法律援助工作经费")["label"])
    assert con.execute("SELECT count(*) FROM search_index").fetchone()[0] == \
        con.execute("SELECT count(*) FROM t_search").fetchone()[0]


def test_column_heads_leave_out_what_the_columns_share():
    """Several departments' heads drop the place they share (cut only after 省/市/区…) and any year or kind all
    columns have, and say what was left out; one department's heads are its years and kinds."""
    import pandas as pd

    def heads(*rows):
        return column_heads(pd.DataFrame(rows, columns=["display_name", "fiscal_year", "scope", "kind"]))

    assert heads(("江苏省人民检察院", 2017, "部门", "预算"), ("江苏省高级人民法院", 2017, "部门", "预算")) == \
        (["人民检察院", "高级人民法院"], "列名省去了各列相同的部分：“江苏省”、2017 年、部门预算。")
    assert heads(("江苏省高级人民法院", 2017, "部门", "预算"), ("江苏省高等教育局", 2018, "部门", "预算")) == \
        (["高级人民法院 2017 年", "高等教育局 2018 年"], "列名省去了各列相同的部分：“江苏省”、部门预算。")
    assert heads(("泉州台商投资区社会治理办公室", 2022, "部门", "决算"), ("万里街道办事处", 2024, "部门", "预算")) == \
        (["泉州台商投资区社会治理办公室 2022 年部门决算", "万里街道办事处 2024 年部门预算"], "")
    assert heads(("万里街道办事处", 2024, "部门", "预算"), ("万里街道办事处", 2024, "部门", "决算")) == \
        (["2024 年部门预算", "2024 年部门决算"], "")
