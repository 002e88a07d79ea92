"""Fixtures: a real DuckDB file built from the seed in a temporary folder, shared per session."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "fj-quanzhou-taishang-shehui-zhili-2022-final.txt"
SEED_DOC = "2022-final-1c256323b7"


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_db(tmp_path_factory) -> Path:
    from core.pipeline import ingest

    db = tmp_path_factory.mktemp("db") / "seed.duckdb"
    result = ingest([SEED], db)
    assert result.loaded == [SEED_DOC], result.problems
    return db


@pytest.fixture()
def con(seed_db):
    c = duckdb.connect(str(seed_db), read_only=True)
    yield c
    c.close()


@pytest.fixture()
def variant(tmp_path, seed_text):
    """Write a changed copy of the seed: variant(old, new, count=1) → path."""

    def make(*replacements, name="variant.txt", encoding="utf-8", newline="\n"):
        text = seed_text
        for old, new, *count in replacements:
            assert old in text, f"{old!r} not in the seed"
            text = text.replace(old, new, *(count or [1]))
        path = tmp_path / name
        path.write_bytes(text.replace("\n", newline).encode(encoding))
        return path

    return make


def pytest_collection_modifyitems(config, items):
    if os.environ.get("JUESUAN_REQUIRE_BROWSER") == "1":
        return
