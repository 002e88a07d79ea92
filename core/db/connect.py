"""Opening the database: read-only for readers, with the file's identity so a replaced file is noticed."""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import duckdb

DEFAULT_DB = Path("data") / "juesuan.duckdb"


class DatabaseError(Exception):
    """The database is missing, unreadable or not a juesuan database."""


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """`--db` first, then JUESUAN_DB, then data/juesuan.duckdb."""
    return Path(explicit or os.environ.get("JUESUAN_DB") or DEFAULT_DB)


def file_version(path: str | os.PathLike) -> tuple[int, int, int]:
    """(inode, mtime_ns, size): changes whenever an ingest replaces the file."""
    st = os.stat(path)
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class Memo:
    """Results of one document's reads that several figures share (its projects, its 合计 rows, its narrative
    figures), kept for the life of one read-only handle: the file cannot change under it, and a replaced file gets a
    new handle. A page's figures then read each of them once instead of once per figure; every statement costs
    DuckDB 2–4 ms of planning whatever the collection's size (measured in bench/run.py)."""

    SIZE = 256  # entries, least recently used dropped first: a page reads about eight, so some 30 documents' worth

    def __init__(self):
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def get(self, key: tuple, compute):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()  # outside the lock: two sessions may both compute it, never block each other
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.SIZE:
                self._items.popitem(last=False)
        return value


def remembered(con, key: tuple, compute):
    """compute(), or its remembered result when `con` comes from a Handle (the app); a bare connection (ingest, CLI,
    tests) always computes. The caller gets its own copy of a dict or DataFrame, so changing it changes no one
    else's."""
    memo = getattr(con, "memo", None)
    value = compute() if memo is None else memo.get(key, compute)
    return value.copy() if memo is not None and hasattr(value, "copy") else value


class Counted:
    """A cursor that counts the statements run through it and the cursors made from it (one shared tally per
    database handle), so the bench can print how many statements each page issues; it carries the handle's Memo."""

    def __init__(self, cursor, tally: list[int], memo: Memo | None = None):
        self._cursor = cursor
        self._tally = tally
        self.memo = memo

    def execute(self, *args, **kwargs):
        self._tally[0] += 1
        return self._cursor.execute(*args, **kwargs)

    def cursor(self):
        return Counted(self._cursor.cursor(), self._tally, self.memo)

    def __getattr__(self, name):
        return getattr(self._cursor, name)


@dataclass
class Handle:
    """A read-only connection and the file version it was opened on."""

    con: duckdb.DuckDBPyConnection
    path: Path
    version: tuple[int, int, int]
    statements: list[int] = field(default_factory=lambda: [0])  # statements run through cursor(), for the bench
    memo: Memo = field(default_factory=Memo)

    def cursor(self):
        return Counted(self.con.cursor(), self.statements, self.memo)


def open_readonly(path: str | os.PathLike) -> Handle:
    """A read-only connection; DatabaseError with a plain message when the file is missing or corrupt."""
    path = Path(path)
    if not path.exists():
        raise DatabaseError(f"数据库文件不存在：{path}")
    import duckdb  # here: db_path() and DatabaseError serve commands that never open a database

    from core.model_info import PUBLIC_MACROS, PUBLIC_VIEWS

    try:
        version = file_version(path)
        con = duckdb.connect(str(path), read_only=True)
        # a page's statements are many and small: one thread each is faster than two (measured in bench/run.py),
        # and leaves the other core to another visitor's session
        con.execute("SET threads = 1")
        con.execute("SELECT count(*) FROM documents").fetchall()
        have = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
        for name in PUBLIC_MACROS:  # a probe, not a scan of duckdb_functions() (every built-in function: 15–25 ms)
            try:
                con.execute(f"SELECT * FROM {name}([]::VARCHAR[]) LIMIT 0")
                have.add(name)
            except duckdb.CatalogException:
                pass
    except duckdb.Error as exc:
        raise DatabaseError(f"无法读取数据库 {path}：{str(exc).splitlines()[0]}") from exc

    missing = sorted((set(PUBLIC_VIEWS) | set(PUBLIC_MACROS)) - have)
    if missing:  # built by an older juesuan: say so rather than fail inside a page
        con.close()
        raise DatabaseError(f"数据库 {path} 是旧版本构建的，缺少视图或表函数 {', '.join(missing)}")
    return Handle(con, path, version)
