"""Property-based fuzzing of ingest: mutations of the seed text and of a real PDF.

For every mutation:
- the command ends with exit 0 or 2, never a crash;
- after exit 2 the database is byte-for-byte unchanged;
- if the mutation is accepted and it loses or duplicates a table row carrying money, or moves a table figure by more
  than any identity's rounding tolerance (0.1 万元), the audit reports at least one new warning or error.

Rows whose figures are all 0.00 carry no money, so losing one is not required to be found. `make test` runs this
derandomized with 30 text and 3 PDF examples; `make fuzz` runs 1,000 and 100 and prints the count of each outcome.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.cli import main
from core.pipeline import ingest
from tests.conftest import SEED
from tests.test_pdf import AUTHENTIC

TEXT_EXAMPLES = int(os.environ.get("JUESUAN_FUZZ_TEXT", "30"))
PDF_EXAMPLES = int(os.environ.get("JUESUAN_FUZZ_PDF", "3"))
FULL = "JUESUAN_FUZZ_TEXT" in os.environ  # `make fuzz`: random, and the outcome counts are printed
MATERIAL = Decimal("0.1")
OUTCOMES: Counter = Counter()
COMMON = dict(deadline=None, derandomize=not FULL, database=None, print_blob=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])


@pytest.fixture(scope="module", autouse=True)
def report_outcomes():
    yield
    if FULL:
        print("\nfuzz outcomes:", ", ".join(f"{k} {v}" for k, v in sorted(OUTCOMES.items())))


@pytest.fixture(scope="module")
def baselines(tmp_path_factory):
    out = {}
    for name, source in (("text", SEED), ("pdf", AUTHENTIC)):
        db = tmp_path_factory.mktemp("fuzz") / f"{name}.duckdb"
        assert ingest([source], db).loaded
        out[name] = db
    return out


def _figures(db: Path) -> dict[tuple, list[Decimal]]:
    """Table figures by (table, side, code or label, column), each with its sorted amounts."""
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT table_code, side, coalesce(code, row_label), column_label, amount FROM line_items").fetchall()
    con.close()
    out: dict[tuple, list[Decimal]] = {}
    for *key, amount in rows:
        out.setdefault(tuple(key), []).append(amount)
    return {k: sorted(v) for k, v in out.items()}


def _findings(db: Path) -> set:
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT rule_id, table_code, row_ref, message FROM audit_findings "
                       "WHERE severity IN ('error', 'warning')").fetchall()
    con.close()
    return set(rows)


def _material_change(before: dict, after: dict) -> bool:
    """A row with money lost or duplicated, or a figure moved by more than MATERIAL."""
    for key in before.keys() | after.keys():
        b, a = before.get(key, []), after.get(key, [])
        if len(a) != len(b):
            if any(x != 0 for x in (b if len(a) < len(b) else a)):
                return True  # a row with money lost, or one printed twice
        elif any(abs(x - y) > MATERIAL for x, y in zip(a, b)):
            return True  # a figure moved
    return False


def _run(path: Path, baseline: Path, tmp: Path, label: str) -> None:
    db = tmp / f"{label}.duckdb"
    shutil.copyfile(baseline, db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
        code = main(["ingest", str(path), "--db", str(db), "--deadline", "30", "--replace"])
    assert code in (0, 2), err.getvalue()
    if code == 2:
        OUTCOMES[f"{label} refused"] += 1
        assert hashlib.sha256(db.read_bytes()).hexdigest() == before
        assert re.match(rf"^{re.escape(str(path))}:(page )?\d+: ", err.getvalue()), err.getvalue()
        return
    if _material_change(_figures(baseline), _figures(db)):
        new = _findings(db) - _findings(baseline)
        assert new, f"{label}: a material change with no new warning or error"
        OUTCOMES[f"{label} accepted, change found"] += 1
    else:
        OUTCOMES[f"{label} accepted, no material change"] += 1


TEXT_LINES = SEED.read_text(encoding="utf-8").split("\n")
MUTATIONS = ("drop line", "duplicate line", "change digit", "swap lines", "truncate", "insert noise", "join lines")


@settings(max_examples=TEXT_EXAMPLES, **COMMON)
@given(kind=st.sampled_from(MUTATIONS), at=st.integers(0, len(TEXT_LINES) - 1), digit=st.integers(0, 9),
       noise=st.text(min_size=1, max_size=40))
def test_text_mutations(kind, at, digit, noise, baselines, tmp_path):
    lines = list(TEXT_LINES)
    if kind == "drop line":
        del lines[at]
    elif kind == "duplicate line":
        lines.insert(at, lines[at])
    elif kind == "change digit":
        hits = [(i, m.start()) for i in range(at, min(at + 400, len(lines))) for m in re.finditer(r"\d", lines[i])]
        if hits:
            i, pos = hits[0]
            lines[i] = lines[i][:pos] + str(digit) + lines[i][pos + 1:]
    elif kind == "swap lines":
        j = min(at + 1, len(lines) - 1)
        lines[at], lines[j] = lines[j], lines[at]
    elif kind == "truncate":
        lines = lines[:at]
    elif kind == "insert noise":
        lines.insert(at, noise)
    elif kind == "join lines" and at + 1 < len(lines):
        lines[at:at + 2] = [lines[at] + lines[at + 1]]
    path = tmp_path / "mutated.txt"
    path.write_bytes("\n".join(lines).encode("utf-8", errors="surrogatepass"))
    _run(path, baselines["text"], tmp_path, "text")


PDF_BYTES = AUTHENTIC.read_bytes()


@settings(max_examples=PDF_EXAMPLES, **COMMON)
@given(kind=st.sampled_from(("flip bytes", "truncate", "drop span")), at=st.integers(0, len(PDF_BYTES) - 1),
       size=st.integers(1, 4096), seed=st.binary(min_size=1, max_size=16))
def test_pdf_mutations(kind, at, size, seed, baselines, tmp_path):
    data = bytearray(PDF_BYTES)
    if kind == "flip bytes":
        for n, b in enumerate(seed):
            data[(at + n * 997) % len(data)] ^= b or 0xFF
    elif kind == "truncate":
        data = data[: max(at, 16)]
    else:
        del data[at : at + size]
    path = tmp_path / "mutated.pdf"
    path.write_bytes(bytes(data))
    _run(path, baselines["pdf"], tmp_path, "pdf")
