"""Words with their positions, grouped into printed lines: what a table reader needs when a PDF has no ruling."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.ingest.errors import InputError, Problem
from core.ingest.numbers import fold, is_number

MIN_TEXT_CHARS = 50  # fewer characters in the whole file: a scan, not a text layer

LINE_TOLERANCE = 2.5  # points: words whose tops differ by less are on one printed line
_SPLIT_CODE = re.compile(r"^(\d{3}(?:\d{2}){0,2})([^\d.,].*)$")


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float

    @property
    def is_amount(self) -> bool:
        """A figure; `1.` and `2、` are the order numbers of a label, not amounts."""
        return is_number(self.text) and not self.text.rstrip().endswith((".", "．", "、"))


@dataclass
class PdfLine:
    """One printed line of a page: its words left to right and where it stands."""

    page: int
    top: float
    words: list[Word]
    file: str = ""

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def folded(self) -> str:
        return fold(self.text)

    @property
    def ref(self) -> str:
        return f"page:{self.page}"


def page_lines(page, page_no: int, file: str = "") -> list[PdfLine]:
    """The page's words grouped by their top into lines, in reading order (sorted by position, not stream order)."""
    words = page.extract_words(x_tolerance=1.5, y_tolerance=2, keep_blank_chars=False)
    items: list[Word] = []
    for w in words:
        text = w["text"]
        m = _SPLIT_CODE.match(fold(text))
        if m and not is_number(text):  # `2040401行政运行` printed without a gap: the code is its own cell
            cut = len(m.group(1)) / max(len(fold(text)), 1)
            mid = w["x0"] + (w["x1"] - w["x0"]) * cut
            items.append(Word(m.group(1), w["x0"], mid, w["top"]))
            items.append(Word(m.group(2), mid, w["x1"], w["top"]))
        else:
            items.append(Word(text, w["x0"], w["x1"], w["top"]))
    items.sort(key=lambda w: (w.top, w.x0))
    lines: list[PdfLine] = []
    for w in items:
        if lines and abs(w.top - lines[-1].top) <= LINE_TOLERANCE:
            lines[-1].words.append(w)
        else:
            lines.append(PdfLine(page_no, w.top, [w], file))
    for ln in lines:
        ln.words.sort(key=lambda w: w.x0)
    return lines


def open_pdf(path):
    """pdfplumber's PDF, or InputError naming the file: pdfminer raises several unrelated types for a damaged file."""
    import pdfplumber

    try:
        return pdfplumber.open(path)
    except Exception as exc:  # noqa: BLE001
        raise InputError([Problem(str(path), 1, f"expected a readable PDF; {type(exc).__name__}: {exc}")]) from exc


def require_text_layer(texts: list[str], name: str) -> None:
    """A PDF without a text layer is refused, never parsed into garbage."""
    if sum(len(re.sub(r"\s", "", t)) for t in texts) < MIN_TEXT_CHARS:
        raise InputError([Problem(name, 1, "no text layer; OCR is not supported")])
