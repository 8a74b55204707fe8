"""What the section parsers produce: one draft per document."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..problems import Problems
from .elements import Stats


@dataclass
class Context:
    """Facts about the issue that every section parser needs."""

    path: str  # the raw file, for problem messages
    year: int
    number: int
    jurisdiction: str  # 武汉市新洲区: expands 区人民政府 to its full name
    problems: Problems
    reference_date: dt.date | None = None  # the latest 成文日期 of the issue: gives 大事记 entries their year
    forced_starts: set[int] = field(default_factory=set)  # first lines of blocks an editor's hint makes documents
    page_breaks: list[int] = field(default_factory=list)  # lines of the printed page numbers, ascending
    listed_titles: frozenset[str] = frozenset()  # the 目录's titles of documents (``comparable_title``)


@dataclass
class Draft:
    category: str
    title: str
    body: str
    first_line: int
    last_line: int
    doc_number: str | None = None
    doc_number_line: int | None = None
    issuer: str | list[str] | None = None
    date: dt.date | None = None
    addressee: str | None = None
    attachments: list[str] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)
    # filled in by the issue parser
    id: str = ""
    order: int = 0
    page: int | None = None
    page_end: int | None = None


def expand_issuer(name: str, jurisdiction: str) -> str:
    """区人民政府办公室 → 武汉市新洲区人民政府办公室 (names printed without the place)."""
    name = name.strip()
    if jurisdiction and name and not name.startswith(jurisdiction) and name[0] == jurisdiction[-1]:
        return jurisdiction[:-1] + name
    return name
