"""Is a department name believable? Misread names would start a second series for the same body and year."""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from core.ingest.errors import Problem
from core.ingest.numbers import fold

SUFFIXES_CSV = Path(__file__).resolve().parents[2] / "data" / "organisation_suffixes.csv"
MAX_CHARS = 40
HEAD_CHARS = 1500  # the cover and title area, folded
_SENTENCE = re.compile(r"[。，,；;：:！!？?、“”\"]")


@lru_cache(maxsize=1)
def suffixes() -> tuple[str, ...]:
    """Organisation suffixes, reviewed data (longest first so 委员会 is tried before 会)."""
    with open(SUFFIXES_CSV, encoding="utf-8") as fh:
        return tuple(sorted((r["suffix"] for r in csv.DictReader(fh)), key=len, reverse=True))


def department_problems(name: str, text: str, file: str, source_name: str = "") -> list[Problem]:
    """Reasons to refuse a department name: too long, sentence punctuation, no organisation suffix, or not found
    both in the cover/title area and again in the body (the tables' labels or headings). A cover without a text
    layer is stood in for by the file's name."""
    key = fold(name)
    if len(key) > MAX_CHARS:
        return [Problem(file, 1, f"expected a department name of at most {MAX_CHARS} characters; found {name[:60]!r}…")]
    if _SENTENCE.search(key):
        return [Problem(file, 1, f"expected a department name without sentence punctuation; found {name!r} "
                                 "(a misread line?)")]
    if not key.endswith(suffixes()):
        return [Problem(file, 1, f"expected a department name ending in an organisation suffix (局, 委员会, 办公室, "
                                 f"院, 办事处 … see data/organisation_suffixes.csv); found {name!r}")]
    folded = fold(text)
    head, body = folded[:HEAD_CHARS], folded[HEAD_CHARS:]
    in_head = key in head or key in fold(source_name)
    if not (in_head and key in body):
        where = "the body" if in_head else "the cover or title"
        return [Problem(file, 1, f"expected the department name {name!r} both on the cover or title and in the "
                                 f"tables; not found in {where}")]
    return []
