-- The public SQL surface of juesuan. The README documents every view and column; tests check they agree.
--
-- Every document table carries doc_no, a compact integer given at insert, so one document's rows lie together.
-- Views take doc_id from t_document and join the document tables on doc_no: a filter `doc_id = ?` then selects
-- one t_document row, and DuckDB pushes that row's doc_no into the other scans, where the zone maps skip every
-- row group of the other documents (bench/run.py prints the EXPLAIN ANALYZE evidence).

CREATE OR REPLACE VIEW documents AS
SELECT doc_id, department, department_id, fiscal_year, kind, scope, money_unit, source_file, source_files, page_counts, source_sha256,
       parts_found, missing_tables, announced_tables, source_format, ingested_at
FROM t_document;

-- Which role each table plays, for either kind: a 预算 公开05表 is not a 决算 公开05表, their roles say what they hold.
CREATE OR REPLACE VIEW table_roles AS
SELECT d.doc_id, d.kind, t.table_code, t.role, t.title
FROM (SELECT * EXCLUDE (doc_id) FROM t_table) t JOIN t_document d USING (doc_no);

CREATE OR REPLACE VIEW units AS
SELECT doc_id, name, unit_type, staff, source_ref, note FROM (SELECT * EXCLUDE (doc_id) FROM t_unit) x JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no) ORDER BY doc_id, seq;

CREATE OR REPLACE VIEW line_items AS
SELECT k.doc_id, i.table_code, i.row_label, i.code, i.column_label, i.amount, i.source_ref, i.row_no, i.side,
       i.col_no, t.role
FROM (SELECT * EXCLUDE (doc_id) FROM t_line_item) i JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no) LEFT JOIN (SELECT * EXCLUDE (doc_id) FROM t_table) t USING (doc_no, table_code)
ORDER BY k.doc_id, i.table_code, i.row_no, i.side DESC, i.col_no;

CREATE OR REPLACE VIEW published_tables AS
SELECT doc_id, table_code, title, unit, notes, source_ref, role FROM (SELECT * EXCLUDE (doc_id) FROM t_table) x JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no);

CREATE OR REPLACE VIEW classified_rows AS
SELECT k.doc_id, r.table_code, t.role, r.code, r.name, r.level, r.parent_code, r.category, v.column_key,
       v.amount, r.source_ref
FROM (SELECT * EXCLUDE (doc_id) FROM t_classified_row) r JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no)
JOIN (SELECT * EXCLUDE (doc_id) FROM t_table) t USING (doc_no, table_code)
LEFT JOIN (SELECT * EXCLUDE (doc_id) FROM t_classified_value) v USING (doc_no, table_code, code)
ORDER BY k.doc_id, r.table_code, r.code, v.column_key;

CREATE OR REPLACE VIEW income_by_function AS
SELECT k.doc_id, r.code, r.name, r.level, r.parent_code,
       max(v.amount) FILTER (WHERE v.column_key = 'total')      AS total,
       max(v.amount) FILTER (WHERE v.column_key = 'fiscal')     AS fiscal,
       max(v.amount) FILTER (WHERE v.column_key = 'superior')   AS superior,
       max(v.amount) FILTER (WHERE v.column_key = 'business')   AS business,
       max(v.amount) FILTER (WHERE v.column_key = 'operating')  AS operating,
       max(v.amount) FILTER (WHERE v.column_key = 'affiliated') AS affiliated,
       max(v.amount) FILTER (WHERE v.column_key = 'other')      AS other,
       r.source_ref
FROM (SELECT * EXCLUDE (doc_id) FROM t_classified_row) r JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no)
LEFT JOIN (SELECT * EXCLUDE (doc_id) FROM t_classified_value) v USING (doc_no, table_code, code)
WHERE r.table_code = 'T02' OR r.table_code = 'B02'
GROUP BY ALL ORDER BY k.doc_id, r.code;

CREATE OR REPLACE VIEW expenditure_by_function AS
SELECT k.doc_id, r.code, r.name, r.level, r.parent_code,
       max(v.amount) FILTER (WHERE v.column_key = 'total')       AS total,
       max(v.amount) FILTER (WHERE v.column_key = 'basic')       AS basic,
       max(v.amount) FILTER (WHERE v.column_key = 'project')     AS project,
       max(v.amount) FILTER (WHERE v.column_key = 'to_superior') AS to_superior,
       max(v.amount) FILTER (WHERE v.column_key = 'operating')   AS operating,
       max(v.amount) FILTER (WHERE v.column_key = 'affiliated')  AS affiliated,
       r.source_ref
FROM (SELECT * EXCLUDE (doc_id) FROM t_classified_row) r JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no)
LEFT JOIN (SELECT * EXCLUDE (doc_id) FROM t_classified_value) v USING (doc_no, table_code, code)
WHERE r.table_code = 'T03' OR r.table_code = 'B03'
GROUP BY ALL ORDER BY k.doc_id, r.code;

CREATE OR REPLACE VIEW gpb_expenditure_by_function AS
SELECT k.doc_id, r.code, r.name, r.level, r.parent_code,
       max(v.amount) FILTER (WHERE v.column_key = 'total')   AS total,
       max(v.amount) FILTER (WHERE v.column_key = 'basic')   AS basic,
       max(v.amount) FILTER (WHERE v.column_key = 'project') AS project,
       r.source_ref
FROM (SELECT * EXCLUDE (doc_id) FROM t_classified_row) r JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no)
LEFT JOIN (SELECT * EXCLUDE (doc_id) FROM t_classified_value) v USING (doc_no, table_code, code)
WHERE r.table_code = 'T05' OR r.table_code = 'B07'
GROUP BY ALL ORDER BY k.doc_id, r.code;

CREATE OR REPLACE VIEW basic_expenditure_by_economic AS
SELECT k.doc_id, r.code, r.name, r.level, r.parent_code,
       coalesce(max(v.amount) FILTER (WHERE v.column_key = 'total'), max(v.amount)) AS amount, r.category,
       r.source_ref
FROM (SELECT * EXCLUDE (doc_id) FROM t_classified_row) r JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no)
LEFT JOIN (SELECT * EXCLUDE (doc_id) FROM t_classified_value) v USING (doc_no, table_code, code)
WHERE r.table_code = 'T06' OR r.table_code = 'B08'
GROUP BY ALL ORDER BY k.doc_id, r.code;

CREATE OR REPLACE VIEW economic_classes AS
SELECT DISTINCT code, first(name ORDER BY doc_id) OVER (PARTITION BY code) AS name, level, parent_code
FROM t_classified_row WHERE table_code IN ('T06', 'B06', 'B08', 'B12');

CREATE OR REPLACE VIEW function_classes AS
SELECT code, name, aliases, 1 AS level FROM t_function_class;

-- 预算 only: 财政拨款 (all fiscal funds) by function; the 一般公共预算 share is in gpb_expenditure_by_function.
CREATE OR REPLACE VIEW fiscal_expenditure_by_function AS
SELECT k.doc_id, r.code, r.name, r.level, r.parent_code,
       max(v.amount) FILTER (WHERE v.column_key = 'total')   AS total,
       max(v.amount) FILTER (WHERE v.column_key = 'basic')   AS basic,
       max(v.amount) FILTER (WHERE v.column_key = 'project') AS project,
       r.source_ref
FROM (SELECT * EXCLUDE (doc_id) FROM t_classified_row) r JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no)
LEFT JOIN (SELECT * EXCLUDE (doc_id) FROM t_classified_value) v USING (doc_no, table_code, code)
WHERE r.table_code = 'B05'
GROUP BY ALL ORDER BY k.doc_id, r.code;

-- 预算 only: 一般公共预算机关运行经费 by economic class (Jiangsu 公开11表).
CREATE OR REPLACE VIEW office_operation_by_economic AS
SELECT k.doc_id, r.code, r.name, r.level, r.parent_code, max(v.amount) AS amount, r.source_ref
FROM (SELECT * EXCLUDE (doc_id) FROM t_classified_row) r JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no)
LEFT JOIN (SELECT * EXCLUDE (doc_id) FROM t_classified_value) v USING (doc_no, table_code, code)
WHERE r.table_code = 'B12'
GROUP BY ALL ORDER BY k.doc_id, r.code;

-- 预算 only: 会议费, 培训费 and 机关运行经费 printed beside the 三公 budget, and the table's overall 总计.
CREATE OR REPLACE VIEW budget_other_expenses AS
SELECT doc_id, row_label AS item, amount AS budget, source_ref
FROM (SELECT * EXCLUDE (doc_id) FROM t_line_item) x JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no)
WHERE table_code = 'B09' AND row_label IN ('会议费', '培训费', '机关运行经费', '总计')
ORDER BY doc_id, col_no;

-- 预算 only: every figure of the 政府采购预算表 as printed (row text, column, amount).
CREATE OR REPLACE VIEW procurement_budget AS
SELECT doc_id, row_no, row_label AS item, column_label, amount, source_ref
FROM (SELECT * EXCLUDE (doc_id) FROM t_line_item) x JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no) WHERE table_code = 'B13'
ORDER BY doc_id, row_no, col_no;

CREATE OR REPLACE VIEW three_public_funds AS
SELECT doc_id, item,
       max(amount) FILTER (WHERE column_label LIKE '%预算%') AS budget,
       max(amount) FILTER (WHERE column_label NOT LIKE '%预算%') AS actual,
       min(row_no) AS row_no, first(source_ref) AS source_ref
FROM (
    SELECT doc_id, row_no, column_label, amount, source_ref,
           CASE
             WHEN regexp_replace(row_label, '\s', '', 'g') LIKE '%合计%' THEN '合计'
             WHEN row_label IN ('总计', '会议费', '培训费', '机关运行经费') THEN NULL
             WHEN row_label LIKE '%出国%' THEN '因公出国（境）费'
             WHEN row_label LIKE '%购置及运行%' THEN '公务用车购置及运行维护费'
             WHEN row_label LIKE '%购置费%' THEN '公务用车购置费'
             WHEN row_label LIKE '%运行%' THEN '公务用车运行维护费'
             WHEN row_label LIKE '%接待%' THEN '公务接待费'
           END AS item
    FROM (SELECT * EXCLUDE (doc_id) FROM t_line_item) x JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no) WHERE table_code IN ('T07', 'B09')
) WHERE item IS NOT NULL GROUP BY doc_id, item ORDER BY doc_id, row_no;

CREATE OR REPLACE VIEW narrative_figures AS
SELECT doc_id, section, label, value, unit, source_ref, key, phrase
FROM (SELECT * EXCLUDE (doc_id) FROM t_narrative_figure) x JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no) ORDER BY doc_id, seq;

CREATE OR REPLACE VIEW narrative_sections AS
SELECT doc_id, section, text FROM (SELECT * EXCLUDE (doc_id) FROM t_section_text) x JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no) ORDER BY doc_id, seq;

CREATE OR REPLACE VIEW yoy_changes AS
SELECT doc_id, code, name, amount, change, change_pct, reason, stated_name, source_ref,
       prior AS prior_amount, restated AS restated_amount, basis
FROM (SELECT * EXCLUDE (doc_id) FROM t_yoy) x JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no) ORDER BY doc_id, seq;

CREATE OR REPLACE VIEW projects AS
SELECT k.doc_id, p.project_id, p.name, p.competent_dept, p.implementing_unit,
       f.budget_initial, f.budget, f.executed, f.execution_rate, f.score AS execution_score,
       p.total_score AS score, p.grade,
       p.code, p.standard_execution_score, p.standard_score, p.standard_grade, p.mapping_note, p.source_ref
FROM (SELECT * EXCLUDE (doc_id) FROM t_project) p JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no)
LEFT JOIN (SELECT * EXCLUDE (doc_id) FROM t_project_fund) f ON f.doc_no = p.doc_no AND f.project_id = p.project_id AND f.fund_row = '年度资金总额'
ORDER BY k.doc_id, p.seq;

CREATE OR REPLACE VIEW project_funds AS
SELECT doc_id, project_id, fund_row, budget_initial, budget, executed, weight, execution_rate, score, source_ref
FROM (SELECT * EXCLUDE (doc_id) FROM t_project_fund) x JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no) ORDER BY doc_id, project_id, seq;

CREATE OR REPLACE VIEW project_texts AS
SELECT doc_id, project_id, kind, text FROM (SELECT * EXCLUDE (doc_id) FROM t_project_text) x JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no);

CREATE OR REPLACE VIEW indicators AS
SELECT doc_id, project_id, level1, level2, name, target, actual, weight, score, deviation_reason, source_ref, seq
FROM (SELECT * EXCLUDE (doc_id) FROM t_indicator) x JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no) ORDER BY doc_id, project_id, seq;

CREATE OR REPLACE VIEW project_issues AS
SELECT doc_id, project_id, problem, suggestion, issue_type FROM (SELECT * EXCLUDE (doc_id) FROM t_project_issue) x JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no) ORDER BY doc_id, project_id, seq;

CREATE OR REPLACE VIEW evaluation_reports AS
SELECT doc_id, project_id, title, score, grade, targets_set, targets_met, text, match_note, source_ref, report_no
FROM (SELECT * EXCLUDE (doc_id) FROM t_report) x JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no) ORDER BY doc_id, report_no;

CREATE OR REPLACE VIEW report_indicators AS
SELECT k.doc_id, r.project_id, i.level1, i.level2, i.name, i.unit, i.target, i.actual, i.weight, i.score,
       i.source_ref
FROM (SELECT * EXCLUDE (doc_id) FROM t_report_indicator) i JOIN (SELECT * EXCLUDE (doc_id) FROM t_report) r USING (doc_no, report_no) JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no)
ORDER BY k.doc_id, r.report_no, i.seq;

CREATE OR REPLACE VIEW glossary AS
SELECT doc_id, term, definition, source_ref FROM (SELECT * EXCLUDE (doc_id) FROM t_glossary) x JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no) ORDER BY doc_id, seq;

CREATE OR REPLACE VIEW function_project_coverage AS
WITH covered AS (
    SELECT k.doc_id, p.code, sum(f.executed) AS covered, count(*) AS projects
    FROM (SELECT * EXCLUDE (doc_id) FROM t_project) p JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no)
    JOIN (SELECT * EXCLUDE (doc_id) FROM t_project_fund) f ON f.doc_no = p.doc_no AND f.project_id = p.project_id AND f.fund_row = '年度资金总额'
    WHERE p.code IS NOT NULL
    GROUP BY ALL
)
SELECT g.doc_id, g.code, g.name, g.project AS project_expenditure,
       coalesce(c.covered, 0)::DECIMAL(18,2) AS covered,
       (g.project - coalesce(c.covered, 0))::DECIMAL(18,2) AS remainder,
       coalesce(c.projects, 0) AS projects
FROM gpb_expenditure_by_function g
LEFT JOIN covered c ON c.doc_id = g.doc_id AND c.code = g.code
WHERE g.level = 3 AND (g.project <> 0 OR c.covered IS NOT NULL)
ORDER BY g.doc_id, g.code;

CREATE OR REPLACE VIEW audit_findings AS
SELECT doc_id, rule_id, severity, table_code, row_ref, related_refs, message, expected, actual, difference,
       source_ref
FROM (SELECT * EXCLUDE (doc_id) FROM t_audit_finding) x JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no) ORDER BY doc_id, seq;

CREATE OR REPLACE VIEW audit_coverage AS
SELECT doc_id, rule_id, status, checked FROM (SELECT * EXCLUDE (doc_id) FROM t_audit_coverage) x JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no) ORDER BY doc_id, rule_id;

-- Every time a document was replaced by a different file (so a figure cited earlier can be traced).
CREATE OR REPLACE VIEW replaced_documents AS
SELECT doc_id, old_sha256, new_sha256, replaced_at FROM t_replacement ORDER BY replaced_at, doc_id;

CREATE OR REPLACE VIEW source_texts AS
SELECT doc_id, source_text AS text FROM t_document;

-- The bodies the collection follows (data/departments.csv), with the printed names their documents use.
CREATE OR REPLACE VIEW departments AS
SELECT p.department_id, p.display_name, p.region, p.level AS admin_level,
       list(DISTINCT d.department ORDER BY d.department) FILTER (WHERE d.department IS NOT NULL) AS printed_names,
       count(d.doc_id) AS document_count, min(d.fiscal_year) AS first_year, max(d.fiscal_year) AS last_year
FROM t_department p LEFT JOIN t_document d USING (department_id)
GROUP BY ALL ORDER BY p.region, p.display_name;

CREATE OR REPLACE MACRO department_years_of(doc_ids) AS TABLE
WITH d AS (  -- the chosen documents (every document when doc_ids is NULL); each part below reads only theirs
    SELECT * FROM t_document WHERE doc_ids IS NULL OR list_contains(doc_ids, doc_id)
), totals AS (  -- the 合计 row of 公开03表 (决算) or of the expenditure budget table (预算), as printed
    SELECT doc_id, list(amount ORDER BY col_no) AS amounts, min(source_ref) AS source_ref
    FROM line_items
    WHERE table_code IN ('T03', 'B03') AND code IS NULL AND regexp_replace(row_label, '\s', '', 'g') IN ('合计', '总计')
      AND (doc_ids IS NULL OR list_contains(doc_ids, doc_id))
    GROUP BY doc_id
), spend AS (
    SELECT doc_id, amounts[1] AS expenditure_total, amounts[2] AS basic_total, amounts[3] AS project_total,
           source_ref AS expenditure_ref FROM totals
), three AS (
    SELECT doc_id, max(budget) AS budget, max(actual) AS actual, min(source_ref) AS three_public_ref
    FROM three_public_funds WHERE item = '合计' AND (doc_ids IS NULL OR list_contains(doc_ids, doc_id)) GROUP BY doc_id
), staff AS (
    SELECT doc_id, sum(staff) AS staff FROM units WHERE (doc_ids IS NULL OR list_contains(doc_ids, doc_id)) GROUP BY doc_id
), findings AS (
    SELECT doc_id, count(*) FILTER (WHERE severity = 'error') AS errors,
           count(*) FILTER (WHERE severity = 'warning') AS warnings
    FROM audit_findings WHERE (doc_ids IS NULL OR list_contains(doc_ids, doc_id)) GROUP BY doc_id
)
SELECT d.department_id, coalesce(p.display_name, d.department) AS display_name, p.region, p.level AS admin_level, d.fiscal_year,
       d.kind, d.scope, d.doc_id, d.department AS printed_name, s.expenditure_total, s.basic_total, s.project_total,
       CASE WHEN d.kind = '预算' THEN t.budget ELSE t.actual END AS three_public_total, f.staff,
       coalesce(a.errors, 0) AS errors, coalesce(a.warnings, 0) AS warnings, s.expenditure_ref, t.three_public_ref
FROM d
LEFT JOIN t_department p USING (department_id)
LEFT JOIN spend s USING (doc_id)
LEFT JOIN three t USING (doc_id)
LEFT JOIN staff f USING (doc_id)
LEFT JOIN findings a USING (doc_id)
ORDER BY p.region, display_name, d.scope, d.fiscal_year, d.kind;

-- One row per document with its department and headline figures: a department followed across years. A document
-- whose name data/departments.csv does not place has a NULL department_id and keeps its printed name.
-- department_years_of([doc_id, …]) gives the same rows for the listed documents only, reading only their rows.
CREATE OR REPLACE VIEW department_years AS SELECT * FROM department_years_of(NULL);

-- Everything the search finds by name (core/search.py): department, project, 科目 (with its code) and indicator, as
-- printed, with the project an indicator belongs to as its context.
CREATE OR REPLACE VIEW search_index AS
SELECT doc_id, what, ref, label, context, code
FROM (SELECT * EXCLUDE (doc_id) FROM t_search) x JOIN (SELECT doc_no, doc_id FROM t_document) k USING (doc_no)
ORDER BY doc_id, seq;
