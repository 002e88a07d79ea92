"""Drill state lives in the URL; parsing is pure and never trusts malformed parameters."""

from core.drill import DrillState, parse_drill, to_params


def test_round_trip():
    s = DrillState(doc="2022-final-1c256323b7", scope="gpb", code="2040607", project="P02")
    assert parse_drill(to_params(s)) == s
    assert to_params(DrillState()) == {}


def test_levels_and_path():
    assert DrillState().level == 0
    s = DrillState(code="2040605")
    assert (s.level, s.path) == (3, ["204", "20406", "2040605"])
    assert s.up_to("204") == DrillState(code="204")
    assert s.open_project("P03").drill("20406") == DrillState(code="20406")


def test_malformed_parameters_are_dropped():
    s = parse_drill({"doc": "x'; DROP TABLE t;--", "scope": "evil", "code": "20<script>", "project": "../etc",
                     "view": "x", "econ": "30"})
    assert s == DrillState()


def test_lists_from_query_strings():
    assert parse_drill({"code": ["204", "20406"]}).code == "20406"


def test_a_link_to_something_the_document_lacks_is_dropped_with_a_notice():
    from core.drill import DrillState, Known, against

    known = Known(codes=frozenset({"204", "20406", "2040607"}), projects=frozenset({"P02"}), econ=frozenset({"301"}))
    state, notices = against(DrillState(doc="d", code="999", project="P02"), known)
    assert state == DrillState(doc="d") and notices == ["这份文件中没有科目 999，已回到支出总览。"]
    state, notices = against(DrillState(doc="d", code="2040607", project="P99", econ="399"), known)
    assert state == DrillState(doc="d", code="2040607") and len(notices) == 2
    assert against(DrillState(doc="d", code="20406", project="P02"), known) == (
        DrillState(doc="d", code="20406", project="P02"), [])


def test_url_changes_is_one_update_that_leaves_filters_alone():
    from core.drill import url_changes

    current = {"doc": "d1", "code": "20406", "grade": "优", "kw": "法律"}
    assert url_changes(current, DrillState(doc="d1", code="2040607")) == {"code": "2040607"}
    # opening a project from the filtered list: the project is added, the 科目 cleared, the filters untouched
    assert url_changes(current, DrillState(doc="d1", project="P02")) == {"project": "P02", "code": ""}
    assert url_changes({"doc": "d1", "code": ""}, DrillState(doc="d1")) == {}  # an empty value is already absent
    assert url_changes({"doc": "d1"}, DrillState(doc="d1")) == {}


def test_points_into_names_a_code_project_or_economic_class():
    assert not DrillState(doc="d").points_into
    assert not DrillState(doc="d", scope="gpb", view="economic").points_into
    assert DrillState(doc="d", code="204").points_into
    assert DrillState(doc="d", project="P13").points_into
    assert DrillState(doc="d", econ="301").points_into
