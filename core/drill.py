"""Drill-down state, parsed from and written to URL query parameters: a pure function, testable without UI.

Link format (all parameters optional):
    ?doc=<doc_id>&scope=all|gpb&code=<3|5|7-digit function code>&project=<project_id>
    &view=function|economic&econ=<economic class code>
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Mapping

SCOPES = ("all", "gpb")
VIEWS = ("function", "economic")
_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
_PROJECT = re.compile(r"^P\d{1,4}$")
_DOC = re.compile(r"^[A-Za-z0-9_-]{1,80}$")
_ECON = re.compile(r"^\d{3}$")


@dataclass(frozen=True)
class DrillState:
    """Where the reader is: document, fund scope, the function code drilled to, the project open, the view."""

    doc: str | None = None
    scope: str = "all"
    view: str = "function"
    code: str | None = None
    project: str | None = None
    econ: str | None = None

    @property
    def level(self) -> int:
        """0 at the 类 overview, 1 inside a 类 (showing 款), 2 inside a 款 (showing 项), 3 inside a 项 (projects)."""
        return {None: 0, 3: 1, 5: 2, 7: 3}[len(self.code) if self.code else None]

    @property
    def points_into(self) -> bool:
        """Whether the state names a 科目, project or economic class, which `against` must check the document holds."""
        return bool(self.code or self.project or self.econ)

    @property
    def path(self) -> list[str]:
        """The codes from 类 down to the current one: `2040605` → ['204', '20406', '2040605']."""
        if not self.code:
            return []
        return [self.code[:n] for n in (3, 5, 7) if n <= len(self.code)]

    def drill(self, code: str) -> "DrillState":
        return replace(self, code=code, project=None)

    def up_to(self, code: str | None) -> "DrillState":
        return replace(self, code=code, project=None)

    def open_project(self, project_id: str) -> "DrillState":
        return replace(self, project=project_id)


def _get(params: Mapping, key: str) -> str | None:
    value = params.get(key)
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else None
    return str(value) if value not in (None, "") else None


def parse_drill(params: Mapping) -> DrillState:
    """A valid DrillState from query parameters; anything malformed is dropped, never trusted."""
    doc = _get(params, "doc")
    scope = _get(params, "scope")
    view = _get(params, "view")
    code = _get(params, "code")
    project = _get(params, "project")
    econ = _get(params, "econ")
    return DrillState(
        doc=doc if doc and _DOC.match(doc) else None,
        scope=scope if scope in SCOPES else "all",
        view=view if view in VIEWS else "function",
        code=code if code and _CODE.match(code) else None,
        project=project if project and _PROJECT.match(project) else None,
        econ=econ if econ and _ECON.match(econ) else None,
    )


PARAM_KEYS = ("doc", "scope", "view", "code", "project", "econ")


def url_changes(current: Mapping, new: DrillState) -> dict[str, str]:
    """The one update that takes the URL's parameters to `new`: changed drill parameters, and "" for a drill
    parameter `new` leaves out (an empty value reads as absent). Other parameters (a page's filters, the print flag)
    are not touched, so a filtered list stays filtered in a shared link, and the write is one browser history entry."""
    want = to_params(new)
    changes = {k: v for k, v in want.items() if _get(current, k) != v}
    changes.update({k: "" for k in PARAM_KEYS if k not in want and _get(current, k) is not None})
    return changes


def to_params(state: DrillState) -> dict[str, str]:
    """The query parameters that reproduce a state; defaults are left out so links stay short."""
    out = {}
    if state.doc:
        out["doc"] = state.doc
    if state.scope != "all":
        out["scope"] = state.scope
    if state.view != "function":
        out["view"] = state.view
    if state.code:
        out["code"] = state.code
    if state.project:
        out["project"] = state.project
    if state.econ:
        out["econ"] = state.econ
    return out


@dataclass(frozen=True)
class Known:
    """What a document holds that a link may point at (filled by core.figures.known_keys)."""

    codes: frozenset[str] = frozenset()
    projects: frozenset[str] = frozenset()
    econ: frozenset[str] = frozenset()


def against(state: DrillState, known: Known) -> tuple[DrillState, list[str]]:
    """The state with every pointer the document does not hold removed, and one notice per removal, so a link to
    a 科目 or project that is not there never shows the document's figures under that label."""
    notices = []
    if state.code and state.code not in known.codes:
        notices.append(f"这份文件中没有科目 {state.code}，已回到支出总览。")
        state = replace(state, code=None, project=None)
    if state.project and state.project not in known.projects:
        notices.append(f"这份文件中没有项目 {state.project}，已回到项目列表。")
        state = replace(state, project=None)
    if state.econ and state.econ not in known.econ:
        notices.append(f"这份文件中没有经济分类 {state.econ}，已回到经济分类总览。")
        state = replace(state, econ=None)
    return state, notices
