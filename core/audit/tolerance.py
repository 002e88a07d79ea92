"""Tolerances from the rounding of published figures (the document itself warns of 尾数误差)."""

from __future__ import annotations

from decimal import Decimal

HALF_CENT = Decimal("0.005")
CENT = Decimal("0.01")


def sum_tolerance(addends: int) -> Decimal:
    """n × 0.005 万元 for n rounded addends, and at least 0.01."""
    return max(CENT, HALF_CENT * addends)


def ratio_range(numerator: Decimal, denominator: Decimal, scale: Decimal = Decimal(100)) -> tuple[Decimal, Decimal]:
    """Range of numerator/denominator × scale when each input moves by ±0.005, widened by ±0.005 for the stated value."""
    lo_num, hi_num = numerator - HALF_CENT, numerator + HALF_CENT
    lo_den, hi_den = denominator - HALF_CENT, denominator + HALF_CENT
    candidates = [n / d * scale for n in (lo_num, hi_num) for d in (lo_den, hi_den) if d > 0]
    if not candidates:
        return (Decimal("-Infinity"), Decimal("Infinity"))
    return (min(candidates) - HALF_CENT, max(candidates) + HALF_CENT)


def exact_ratio(numerator: Decimal, denominator: Decimal, scale: Decimal = Decimal(100)) -> Decimal | None:
    """numerator/denominator × scale to four places, None when the denominator is zero."""
    if denominator == 0:
        return None
    return (numerator / denominator * scale).quantize(Decimal("0.0001"))
