"""The seed's own published figures, read back from the public views of a real database file."""

from decimal import Decimal as D

from tests.conftest import SEED_DOC


def one(con, sql, *params):
    return con.execute(sql, list(params)).fetchone()


def test_document_row(con):
    doc = one(con, "SELECT doc_id, department, fiscal_year, kind, money_unit, source_file, parts_found FROM documents")
    assert doc[0] == SEED_DOC
    assert doc[1] == "中共福建省委泉州台商投资区工作委员会社会治理办公室"
    assert doc[2:5] == (2022, "决算", "万元")
    assert doc[5] == "fj-quanzhou-taishang-shehui-zhili-2022-final.txt"
    assert set(doc[6]) >= {f"T0{i}" for i in range(1, 10)} | {"narrative", "glossary", "self_evaluations",
                                                               "evaluation_reports", "units", "overview"}


def test_units_three_units_fifteen_staff(con):
    rows = con.execute("SELECT name, unit_type, staff FROM units").fetchall()
    assert len(rows) == 3
    assert sum(r[2] for r in rows) == 15
    assert ("泉州台商投资区法律援助中心", "全额拨款事业单位", 1) in rows


def test_part_one_texts(con):
    sections = dict(con.execute("SELECT section, text FROM narrative_sections").fetchall())
    assert "全力维护社会安定稳定" in sections["第一部分/一、部门主要职责"]
    assert "调处成功率99.8%" in sections["第一部分/三、部门主要工作总结"]


def test_t01_totals(con):
    def t01(label, side):
        return one(con, "SELECT amount FROM line_items WHERE table_code='T01' AND row_label=? AND side=?", label, side)[0]

    assert t01("本年收入合计", "收入") == D("4180.76")
    assert t01("本年支出合计", "支出") == D("4074.57")
    assert t01("年初结转和结余", "收入") == D("55.63")
    assert t01("年末结转和结余", "支出") == D("161.82")
    assert t01("总计", "收入") == t01("总计", "支出") == D("4236.39")
    # 公开01表 prints the category name only; the code comes from the reference file
    assert one(con, "SELECT code FROM line_items WHERE table_code='T01' AND row_label='四、公共安全支出'")[0] == "204"


def test_t03_basic_and_project(con):
    row = one(con, "SELECT total, basic, project FROM expenditure_by_function WHERE code='204'")
    assert row == (D("3391.24"), D("991.11"), D("2400.12"))
    totals = dict(con.execute("SELECT column_label, amount FROM line_items WHERE table_code='T03' AND code IS NULL").fetchall())
    assert totals["本年支出合计"] == D("4074.57")
    assert totals["基本支出"] == D("1564.57")
    assert totals["项目支出"] == D("2510.00")


def test_t05_gpb_total_and_hierarchy(con):
    total = one(con, "SELECT amount FROM line_items WHERE table_code='T05' AND row_label='合计' AND column_label='合计'")[0]
    assert total == D("3875.32")
    row = one(con, "SELECT name, level, parent_code, total, basic, project FROM gpb_expenditure_by_function WHERE code='2040605'")
    assert row == ("普法宣传", 3, "20406", D("25.76"), D("0.00"), D("25.76"))


def test_t02_income_columns(con):
    row = one(con, "SELECT total, fiscal, other FROM income_by_function WHERE code='201'")
    assert row == (D("750.26"), D("626.42"), D("123.84"))


def test_t06_three_groups(con):
    personnel = one(con, "SELECT amount FROM line_items WHERE table_code='T06' AND row_label='人员经费合计'")[0]
    public = one(con, "SELECT amount FROM line_items WHERE table_code='T06' AND row_label='公用经费合计'")[0]
    assert (personnel, public) == (D("1513.41"), D("41.90"))
    rows = dict(con.execute("SELECT code, amount FROM basic_expenditure_by_economic").fetchall())
    assert rows["30199"] == D("1138.16")  # first group
    assert rows["30228"] == D("11.25")  # second group
    assert rows["39999"] == D("0.00")  # third group
    assert one(con, "SELECT category FROM basic_expenditure_by_economic WHERE code='30399'")[0] == "人员经费"
    assert one(con, "SELECT category FROM basic_expenditure_by_economic WHERE code='30213'")[0] == "公用经费"
    # a name the extraction wrapped with a space is joined again
    assert one(con, "SELECT name FROM basic_expenditure_by_economic WHERE code='30108'")[0] == "机关事业单位基本养老保险缴费"


def test_t07_three_public_all_zero(con):
    rows = con.execute("SELECT item, budget, actual FROM three_public_funds").fetchall()
    assert [r[0] for r in rows] == ["合计", "因公出国（境）费", "公务用车购置及运行维护费", "公务用车购置费",
                                    "公务用车运行维护费", "公务接待费"]
    assert all(r[1] is None and r[2] == D("0.00") for r in rows)


def test_t08_t09_declared_empty_but_present(con):
    for code in ("T08", "T09"):
        amounts = [r[0] for r in con.execute("SELECT amount FROM line_items WHERE table_code=?", [code]).fetchall()]
        assert amounts and all(a == 0 for a in amounts)
        notes = one(con, "SELECT notes FROM published_tables WHERE table_code=?", code)[0]
        assert "没有使用" in notes


def test_every_figure_has_provenance(con):
    bad = one(con, "SELECT count(*) FROM line_items WHERE source_ref NOT LIKE 'line:%' OR column_label = '' OR amount IS NULL")
    assert bad[0] == 0


def test_narrative_totals_and_changes(con):
    def fig(key):
        return one(con, "SELECT value FROM narrative_figures WHERE key=?", key)[0]

    assert fig("income_total") == D("4180.76")
    assert fig("income_change") == D("1686.56")
    assert fig("income_change_pct") == D("67.62")
    assert fig("expenditure_total") == D("4074.57")
    assert fig("basic_total") == D("1564.57")
    assert fig("project_total") == D("2510.00")
    assert fig("personnel_all") == D("1513.42")  # the all-fund split no table prints
    assert fig("public_all") == D("51.15")
    assert fig("gpb_total") == D("3875.32")
    assert fig("gpb_change") == D("1024.83")
    assert fig("perf_self_count") == 24
    assert fig("perf_self_funds") == D("2605.10")
    assert (fig("grade_count:优"), fig("grade_count:良"), fig("grade_count:中"), fig("grade_count:差")) == (23, 1, 0, 0)
    assert fig("admin_cost") == D("36.52")
    assert fig("admin_cost_change_pct") == D("-50.96")
    assert fig("procurement_total") == D("252.22")
    assert fig("procurement_sme_pct") == D("25.90")
    assert fig("vehicles_held") == 0
    assert fig("reception_batches") == 0


def test_every_narrative_figure_keeps_its_phrase(con):
    rows = con.execute("SELECT value, unit, phrase, source_ref FROM narrative_figures").fetchall()
    assert len(rows) > 100
    assert all(r[2] and r[3].startswith("line:") for r in rows)
    phrase = one(con, "SELECT phrase FROM narrative_figures WHERE key='personnel_all'")[0]
    assert "人员支出1513.42万元" in phrase  # joined across the line break inside 万/元


def test_yoy_lines(con):
    rows = con.execute("SELECT code, name, amount, change, change_pct, reason FROM yoy_changes").fetchall()
    assert len(rows) == 19
    assert sum(r[3] for r in rows) == D("1024.83")
    assert rows[0] == ("2010301", "行政运行", D("427.33"), D("12.81"), D("3.09"), "人员经费及公用经费的增加")
    gone = [r for r in rows if r[2] == 0]
    assert [r[0] for r in gone] == ["2040199", "2040299", "2120199"]
    assert all(r[3] < 0 for r in gone)
    wrapped = [r for r in rows if r[0] == "2040610"][0]  # the line breaks after 较上年决算数
    assert wrapped[3:5] == (D("-4.02"), D("-9.90"))
    net = [r for r in rows if r[0] == "2101103"][0]
    assert net[3:5] == (D("3.98"), None)


def test_glossary_thirteen_terms(con):
    rows = con.execute("SELECT term, definition FROM glossary").fetchall()
    assert len(rows) == 13
    terms = dict(rows)
    assert terms["基本支出"] == "指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。"
    assert "“三公”经费" in terms


def test_projects_totals(con):
    n, budget, executed = one(con, "SELECT count(*), sum(budget), sum(executed) FROM projects")
    assert (n, budget, executed) == (24, D("2605.10"), D("2104.33"))
    assert one(con, "SELECT count(*) FROM indicators")[0] == 195
    assert one(con, "SELECT count(*) FROM project_funds")[0] == 96


def test_skynet_project(con):
    row = one(con, "SELECT budget, executed, execution_rate, execution_score, score, grade FROM projects WHERE name LIKE '%天网%'")
    budget, executed, rate, exec_score, score, grade = row
    assert (budget, executed, score, grade) == (D("394.60"), D("47.93"), D("80.00"), "良")
    assert rate == D("12.15")


def test_split_numbers_are_joined(con):
    # `232. 53` in the 严重精神障碍患者 table
    row = one(con, "SELECT budget, executed, execution_rate, score FROM projects WHERE name = '严重精神障碍患者'")
    assert row == (D("232.53"), D("204.00"), D("87.73"), D("95.75"))
    assert one(con, "SELECT score FROM indicators WHERE name LIKE '每季度兑现%'")[0] == D("3.75")


def test_wrapped_indicator_cells_rejoin(con):
    names = [r[0] for r in con.execute("SELECT name FROM indicators WHERE project_id IN "
                                        "(SELECT project_id FROM projects WHERE name = '司法所工作经费及司法所建设')").fetchall()]
    assert "司法所工作经费及司法所建设经费达8 万元" in names
    reason = one(con, "SELECT deviation_reason FROM indicators WHERE name LIKE '刑事二审案件办理%'")[0]
    assert reason.endswith("目前驻区检察室办理 4 件。")


def test_fund_rows_and_texts(con):
    funds = con.execute("SELECT fund_row, budget, executed, execution_rate FROM project_funds WHERE project_id = "
                        "(SELECT project_id FROM projects WHERE name='反邪教工作经费')").fetchall()
    assert [f[0] for f in funds] == ["年度资金总额", "当年财政拨款", "其他资金", "上年结转资金"]
    assert funds[1][3] == D("41.13")
    texts = dict(con.execute("SELECT kind, text FROM project_texts WHERE project_id='P01'").fetchall())
    assert texts["overview"] == "一篮子项目经费"
    assert "小区法律之家" in texts["goal_actual"]
    assert "<p>" not in "".join(t for (t,) in con.execute("SELECT text FROM project_texts").fetchall())


def test_issues_pairs(con):
    assert one(con, "SELECT count(*) FROM project_issues")[0] == 48
    sugg = one(con, "SELECT suggestion FROM project_issues WHERE problem LIKE '“检察护侨”相关工作%'")[0]
    assert sugg.endswith("社区矫正法律帮扶工作。")  # a wrapped cell joins the open field


def test_evaluation_reports_linked(con):
    rows = con.execute("SELECT r.title, p.name, r.score, r.grade, r.targets_set, r.targets_met "
                       "FROM evaluation_reports r JOIN projects p USING (doc_id, project_id)").fetchall()
    assert len(rows) == 24
    fuzzy = [r for r in rows if r[0] == "扫黑除恶及反诈骗专项工作经费"][0]
    assert fuzzy[1] == "扫黑除恶专项斗争专项工作经费"
    pufa = [r for r in rows if r[0] == "普法、依法治区经费"][0]
    assert pufa[2:] == (D("96.45"), "优", 8, 7)
    assert one(con, "SELECT count(*) FROM report_indicators")[0] == 195


def test_markup_is_layout_other_brackets_are_content(con):
    # `<0 人` is a target, not markup; `<p>` is layout
    assert one(con, "SELECT target FROM indicators WHERE name LIKE '社区矫正人员全年%'")[0] == "<0 人"
    assert one(con, "SELECT count(*) FROM project_issues WHERE problem LIKE '%--%'")[0] == 0
