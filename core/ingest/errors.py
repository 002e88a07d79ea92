"""Input problems carry file and line so a person can find and fix them; nothing is loaded when one is raised."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, at a place in it."""

    file: str
    line: int
    message: str
    unit: str = "line"  # "page" for a place in a PDF

    def __str__(self) -> str:
        where = f"page {self.line}" if self.unit == "page" else str(self.line)
        return f"{self.file}:{where}: {self.message}"

    @classmethod
    def at(cls, file: str, ref: str, message: str) -> "Problem":
        """A problem at a stored reference: `line:N`, `page:N` or `file.pdf#page:N` (FILE:N: or FILE:page N:)."""
        m = re.search(r"(line|page):(\d+)$", ref or "")
        if not m:
            return cls(file, 1, message)
        return cls(file, int(m.group(2)), message, m.group(1))


class InputError(Exception):
    """The input is not a readable, complete 决算 document; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
