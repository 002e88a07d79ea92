"""Open data: a validated Frictionless package that round-trips exactly, Parquet, and writes only where asked."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from core.cli import main
from core.model_info import PUBLIC_VIEWS
from core.opendata import load_package
from core.pipeline import ingest
from tests.conftest import SEED

BUDGET = Path(__file__).resolve().parents[1] / "data" / "raw" / "sh-putuo-justice-bureau-2026-dept-budget"


@pytest.fixture(scope="module")
def two_kinds(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("open") / "open.duckdb"
    assert len(ingest([SEED, BUDGET], db).loaded) == 2
    return db


def _rows(con, sql: str) -> Counter:
    return Counter(tuple(tuple(v) if isinstance(v, list) else v for v in row) for row in con.execute(sql).fetchall())


def test_package_validates_offline_and_round_trips_exactly(two_kinds, tmp_path):
    from frictionless import validate

    out = tmp_path / "pkg"
    assert main(["export", "--package", str(out), "--db", str(two_kinds)]) == 0
    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])[:10]
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package" and "$schema" not in json.dumps(package)
    assert [r["name"] for r in package["resources"]] == list(PUBLIC_VIEWS)
    fields = {f["name"]: f for f in next(r for r in package["resources"] if r["name"] == "line_items")["schema"]["fields"]}
    assert fields["amount"]["type"] == "number" and fields["amount"]["unit"] == "万元"
    assert fields["amount"]["columnType"] == "value" and fields["amount"]["currency"] == "CNY"
    assert fields["doc_id"]["title"] and fields["doc_id"]["description"]
    version = package["juesuan:data_version"]
    assert package["version"] == version["id"] and len(version["documents"]) == 2
    assert any(s.get("path", "").startswith("https://www.shpt.gov.cn/") for s in package["sources"])
    fresh = duckdb.connect(str(tmp_path / "fresh.duckdb"))
    load_package(out, fresh)
    live = duckdb.connect(str(two_kinds), read_only=True)
    for view in PUBLIC_VIEWS:
        assert _rows(fresh, f"SELECT * FROM {view}") == _rows(live, f"SELECT * FROM {view}"), view
    assert not [t for (t,) in fresh.execute("SHOW TABLES").fetchall() if t.startswith("t_")]


def test_package_for_chosen_documents(two_kinds, tmp_path):
    out = tmp_path / "one"
    assert main(["export", "--package", str(out), "--doc", "2022-final-1c256323b7", "--db", str(two_kinds)]) == 0
    docs = pd.read_csv(out / "documents.csv")
    assert list(docs["doc_id"]) == ["2022-final-1c256323b7"]
    assert set(pd.read_csv(out / "line_items.csv")["doc_id"]) == {"2022-final-1c256323b7"}
    assert main(["export", "--package", str(tmp_path / "x"), "--doc", "2099-final-0", "--db", str(two_kinds)]) == 2


def test_parquet_reads_back_in_duckdb_and_pandas(two_kinds, tmp_path):
    out = tmp_path / "pq"
    assert main(["export", "--parquet", str(out), "--db", str(two_kinds)]) == 0
    assert sorted(p.stem for p in out.glob("*.parquet")) == sorted(PUBLIC_VIEWS)
    assert json.loads((out / "version.json").read_text(encoding="utf-8"))["documents"]
    live = duckdb.connect(str(two_kinds), read_only=True)
    con = duckdb.connect()
    path = str(out / "line_items.parquet")
    assert _rows(con, f"SELECT * FROM read_parquet('{path}')") == _rows(live, "SELECT * FROM line_items")
    frame = pd.read_parquet(out / "documents.parquet")
    assert set(frame["kind"]) == {"决算", "预算"}


def test_export_never_writes_outside_the_folder(two_kinds, tmp_path, capsys):
    out = tmp_path / "pkg"
    out.mkdir()
    outside = tmp_path / "outside.csv"
    (out / "documents.csv").symlink_to(outside)
    assert main(["export", "--package", str(out), "--db", str(two_kinds)]) == 2
    assert "refusing to write outside" in capsys.readouterr().err and not outside.exists()
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["export", "--parquet", str(blocker), "--db", str(two_kinds)]) == 2


def test_every_view_and_column_is_described_in_chinese_and_english(two_kinds):
    from core.catalogue import COLUMNS, VIEW_EN

    con = duckdb.connect(str(two_kinds), read_only=True)
    assert sorted(VIEW_EN) == sorted(PUBLIC_VIEWS)
    for view in PUBLIC_VIEWS:
        for name, *_ in con.execute(f"DESCRIBE {view}").fetchall():
            zh, en = COLUMNS[name]
            assert zh and en and zh != en, (view, name)


def test_build_writes_the_exports_and_the_data_page_offers_them(tmp_path, monkeypatch):
    """`juesuan build` keeps the source files by hash and writes every export of the data version; the page
    offers the document's and the collection's package, Parquet and DuckDB file, and the original file."""
    import zipfile

    from streamlit.testing.v1 import AppTest

    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "seed.txt").write_bytes(SEED.read_bytes())
    db = tmp_path / "data" / "j.duckdb"
    assert main(["build", "--raw", str(raw), "--db", str(db)]) == 0
    [version] = [p for p in (db.parent / "exports").iterdir()]
    assert (version / "COMPLETE").exists()
    for folder in (version / "all", version / "docs" / "2022-final-1c256323b7"):
        assert sorted(p.name for p in folder.iterdir()) == ["package.zip", "parquet.zip", "public.duckdb"]
    assert "datapackage.json" in zipfile.ZipFile(version / "all" / "package.zip").namelist()
    public = duckdb.connect(str(version / "all" / "public.duckdb"), read_only=True)
    tables = [t for (t,) in public.execute("SHOW TABLES").fetchall()]
    assert sorted(tables) == sorted([*PUBLIC_VIEWS, "data_version"]) and not [t for t in tables if t.startswith("t_")]
    assert public.execute("SELECT id FROM data_version").fetchone()[0] == version.name
    public.close()
    kept = list((db.parent / "files").iterdir())
    assert [p.name for p in kept] == ["e31cdf7a4a468c9f196d778bb1f4e175f9cbb27eda75a9f2cb058a8e1c167e20.txt"]
    monkeypatch.setenv("JUESUAN_DB", str(db))
    at = AppTest.from_file(str(Path(__file__).resolve().parents[1] / "app.py"), default_timeout=30).run()
    at.switch_page("pages/data.py")
    at.run()
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert sum("数据包" in lbl for lbl in labels) == 2 and sum("DuckDB" in lbl for lbl in labels) == 2
    assert "下载入库时的原文件" in labels


def test_a_replaced_document_is_recorded_in_the_data_version(tmp_path, variant):
    db = tmp_path / "r.duckdb"
    assert ingest([SEED], db).loaded
    changed = variant(("三、部门主要工作总结", "三、部门主要工作总结 "))  # a different file, same document
    assert ingest([changed], db).loaded
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("SELECT doc_id, old_sha256, new_sha256 FROM replaced_documents").fetchall()
    from core.opendata import data_version

    version = data_version(con)
    con.close()
    assert len(rows) == 1 and rows[0][0] == "2022-final-1c256323b7" and rows[0][1] != rows[0][2]
    assert version["replaced"][0]["old_sha256"] == rows[0][1]
    assert main(["build", "--force", "--raw", str(_only(tmp_path, SEED)), "--db", str(db)]) == 0
    con = duckdb.connect(str(db), read_only=True)  # a rebuild keeps the record and adds the change back
    assert con.execute("SELECT count(*) FROM replaced_documents").fetchone()[0] == 2
    con.close()


def _only(tmp_path: Path, source: Path) -> Path:
    raw = tmp_path / "raw-only"
    raw.mkdir(exist_ok=True)
    (raw / source.name).write_bytes(source.read_bytes())
    return raw
