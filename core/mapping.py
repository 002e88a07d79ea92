"""Which 项 (功能分类科目) each evaluated project belongs to: kept as reviewed data, proposed by a helper."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is imported where it is used: an ingest never needs it
    import pandas as pd


MAPPINGS_DIR = Path(__file__).resolve().parents[1] / "data" / "mappings"
MAPPING_COLUMNS = ["project_id", "project_name", "code", "note"]


def mappings_dir() -> Path:
    """JUESUAN_MAPPINGS overrides the folder (tests use a temporary one)."""
    return Path(os.environ.get("JUESUAN_MAPPINGS") or MAPPINGS_DIR)


@dataclass(frozen=True)
class Mapping:
    """A confirmed project → 项 assignment and how it was decided."""

    project_id: str
    project_name: str
    code: str | None
    note: str


def load_mappings(doc_id: str, directory: Path | None = None) -> dict[str, Mapping]:
    """The reviewed mapping file `data/mappings/<doc_id>.csv`, keyed by project_id; empty when there is none."""
    path = (directory or mappings_dir()) / f"{doc_id}.csv"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {r["project_id"]: Mapping(r["project_id"], r["project_name"], (r["code"] or "").strip() or None, r["note"])
            for r in rows}


def _cents(x: Decimal) -> int:
    return int((x * 100).to_integral_value())


def _subset_with_sum(items: list[tuple[str, int]], target: int) -> list[str] | None:
    """Project ids whose executed amounts add up to target cents exactly (dynamic programming over sums)."""
    reach: dict[int, tuple[str, ...]] = {0: ()}
    for pid, cents in items:
        if cents <= 0:
            continue
        for s, chosen in list(reach.items()):
            t = s + cents
            if t <= target and t not in reach:
                reach[t] = chosen + (pid,)
        if target in reach:
            return list(reach[target])
    return list(reach[target]) if target in reach and target else None


def propose_mappings(projects: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Suggest a 项 for each project, for a person to confirm.

    projects: project_id, name, executed. items: code, name, project (项目支出 of each 项, 公开05表).
    First a 项 whose name shares a word with the project and whose 项目支出 the matching projects fill
    exactly; then exact sums alone; the rest go to the largest 项 that still has room.
    Returns project_id, project_name, code, note.
    """
    free = {r.project_id: r for r in projects.itertuples()}
    room = {r.code: Decimal(r.project) for r in items.itertuples() if Decimal(r.project) > 0}
    names = {r.code: r.name for r in items.itertuples()}
    out: dict[str, tuple[str, str]] = {}
    for code in sorted(room, key=lambda c: room[c]):
        stem = names[code].replace("事务", "").replace("服务", "").replace("宣传", "")[:2]
        pool = [(pid, _cents(Decimal(r.executed))) for pid, r in free.items() if r.executed is not None]
        pool.sort(key=lambda p: (stem not in free[p[0]].name, p[1]))
        subset = _subset_with_sum(pool, _cents(room[code]))
        if subset:
            total = " + ".join(f"{free[p].name} {Decimal(free[p].executed)}" for p in subset)
            for pid in subset:
                out[pid] = (code, f"自动建议：{code} {names[code]} 项目支出 {room[code]} = {total}（金额恰好相等）")
                del free[pid]
            room[code] = Decimal(0)
    for pid, r in list(free.items()):
        hits = [c for c in room if names[c][:2] in r.name and room[c] >= Decimal(r.executed or 0)]
        if hits:
            code = hits[0]
            out[pid] = (code, f"自动建议：名称与“{names[code]}”相关，且该项尚有余额 {room[code]}")
            room[code] -= Decimal(r.executed or 0)
            del free[pid]
    for pid, r in list(free.items()):
        fits = sorted((c for c in room if room[c] >= Decimal(r.executed or 0) and room[c] > 0), key=lambda c: -room[c])
        if fits:
            code = fits[0]
            out[pid] = (code, f"自动建议：归入尚有余额的最大项 {code} {names[code]}（余额 {room[code]}），需人工确认")
            room[code] -= Decimal(r.executed or 0)
        else:
            out[pid] = ("", "无法放入任何项：金额超过所有项剩余的项目支出")
    rows = [(pid, projects.set_index("project_id").loc[pid, "name"], *out[pid]) for pid in projects["project_id"]]
    import pandas as pd

    return pd.DataFrame(rows, columns=MAPPING_COLUMNS)
