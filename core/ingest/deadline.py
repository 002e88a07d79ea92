"""A time limit per document: reading runs in a forked worker that is killed at the deadline.

Damaged PDFs can make pdfminer loop for minutes inside stream decompression, and nothing inside the reader can
interrupt it; a worker process can be stopped from outside, and it reports the page it had reached.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import traceback

from core.ingest.errors import InputError, Problem

DEFAULT_SECONDS = 60.0
PDF_LIBRARIES = ("pdfminer", "pdfplumber", "pypdfium2")
_progress = None  # the page the worker is reading, shared with the parent (set just before the fork)


def seconds_from_env() -> float:
    """JUESUAN_DEADLINE (seconds) when set, else the default."""
    try:
        return float(os.environ.get("JUESUAN_DEADLINE", DEFAULT_SECONDS))
    except ValueError:
        return DEFAULT_SECONDS


def at_page(n: int) -> None:
    """Readers say which page they are on, so a stopped read can be reported at that page."""
    if _progress is not None:
        _progress.value = n


def failure(exc: BaseException, name: str) -> BaseException:
    """What a reader's exception means: InputError naming the page when a PDF library failed (a damaged file),
    else a RuntimeError carrying the traceback (a fault of ours)."""
    if isinstance(exc, InputError):
        return exc
    files = [f.filename for f in traceback.extract_tb(exc.__traceback__)]
    if any(lib in f for f in files for lib in PDF_LIBRARIES):
        page = _progress.value if _progress is not None else 0
        problem = Problem(name, page or 1, f"expected a readable PDF; the PDF library failed with "
                                           f"{type(exc).__name__}: {str(exc)[:200]}", "page" if page else "line")
        return InputError([problem])
    return RuntimeError(f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}")


def _worker(conn, fn, args, name) -> None:
    os.setpgid(0, 0)  # its own process group: the deadline stops it and any page readers it started
    try:
        conn.send((True, fn(*args)))
    except Exception as exc:  # noqa: BLE001 - sorted into a damaged file or a fault of ours
        conn.send((False, failure(exc, name)))
    finally:
        conn.close()


def run_with_deadline(fn, args: tuple, name: str, seconds: float | None = None):
    """fn(*args) in a worker process; InputError naming the file and page when it runs past `seconds`."""
    global _progress
    seconds = seconds_from_env() if seconds is None else seconds
    if seconds <= 0:
        return fn(*args)
    ctx = multiprocessing.get_context("fork")
    _progress = ctx.Value("i", 0)
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_worker, args=(send, fn, args, name))
    proc.start()
    send.close()
    try:
        if receive.poll(seconds):
            try:
                ok, payload = receive.recv()
            except EOFError:  # the worker died without a word (killed, out of memory)
                ok, payload = False, InputError([Problem(name, 1, "expected a readable file; the reader stopped "
                                                                  f"unexpectedly (exit {proc.exitcode})")])
            proc.join()
            if ok:
                return payload
            raise payload
        page = _progress.value
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.join()
        where = f"page {page}" if page else "the file"
        raise InputError([Problem(name, page or 1, f"expected to be read within {seconds:g} s; stopped at {where} "
                                                   "(a damaged or pathological file?)", "page" if page else "line")])
    finally:
        receive.close()
        _progress = None
