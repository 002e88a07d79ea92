"""Figures across documents: a department followed over the years (历年变化), a year's budget against its final
accounts, and two to five department-years side by side (比较). Every figure is one a document prints, carried with
its document and row; nothing is summed across departments.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from core.budget import THREE_PUBLIC_ORDER
from core.figures import pct, per_staff
from core.grades import CENT, execution_rate
from core.query import frame

MEASURES = (  # (measure, department_years column, its source column)
    ("支出合计", "expenditure_total", "expenditure_ref"),
    ("基本支出", "basic_total", "expenditure_ref"),
    ("项目支出", "project_total", "expenditure_ref"),
    ("“三公”经费", "three_public_total", "three_public_ref"),
)
# The narrative's stated year-over-year changes that imply a prior-year figure: measure → (current key, change key)
STATED_PRIOR = {
    "支出合计": ("expenditure_total", "expenditure_change"),
    "“三公”经费": ("three_public:合计:actual", "three_public:合计:change"),
}
COMPARE_MAX = 5


SERIES_SQL = """
WITH me AS (SELECT department_id, department, scope FROM documents WHERE doc_id = $doc)
SELECT list(d.doc_id) FROM documents d, me
WHERE d.scope = me.scope
  AND (d.department_id = me.department_id OR (me.department_id IS NULL AND d.department = me.department))"""


def series(con, doc_id: str) -> pd.DataFrame:
    """The department_years rows of this document's series: the same body (department_id, or the printed name when
    data/departments.csv does not place it) and the same scope, every year and kind, oldest first (预算 before 决算)."""
    docs = con.execute(SERIES_SQL, {"doc": doc_id}).fetchone()[0] or []
    # department_years_of reads only these documents' rows (the view would aggregate every document's first)
    return frame(con, "SELECT * FROM department_years_of($docs) ORDER BY fiscal_year, kind DESC", {"docs": docs})


POINT_COLUMNS = ["fiscal_year", "kind", "measure", "amount", "doc_id", "basis", "source_ref"]


def _stated_priors(con, docs: pd.DataFrame) -> list[tuple]:
    """Prior-year figures the 决算 narratives state (本年数 − 比上年增减), attributed to the document that states them."""
    finals = [d for d, k in zip(docs["doc_id"], docs["kind"]) if k == "决算"]
    if not finals:
        return []
    keys = sorted({k for pair in STATED_PRIOR.values() for k in pair})
    rows = con.execute("SELECT doc_id, key, value, source_ref FROM narrative_figures "
                       "WHERE list_contains($docs, doc_id) AND list_contains($keys, key)",
                       {"docs": finals, "keys": keys}).fetchall()
    stated: dict[tuple[str, str], tuple] = {}
    for doc, key, value, ref in rows:
        stated.setdefault((doc, key), (value, ref))
    years = dict(zip(docs["doc_id"], docs["fiscal_year"]))
    out = []
    for doc in finals:
        for measure, (current, change) in STATED_PRIOR.items():
            cur, chg = stated.get((doc, current)), stated.get((doc, change))
            if cur and chg and cur[0] is not None and chg[0] is not None:
                out.append((int(years[doc]) - 1, "决算", measure, cur[0] - chg[0], doc,
                            f"上年数（{int(years[doc])} 年决算的说明：本年数 − 比上年增减）", chg[1]))
    return out


CLASSES_SQL = """
WITH a AS (
    SELECT doc_id, code, name, total AS amount, source_ref, '支出表（全部资金）' AS basis
    FROM expenditure_by_function WHERE level = 1 AND list_contains($docs, doc_id) AND total IS NOT NULL
), g AS (
    SELECT doc_id, code, name, total AS amount, source_ref, '一般公共预算财政拨款支出表' AS basis
    FROM gpb_expenditure_by_function
    WHERE level = 1 AND list_contains($docs, doc_id) AND total IS NOT NULL AND doc_id NOT IN (SELECT doc_id FROM a)
)
SELECT * FROM a UNION ALL SELECT * FROM g ORDER BY doc_id, code"""
CLASS_COLUMNS = ["doc_id", "code", "name", "amount", "share_pct", "basis", "source_ref"]


def class_mix(con, doc_ids: list[str]) -> pd.DataFrame:
    """Each document's 类 amounts and their share of its 类 sum: from its all-funds expenditure table, or from its
    一般公共预算 table when it prints no all-funds table by 科目 (`basis` says which)."""
    if not doc_ids:
        return pd.DataFrame(columns=CLASS_COLUMNS)
    df = frame(con, CLASSES_SQL, {"docs": list(doc_ids)})
    sums = {d: sum(g["amount"], Decimal(0)) for d, g in df.groupby("doc_id")} if len(df) else {}
    df["share_pct"] = [pct(a, sums[d]) for d, a in zip(df["doc_id"], df["amount"])]
    return df[CLASS_COLUMNS]


PAIR_COLUMNS = ["fiscal_year", "section", "code", "item", "budget", "final", "difference", "final_pct",
                "final_stated_budget", "budget_doc", "final_doc", "budget_ref", "final_ref"]


def _pairs(con, docs: pd.DataFrame, classes: pd.DataFrame) -> pd.DataFrame:
    """For each year holding both a 预算 and a 决算: 支出合计, each 类 and each 三公 item, budget beside final."""
    by_year = {}
    for r in docs.itertuples():
        by_year.setdefault(int(r.fiscal_year), {})[r.kind] = r
    rows = []
    for year, kinds in sorted(by_year.items()):
        if "预算" not in kinds or "决算" not in kinds:
            continue
        b, f = kinds["预算"], kinds["决算"]
        rows.append((year, "合计", None, "支出合计", b.expenditure_total, f.expenditure_total,
                     None, b.doc_id, f.doc_id, b.expenditure_ref, f.expenditure_ref))
        bc = {r.code: r for r in classes[classes["doc_id"] == b.doc_id].itertuples()}
        fc = {r.code: r for r in classes[classes["doc_id"] == f.doc_id].itertuples()}
        for code in sorted(set(bc) | set(fc)):
            one = bc.get(code) or fc.get(code)
            rows.append((year, "类", code, one.name, getattr(bc.get(code), "amount", None),
                         getattr(fc.get(code), "amount", None), None, b.doc_id, f.doc_id,
                         getattr(bc.get(code), "source_ref", None), getattr(fc.get(code), "source_ref", None)))
        three = con.execute("SELECT doc_id, item, budget, actual, source_ref, row_no FROM three_public_funds "
                            "WHERE list_contains($docs, doc_id) ORDER BY row_no", {"docs": [b.doc_id, f.doc_id]}).fetchall()
        items = {item: {} for item in THREE_PUBLIC_ORDER}
        for doc, item, budget, actual, ref, _ in three:
            items.setdefault(item, {})[doc] = (budget, actual, ref)
        for item, got in items.items():
            if not got:
                continue
            bb, ff = got.get(b.doc_id, (None, None, None)), got.get(f.doc_id, (None, None, None))
            rows.append((year, "三公", None, item, bb[0], ff[1], ff[0], b.doc_id, f.doc_id, bb[2], ff[2]))
    df = pd.DataFrame(rows, columns=["fiscal_year", "section", "code", "item", "budget", "final",
                                     "final_stated_budget", "budget_doc", "final_doc", "budget_ref", "final_ref"],
                      dtype=object)
    df["difference"] = [f - b if f is not None and b is not None else None for b, f in zip(df["budget"], df["final"])]
    df["final_pct"] = [pct(f, b) for b, f in zip(df["budget"], df["final"])]
    return df[PAIR_COLUMNS]


@dataclass(frozen=True)
class History:
    """A department followed across its documents (one series: a body and a scope).

    documents: the series' department_years rows, oldest first. points: POINT_COLUMNS, one per document and measure
    (basis 本年数) plus the prior-year figures 决算 narratives state. classes: CLASS_COLUMNS per document.
    pairs: PAIR_COLUMNS for every year with both a 预算 and a 决算 (empty when there is none)."""

    name: str
    scope: str
    documents: pd.DataFrame
    points: pd.DataFrame
    classes: pd.DataFrame
    pairs: pd.DataFrame
    class_bases: tuple[str, ...]


def history(con, doc_id: str) -> History:
    docs = series(con, doc_id)
    rows = []
    for r in docs.to_dict("records"):
        for measure, column, ref in MEASURES:
            if r[column] is not None:
                rows.append((int(r["fiscal_year"]), r["kind"], measure, r[column], r["doc_id"], "本年数", r[ref]))
    held = {(y, k, m) for y, k, m, *_ in rows}
    # a stated prior-year figure is shown where the collection holds no document of that year and kind
    rows += [p for p in _stated_priors(con, docs) if (p[0], p[1], p[2]) not in held]
    points = pd.DataFrame(rows, columns=POINT_COLUMNS, dtype=object).sort_values(
        ["measure", "fiscal_year", "kind"], kind="stable").reset_index(drop=True)
    classes = class_mix(con, list(docs["doc_id"]))
    first = docs.iloc[0] if len(docs) else None
    return History(name=first["display_name"] if first is not None else "", scope=first["scope"] if first is not None else "",
                   documents=docs, points=points, classes=classes, pairs=_pairs(con, docs, classes),
                   class_bases=tuple(sorted(set(classes["basis"]))))


# ------------------------------------------------------------------ 比较: department-years side by side

COMPARE_SQL = """
WITH chosen AS (SELECT unnest($docs::VARCHAR[]) AS doc_id, generate_subscripts($docs::VARCHAR[], 1) AS n),
p AS (
    SELECT doc_id, count(*) AS projects, sum(executed) AS executed, sum(budget) AS budget,
           avg(score) AS mean_score,
           count(*) FILTER (WHERE grade = '优') AS grade_you, count(*) FILTER (WHERE grade = '良') AS grade_liang,
           count(*) FILTER (WHERE grade = '中') AS grade_zhong, count(*) FILTER (WHERE grade = '差') AS grade_cha
    FROM projects WHERE list_contains($docs::VARCHAR[], doc_id) GROUP BY doc_id
)
SELECT y.*, d.money_unit, d.source_file, p.projects, p.executed, p.budget, p.mean_score,
       p.grade_you, p.grade_liang, p.grade_zhong, p.grade_cha
FROM chosen c JOIN department_years_of($docs::VARCHAR[]) y USING (doc_id) JOIN documents d USING (doc_id) LEFT JOIN p USING (doc_id)
ORDER BY c.n"""

COMPARE_COLUMNS = ["doc_id", "label", "display_name", "fiscal_year", "kind", "scope", "expenditure_total",
                   "basic_total", "project_total", "basic_share_pct", "project_share_pct", "three_public_total",
                   "three_public_share_pct", "staff", "per_staff", "projects", "execution_rate", "mean_score",
                   "grades", "errors", "warnings"]


@dataclass(frozen=True)
class Comparison:
    """Department-years side by side. headline: COMPARE_COLUMNS, one row per document in the order chosen.
    classes: CLASS_COLUMNS plus `label`. notes: what differs in kind, scope or basis, said in words."""

    headline: pd.DataFrame
    classes: pd.DataFrame
    notes: tuple[str, ...]


def compare(con, doc_ids: tuple[str, ...]) -> Comparison:
    """Two to five documents (more are cut to five): totals, 基本/项目 shares, 三公, per-staff, execution, grades."""
    docs = list(dict.fromkeys(doc_ids))[:COMPARE_MAX]
    df = frame(con, COMPARE_SQL, {"docs": docs})
    df["label"] = [f"{n} {int(y)} 年{s}{k}" for n, y, s, k in zip(df["display_name"], df["fiscal_year"], df["scope"], df["kind"])]
    df["basic_share_pct"] = [pct(b, t) for b, t in zip(df["basic_total"], df["expenditure_total"])]
    df["project_share_pct"] = [pct(p, t) for p, t in zip(df["project_total"], df["expenditure_total"])]
    df["three_public_share_pct"] = [pct(p, t) for p, t in zip(df["three_public_total"], df["expenditure_total"])]
    df["per_staff"] = [per_staff(t, s) for t, s in zip(df["expenditure_total"], df["staff"])]
    df["execution_rate"] = [execution_rate(e, b) for e, b in zip(df["executed"], df["budget"])]
    df["mean_score"] = [Decimal(str(m)).quantize(CENT, ROUND_HALF_UP) if m is not None else None for m in df["mean_score"]]
    df["grades"] = pd.Series([f"优 {a} · 良 {b} · 中 {c} · 差 {d}" if n else None for n, a, b, c, d in
                              zip(df["projects"], df["grade_you"], df["grade_liang"], df["grade_zhong"], df["grade_cha"])],
                             index=df.index, dtype=object)
    classes = class_mix(con, docs)
    labels = dict(zip(df["doc_id"], df["label"]))
    classes["label"] = [labels.get(d) for d in classes["doc_id"]]
    return Comparison(df[COMPARE_COLUMNS], classes, tuple(comparison_notes(df, classes)))


_PLACE_END = "省市区县州盟旗"  # a shared start of names is cut only after a place (江苏省, 上海市普陀区)


def column_heads(headline: pd.DataFrame) -> tuple[list[str], str]:
    """Heads for the side-by-side columns, narrow enough for a phone, and a sentence for what they leave out.

    One department: year, scope and kind ("2024 年部门预算"; the page names it once). Several: each name without the
    place they share (江苏省人民检察院 → 人民检察院), then only the year and kind where those differ; the sentence
    names the shared place, year and kind."""
    names = [str(n) for n in headline["display_name"]]
    if len(set(names)) == 1:
        return [f"{int(y)} 年{s}{k}" for y, s, k in zip(headline["fiscal_year"], headline["scope"], headline["kind"])], ""
    shared = os.path.commonprefix(names)
    cut = max((shared.rfind(c) for c in _PLACE_END), default=-1) + 1
    if any(len(n) - cut < 2 for n in names):
        cut = 0
    years, kinds = set(headline["fiscal_year"]), set(zip(headline["scope"], headline["kind"]))
    parts = []
    for name, y, s, k in zip(names, headline["fiscal_year"], headline["scope"], headline["kind"]):
        tail = (f"{int(y)} 年" if len(years) > 1 else "") + (f"{s}{k}" if len(kinds) > 1 else "")
        parts.append(f"{name[cut:]} {tail}".strip())
    left = ([f"“{shared[:cut]}”"] if cut else []) + ([f"{int(next(iter(years)))} 年"] if len(years) == 1 else []) + \
        (["".join(next(iter(kinds)))] if len(kinds) == 1 else [])
    return parts, ("列名省去了各列相同的部分：" + "、".join(left) + "。") if left else ""


def comparison_notes(df: pd.DataFrame, classes: pd.DataFrame) -> list[str]:
    """What a reader must know before setting the columns against each other, in plain words."""
    notes = []
    if df["kind"].nunique() > 1:
        notes.append("这里既有预算也有决算：预算是年初计划花的钱，决算是年底实际花的钱，两者不是同一种数。")
    if df["scope"].nunique() > 1:
        notes.append("这里既有部门也有单位：部门的数字包含所属单位，单位的只是其中一个，规模不可直接比。")
    if classes["basis"].nunique() > 1:
        notes.append("各文件的科目构成取自不同的表（全部资金或只有一般公共预算拨款），占比的口径不同。")
    if df["fiscal_year"].nunique() > 1:
        notes.append("年度不同：不同年份的数字没有按物价调整。")
    units = set(df["money_unit"])
    if units - {"万元"}:
        notes.append("有的文件原表以元为单位，这里已换算为万元。")
    return notes


@dataclass(frozen=True)
class CompareCover:
    """The first sheet of a comparison download: which department-years, in which unit, made when."""

    labels: tuple[str, ...]
    notes: tuple[str, ...]
    made: str  # ISO date

    def rows(self) -> list[tuple[str, str]]:
        return [("内容", "部门年度比较（juesuan）"), ("比较的文件", "；".join(self.labels)), ("金额单位", "万元"),
                ("生成日期", self.made), *(("注意", n) for n in self.notes),
                ("说明", "每个数字都取自各自的文件，未跨部门相加。")]

    def file_name(self) -> str:
        from core.export import clean_file_name

        return clean_file_name(f"比较-{len(self.labels)}份-{'_'.join(self.labels)[:80]}-{self.made}") + ".xlsx"
