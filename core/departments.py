"""Which body a printed department name is, across years and spellings: data/departments.csv, reviewed by hand.

A document prints its department's name as the year's cover has it: 中国共产党 or 中共, with or without 常委会, with
the province or only 省, sometimes after the year. The name is normalised by the rules below, then looked up among
the normalised printed names of the reviewed file. Scope (部门 / 单位) is not part of the name: a 部门 and a 单位
budget of one body are different series of the same department_id.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from core.ingest.numbers import fold

DEPARTMENTS_CSV = Path(__file__).resolve().parents[1] / "data" / "departments.csv"
COLUMNS = ("printed_name", "department_id", "display_name", "region", "level")
RULES = (
    (re.compile(r"^\d{4}年度?"), ""),  # a cover that puts the year first
    (re.compile(r"中国共产党"), "中共"),
    (re.compile(r"(人民代表大会|人大)常务委员会"), r"\1"),  # 常委会 or not
    (re.compile(r"(人民代表大会|人大)常委会"), r"\1"),
    (re.compile(r"人民代表大会"), "人大"),
    (re.compile(r"\s+"), ""),
)


@dataclass(frozen=True)
class Department:
    department_id: str
    display_name: str
    region: str  # path, e.g. 上海市/普陀区
    level: str


def normalise(name: str) -> str:
    """The name with the spellings that do not change the body folded away (RULES, in order)."""
    out = fold(name or "")
    for pattern, replacement in RULES:
        out = pattern.sub(replacement, out)
    return out


def load(path: Path = DEPARTMENTS_CSV) -> dict[str, Department]:
    """normalised printed name → Department."""
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {normalise(r["printed_name"]): Department(r["department_id"], r["display_name"], r["region"], r["level"])
            for r in rows}


def resolve(name: str, known: dict[str, Department] | None = None) -> Department | None:
    """The department a printed name is, or None when data/departments.csv cannot place it. A name that begins
    with 省 (江苏省 left out) is tried under each province the file knows."""
    known = load() if known is None else known
    key = normalise(name)
    if key in known:
        return known[key]
    if key.startswith("省"):
        provinces = {d.region.split("/")[0] for d in known.values() if d.region.split("/")[0].endswith("省")}
        for province in sorted(provinces):
            if province + key[1:] in known:
                return known[province + key[1:]]
    return None


_REGION = re.compile(r"^(.{2,8}?(?:省|自治区|市))(.{1,8}?(?:市|州|盟))?(.{1,8}?(?:区|县|旗))?")


def suggestion(name: str) -> dict[str, str]:
    """A row for data/departments.csv to review: the region read from the name's head, an id from its hash."""
    key = normalise(name)
    m = _REGION.match(key)
    region = "/".join(p for p in (m.groups() if m else ()) if p)
    return {"printed_name": name, "department_id": "dept-" + hashlib.sha1(key.encode()).hexdigest()[:10],
            "display_name": key, "region": region, "level": ""}


def unplaced_message(name: str, where: str) -> str:
    s = suggestion(name)
    return (f"{where}: the department “{name}” is not in data/departments.csv, so it is not yet followed across "
            f"years; review and add this row: {','.join(s[c] for c in COLUMNS)}")
