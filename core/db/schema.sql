-- Internal tables (prefix t_). Query the public views in views.sql, never these.
-- Money is DECIMAL(18,2) in 万元 as published; the nine tables' figures are DECIMAL(22,6) so that a table printed
-- in 元 converts to 万元 exactly (1,234.56 元 = 0.123456 万元). Percentages are numbers in percent (13.44 = 13.44%).

CREATE TABLE IF NOT EXISTS t_document (
    doc_id          VARCHAR PRIMARY KEY, doc_no INTEGER,
    department_id   VARCHAR,  -- data/departments.csv's id for the printed name; NULL until the file places it
    department      VARCHAR NOT NULL,
    fiscal_year     INTEGER NOT NULL,
    kind            VARCHAR NOT NULL,
    scope           VARCHAR NOT NULL DEFAULT '部门',
    money_unit      VARCHAR NOT NULL,
    source_file     VARCHAR NOT NULL,
    source_sha256   VARCHAR NOT NULL,
    source_format   VARCHAR NOT NULL,
    parts_found     VARCHAR[] NOT NULL,
    missing_tables  VARCHAR[] NOT NULL,
    source_files    VARCHAR[],
    page_counts     INTEGER[],
    announced_tables VARCHAR[],
    ingested_at     TIMESTAMP NOT NULL,
    source_text     VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS t_unit (
    doc_id VARCHAR, doc_no INTEGER, seq INTEGER, name VARCHAR, unit_type VARCHAR, staff INTEGER, source_ref VARCHAR, note VARCHAR
);

CREATE TABLE IF NOT EXISTS t_table (
    doc_id VARCHAR, doc_no INTEGER, table_code VARCHAR, title VARCHAR, unit VARCHAR, notes VARCHAR, source_ref VARCHAR,
    role VARCHAR
);

CREATE TABLE IF NOT EXISTS t_table_row (
    doc_id VARCHAR, doc_no INTEGER, table_code VARCHAR, row_no INTEGER, is_header BOOLEAN, cells VARCHAR[], source_ref VARCHAR
);

CREATE TABLE IF NOT EXISTS t_line_item (
    doc_id VARCHAR, doc_no INTEGER, table_code VARCHAR, row_no INTEGER, side VARCHAR, row_label VARCHAR, code VARCHAR,
    column_label VARCHAR, col_no INTEGER, amount DECIMAL(22,6), source_ref VARCHAR
);

CREATE TABLE IF NOT EXISTS t_classified_row (
    doc_id VARCHAR, doc_no INTEGER, table_code VARCHAR, row_no INTEGER, code VARCHAR, name VARCHAR, level INTEGER,
    parent_code VARCHAR, category VARCHAR, source_ref VARCHAR
);

CREATE TABLE IF NOT EXISTS t_classified_value (
    doc_id VARCHAR, doc_no INTEGER, table_code VARCHAR, code VARCHAR, column_key VARCHAR, amount DECIMAL(22,6)
);

CREATE TABLE IF NOT EXISTS t_section_text (
    doc_id VARCHAR, doc_no INTEGER, seq INTEGER, section VARCHAR, text VARCHAR
);

CREATE TABLE IF NOT EXISTS t_narrative_figure (
    doc_id VARCHAR, doc_no INTEGER, seq INTEGER, section VARCHAR, label VARCHAR, key VARCHAR, value DECIMAL(18,2),
    unit VARCHAR, phrase VARCHAR, source_ref VARCHAR
);

CREATE TABLE IF NOT EXISTS t_yoy (
    doc_id VARCHAR, doc_no INTEGER, seq INTEGER, code VARCHAR, name VARCHAR, stated_name VARCHAR, amount DECIMAL(18,2),
    change DECIMAL(18,2), change_pct DECIMAL(18,2), reason VARCHAR, source_ref VARCHAR,
    prior DECIMAL(18,2), restated DECIMAL(18,2), basis VARCHAR
);

CREATE TABLE IF NOT EXISTS t_project (
    doc_id VARCHAR, doc_no INTEGER, project_id VARCHAR, seq INTEGER, name VARCHAR, competent_dept VARCHAR,
    implementing_unit VARCHAR, total_score DECIMAL(18,2), grade VARCHAR, grade_text VARCHAR,
    code VARCHAR, mapping_note VARCHAR,
    standard_execution_score DECIMAL(18,2), standard_score DECIMAL(18,2), standard_grade VARCHAR,
    source_ref VARCHAR
);

CREATE TABLE IF NOT EXISTS t_project_fund (
    doc_id VARCHAR, doc_no INTEGER, project_id VARCHAR, seq INTEGER, fund_row VARCHAR, budget_initial DECIMAL(18,2),
    budget DECIMAL(18,2), executed DECIMAL(18,2), weight DECIMAL(18,2), execution_rate DECIMAL(18,2),
    score DECIMAL(18,2), source_ref VARCHAR
);

CREATE TABLE IF NOT EXISTS t_project_text (
    doc_id VARCHAR, doc_no INTEGER, project_id VARCHAR, kind VARCHAR, text VARCHAR
);

CREATE TABLE IF NOT EXISTS t_indicator (
    doc_id VARCHAR, doc_no INTEGER, project_id VARCHAR, seq INTEGER, level1 VARCHAR, level2 VARCHAR, name VARCHAR,
    target VARCHAR, actual VARCHAR, weight DECIMAL(18,2), score DECIMAL(18,2), deviation_reason VARCHAR,
    source_ref VARCHAR
);

CREATE TABLE IF NOT EXISTS t_project_issue (
    doc_id VARCHAR, doc_no INTEGER, project_id VARCHAR, seq INTEGER, issue_type VARCHAR, problem VARCHAR, suggestion VARCHAR
);

CREATE TABLE IF NOT EXISTS t_report (
    doc_id VARCHAR, doc_no INTEGER, report_no INTEGER, project_id VARCHAR, title VARCHAR, score DECIMAL(18,2), grade VARCHAR,
    targets_set INTEGER, targets_met INTEGER, text VARCHAR, match_note VARCHAR, source_ref VARCHAR
);

CREATE TABLE IF NOT EXISTS t_report_indicator (
    doc_id VARCHAR, doc_no INTEGER, report_no INTEGER, seq INTEGER, level1 VARCHAR, level2 VARCHAR, name VARCHAR, unit VARCHAR,
    target VARCHAR, actual VARCHAR, weight DECIMAL(18,2), score DECIMAL(18,2), source_ref VARCHAR
);

CREATE TABLE IF NOT EXISTS t_glossary (
    doc_id VARCHAR, doc_no INTEGER, seq INTEGER, term VARCHAR, definition VARCHAR, source_ref VARCHAR
);

-- The search index (core/search.py): every searchable name of a document, folded into `term`, and the character
-- bigrams of every distinct term (shared by all documents, so it grows with the vocabulary, not the collection).
CREATE TABLE IF NOT EXISTS t_search (
    doc_id VARCHAR, doc_no INTEGER, seq INTEGER, what VARCHAR, ref VARCHAR, label VARCHAR, context VARCHAR,
    code VARCHAR, term VARCHAR
);

CREATE TABLE IF NOT EXISTS t_search_gram (gram VARCHAR, term VARCHAR);

-- data/departments.csv, loaded with the schema: the bodies the collection follows across years and spellings.
CREATE TABLE IF NOT EXISTS t_department (
    department_id VARCHAR, display_name VARCHAR, region VARCHAR, level VARCHAR
);

CREATE TABLE IF NOT EXISTS t_function_class (
    code VARCHAR PRIMARY KEY, name VARCHAR, aliases VARCHAR
);

CREATE TABLE IF NOT EXISTS t_audit_finding (
    doc_id VARCHAR, doc_no INTEGER, seq INTEGER, rule_id VARCHAR, severity VARCHAR, table_code VARCHAR, row_ref VARCHAR,
    related_refs VARCHAR, message VARCHAR, expected DECIMAL(22,6), actual DECIMAL(22,6),
    difference DECIMAL(22,6), source_ref VARCHAR
);

CREATE TABLE IF NOT EXISTS t_replacement (
    doc_id VARCHAR, old_sha256 VARCHAR, new_sha256 VARCHAR, replaced_at TIMESTAMP
);

CREATE TABLE IF NOT EXISTS t_audit_coverage (
    doc_id VARCHAR, doc_no INTEGER, rule_id VARCHAR, status VARCHAR, checked INTEGER
);

