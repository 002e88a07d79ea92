"""The README and the app list exactly the views views.sql creates, with the columns they really have."""

import re
from pathlib import Path

from core.model_info import PUBLIC_VIEWS

ROOT = Path(__file__).resolve().parents[1]


def created_views() -> list[str]:
    return re.findall(r"CREATE OR REPLACE VIEW (\w+)", (ROOT / "core" / "db" / "views.sql").read_text())


def test_every_view_is_documented_with_its_columns(con):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    views = created_views()
    assert sorted(views) == sorted(PUBLIC_VIEWS)
    for view in views:
        row = next((l for l in readme.splitlines() if l.startswith(f"| `{view}` |")), None)
        assert row, f"README does not list the view {view}"
        documented = [c.strip() for c in row.rstrip("|").split("|")[-1].split(",")]
        actual = [r[0] for r in con.execute(f"DESCRIBE {view}").fetchall()]
        assert documented == actual, view


def test_every_table_macro_is_listed_and_documented():
    from core.model_info import PUBLIC_MACROS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    macros = re.findall(r"CREATE OR REPLACE MACRO (\w+)", (ROOT / "core" / "db" / "views.sql").read_text())
    assert sorted(macros) == sorted(PUBLIC_MACROS)
    for name in macros:
        assert f"`{name}(" in readme, name


def test_readme_shows_the_two_commands_and_a_screenshot():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme
    for image in re.findall(r"docs/img/[\w-]+\.png", readme):
        assert (ROOT / image).exists(), image


def test_core_never_imports_streamlit():
    for path in (ROOT / "core").rglob("*.py"):
        assert not re.search(r"^\s*(import|from)\s+streamlit", path.read_text(encoding="utf-8"), re.M), path


def test_pages_never_render_html_or_query_internal_tables():
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        assert "unsafe_allow_html" not in text, path
        assert not re.search(r"\bt_[a-z_]+\b", text), path
        assert not re.search(r"^\s*(import|from)\s+duckdb", text, re.M), path
        assert ".execute(" not in text, path
