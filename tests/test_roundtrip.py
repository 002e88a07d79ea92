"""Round trip: `juesuan export` reproduces every number of each published table, compared cell by cell
with an independent reading of the source text (tab-separated two-decimal numbers per line; codes and 栏次/行次 numbering are not money)."""

import csv
import io
import re

import pytest

from core.cli import main
from tests.conftest import SEED

NUMBER = re.compile(r"^-?\d[\d,]*\.\s?\d\d$")  # money is printed with two decimals; codes are not


def independent_reading(code: str) -> list[list[str]]:
    """Numbers per printed row of table `code`, straight from the text: no shared code with the parser."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    start = next(i for i, l in enumerate(lines) if re.sub(r"\s", "", l) == f"公开{code[1:]}表")
    rows = []
    for line in lines[start + 1:]:
        if line.startswith("注"):
            break
        if "\t" not in line:
            continue
        cells = [c.strip() for c in line.split("\t")]
        if any(c.replace(" ", "") in ("栏次", "行次") for c in cells):
            if code != "T07":
                continue
        if code == "T07":
            cells = [cells[0]] + cells[2:]  # the 行次 column numbers rows, it is not money
        nums = [c.replace(" ", "").replace(",", "") for c in cells if NUMBER.match(c.replace(" ", ""))]
        if nums:
            rows.append(nums)
    return rows


def exported(code: str, db, capsys) -> list[list[str]]:
    assert main(["export", code, "--db", str(db)]) == 0
    out = capsys.readouterr().out
    reader = list(csv.reader(io.StringIO(out)))
    header, body = reader[0], reader[1:]
    money_cols = [i for i, h in enumerate(header) if not h.endswith(("项目", "编码")) and h != "行"]
    return [[r[i] for i in money_cols if r[i] != ""] for r in body]


@pytest.mark.parametrize("code", [f"T0{i}" for i in range(1, 10)])
def test_export_reproduces_every_number(code, seed_db, capsys):
    source = independent_reading(code)
    assert source, f"the independent reading found no numbers for {code}"
    assert exported(code, seed_db, capsys) == source


def test_export_keeps_row_order_and_labels(seed_db, capsys):
    assert main(["export", "T05", "--db", str(seed_db)]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["行", "项目", "编码", "合计", "基本支出", "项目支出"]
    assert rows[1][1:] == ["合计", "", "3875.32", "1555.32", "2320.00"]
    assert rows[2][1:3] == ["一般公共服务支出", "201"]
