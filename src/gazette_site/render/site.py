"""What the pages are made of: the archive plus everything derived from it once.

Built before any page is rendered, so each page builder is a pure function
of this object and one document, issue or index key.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterator, TypeVar

from pypinyin import lazy_pinyin

from .. import urls
from ..docnumber import DocNumber, parse_line
from ..model import Archive, Document, Issue, IssueRef, TocEntry
from ..problems import Problems
from ..settings import Settings
from . import xref
from .markdown import ChronicleEntry

T = TypeVar("T")


def pinyin_key(text: str) -> tuple[str, str]:
    """Sort Chinese names the way a reader looks them up: by pinyin."""
    return (" ".join(lazy_pinyin(text)), text)


@dataclass
class TocGroup:
    entry: TocEntry | None  # None: documents the printed 目录 does not list
    documents: list[Document] = field(default_factory=list)


def toc_groups(issue: Issue) -> list[TocGroup]:
    """The printed 目录 with the documents each entry stands for.

    An entry stands for the document of the same title; an entry such as
    政务简讯 stands for all documents of that 栏目; anything else joins the
    last entry printed at or before its page.
    """
    groups = [TocGroup(entry) for entry in issue.toc]
    by_title = {_squash(g.entry.title): g for g in groups}
    leftover = TocGroup(None)
    for doc in issue.documents:
        group = by_title.get(_squash(doc.title)) or by_title.get(doc.category)
        if group is None and doc.page is not None:
            earlier = [g for g in groups if g.entry.page is not None and g.entry.page <= doc.page]
            group = earlier[-1] if earlier else None
        (group or leftover).documents.append(doc)
    return groups + ([leftover] if leftover.documents else [])


def with_neighbours(items: list[T]) -> Iterator[tuple[T | None, T, T | None]]:
    """Each item with the one before and the one after it (None at the ends)."""
    for index, item in enumerate(items):
        yield (items[index - 1] if index else None, item, items[index + 1] if index + 1 < len(items) else None)


def _squash(text: str) -> str:
    return "".join(text.split())


@dataclass
class Site:
    archive: Archive
    settings: Settings
    problems: Problems
    # 大事记 entries by document id, filled in as the bodies are rendered
    chronicles: dict[str, tuple[ChronicleEntry, ...]] = field(default_factory=dict)

    @cached_property
    def resolver(self) -> xref.Resolver:
        return xref.Resolver(self.archive)

    @cached_property
    def mentioned(self) -> dict[str, list[str]]:
        """Ids of the archived documents each body mentions, itself included.

        Resolved once: the body cache's key, 引用 and 被引用 all need them.
        """
        return {d.id: xref.mentioned(d.printed_numbers, self.resolver) for d in self.archive.documents}

    @cached_property
    def cited_by(self) -> dict[str, list[Document]]:
        return xref.cited_by(self.archive, self.mentioned)

    @cached_property
    def documents(self) -> dict[str, Document]:
        return {d.id: d for d in self.archive.documents}

    @cached_property
    def issues(self) -> dict[IssueRef, Issue]:
        return {i.ref: i for i in self.archive.issues}

    def cites(self, doc: Document) -> list[Document]:
        return [self.documents[t] for t in self.mentioned[doc.id] if t != doc.id]

    @property
    def gazette(self) -> str:
        return self.archive.issues[-1].gazette if self.archive.issues else self.settings.site_name

    @cached_property
    def years(self) -> dict[int, list[Issue]]:
        """Issues by year, newest year first, issues in printed order."""
        years: dict[int, list[Issue]] = {}
        for issue in self.archive.issues:
            years.setdefault(issue.year, []).append(issue)
        return dict(sorted(years.items(), reverse=True))

    @cached_property
    def by_category(self) -> dict[str, list[Document]]:
        # Sections in the order the settings give, then as the gazette first printed them.
        found: dict[str, list[Document]] = {name: [] for name in self.settings.sections}
        for doc in self.archive.documents:
            found.setdefault(doc.category, [])
        for doc in reversed(self.archive.documents):
            found[doc.category].append(doc)
        return {name: docs for name, docs in found.items() if docs}

    @cached_property
    def by_issuer(self) -> dict[str, list[Document]]:
        found: dict[str, list[Document]] = {}
        for doc in reversed(self.archive.documents):
            for name in doc.issuers:
                found.setdefault(name, []).append(doc)
        slugs: dict[str, str] = {}
        for name in sorted(found):
            slug = urls.issuer_slug(name)
            if slug in slugs:
                self.problems.error(found[name][0].path or found[name][0].id, 2,
                                    f"发文机关 “{name}” 与 “{slugs[slug]}” 的网址相同（issuer/{slug}/），请统一写法")
            slugs[slug] = name
        return dict(sorted(found.items(), key=lambda kv: pinyin_key(kv[0])))

    @cached_property
    def by_doc_number(self) -> dict[str, list[tuple[DocNumber, Document]]]:
        """Documents by agency code (pinyin order), then year and number."""
        found: dict[str, list[tuple[DocNumber, Document]]] = {}
        for doc in self.archive.documents:
            number = parse_line(doc.doc_number) if doc.doc_number else None
            if doc.doc_number and number is None:
                self.problems.warning(doc.path or doc.id, 2, f"发文字号 “{doc.doc_number}” 无法识别，未列入发文字号索引")
            if number is not None:
                found.setdefault(number.agency, []).append((number, doc))
        return {code: sorted(found[code], key=lambda pair: pair[0].sort_key)
                for code in sorted(found, key=pinyin_key)}

    def chronicle(self) -> list[tuple[Document, ChronicleEntry]]:
        """Every 大事记 entry of the archive, newest first (once every body is rendered)."""
        entries = [(doc, entry) for doc in self.archive.documents for entry in self.chronicles.get(doc.id, ())]
        # Newest day first; entries of one day keep their printed order.
        order = sorted(range(len(entries)), key=lambda n: (entries[n][1].date, -n), reverse=True)
        return [entries[n] for n in order]
