"""Words with their positions, grouped into printed lines: what a table reader needs when a PDF has no ruling."""

from __future__ import annotations

import os
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


def page_jobs() -> int:
    """Processes one PDF's pages are read with: JUESUAN_PAGE_JOBS, else every core (a build sets 1 per file)."""
    try:
        return max(1, int(os.environ.get("JUESUAN_PAGE_JOBS", "0")) or os.cpu_count() or 1)
    except ValueError:
        return os.cpu_count() or 1


def page_count(path) -> int:
    """Pages in the PDF, counted by pdfium (fast), or pdfplumber's count when pdfium refuses the file."""
    try:
        import pypdfium2

        doc = pypdfium2.PdfDocument(str(path))
        try:
            return len(doc)
        finally:
            doc.close()
    except Exception:  # noqa: BLE001 - the reader that opens it properly reports a damaged file
        with open_pdf(path) as pdf:
            return len(pdf.pages)


def map_pages(path, work, jobs: int | None = None) -> list:
    """[work(page, page_no) for every page] in page order. pdfminer's page parsing is the cost of reading a PDF and
    pages are independent, so they are read by `jobs` forked processes, each with its own pdfplumber; the same
    library reads the same pages, so the result is exactly that of a single pass."""
    from core.ingest.deadline import at_page

    total = page_count(path)
    jobs = min(jobs or page_jobs(), total)
    if jobs <= 1:
        with open_pdf(path) as pdf:
            out = []
            for n, page in enumerate(pdf.pages, start=1):
                at_page(n)
                out.append(work(page, n))
            return out
    import multiprocessing

    ctx = multiprocessing.get_context("fork")
    procs = []
    for k in range(jobs):
        receive, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_read_chunk, args=(send, str(path), work, list(range(k + 1, total + 1, jobs))))
        proc.start()
        send.close()
        procs.append((proc, receive))
    results: dict[int, object] = {}
    error = None
    for proc, receive in procs:
        try:
            ok, payload = receive.recv()
        except EOFError:
            ok, payload = False, InputError([Problem(str(path), 1, "expected a readable PDF; a page reader stopped "
                                                                   "unexpectedly")])
        proc.join()
        receive.close()
        if ok:
            results.update(payload)
        elif error is None:
            error = payload
    if error is not None:
        raise error
    return [results[n] for n in range(1, total + 1) if n in results]


def _read_chunk(conn, path: str, work, pages: list[int]) -> None:
    from core.ingest.deadline import at_page, failure

    try:
        out = {}
        with open_pdf(path) as pdf:
            for n in pages:
                if n > len(pdf.pages):  # pdfium counted more pages than pdfplumber sees
                    break
                at_page(n)
                out[n] = work(pdf.pages[n - 1], n)
        conn.send((True, out))
    except Exception as exc:  # noqa: BLE001 - sent to the parent, which raises it
        conn.send((False, failure(exc, path)))
    finally:
        conn.close()


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
