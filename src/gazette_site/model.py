"""The content model: what every stage after ingest works on.

Plain dataclasses, built once by :mod:`gazette_site.content` from the files in
``content/``; render, search and publish only read them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .docnumber import DocNumberMention

# Sections (栏目) are data: any name a gazette prints becomes one. These slugs
# were fixed before that, and are in published URLs: never change them. Every
# other section's slug is the full pinyin of its name, which never changes either.
FIXED_SECTION_SLUGS: dict[str, str] = {
    "区级文件选登": "qujiwenjian",
    "市级文件选登": "shijiwenjian",
    "部门文件": "bumenwenjian",
    "规范性文件": "guifanxingwenjian",
    "政策解读": "zhengcejiedu",
    "政务简讯": "zhengwujianxun",
    "人事任免": "renshirenmian",
    "大事记": "dashiji",
}


def section_slug(name: str) -> str:
    """The URL slug of a section: 市政府文件 → shizhengfuwenjian."""
    from .docnumber import agency_slug  # pypinyin is loaded only where a slug is made

    return FIXED_SECTION_SLUGS.get(name) or agency_slug(name)


@dataclass(frozen=True, order=True)
class IssueRef:
    year: int
    number: int

    @property
    def key(self) -> str:
        return f"{self.year}-{self.number}"


@dataclass(frozen=True)
class TocEntry:
    title: str
    page: int | None
    section: str | None = None


@dataclass(frozen=True)
class SourceInfo:
    """The raw text an issue was ingested from, kept unchanged beside it."""

    filename: str  # name the editor gave the file
    stored_as: str  # file name inside the issue directory
    sha256: str
    bytes: int
    encoding: str


@dataclass(frozen=True)
class Correction:
    """An editor's correction of the transcription (勘误), kept on the record with the reading it replaced."""

    date: dt.date
    original: str  # the text as first transcribed ("" where words were missing)
    corrected: str  # the text now in the body ("" where words were struck out)
    reason: str


@dataclass
class Document:
    id: str
    title: str
    category: str
    issue: IssueRef
    order: int  # printed position within the issue, from 1
    doc_number: str | None = None
    issuer: str | list[str] | None = None
    date: dt.date | None = None
    page: int | None = None
    page_end: int | None = None  # printed page where it ends
    addressee: str | None = None
    attachments: list[str] = field(default_factory=list)
    source_lines: tuple[int, int] | None = None
    corrections: list[Correction] = field(default_factory=list)
    path: Path | None = None  # the Markdown file it was read from
    body_line: int = 1  # line of ``path`` where the body starts
    # The Markdown body itself stays in the file until its page is rendered
    # (``content.read_body``): bodies are three quarters of a loaded archive's
    # memory. What the other stages need of it is kept:
    body_digest: bytes = b""  # of its UTF-8 (``content.body_digest``)
    printed_numbers: tuple[DocNumberMention, ...] = ()  # every 发文字号 it prints

    @property
    def issuers(self) -> list[str]:
        if self.issuer is None:
            return []
        return [self.issuer] if isinstance(self.issuer, str) else list(self.issuer)


@dataclass
class Issue:
    gazette: str
    year: int
    number: int
    total_number: int | None
    masthead: dict[str, str]
    intro: list[str]
    toc: list[TocEntry]
    source: SourceInfo | None
    extra: dict[str, object] = field(default_factory=dict)
    documents: list[Document] = field(default_factory=list)
    path: Path | None = None  # the issue directory

    @property
    def ref(self) -> IssueRef:
        return IssueRef(self.year, self.number)


@dataclass
class Archive:
    """Everything in ``content/``, issues in chronological order."""

    issues: list[Issue]

    @property
    def documents(self) -> list[Document]:
        return [d for issue in self.issues for d in issue.documents]
