"""Score bands and the standard budget-execution score of 《项目支出绩效评价管理办法》(财预〔2020〕10号)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# 优 ≥ 90, 良 80 to < 90, 中 60 to < 80, 差 < 60 (财预〔2020〕10号 第二十四条)
GRADE_BANDS: tuple[tuple[str, Decimal], ...] = (
    ("优", Decimal(90)),
    ("良", Decimal(80)),
    ("中", Decimal(60)),
    ("差", Decimal(0)),
)
GRADES = tuple(g for g, _ in GRADE_BANDS)
CENT = Decimal("0.01")


def grade_for(score: Decimal | None) -> str | None:
    """The grade a score falls in, or None when there is no score."""
    if score is None:
        return None
    for grade, floor in GRADE_BANDS:
        if score >= floor:
            return grade
    return "差"


def execution_rate(executed: Decimal | None, budget: Decimal | None, exact: bool = False) -> Decimal | None:
    """执行率 in percent = 全年执行数 / 全年预算数 × 100, to two decimals (unrounded with exact=True)."""
    if executed is None or budget is None or budget == 0:
        return None
    rate = executed * 100 / budget
    return rate if exact else rate.quantize(CENT, ROUND_HALF_UP)


def standard_execution_score(weight: Decimal | None, rate: Decimal | None) -> Decimal | None:
    """预算执行率得分 = 分值 × min(执行率, 100%), to two decimals."""
    if weight is None or rate is None:
        return None
    return (weight * min(rate, Decimal(100)) / 100).quantize(CENT, ROUND_HALF_UP)
