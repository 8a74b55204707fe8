"""Hints an editor writes into the raw text where the parser guessed wrong.

A hint is a line of its own that begins with ``@@`` (never printed in a
gazette):

    @@栏目 市政府文件      a section begins here
    @@文档                 a new document begins at the next line
    @@第 12 页             the printed page 12 begins at the next line

Hints are taken out of the text before anything else reads it; the raw file
is stored as received, hints included, so the split can be made again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..problems import Problems
from .source import Line

PREFIX = "@@"
_SECTION = re.compile(r"^栏目\s*[:：]?\s*(?P<name>\S.{0,30})$")
_DOCUMENT = re.compile(r"^(?:新)?文档$")
_PAGE = re.compile(r"^第?\s*(?P<page>\d{1,4})\s*页$")


@dataclass(frozen=True)
class Hint:
    line: int
    kind: str  # section | document | page
    value: str = ""


def take_hints(lines: list[Line], path: str, problems: Problems) -> tuple[list[Line], list[Hint]]:
    """The lines with every hint blanked, and the hints."""
    hints: list[Hint] = []
    out: list[Line] = []
    for line in lines:
        text = line.stripped
        if not text.startswith(PREFIX):
            out.append(line)
            continue
        hint = _parse(line.number, text[len(PREFIX):].strip())
        if hint is None:
            problems.error(path, line.number, f"看不懂的提示行“{text}”：可用的写法是 @@栏目 名称、@@文档、@@第 N 页")
        else:
            hints.append(hint)
        out.append(Line(line.number, ""))
    return out, hints


def _parse(number: int, body: str) -> Hint | None:
    if match := _SECTION.match(body):
        return Hint(number, "section", "".join(match["name"].split()))
    if _DOCUMENT.match(body):
        return Hint(number, "document")
    if match := _PAGE.match(body):
        return Hint(number, "page", match["page"])
    return None
