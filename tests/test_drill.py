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
