"""Why two figures of one document differ: the same quantity under two scopes, set side by side for the reader."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.figures import ZERO, function_node, function_totals, project_summary


@dataclass(frozen=True)
class ScopeGap:
    """项目支出 (or 合计) of one 科目 (or the whole document) in 公开03表 (all funds) and 公开05表 (general budget)."""

    code: str | None
    name: str | None
    measure: str  # 'project' or 'total'
    all_funds: Decimal | None  # 公开03表: every source of money
    general_budget: Decimal | None  # 公开05表: 一般公共预算财政拨款 only
    difference: Decimal | None  # all_funds − general_budget: money from other sources

    @property
    def differs(self) -> bool:
        return self.difference is not None and self.difference != ZERO


def scope_gap(con, doc_id: str, code: str | None = None, measure: str = "project") -> ScopeGap:
    if code:
        a, g = function_node(con, doc_id, code, "all") or {}, function_node(con, doc_id, code, "gpb") or {}
        all_funds, general, name = a.get(measure), g.get(measure), a.get("name") or g.get("name")
    else:
        a, g = function_totals(con, doc_id, "all"), function_totals(con, doc_id, "gpb")
        all_funds, general, name = getattr(a, measure), getattr(g, measure), None
    diff = all_funds - general if all_funds is not None and general is not None else None
    return ScopeGap(code, name, measure, all_funds, general, diff)


@dataclass(frozen=True)
class ProjectMoney:
    """The document's 项目支出 against the money of the projects it evaluated (项目支出绩效自评表)."""

    table_all_funds: Decimal | None  # 公开03表 项目支出
    table_general_budget: Decimal | None  # 公开05表 项目支出
    evaluated_count: int
    evaluated_budget: Decimal
    evaluated_executed: Decimal
    not_evaluated: Decimal | None  # 公开05表 项目支出 − evaluated projects' execution: spent outside any evaluated project


def project_money(con, doc_id: str) -> ProjectMoney:
    a, g = function_totals(con, doc_id, "all"), function_totals(con, doc_id, "gpb")
    ps = project_summary(con, doc_id)
    rest = g.project - ps.executed if g.project is not None and ps.count else None
    return ProjectMoney(a.project, g.project, ps.count, ps.budget, ps.executed, rest)
