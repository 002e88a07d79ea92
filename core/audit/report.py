"""Findings and coverage shaped for reading: filters, counts and the catalogue with titles."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from core.audit.rules import CATALOGUE
from core.query import frame

SEVERITIES = ("error", "warning", "info")
SEVERITY_NAMES = {"error": "错误", "warning": "警示", "info": "尾数提示"}
STATUS_NAMES = {"passed": "通过", "failed": "未通过", "not_determinable": "无法判断", "not_applicable": "不适用"}
FINDING_COLUMNS = ["severity", "gap", "rule_id", "title", "table_code", "row_ref", "related_refs", "message", "expected",
                   "actual", "difference", "source_ref"]
GAP_SIZES = ("大", "中", "小")
GAP_NO_FIGURE = "—"  # a text finding: nothing to measure
GAP_LARGE, GAP_MEDIUM = Decimal("0.10"), Decimal("0.01")


def gap_size(expected: Decimal | None, actual: Decimal | None, difference: Decimal | None) -> str:
    """How far apart the two figures are, relative to the larger: 大 ≥ GAP_LARGE, 中 ≥ GAP_MEDIUM, 小 below (docs/audit-rules.md).

    The rule gives a finding's kind; this gives its weight, so a 0.08-point share slip and a 2,961 万元 gap no
    longer read alike."""
    if difference is None:
        return GAP_NO_FIGURE
    base = max(abs(expected or Decimal(0)), abs(actual or Decimal(0)))
    if base == 0:
        return "大" if difference else "小"
    share = abs(difference) / base
    return "大" if share >= GAP_LARGE else "中" if share >= GAP_MEDIUM else "小"


def catalogue(kind: str | None = None) -> pd.DataFrame:
    """rule_id, title, compares, why, severity of every rule (or of those for one document kind), in catalogue order."""
    return pd.DataFrame([(r.id, r.title, r.compares, r.why, r.severity) for r in CATALOGUE
                         if kind is None or kind in r.kinds],
                        columns=["rule_id", "title", "compares", "why", "severity"])


def _kind(con, doc_id: str) -> str | None:
    row = con.execute("SELECT kind FROM documents WHERE doc_id = ?", [doc_id]).fetchone()
    return row[0] if row else None


def findings(con, doc_id: str, rules=(), tables=(), severities=()) -> pd.DataFrame:
    """Stored findings of a document, optionally filtered by rule ids, table codes and severities."""
    df = frame(con, "SELECT * FROM audit_findings WHERE doc_id = ?", [doc_id])
    titles = dict(zip(catalogue()["rule_id"], catalogue()["title"]))
    df["title"] = [titles.get(r, r) for r in df["rule_id"]] if len(df) else []
    df["gap"] = [gap_size(e, a, d) for e, a, d in zip(df["expected"], df["actual"], df["difference"])] if len(df) else []
    if rules:
        df = df[df["rule_id"].isin(rules)]
    if tables:
        df = df[df["table_code"].isin(tables)]
    if severities:
        df = df[df["severity"].isin(severities)]
    order = {s: n for n, s in enumerate(SEVERITIES)}
    gaps = {g: n for n, g in enumerate(GAP_SIZES + (GAP_NO_FIGURE,))}
    df = df.assign(_s=df["severity"].map(order), _g=df["gap"].map(gaps)).sort_values(["_s", "_g"], kind="stable")
    return df[FINDING_COLUMNS].reset_index(drop=True) if len(df) else pd.DataFrame(columns=FINDING_COLUMNS)


def severity_counts(con, doc_id: str) -> dict[str, int]:
    rows = con.execute("SELECT severity, count(*) FROM audit_findings WHERE doc_id = ? GROUP BY severity",
                       [doc_id]).fetchall()
    counts = dict(rows)
    return {s: int(counts.get(s, 0)) for s in SEVERITIES}


def coverage(con, doc_id: str) -> pd.DataFrame:
    """rule_id, title, severity, status, checked (number of comparisons made)."""
    cov = frame(con, "SELECT rule_id, status, checked FROM audit_coverage WHERE doc_id = ?", [doc_id])
    cat = catalogue(_kind(con, doc_id))  # a rule for the other kind is not shown as 不适用 noise
    df = cat.merge(cov, on="rule_id", how="left")
    return df[["rule_id", "title", "severity", "status", "checked"]]


def catalogue_frame(con, doc_id: str) -> pd.DataFrame:
    """The rules for this document's kind, in the (connection, doc_id) shape the pages call core functions with."""
    return catalogue(_kind(con, doc_id))
