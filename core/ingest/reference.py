"""Reference data: the 类-level function codes, matched by name and older aliases (公开01表 prints no codes)."""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from core.ingest.numbers import fold

FUNCTION_CLASSES_CSV = Path(__file__).resolve().parents[2] / "data" / "function_classes.csv"
_ORDINAL = re.compile(r"^[一二三四五六七八九十百零〇]+、|^\d+[.、．]|^（[一二三四五六七八九十\d]+）|^\([一二三四五六七八九十\d]+\)")


def strip_ordinal(label: str) -> str:
    """`十四、资源勘探信息等支出` → `资源勘探信息等支出`; the printed order number is not part of the name."""
    return _ORDINAL.sub("", fold(label))


@lru_cache(maxsize=1)
def function_classes() -> list[tuple[str, str, tuple[str, ...]]]:
    """(code, name, aliases) for every 类 in the reference file."""
    with open(FUNCTION_CLASSES_CSV, encoding="utf-8") as fh:
        return [
            (r["code"], r["name"], tuple(a for a in (r.get("aliases") or "").split("|") if a))
            for r in csv.DictReader(fh)
        ]


def class_code(label: str) -> str | None:
    """The 类 code a printed category name stands for, by name or alias, or None."""
    key = strip_ordinal(label)
    for code, name, aliases in function_classes():
        if key == fold(name) or key in (fold(a) for a in aliases):
            return code
    return None
