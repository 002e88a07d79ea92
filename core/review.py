"""需要关注: what a leadership reviewer should look at across several documents, one section per kind of concern.

Every section is a DataFrame with documented columns (docs/methodology.md), read with set-based statements over the
chosen documents (never one statement per document), and says which documents it could not apply to: budgets have
no execution and no self-evaluation.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core.audit.report import gap_size
from core.figures import LOW_EXECUTION_THRESHOLD, indicator_status
from core.grades import execution_rate
from core.query import frame

MAX_DOCUMENTS = 500  # a review covers at most this many documents; the page asks to narrow the choice beyond it
SCOPE_COLUMNS = ["doc_id", "department", "fiscal_year", "kind", "scope"]


@dataclass(frozen=True)
class Section:
    """One part of the review list: its rows, and the chosen documents it does not apply to (budgets)."""

    key: str
    title: str
    explain: str
    rows: pd.DataFrame
    not_applicable: int  # chosen documents of a kind this section cannot speak about


def review_scope(con, years: tuple[int, ...] = (), text: str = "", kinds: tuple[str, ...] = ()) -> pd.DataFrame:
    """The documents a review covers: by fiscal year, a part of the department's name and kind (all when empty)."""
    return frame(con, f"""
        SELECT {', '.join(SCOPE_COLUMNS)} FROM documents
        WHERE (len(?::INTEGER[]) = 0 OR list_contains(?::INTEGER[], fiscal_year))
          AND (? = '' OR contains(department, ?))
          AND (len(?::VARCHAR[]) = 0 OR list_contains(?::VARCHAR[], kind))
        ORDER BY fiscal_year DESC, department, kind, scope LIMIT {MAX_DOCUMENTS + 1}""",
                 [list(years), list(years), text.strip(), text.strip(), list(kinds), list(kinds)])


def review_years(con) -> list[int]:
    return [r[0] for r in con.execute("SELECT DISTINCT fiscal_year FROM documents ORDER BY 1 DESC").fetchall()]


LOW_FULL_COLUMNS = ["doc_id", "department", "fiscal_year", "project_id", "project", "budget", "executed",
                    "execution_rate", "execution_score", "execution_weight", "source_ref"]
FAILED_COLUMNS = ["doc_id", "department", "fiscal_year", "project_id", "project", "indicator", "target", "actual",
                  "deviation_reason", "source_ref"]
SCORING_COLUMNS = ["doc_id", "department", "fiscal_year", "project_id", "project", "execution_rate",
                   "reported_execution_score", "standard_execution_score", "difference", "direction", "grade",
                   "standard_grade", "source_ref"]
ERROR_COLUMNS = ["doc_id", "department", "fiscal_year", "rule_id", "message", "expected", "actual", "difference",
                 "gap", "source_ref"]
RISE_COLUMNS = ["doc_id", "department", "fiscal_year", "item", "actual", "change", "change_pct", "source_ref"]


def _projects(con, doc_ids: list[str]) -> pd.DataFrame:
    return frame(con, """
        SELECT p.doc_id, d.department, d.fiscal_year, p.project_id, p.name AS project, p.budget, p.executed,
               p.execution_score, f.weight AS execution_weight, p.standard_execution_score, p.grade,
               p.standard_grade, p.source_ref
        FROM projects p JOIN documents d USING (doc_id)
        LEFT JOIN project_funds f ON f.doc_id = p.doc_id AND f.project_id = p.project_id
                                  AND f.fund_row = '年度资金总额'
        WHERE list_contains(?, p.doc_id) ORDER BY d.fiscal_year DESC, d.department, p.project_id""", [doc_ids])


def low_execution_full_score(con, doc_ids: list[str]) -> pd.DataFrame:
    """Projects that spent under 60% of their budget yet gave themselves the full 预算执行率 score."""
    df = _projects(con, doc_ids)
    df["execution_rate"] = [execution_rate(e, b) for e, b in zip(df["executed"], df["budget"])]
    keep = [r is not None and r < LOW_EXECUTION_THRESHOLD and s is not None and w is not None and s >= w
            for r, s, w in zip(df["execution_rate"], df["execution_score"], df["execution_weight"])]
    return df.loc[keep].reset_index(drop=True)[LOW_FULL_COLUMNS]


def failed_indicators(con, doc_ids: list[str]) -> pd.DataFrame:
    """Every indicator whose 实际完成值 misses its 年度指标值 (未达成), with the deviation reason the document gives."""
    df = frame(con, """
        SELECT i.doc_id, d.department, d.fiscal_year, i.project_id, p.name AS project, i.name AS indicator, i.target,
               i.actual, i.deviation_reason, i.source_ref
        FROM indicators i JOIN documents d USING (doc_id)
        JOIN projects p ON p.doc_id = i.doc_id AND p.project_id = i.project_id
        WHERE list_contains(?, i.doc_id) ORDER BY d.fiscal_year DESC, d.department, i.project_id, i.seq""", [doc_ids])
    keep = [indicator_status(t, a) == "未达成" for t, a in zip(df["target"], df["actual"])]
    return df.loc[keep].reset_index(drop=True)[FAILED_COLUMNS]


def scoring_gaps(con, doc_ids: list[str]) -> pd.DataFrame:
    """Every project whose reported 预算执行率 score differs from the standard method's (分值 × min(执行率, 100%)):
    多给 where the table gives more than the method, 少给 where it gives less."""
    df = _projects(con, doc_ids)
    df["execution_rate"] = [execution_rate(e, b) for e, b in zip(df["executed"], df["budget"])]
    df = df.rename(columns={"execution_score": "reported_execution_score"})
    df["difference"] = [r - s if r is not None and s is not None else None
                        for r, s in zip(df["reported_execution_score"], df["standard_execution_score"])]
    df = df.loc[[d is not None and d != 0 for d in df["difference"]]].reset_index(drop=True)
    df["direction"] = ["多给" if d > 0 else "少给" for d in df["difference"]]
    return df[SCORING_COLUMNS]


def error_findings(con, doc_ids: list[str]) -> pd.DataFrame:
    """Every error-level finding of the automatic check, with the size of its gap."""
    df = frame(con, """
        SELECT a.doc_id, d.department, d.fiscal_year, a.rule_id, a.message, a.expected, a.actual, a.difference,
               a.source_ref
        FROM audit_findings a JOIN documents d USING (doc_id)
        WHERE a.severity = 'error' AND list_contains(?, a.doc_id)
        ORDER BY d.fiscal_year DESC, d.department, a.rule_id""", [doc_ids])
    df["gap"] = [gap_size(e, a, d) for e, a, d in zip(df["expected"], df["actual"], df["difference"])]
    return df[ERROR_COLUMNS]


def three_public_rises(con, doc_ids: list[str]) -> pd.DataFrame:
    """Every 三公 item whose spending rose on the year, as the document's narrative states it."""
    df = frame(con, """
        WITH changes AS (
            SELECT doc_id, split_part(key, ':', 2) AS item, value AS change,
                   row_number() OVER (PARTITION BY doc_id, key) AS n
            FROM narrative_figures
            WHERE list_contains(?, doc_id) AND key LIKE 'three_public:%:change'
        ), pcts AS (
            SELECT doc_id, split_part(key, ':', 2) AS item, first(value) AS change_pct
            FROM narrative_figures
            WHERE list_contains(?, doc_id) AND key LIKE 'three_public:%:change_pct' GROUP BY ALL
        )
        SELECT c.doc_id, d.department, d.fiscal_year, c.item, t.actual, c.change, p.change_pct, t.source_ref
        FROM changes c JOIN documents d USING (doc_id)
        LEFT JOIN pcts p ON p.doc_id = c.doc_id AND p.item = c.item
        LEFT JOIN three_public_funds t ON t.doc_id = c.doc_id AND t.item = c.item
        WHERE c.n = 1 AND c.change > 0
        ORDER BY d.fiscal_year DESC, d.department, c.change DESC""", [doc_ids, doc_ids])
    return df[RISE_COLUMNS]


def review(con, doc_ids: tuple[str, ...]) -> list[Section]:
    """The five sections over the chosen documents, in the order a reviewer reads them."""
    ids = list(doc_ids)
    kinds = dict(con.execute("SELECT doc_id, kind FROM documents WHERE list_contains(?, doc_id)", [ids]).fetchall())
    budgets = sum(1 for k in kinds.values() if k == "预算")
    finals = [d for d in ids if kinds.get(d) == "决算"]
    return [
        Section("low_full", "执行率低于 60% 却拿满执行分的项目",
                "项目只花了不到六成预算，预算执行率一项却给了满分。", low_execution_full_score(con, finals), budgets),
        Section("failed", "未达成的绩效指标", "实际完成值没有达到年度指标值，以及部门写的偏差原因。",
                failed_indicators(con, finals), budgets),
        Section("scoring", "填报与标准方法不一致的执行率得分",
                "表中填报的预算执行率得分与按标准方法（分值 × 执行率，最高 100%）计算的不同；多给、少给都列出。",
                scoring_gaps(con, finals), budgets),
        Section("errors", "自动核对发现的错误", "两个应当相等的数不相等；差距大小见“差距”。", error_findings(con, ids), 0),
        Section("rises", "比上年增加的“三公”经费", "情况说明写明比上年增加的“三公”经费项目。",
                three_public_rises(con, finals), budgets),
    ]


@dataclass(frozen=True)
class ReviewCover:
    """The first sheet of a review pack: what it covers, in which unit, made when."""

    departments: tuple[str, ...]
    years: tuple[int, ...]
    documents: int
    made: str  # ISO date

    def rows(self) -> list[tuple[str, str]]:
        shown = "、".join(self.departments[:20]) + (f" 等 {len(self.departments)} 个部门" if len(self.departments) > 20 else "")
        return [("内容", "需要关注（juesuan 审阅清单）"), ("部门", shown),
                ("年度", "、".join(f"{y} 年" for y in self.years)), ("文件数", f"{self.documents} 份"),
                ("金额单位", "万元"), ("生成日期", self.made),
                ("说明", "清单列出值得关注的数字和项目，是提示而不是结论；每一行都注明出处，请对照原文件。")]

    def file_name(self) -> str:
        from core.export import clean_file_name

        years = "-".join(str(y) for y in self.years[:3]) + ("等" if len(self.years) > 3 else "")
        return clean_file_name(f"需要关注-{years}年-{len(self.departments)}个部门-{self.made}") + ".xlsx"


def review_cover(con, doc_ids: tuple[str, ...], made: str) -> ReviewCover:
    rows = con.execute("SELECT DISTINCT department, fiscal_year FROM documents WHERE list_contains(?, doc_id)",
                       [list(doc_ids)]).fetchall()
    return ReviewCover(tuple(sorted({d for d, _ in rows})), tuple(sorted({y for _, y in rows}, reverse=True)),
                       len(doc_ids), made)
