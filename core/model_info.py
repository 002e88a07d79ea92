"""The public views and what each holds: shown in the app, checked against views.sql and the README by tests."""

PUBLIC_VIEWS = {
    "table_roles": "每张表在两类文件中扮演的角色（预算 B05 ≠ 决算 T05）",
    "classified_rows": "两类文件所有按科目列示的表，逐科目逐列",
    "fiscal_expenditure_by_function": "仅预算：财政拨款支出预算表（功能科目）",
    "office_operation_by_economic": "仅预算：一般公共预算机关运行经费支出预算表",
    "budget_other_expenses": "仅预算：与“三公”并列的会议费、培训费、机关运行经费与总计",
    "procurement_budget": "仅预算：政府采购预算表的每个数字",
    "documents": "每份文件：部门、年度、类型、来源文件、找到的部分",
    "units": "决算单位构成：名称、性质、在职人数、备注",
    "line_items": "九张表的每一个数字及其行、列与出处",
    "published_tables": "九张表的标题、单位与表注",
    "income_by_function": "公开02表：按功能分类的收入",
    "expenditure_by_function": "公开03表：按功能分类的支出（全部资金）",
    "gpb_expenditure_by_function": "公开05表：一般公共预算财政拨款支出",
    "basic_expenditure_by_economic": "公开06表：基本支出经济分类",
    "economic_classes": "文件中出现的经济分类科目",
    "function_classes": "功能分类“类”级参考表",
    "three_public_funds": "公开07表：“三公”经费预算与决算",
    "narrative_figures": "情况说明中的每一个数字及其所在语句",
    "narrative_sections": "情况说明各节原文",
    "yoy_changes": "逐项（项级科目）同比变化与原因",
    "projects": "绩效自评项目：预算、执行、得分、等级、科目与标准得分",
    "project_funds": "项目的各资金行",
    "project_texts": "项目概况、成效、目标文字",
    "indicators": "绩效指标行",
    "project_issues": "存在问题与改进建议",
    "evaluation_reports": "绩效评价报告",
    "report_indicators": "评价报告中的指标行",
    "glossary": "名词解释",
    "function_project_coverage": "每个项级科目的项目支出、被自评项目解释的部分与余额",
    "audit_findings": "自动核对发现及证据",
    "audit_coverage": "每条规则的核对结果",
    "replaced_documents": "每次用不同的文件替换一份文件的记录（旧、新文件的哈希与时间）",
    "source_texts": "入库时的原文全文",
    "departments": "跟踪的部门（data/departments.csv）及其文件中出现过的名称",
    "department_years": "每份文件一行：所属部门、年度、类型、范围与头条数字（同一部门跨年度）",
    "search_index": "搜索能按名称找到的一切：部门、项目、科目（含编码）、绩效指标",
}

# Table macros beside the views: the same rows as a view, for a few documents, reading only their rows
PUBLIC_MACROS = {
    "department_years_of": "department_years 中指定的几份文件（只读这几份的行）",
}


def query_example(doc_id: str) -> str:
    """A Python snippet an analyst can paste to query the views of one document."""
    return (
        "import duckdb\n"
        'con = duckdb.connect("data/juesuan.duckdb", read_only=True)\n'
        'con.execute("SELECT code, name, total, basic, project FROM gpb_expenditure_by_function "\n'
        f'            "WHERE doc_id = ? AND level = 3", ["{doc_id}"]).fetchall()\n'
    )
