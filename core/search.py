"""Search across every document: an index of names written at ingest, read through character bigrams.

Chinese has no spaces between words and DuckDB's full-text extension neither installs offline nor segments Chinese, so
the index is the folded name of everything a reader may look for (department, project, 科目 name and code, indicator)
and a table of the character bigrams of every distinct name. A query's bigrams find the names holding most of them;
names are shared by documents (行政运行 is printed in nearly all), so the bigram table grows with the vocabulary, not
with the number of documents. Narrative text is searched directly, within one department's documents.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from core.ingest.numbers import fold as fold_label

# What a hit is, in the order results of equal rank are shown
WHATS = ("部门", "项目", "科目", "指标")
MAX_HITS = 50
# A name is a hit when it holds at least this share of the query's bigrams (all of them for a query of ≤ 3 bigrams):
# "泉州社会治理" finds 泉州台商投资区社会治理办公室 although the words are not adjacent in the name
MIN_SHARE = 0.75
_CODE = re.compile(r"^\d{3,7}$")
_SPACE = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """The form names are searched in: the labels' comparison key (NFKC, no whitespace), in lower case."""
    return fold_label(text or "").lower()


def bigrams(term: str) -> list[str]:
    """The distinct character pairs of a folded term, in order; a one-character term is its own gram."""
    if len(term) < 2:
        return [term] if term else []
    return list(dict.fromkeys(term[i:i + 2] for i in range(len(term) - 1)))


def entries(doc) -> list[tuple]:
    """(seq, what, ref, label, context, code, term) for every searchable name of an ingested Document."""
    out: list[tuple] = []

    def add(what, ref, label, context=None, code=None):
        term = fold(label)
        if term:
            out.append((len(out), what, ref, label, context, code, term))

    add("部门", None, doc.department)
    seen = set()
    for r in doc.classified:  # 功能分类 unless the row carries an economic category (人员经费 / 公用经费 …)
        context = f"经济分类·{r.category}" if r.category else "功能分类"
        if r.code and r.name and (r.code, r.name, context) not in seen:
            seen.add((r.code, r.name, context))
            add("科目", r.code, r.name, context, r.code)
    for p in doc.projects:
        add("项目", p.project_id, p.name)
        for name in dict.fromkeys(i.name for i in p.indicators if i.name):
            add("指标", p.project_id, name, p.name)
    return out


# The bigrams of every name not yet in t_search_gram (a document's names, or every name after a bulk copy)
INDEX_GRAMS = """
INSERT INTO t_search_gram
SELECT DISTINCT unnest(CASE WHEN length(term) < 2 THEN [term]
                            ELSE list_transform(range(length(term) - 1), lambda i: substr(term, i + 1, 2)) END) AS gram,
       term
FROM (SELECT DISTINCT term FROM t_search WHERE ($doc_no IS NULL OR doc_no = $doc_no)) n
WHERE term NOT IN (SELECT term FROM t_search_gram)"""


def index_grams(con, doc_no: int | None = None) -> None:
    """Add the bigrams of names the gram table lacks: one document's (at ingest) or all (after a bulk copy)."""
    con.execute(INDEX_GRAMS, {"doc_no": doc_no})


@dataclass(frozen=True)
class Query:
    """A reader's query, parsed: its folded text, its words, their bigrams, and any 科目 code it names."""

    text: str
    words: tuple[str, ...]
    grams: tuple[str, ...]
    codes: tuple[str, ...]

    @property
    def needed(self) -> int:
        """How many of the query's bigrams a name must hold."""
        n = len(self.grams)
        return n if n <= 3 else math.ceil(n * MIN_SHARE)


def parse_query(text: str) -> Query:
    """Words split at spaces; a word of 3–7 digits is a 科目 code (a prefix: 204 finds 20406 and 2040601)."""
    words = tuple(w for w in (fold(w) for w in _SPACE.split(text or "")) if w)
    codes = tuple(w for w in words if _CODE.match(w))
    names = [w for w in words if w not in codes]
    grams = tuple(dict.fromkeys(g for w in names for g in bigrams(w)))
    return Query("".join(names), tuple(names), grams, codes)


SEARCH_SQL = """
WITH q AS (SELECT unnest($grams::VARCHAR[]) AS gram),
matched AS (
    SELECT term, count(DISTINCT gram) AS found FROM t_search_gram WHERE gram IN (SELECT gram FROM q)
    GROUP BY term HAVING count(DISTINCT gram) >= $needed
), hits AS (
    SELECT s.doc_no, s.what, s.ref, s.label, s.context, s.code, s.term, coalesce(m.found, 0) AS found
    FROM (SELECT * EXCLUDE (doc_id) FROM t_search) s LEFT JOIN matched m USING (term)
    WHERE CASE WHEN len($grams::VARCHAR[]) = 0 THEN true ELSE m.term IS NOT NULL END
      AND (len($codes::VARCHAR[]) = 0 OR list_bool_or(list_transform($codes::VARCHAR[], lambda c: starts_with(coalesce(s.code, ''), c))))
      AND (len($whats::VARCHAR[]) = 0 OR list_contains($whats::VARCHAR[], s.what))
), ranked AS (
    SELECT h.*, d.doc_id, d.department, d.fiscal_year, d.kind, d.scope,
           CASE WHEN (h.term = $text OR $text = '') AND (len($codes::VARCHAR[]) = 0 OR list_contains($codes::VARCHAR[], h.code)) THEN 0
                WHEN $text <> '' AND starts_with(h.term, $text) THEN 1
                WHEN $text = '' THEN 1
                WHEN list_bool_and(list_transform($words::VARCHAR[], lambda w: contains(h.term, w))) THEN 2
                ELSE 3 END AS rank
    FROM hits h JOIN (SELECT doc_no, doc_id, department, fiscal_year, kind, scope FROM t_document
                      WHERE ($year IS NULL OR fiscal_year = $year)) d USING (doc_no)
)
SELECT doc_id, department, fiscal_year, kind, scope, what, ref, label, context, code, rank, found,
       count(*) OVER () AS matching
FROM ranked
ORDER BY rank, found DESC, list_position($order::VARCHAR[], what), length(term), code, fiscal_year DESC, department, label
LIMIT $limit"""

HIT_COLUMNS = ["doc_id", "department", "fiscal_year", "kind", "scope", "what", "ref", "label", "context", "code",
               "rank", "found", "matching"]
RANKS = {0: "名称完全相同", 1: "名称以此开头", 2: "名称包含这些字", 3: "名称包含其中大部分字"}


def search(con, text: str, whats: tuple[str, ...] = (), year: int | None = None, limit: int = MAX_HITS):
    """Ranked hits for a query across every document: exact names first, then names beginning with it, names
    containing every word, names holding most of its bigrams; then 部门 before 项目, 科目, 指标, shorter names and
    newer years first. `matching` is the number of hits before the cut to `limit`."""
    from core.query import frame

    q = parse_query(text)
    if not q.grams and not q.codes:
        import pandas as pd

        return pd.DataFrame(columns=HIT_COLUMNS)
    return frame(con, SEARCH_SQL, {"grams": list(q.grams), "needed": q.needed, "codes": list(q.codes),
                                   "whats": list(whats), "text": q.text, "words": list(q.words), "year": year,
                                   "order": list(WHATS), "limit": min(limit, MAX_HITS)})


def snippet(label: str, text: str) -> tuple[str, str, str]:
    """(before, match, after) of `label` around the query's first word (or code) found in it, for highlighting. A
    name found by its bigrams (泉州社会治理 → 泉州台商投资区社会治理办公室) shows the longest run of the label that
    the query's bigrams cover (社会治理); the whole label as `before` when there is none. Spaces inside the printed
    label (a wrapped cell: 满意 度) do not hide a match."""
    q = parse_query(text)
    folded, origin = [], []
    for i, ch in enumerate(label):
        for f in fold(ch):
            folded.append(f)
            origin.append(i)
    joined = "".join(folded)

    def cut(at: int, length: int) -> tuple[str, str, str]:
        start, end = origin[at], origin[at + length - 1] + 1
        return label[:start], label[start:end], label[end:]

    for word in (*q.words, *q.codes):
        at = joined.find(word)
        if at >= 0:
            return cut(at, len(word))
    grams = set(g for g in q.grams if len(g) == 2)
    covered = [False] * len(joined)
    for i in range(len(joined) - 1):
        if joined[i:i + 2] in grams:
            covered[i] = covered[i + 1] = True
    best_at, best_len, run = 0, 0, 0
    for i, c in enumerate(covered):
        run = run + 1 if c else 0
        if run > best_len:
            best_at, best_len = i - run + 1, run
    return cut(best_at, best_len) if best_len else (label, "", "")


NARRATIVE_SQL = """
SELECT s.doc_id, d.fiscal_year, d.kind, s.section, s.text
FROM narrative_sections s JOIN documents d USING (doc_id)
WHERE list_contains($docs::VARCHAR[], s.doc_id) AND contains(s.text, $word)
ORDER BY d.fiscal_year DESC, d.kind, s.section"""


def search_narrative(con, doc_ids: tuple[str, ...], text: str, width: int = 40, limit: int = MAX_HITS) -> list[dict]:
    """Every passage of the narrative of the given documents (one department's) that contains the query as written:
    doc_id, fiscal_year, kind, section, and (before, match, after) around each occurrence, `width` characters each
    side."""
    word = (text or "").strip()
    if not word or not doc_ids:
        return []
    rows = con.execute(NARRATIVE_SQL, {"docs": list(doc_ids), "word": word}).fetchall()
    out = []
    for doc_id, year, kind, section, body in rows:
        start = 0
        while (at := body.find(word, start)) >= 0 and len(out) < limit:
            out.append({"doc_id": doc_id, "fiscal_year": year, "kind": kind, "section": section,
                        "before": ("…" if at > width else "") + body[max(0, at - width):at],
                        "match": word,
                        "after": body[at + len(word):at + len(word) + width] + ("…" if at + len(word) + width < len(body) else "")})
            start = at + len(word)
    return out
