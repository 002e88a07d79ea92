"""Text a spreadsheet would run as a formula: the one rule the downloads and the open-data package share.

Kept apart from core/export.py so that reading the rule (as `juesuan build` does on every `make run`) never
imports pandas."""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell starting with = + - @ (or a tab/CR) gets a leading apostrophe so no spreadsheet runs it."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
