"""Reading published numbers exactly: extraction splits them (`232. 53`), adds separators and placeholders."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

# A cell that is a number once the extraction's stray spaces are removed: 232. 53, 2,605.10, -1, 98. 42
_NUMBER_CELL = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d*)?$")
PLACEHOLDERS = frozenset({"—", "——", "-", "－", "–", "/", "／", "*"})


def fold(text: str) -> str:
    """NFKC-fold full-width digits and punctuation, drop all white space: the key used to compare labels."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def parse_amount(cell: str | None) -> Decimal | None:
    """The exact Decimal a cell states, or None when it is blank or a placeholder; ValueError when it is text."""
    if cell is None:
        return None
    s = re.sub(r"\s+", "", unicodedata.normalize("NFKC", cell))
    if s == "" or s in PLACEHOLDERS:
        return None
    if not _NUMBER_CELL.match(s):
        raise ValueError(f"not a number: {cell!r}")
    try:
        return Decimal(s.replace(",", "").rstrip(".") or "0")
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regex
        raise ValueError(f"not a number: {cell!r}") from exc


def is_number(cell: str | None) -> bool:
    """True when the cell holds a number (not blank, not a placeholder, not text)."""
    try:
        return parse_amount(cell) is not None
    except ValueError:
        return False


def is_blank(cell: str | None) -> bool:
    """True for an empty cell or a placeholder dash."""
    s = fold(cell or "")
    return s == "" or s in PLACEHOLDERS


# A number inside running text, with the stray spaces the extraction puts after a decimal point or comma.
NUMBER_IN_TEXT = r"(?<![\d.])(\d{1,3}(?:,\s?\d{3})+(?:\.\s?\d+)?|\d+(?:\.\s?\d+)?)"


def plain(x: Decimal | None) -> str:
    """An amount with every significant decimal and at least two: 4180.760000 → 4180.76, 0.123456 stays."""
    if x is None:
        return ""
    text = format(x.normalize(), "f")
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.ljust(2, '0')}"


def text_number(s: str) -> Decimal:
    """Decimal of a number matched by NUMBER_IN_TEXT."""
    return Decimal(re.sub(r"[\s,]", "", s))
