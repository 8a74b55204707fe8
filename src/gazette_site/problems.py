"""Problems found in input, reported together, one line each, MkDocs style.

Every stage collects problems instead of raising on the first one, so an
editor sees the whole list at once. Only the CLI prints them and decides the
exit code.
"""
from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field
from pathlib import Path


def shown_path(path: str | Path) -> str:
    """A path as an editor wants it in a message: from the working directory when it is
    inside it (``content/2023/1/x.md``, which editors and their tools open as given)."""
    text = str(path)
    if not os.path.isabs(text):
        return text
    try:
        relative = os.path.relpath(text)
    except ValueError:  # another drive
        return text
    return text if relative == ".." or relative.startswith(".." + os.sep) else relative


class Level(enum.Enum):
    ERROR = "错误"
    WARNING = "警告"
    INFO = "提示"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int | None
    level: Level = field(compare=False)
    message: str = field(compare=False)

    def __str__(self) -> str:
        path = shown_path(self.path)
        where = path if self.line is None else f"{path}:{self.line}"
        return f"{where}: {self.level.value}: {self.message}"


class Problems:
    """An ordered collection of problems for one run."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def error(self, path: str | Path, line: int | None, message: str) -> None:
        self.items.append(Problem(str(path), line, Level.ERROR, message))

    def warning(self, path: str | Path, line: int | None, message: str) -> None:
        self.items.append(Problem(str(path), line, Level.WARNING, message))

    def info(self, path: str | Path, line: int | None, message: str) -> None:
        self.items.append(Problem(str(path), line, Level.INFO, message))

    def extend(self, other: "Problems") -> None:
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.level is Level.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.level is Level.WARNING]

    def has_errors(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class Abort(Exception):
    """Raised to stop a command after its problems have been collected."""

    def __init__(self, problems: Problems):
        super().__init__(f"{len(problems.errors)} error(s)")
        self.problems = problems
