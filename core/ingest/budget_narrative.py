"""A budget narrative's per-项 lines: `1、公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元。主要用于：…。
2025年当年预算执行数为1690.69万元，2026年预算安排1672.67万元，比2025年预算执行数减少1.07%。主要原因是：…。`"""

from __future__ import annotations

import re
from decimal import Decimal

from core.ingest.model import YoyLine
from core.ingest.numbers import text_number
from core.ingest.paragraphs import paragraphs

def _n(name: str) -> str:
    return rf"(?P<{name}>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)"



# Bounded pieces only (no nested unbounded repeats), so the pattern stays linear in the text's length.
_ITEM = re.compile(
    r"(?<![\d.])\d{1,2}[、.](?P<lei>[^()。;,]{1,30}?)\((?P<c1>\d{3})类\)(?P<kuan>[^()。;,]{1,30}?)\((?P<c2>\d{1,2})款\)"
    r"(?P<xiang>[^()。;,]{1,40}?)\((?P<c3>\d{1,2})项\)" + _n("amount") + r"万元.{0,200}?"
    r"\d{4}年(?:当年)?预算执行数为" + _n("prior") + r"万元,\d{4}年预算安排" + _n("restated") + r"万元,"
    r"比\d{4}年预算执行数(?:(?P<dir>增加|减少|增长|下降)" + _n("pct") + r"%|(?P<flat>持平))"
    r"(?:。?主要原因是:?(?P<reason>[^。]{0,120}))?"
)


def budget_items(lines) -> list[YoyLine]:
    """Every per-项 line of the narrative, with the amounts and percentage it states, where it stands."""
    paras = paragraphs(lines)
    text, starts = "", []
    for p in paras:
        starts.append((len(text), p))
        text += p.folded
    out: list[YoyLine] = []
    for m in _ITEM.finditer(text):
        start = m.start()
        base, para = max((s for s in starts if s[0] <= start), key=lambda s: s[0])
        amount, prior, restated = (text_number(m.group(k)) for k in ("amount", "prior", "restated"))
        pct = None if m.group("flat") else text_number(m.group("pct"))
        if pct is not None and m.group("dir") in ("减少", "下降"):
            pct = -pct
        if m.group("flat"):
            pct = Decimal(0)
        code = m.group("c1") + m.group("c2").zfill(2) + m.group("c3").zfill(2)
        stated = "/".join(m.group(k).strip() for k in ("lei", "kuan", "xiang"))
        out.append(YoyLine(code=code, name=m.group("xiang").strip(), stated_name=stated, amount=amount, change=None,
                           change_pct=pct, reason=(m.group("reason") or "").strip(), source_ref=para.ref_at(start - base),
                           prior=prior, restated=restated, basis="上年预算执行数"))
    return out
