"""Rejoin sentences the extraction broke across lines and blank lines, keeping each character's line number."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.ingest.numbers import fold

_HEADING = re.compile(r"^([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+、)")
_ITEM = re.compile(r"^(\d+[)）]|[（(]\d+[)）])")
_TERMINAL = ("。", "；", ";", "！", "？", ":", "：")


@dataclass
class Paragraph:
    """Text joined across broken lines; `line_at(i)` gives the source line of character i of `folded`."""

    text: str
    folded: str
    starts: list[tuple[int, int]]  # (offset in folded, line number)

    def line_at(self, offset: int) -> int:
        line = self.starts[0][1]
        for start, no in self.starts:
            if start > offset:
                break
            line = no
        return line

    @property
    def first_line(self) -> int:
        return self.starts[0][1]


def is_heading(text: str) -> bool:
    """A short numbered line without sentence punctuation: `（二）政府采购情况`, `三、部门主要工作总结`."""
    t = fold(text)
    return bool(_HEADING.match(t)) and len(t) <= 32 and not re.search(r"[,，。;；:：]", t)


def paragraphs(lines) -> list[Paragraph]:
    """Group lines (objects with .no and .text) into paragraphs; headings stand alone."""
    out: list[Paragraph] = []
    texts: list[str] = []
    folded = ""
    starts: list[tuple[int, int]] = []

    def flush():
        nonlocal texts, folded, starts
        if texts:
            out.append(Paragraph("".join(texts), folded, starts))
        texts, folded, starts = [], "", []

    for ln in lines:
        raw = ln.text.strip()
        if not raw:
            continue
        if is_heading(raw):
            flush()
            out.append(Paragraph(raw, fold(raw), [(0, ln.no)]))
            continue
        if texts and (texts[-1].rstrip().endswith(_TERMINAL) or "\t" in raw or _ITEM.match(fold(raw))):
            flush()
        starts.append((len(folded), ln.no))
        texts.append(raw)
        folded += fold(raw)
    flush()
    return out
