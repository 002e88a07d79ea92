"""The `juesuan` command: ingest, build, docs, export, summary, audit."""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path

from core.db.connect import DatabaseError, db_path, open_readonly

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Wrong arguments or an ambiguous request: exit status 2."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="juesuan", description="部门决算公开看板: ingest, check and explore final accounts")
    sub = p.add_subparsers(dest="command", required=True)

    def with_db(sp):
        sp.add_argument("--db", help="database file (default: $JUESUAN_DB or data/juesuan.duckdb)")
        return sp

    ing = with_db(sub.add_parser("ingest", help="parse, validate and load documents (each all-or-nothing)"))
    ing.add_argument("files", nargs="+")
    ing.add_argument("--allow-incomplete", action="store_true", help="load a document that lacks some of the nine tables")
    ing.add_argument("--replace", action="store_true",
                     help="replace a stored copy even when the new one holds fewer parts")
    ing.add_argument("--deadline", type=float, default=None,
                     help="seconds allowed to read each file (default: $JUESUAN_DEADLINE or 60; 0 = no limit)")
    b = with_db(sub.add_parser("build", help="build the database from data/raw when it is missing or stale"))
    b.add_argument("--raw", default="data/raw")
    b.add_argument("--force", action="store_true")
    b.add_argument("--jobs", type=int, default=None, help="worker processes reading files (default: every core)")
    with_db(sub.add_parser("docs", help="list the documents"))
    ex = with_db(sub.add_parser("export", help="a table as published (CSV), or the public views as open data"))
    ex.add_argument("table", nargs="?", choices=[f"T0{i}" for i in range(1, 10)] + [f"B{i:02d}" for i in range(1, 14)],
                    help="T01–T09 for a 决算, B01–B13 for a 预算 (see data/layouts/budget_tables.csv)")
    ex.add_argument("--doc", action="append", help="the document (repeat --doc to export several)")
    ex.add_argument("--package", metavar="DIR", help="write every public view as CSV plus datapackage.json")
    ex.add_argument("--parquet", metavar="DIR", help="write every public view as a Parquet file")
    ex.add_argument("--all", action="store_true",
                    help="write every export of the current data version under exports/<version>/ beside the database")
    s = with_db(sub.add_parser("summary", help="headline figures of a document"))
    s.add_argument("--doc")
    s.add_argument("--json", action="store_true")
    a = with_db(sub.add_parser("audit", help="run the audit rules and print the findings"))
    a.add_argument("--doc")
    a.add_argument("--format", choices=["text", "json"], default="text")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code not in (0, None) else EXIT_OK
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"juesuan: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DatabaseError as exc:
        print(f"juesuan: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except (OSError, *_duckdb_errors()) as exc:
        print(f"juesuan: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else exc}", file=sys.stderr)
        return EXIT_FAILURE


def _duckdb_errors() -> tuple[type, ...]:
    """duckdb.Error, when the command imported DuckDB (an error of it cannot have happened otherwise): commands that
    never open a database, such as an up-to-date `juesuan build`, do not import it."""
    duckdb = sys.modules.get("duckdb")
    return (duckdb.Error,) if duckdb else ()


def cmd_ingest(args) -> int:
    from core.pipeline import ingest

    for f in args.files:
        if not Path(f).exists():
            print(f"{f}:1: expected a readable file; it does not exist", file=sys.stderr)
    files = [f for f in args.files if Path(f).exists()]
    result = ingest(files, db_path(args.db), allow_incomplete=args.allow_incomplete, deadline=args.deadline,
                    replace=args.replace)
    for line in result.merged:
        print(line)
    for doc_id in result.loaded:
        print(f"loaded {doc_id}")
    for problem in result.problems:
        print(str(problem), file=sys.stderr)
    for notice in result.notices:  # after the problems: a notice is worth a look, a problem is a refusal
        print(notice, file=sys.stderr)
    return EXIT_USAGE if result.problems or len(files) < len(args.files) else EXIT_OK


def cmd_build(args) -> int:
    from core.raw import needs_build

    db = db_path(args.db)
    if not args.force and not needs_build(db, args.raw):
        from core.opendata import current_exports, export_all

        print(f"{db} is up to date; exports in {current_exports(db) or export_all(db)}")
        return EXIT_OK
    from core.pipeline import build

    result = _build_with_progress(build, db, args)
    from core.opendata import export_all

    print(f"exports in {export_all(db)}")
    for line in result.merged:
        print(line)
    for doc_id in result.loaded:
        print(f"loaded {doc_id}")
    if not sys.stderr.isatty():  # on a terminal each problem was shown as it happened
        for problem in result.problems:
            print(str(problem), file=sys.stderr)
    for notice in result.notices:  # after the problems: a notice is worth a look, a problem is a refusal
        print(notice, file=sys.stderr)
    return EXIT_USAGE if result.problems else EXIT_OK


def _build_with_progress(build, db, args):
    """A progress bar on a terminal (documents done of total, failures, elapsed and time left); quiet otherwise.
    Each failing file is reported as FILE:LINE: message when it fails, and the build goes on."""
    if not sys.stderr.isatty():
        return build(db, args.raw, jobs=args.jobs)
    from tqdm import tqdm

    bar = tqdm(total=None, unit="份", desc="build", dynamic_ncols=True, file=sys.stderr)

    def progress(done, total, failures):
        bar.total = total
        bar.set_postfix_str(f"失败 {failures}")
        bar.update(done - bar.n)

    try:
        return build(db, args.raw, jobs=args.jobs, on_progress=progress, on_problem=lambda p: bar.write(str(p)))
    finally:
        bar.close()


def _connect(args):
    return open_readonly(db_path(args.db)).con


def resolve_doc(con, doc: str | None) -> str:
    """The doc_id to act on: the one given, or the only one; several without --doc is a usage error."""
    ids = [r[0] for r in con.execute("SELECT doc_id FROM documents ORDER BY fiscal_year, doc_id").fetchall()]
    if doc:
        if doc not in ids:
            raise UsageError(f"no document {doc!r}; the database holds: {', '.join(ids) or '(none)'}")
        return doc
    if len(ids) == 1:
        return ids[0]
    if not ids:
        raise UsageError("the database holds no documents; run `juesuan ingest FILE` first")
    raise UsageError("several documents; choose one with --doc:\n  " + "\n  ".join(ids))


def cmd_docs(args) -> int:
    con = _connect(args)
    rows = con.execute(
        "SELECT doc_id, fiscal_year, kind, department, source_file FROM documents ORDER BY fiscal_year, doc_id"
    ).fetchall()
    for r in rows:
        print("\t".join(str(x) for x in r))
    return EXIT_OK


def cmd_export(args) -> int:
    from core.export import write_csv
    from core.published import published_table

    if args.all:
        from core.opendata import export_all

        print(f"exports in {export_all(db_path(args.db))}")
        return EXIT_OK
    con = _connect(args)
    if args.package or args.parquet:
        from core.opendata import ExportError, write_package, write_parquet

        try:
            if args.package:
                print(f"wrote {write_package(con, args.package, args.doc)}")
            if args.parquet:
                print(f"wrote {write_parquet(con, args.parquet, args.doc)}")
        except ExportError as exc:
            raise UsageError(str(exc)) from exc
        return EXIT_OK
    if not args.table:
        raise UsageError("name a table (T01–T09, B01–B13), or give --package DIR or --parquet DIR")
    if args.doc and len(args.doc) > 1:
        raise UsageError("a table is exported for one document: give --doc once")
    doc_id = resolve_doc(con, args.doc[0] if args.doc else None)
    header, rows = published_table(con, doc_id, args.table)
    write_csv(header, rows, sys.stdout)
    return EXIT_OK


def _jsonable(x):
    if isinstance(x, Decimal):
        return float(x) if x != x.to_integral_value() else int(x)
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    return x


def cmd_summary(args) -> int:
    from core.figures import summary

    con = _connect(args)
    doc_id = resolve_doc(con, args.doc)
    data = summary(con, doc_id)
    if args.json:
        print(json.dumps(_jsonable(data), ensure_ascii=False, indent=2))
    else:
        for k, v in data.items():
            print(f"{k}\t{_jsonable(v)}")
    return EXIT_OK


def cmd_audit(args) -> int:
    from core.audit.engine import findings_for

    con = _connect(args)
    doc_id = resolve_doc(con, args.doc)
    findings, coverage = findings_for(con, doc_id)
    if args.format == "json":
        print(json.dumps(_jsonable({"doc_id": doc_id, "findings": findings, "coverage": coverage}),
                         ensure_ascii=False, indent=2, default=str))
    else:
        for f in findings:
            print(f"[{f['severity']}] {f['rule_id']} {f['table_code']}:{f['row_ref']} {f['message']}")
        counts = {s: sum(1 for f in findings if f["severity"] == s) for s in ("error", "warning", "info")}
        print(f"{doc_id}: {counts['error']} error, {counts['warning']} warning, {counts['info']} info")
    return EXIT_FAILURE if any(f["severity"] == "error" for f in findings) else EXIT_OK


COMMANDS = {
    "ingest": cmd_ingest,
    "build": cmd_build,
    "docs": cmd_docs,
    "export": cmd_export,
    "summary": cmd_summary,
    "audit": cmd_audit,
}
