"""Runs the rule catalogue over one document and stores findings and coverage at ingest."""

from __future__ import annotations

from dataclasses import asdict

from core.audit.context import Missing, load_context
from core.audit.rules import CATALOGUE
from core.audit.rules import NotApplicable, Outcome


def run_rules(con, doc_id: str) -> tuple[list[dict], list[dict]]:
    """(findings, coverage) for one document, computed from the views."""
    ctx = load_context(con, doc_id)
    findings: list[dict] = []
    coverage: list[dict] = []
    for r in CATALOGUE:
        out = Outcome(r, units=ctx.units)
        status = None
        try:
            if ctx.kind not in r.kinds:
                raise NotApplicable(f"{r.id} reads {'/'.join(r.kinds)} data")
            r.check(ctx, out)
        except NotApplicable:
            status = "not_applicable"
        except Missing:
            status = "not_determinable"
        if status is None:
            if any(f.severity in ("error", "warning") for f in out.findings):
                status = "failed"
            elif out.checked == 0:
                status = "not_determinable"
            else:
                status = "passed"
        findings.extend({"doc_id": doc_id, **asdict(f)} for f in out.findings)
        coverage.append({"doc_id": doc_id, "rule_id": r.id, "status": status, "checked": out.checked})
    return findings, coverage


def store_audit(con, doc_id: str) -> None:
    """Replace the stored findings and coverage of one document (runs inside the ingest transaction)."""
    from core.db.store import _insert, doc_number

    findings, coverage = run_rules(con, doc_id)
    number = doc_number(con, doc_id)
    con.execute("DELETE FROM t_audit_finding WHERE doc_no = ?", [number])
    con.execute("DELETE FROM t_audit_coverage WHERE doc_no = ?", [number])
    cols = ["doc_id", "rule_id", "severity", "table_code", "row_ref", "related_refs", "message", "expected", "actual",
            "difference", "source_ref"]
    _insert(con, "t_audit_finding", ["seq", *cols], [(n, *(f[c] for c in cols)) for n, f in enumerate(findings)])
    _insert(con, "t_audit_coverage", ["doc_id", "rule_id", "status", "checked"],
            [(c["doc_id"], c["rule_id"], c["status"], c["checked"]) for c in coverage])


def findings_for(con, doc_id: str) -> tuple[list[dict], list[dict]]:
    """Stored findings and coverage of a document, as the CLI and pages show them."""
    cols = ["rule_id", "severity", "table_code", "row_ref", "related_refs", "message", "expected", "actual",
            "difference", "source_ref"]
    findings = [dict(zip(cols, r)) for r in con.execute(
        f"SELECT {', '.join(cols)} FROM audit_findings WHERE doc_id = ?", [doc_id]).fetchall()]
    coverage = [dict(zip(("rule_id", "status", "checked"), r)) for r in con.execute(
        "SELECT rule_id, status, checked FROM audit_coverage WHERE doc_id = ?", [doc_id]).fetchall()]
    return findings, coverage
