"""data/sources.csv: where each document was published, reviewed by hand (shown in the app, exported with the data)."""

from __future__ import annotations

import csv
from pathlib import Path

SOURCES_CSV = Path(__file__).resolve().parents[1] / "data" / "sources.csv"
COLUMNS = ("department", "fiscal_year", "kind", "scope", "url", "publisher", "published", "sha256", "licence", "doc_id")


def load_sources(path: Path = SOURCES_CSV) -> list[dict]:
    """Every row of data/sources.csv; `doc_id` is filled from department, year, kind and scope."""
    from core.ingest.document import make_doc_id

    if not path.exists():
        return []
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["doc_id"] = make_doc_id(r["department"], int(r["fiscal_year"]), r["kind"], r["scope"])
    return rows
