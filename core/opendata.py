"""Open data: the public views as a Frictionless tabular data package (CSV + datapackage.json) or as Parquet.

Only the public views are exported, never the internal t_ tables. Every file is written inside the chosen folder.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import re
from pathlib import Path

from core.catalogue import COLUMNS, VIEW_EN
from core.formulas import FORMULA_PREFIXES
from core.model_info import PUBLIC_VIEWS
from core.sources import load_sources

PROFILE = "tabular-data-package"
LICENCE = {"name": "other-pd", "title": "政府信息公开文件（公开信息）/ Public government disclosures",
           "path": "https://opendefinition.org/licenses/"}
CODE_LICENCE = "MIT (juesuan code); the figures are those the departments published"
# Fiscal Data Package concepts carried as field metadata (columnType), for the columns that hold them
COLUMN_TYPES = {
    "fiscal_year": "date:fiscal-year", "kind": "phase", "side": "direction",
    "doc_id": "administrative-classification:generic:id", "department": "administrative-classification:generic:label",
}
AMOUNT_TYPES = ("DECIMAL(22,6)", "DECIMAL(18,2)")
NOT_MONEY = re.compile(r"pct|rate|score|weight|^value$|^actual$|^expected$|^difference$")
APOSTROPHE = "''''"  # the SQL literal of one apostrophe
_CLASS = "".join({"\t": r"\t", "\r": r"\r", "-": r"\-"}.get(c, c) for c in FORMULA_PREFIXES)
FORMULA_START = f"'^[{_CLASS}'']'"  # SQL literal: a text a spreadsheet would run as a formula, or one already quoted
PRIMARY_KEYS = {"documents": ["doc_id"], "projects": ["doc_id", "project_id"], "function_classes": ["code"]}


class ExportError(Exception):
    """The export cannot be written where asked (exit status 2)."""


def _field(view: str, name: str, duck_type: str) -> dict:
    zh, en = COLUMNS[name]
    field = {"name": name, "title": zh, "description": en, "juesuan:type": duck_type}
    if duck_type.startswith("DECIMAL"):
        field["type"] = "number"
    elif duck_type in ("INTEGER", "BIGINT"):
        field["type"] = "integer"
    elif duck_type == "TIMESTAMP":
        field["type"] = "datetime"
    elif duck_type.endswith("[]"):
        field["type"] = "array"
    else:
        field["type"] = "string"
    if duck_type in AMOUNT_TYPES and not NOT_MONEY.search(name):
        field.update({"unit": "万元", "columnType": "value", "currency": "CNY", "factor": 10000})
    elif name == "code" and view in ("expenditure_by_function", "gpb_expenditure_by_function", "income_by_function",
                                     "fiscal_expenditure_by_function", "function_classes"):
        field["columnType"] = "functional-classification:generic:code"
    elif name == "code" and view in ("basic_expenditure_by_economic", "economic_classes",
                                     "office_operation_by_economic"):
        field["columnType"] = "economic-classification:generic:code"
    elif name == "name" and view.endswith("by_function"):
        field["columnType"] = "functional-classification:generic:label"
    elif name == "name" and view.endswith("by_economic"):
        field["columnType"] = "economic-classification:generic:label"
    elif name in COLUMN_TYPES:
        field["columnType"] = COLUMN_TYPES[name]
    return field


def _export_expr(name: str, duck_type: str) -> str:
    """How a column is written to CSV: lists as JSON, timestamps in ISO 8601, and a text cell that a spreadsheet
    would run as a formula (or that begins with an apostrophe) prefixed with an apostrophe, which load_package
    removes. Column names come from DESCRIBE of a constant view name, never from input."""
    if duck_type.endswith("[]"):
        return f"to_json({name})::VARCHAR AS {name}"
    if duck_type == "TIMESTAMP":
        return f"strftime({name}, '%Y-%m-%dT%H:%M:%S.%f') AS {name}"
    if duck_type == "VARCHAR":
        return f"CASE WHEN regexp_matches({name}, {FORMULA_START}) THEN {APOSTROPHE} || {name} ELSE {name} END AS {name}"
    return name


def _import_expr(field: dict) -> str:
    name, duck_type = field["name"], field["juesuan:type"]
    if duck_type.endswith("[]"):
        return f"from_json({name}, '[\"{duck_type[:-2]}\"]') AS {name}"
    if duck_type == "VARCHAR":
        return f"CASE WHEN starts_with({name}, {APOSTROPHE}) THEN substr({name}, 2) ELSE {name} END AS {name}"
    return f"CAST({name} AS {duck_type}) AS {name}"


def _select(con, view: str, exprs: str, columns: list[str], doc_ids: list[str] | None):
    """A relation over one public view, for the chosen documents (their ids passed as a parameter)."""
    if doc_ids is not None and "doc_id" in columns:
        return con.sql(f"SELECT {exprs} FROM {view} WHERE list_contains($ids, doc_id)", params={"ids": doc_ids})
    return con.sql(f"SELECT {exprs} FROM {view}")


def _check_docs(con, doc_ids: list[str] | None) -> None:
    known = {r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()}
    unknown = [d for d in doc_ids or [] if d not in known]
    if unknown:
        raise ExportError(f"no document {', '.join(unknown)}; the database holds: {', '.join(sorted(known))}")


def _inside(folder: Path, name: str) -> Path:
    """The path of an output file, refused when it would land outside the folder (links included)."""
    path = folder / name
    if path.is_symlink() or path.resolve().parent != folder.resolve():
        raise ExportError(f"{path}: refusing to write outside {folder}")
    return path


def _folder(out: str | Path) -> Path:
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder}: expected a folder to write into; it is a file")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def data_version(con, doc_ids: list[str] | None = None) -> dict:
    """What a figure can be cited against: the as-of time, every document with its hash, and replacements."""
    docs = con.execute("SELECT doc_id, source_sha256, ingested_at FROM documents ORDER BY doc_id").fetchall()
    docs = [d for d in docs if doc_ids is None or d[0] in doc_ids]
    replaced = con.execute("SELECT doc_id, old_sha256, new_sha256, replaced_at FROM replaced_documents "
                           "ORDER BY replaced_at").fetchall()
    as_of = max((d[2] for d in docs), default=None)
    digest = hashlib.sha256("\n".join(f"{d}:{h}" for d, h, _ in docs).encode()).hexdigest()[:12]
    return {
        "id": f"{as_of:%Y%m%d}-{digest}" if as_of else f"empty-{digest}",
        "as_of": as_of.isoformat(timespec="seconds") if as_of else None,
        "documents": [{"doc_id": d, "sha256": h} for d, h, _ in docs],
        "replaced": [{"doc_id": d, "old_sha256": o, "new_sha256": n, "replaced_at": t.isoformat(timespec="seconds")}
                     for d, o, n, t in replaced if doc_ids is None or d in doc_ids],
    }


def write_package(con, out: str | Path, doc_ids: list[str] | None = None) -> Path:
    """CSV per public view plus datapackage.json (Frictionless tabular data package, no remote schema)."""
    folder = _folder(out)
    _check_docs(con, doc_ids)
    resources = []
    for view in PUBLIC_VIEWS:
        described = con.execute(f"DESCRIBE {view}").fetchall()  # constant view names only
        columns = [r[0] for r in described]
        # NULL is an empty field and an empty text is "" (DuckDB's CSV writer keeps the two apart)
        exprs = ", ".join(_export_expr(n, t) for n, t, *_ in described)
        _select(con, view, exprs, columns, doc_ids).write_csv(str(_inside(folder, f"{view}.csv")), header=True)
        schema = {"fields": [_field(view, name, typ) for name, typ, *_ in described], "missingValues": [""]}
        if view in PRIMARY_KEYS:
            schema["primaryKey"] = PRIMARY_KEYS[view]
        fks = []
        if "doc_id" in columns and view != "documents":
            fks.append({"fields": ["doc_id"], "reference": {"resource": "documents", "fields": ["doc_id"]}})
        if "project_id" in columns and view not in ("projects", "evaluation_reports", "report_indicators"):
            fks.append({"fields": ["doc_id", "project_id"],
                        "reference": {"resource": "projects", "fields": ["doc_id", "project_id"]}})
        if fks:
            schema["foreignKeys"] = fks
        zh, en = PUBLIC_VIEWS[view], VIEW_EN[view]
        resources.append({"name": view, "path": f"{view}.csv", "profile": "tabular-data-resource", "format": "csv",
                          "encoding": "utf-8", "title": zh, "description": en, "schema": schema})
    sources = [s for s in load_sources() if doc_ids is None or s["doc_id"] in doc_ids]
    version = data_version(con, doc_ids)
    package = {
        "profile": PROFILE,
        "name": "juesuan",
        "title": "juesuan 部门决算与部门预算公开数据",
        "description": ("Figures of Chinese department final accounts (决算) and budgets (预算) as published, in 万元 "
                        "(10,000 CNY), with their provenance and automatic consistency checks. Text cells that begin "
                        "with = + - @ or a tab carry a leading apostrophe so spreadsheets do not run them; "
                        "juesuan's loader removes it."),
        "licenses": [LICENCE],
        "sources": [{"title": f"{s['department']} {s['fiscal_year']} {s['scope']}{s['kind']}",
                     **({"path": s["url"]} if s["url"] else {}), "publisher": s["publisher"],
                     "published": s["published"], "sha256": s["sha256"], "licence": s["licence"]} for s in sources],
        "fiscal": {"currency": "CNY", "scale": "万元 = 10,000 CNY", "fiscalPeriod": "calendar year (fiscal_year)",
                   "phases": {"预算": "budget (planned)", "决算": "final accounts (executed)"}},
        "version": version["id"],
        "juesuan:data_version": version,
        "contributors": [{"title": "juesuan", "role": "publisher"}],
        "juesuan:code_licence": CODE_LICENCE,
        "resources": resources,
    }
    _inside(folder, "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2),
                                                   encoding="utf-8")
    return folder


def write_parquet(con, out: str | Path, doc_ids: list[str] | None = None) -> Path:
    """One Parquet file per public view (exact decimals), readable by DuckDB, pandas and any Parquet engine."""
    folder = _folder(out)
    _check_docs(con, doc_ids)
    for view in PUBLIC_VIEWS:
        columns = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]  # constant view names only
        _select(con, view, "*", columns, doc_ids).write_parquet(str(_inside(folder, f"{view}.parquet")))
    _inside(folder, "version.json").write_text(json.dumps(data_version(con, doc_ids), ensure_ascii=False, indent=2),
                                               encoding="utf-8")
    return folder


def load_package(folder: str | Path, con) -> list[str]:
    """Load a package written by write_package into a DuckDB connection: one table per resource, each column of
    the type it had in juesuan (recorded as `juesuan:type`), so the rows come back exactly."""
    folder = Path(folder)
    package = json.loads(_inside(folder, "datapackage.json").read_text(encoding="utf-8"))
    names = []
    for res in package["resources"]:
        fields = res["schema"]["fields"]
        if not all(re.fullmatch(r"[a-z_][a-z0-9_]*", x) for x in [res["name"], *(f["name"] for f in fields)]) or \
                not all(re.fullmatch(r"[A-Z]+(\(\d+,\d+\))?(\[\])?", f["juesuan:type"]) for f in fields):
            raise ExportError(f"{folder}: {res['name']} is not a juesuan resource")
        exprs = ", ".join(_import_expr(f) for f in fields)  # names and types checked above
        con.execute(f"CREATE TABLE {res['name']} AS SELECT {exprs} FROM read_csv(?, header = true, "
                    "all_varchar = true, allow_quoted_nulls = false)", [str(_inside(folder, res["path"]))])
        names.append(res["name"])
    return names


SIZE_CAP = 100 * 1024 * 1024  # bytes: larger downloads are offered per document or as Parquet only
COMPLETE = "COMPLETE"


def exports_root(db_path: str | Path) -> Path:
    return Path(db_path).parent / "exports"


def version_dir(db_path: str | Path, con) -> Path:
    """Where the exports of the database's current data version live."""
    return exports_root(db_path) / data_version(con)["id"]


def write_bundle(con, folder: Path, doc_ids: list[str] | None) -> None:
    """package.zip, parquet.zip and public.duckdb (the public views only, no t_ tables) for these documents."""
    import zipfile

    import duckdb

    folder.mkdir(parents=True, exist_ok=True)
    for name, write in (("package", write_package), ("parquet", write_parquet)):
        staged = write(con, folder / name, doc_ids)
        with zipfile.ZipFile(folder / f"{name}.zip", "w", zipfile.ZIP_DEFLATED) as zf:
            for f in sorted(staged.iterdir()):
                zf.write(f, f.name)
    target = folder / "public.duckdb"
    if "'" in str(target):  # the path is ours, but it is spliced into ATTACH: refuse a quote rather than escape it
        raise ExportError(f"{target}: a quote in the export path is not supported")
    public = duckdb.connect()
    try:  # small blocks: a one-document file is under 1 MB instead of several
        public.execute(f"ATTACH '{target}' AS pub (BLOCK_SIZE 16384)")
        for view in PUBLIC_VIEWS:
            public.execute(f"CREATE TABLE pub.{view} AS SELECT * FROM read_parquet(?)",  # constant view names only
                           [str(folder / "parquet" / f"{view}.parquet")])
        version = json.loads((folder / "parquet" / "version.json").read_text(encoding="utf-8"))
        public.execute("CREATE TABLE pub.data_version AS SELECT ?::VARCHAR AS id, ?::VARCHAR AS as_of, "
                       "?::JSON AS documents, ?::JSON AS replaced",
                       [version["id"], version["as_of"], json.dumps(version["documents"]),
                        json.dumps(version["replaced"])])
        public.execute("DETACH pub")
    finally:
        public.close()
    shutil.rmtree(folder / "package")
    shutil.rmtree(folder / "parquet")


def export_all(db_path: str | Path) -> Path:
    """Every export of the current data version, under data/exports/<version>/ (written aside, then renamed):
    all/ for the collection and docs/<doc_id>/ for each document. An existing complete version is kept as is."""
    import duckdb

    made_for = _file_identity(db_path)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        root = version_dir(db_path, con)
        if not (root / COMPLETE).exists():
            staging = root.with_name(root.name + f".{os.getpid()}.tmp")
            shutil.rmtree(staging, ignore_errors=True)
            write_bundle(con, staging / "all", None)
            for (doc_id,) in con.execute("SELECT doc_id FROM documents ORDER BY doc_id").fetchall():
                write_bundle(con, staging / "docs" / doc_id, [doc_id])
            (staging / COMPLETE).write_text(json.dumps(data_version(con), ensure_ascii=False, indent=2),
                                            encoding="utf-8")
            shutil.rmtree(root, ignore_errors=True)
            os.replace(staging, root)
    finally:
        con.close()
    if _file_identity(db_path) == made_for:  # not replaced meanwhile: these exports are that file's
        mark = _current_mark(db_path)
        staged = mark.with_name(mark.name + f".{os.getpid()}.tmp")
        staged.write_text(json.dumps({"file": made_for, "version": root.name}), encoding="utf-8")
        os.replace(staged, mark)
    return root


def current_exports(db_path: str | Path) -> Path | None:
    """The complete exports of the database file as it is now, found without opening it (export_all records which
    file, by inode, mtime and size, it last exported): `make run` asks on every start, and DuckDB alone takes 0.13 s to
    import. None when the file changed since, or nothing is recorded; export_all then looks in the database."""
    try:
        mark = json.loads(_current_mark(db_path).read_text(encoding="utf-8"))
        root = exports_root(db_path) / mark["version"]
        if mark["file"] == _file_identity(db_path) and (root / COMPLETE).exists():
            return root
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def _current_mark(db_path: str | Path) -> Path:
    # beside the database, not in exports/ (which holds one folder per data version and nothing else)
    return Path(db_path).parent / f"{Path(db_path).name}.exports.json"


def _file_identity(db_path: str | Path) -> list[int]:
    from core.db.connect import file_version  # the app's own notion of "this file"; imports no DuckDB

    return list(file_version(db_path))  # a list: what the JSON record reads back as


def downloads(con, db_path: str | Path, doc_id: str | None) -> list[dict]:
    """The export files the app offers for a document (or the collection when doc_id is None): label, path,
    size, and whether it is small enough to hand through the page."""
    root = version_dir(db_path, con)
    if not (root / COMPLETE).exists():
        return []
    folder = root / ("all" if doc_id is None else f"docs/{doc_id}")
    out = []
    for name, label in (("package.zip", "数据包（CSV + datapackage.json）"), ("parquet.zip", "Parquet 文件"),
                        ("public.duckdb", "DuckDB 数据库（只含公开视图）")):
        path = folder / name
        if path.exists():
            size = path.stat().st_size
            out.append({"name": name, "label": label, "path": path, "size": size, "servable": size <= SIZE_CAP})
    return out
