"""Tolerances from the rounding of published figures (the document itself warns of 尾数误差)."""

from __future__ import annotations

from decimal import Decimal

HALF_CENT = Decimal("0.005")
CENT = Decimal("0.01")


def sum_tolerance(addends: int, unit: Decimal = Decimal(1)) -> Decimal:
    """n × 0.005 of the printed unit for n rounded addends, and at least 0.01 of it (unit: 1 for 万元, 0.0001 for 元)."""
    return max(CENT * unit, HALF_CENT * unit * addends)


def ratio_range(numerator: Decimal, denominator: Decimal, scale: Decimal = Decimal(100),
                unit: Decimal = Decimal(1)) -> tuple[Decimal, Decimal]:
    """Range of numerator/denominator × scale when each input moves by ±0.005 of its printed unit, widened by
    ±0.005 for the stated value."""
    half = HALF_CENT * unit
    lo_num, hi_num = numerator - half, numerator + half
    lo_den, hi_den = denominator - half, denominator + half
    candidates = [n / d * scale for n in (lo_num, hi_num) for d in (lo_den, hi_den) if d > 0]
    if not candidates:
        return (Decimal("-Infinity"), Decimal("Infinity"))
    return (min(candidates) - HALF_CENT, max(candidates) + HALF_CENT)


def exact_ratio(numerator: Decimal, denominator: Decimal, scale: Decimal = Decimal(100)) -> Decimal | None:
    """numerator/denominator × scale to four places, None when the denominator is zero."""
    if denominator == 0:
        return None
    return (numerator / denominator * scale).quantize(Decimal("0.0001"))
