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
    """Text joined across broken lines; `ref_at(i)` gives where character i of `folded` stands (line:N or page:N)."""

    text: str
    folded: str
    starts: list[tuple[int, str]]  # (offset in folded, source_ref of the line)

    def ref_at(self, offset: int) -> str:
        ref = self.starts[0][1]
        for start, line_ref in self.starts:
            if start > offset:
                break
            ref = line_ref
        return ref

    @property
    def first_ref(self) -> str:
        return self.starts[0][1]


def is_heading(text: str) -> bool:
    """A short numbered line without sentence punctuation: `（二）政府采购情况`, `三、部门主要工作总结`."""
    t = fold(text)
    return bool(_HEADING.match(t)) and len(t) <= 32 and not re.search(r"[,，。;；:：]", t)


def _ends_sentence(previous: str, following: str) -> bool:
    """A full stop ends a paragraph; a colon only when a numbered item or heading follows (`其中：` + `（一）…`),
    since PDF lines often break right after `主要用于：`."""
    end = previous.rstrip()
    if end.endswith((":", "：")):
        return bool(_HEADING.match(fold(following)) or _ITEM.match(fold(following)))
    return end.endswith(_TERMINAL)


def paragraphs(lines) -> list[Paragraph]:
    """Group lines (objects with .no and .text) into paragraphs; headings stand alone."""
    out: list[Paragraph] = []
    texts: list[str] = []
    folded = ""
    starts: list[tuple[int, str]] = []

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
            out.append(Paragraph(raw, fold(raw), [(0, ln.ref)]))
            continue
        if texts and (_ends_sentence(texts[-1], raw) or "\t" in raw or _ITEM.match(fold(raw))):
            flush()
        starts.append((len(folded), ln.ref))
        texts.append(raw)
        folded += fold(raw)
    flush()
    return out
