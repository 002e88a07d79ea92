"""Distinct text documents for the build benchmark and tests: the seed under other department names and years.

Writes into a directory you give (never data/raw): `python bench/variants.py OUT_DIR N`.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "fj-quanzhou-taishang-shehui-zhili-2022-final.txt"
NAME = "中共福建省委泉州台商投资区工作委员会社会治理办公室"
PLACES = ["泉州台商投资区", "厦门湖里区", "福州鼓楼区", "漳州龙海区", "莆田荔城区", "三明沙县区", "南平建阳区"]


def write_variants(out: Path, n: int) -> list[Path]:
    """n copies of the seed, each a different department (and one of five years), as new text files in `out`."""
    text = SEED.read_text(encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        place = PLACES[i % len(PLACES)]
        name = NAME.replace("泉州台商投资区", f"{place}第{i // len(PLACES) + 1}") if i else NAME
        year = 2022 - (i // 97) % 5
        body = text.replace(NAME, name).replace("2022", str(year)).replace("2021", str(year - 1))
        path = out / f"variant-{i:04d}.txt"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


if __name__ == "__main__":
    print(len(write_variants(Path(sys.argv[1]), int(sys.argv[2]))), "files in", sys.argv[1])
