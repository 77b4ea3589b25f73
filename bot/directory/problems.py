"""Problems found in a directory file, each tied to a line and column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    """One thing wrong with the file, in words a partner understands."""

    line: int
    column: int
    message: str

    def format(self, filename: str) -> str:
        """The one-line form: `file:LINE:COL: message`."""
        return f"{filename}:{self.line}:{self.column}: {self.message}"


class DirectoryError(Exception):
    """The directory file could not be loaded; `problems` says why."""

    def __init__(self, filename: str, problems: list[Problem]) -> None:
        self.filename = filename
        self.problems = problems
        lines = [p.format(filename) for p in problems]
        super().__init__(f"{filename} has {len(problems)} problem(s):\n" + "\n".join(lines))
