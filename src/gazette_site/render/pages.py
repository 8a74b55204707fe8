"""Page builders: each returns the pages of one kind as (path, template, context).

Builders only decide *what* a page shows; templates decide how. Every link
in a page goes through its ``link`` function, so pages stay relative (or,
for the 404 page, which a host serves at any depth, rooted at the base path).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Iterator

from .. import urls
from . import metadata
from .env import cn_date, issue_label
from ..model import Document, Issue, IssueRef
from .markdown import Body, ChronicleEntry, Heading, render_inline, without_printed_date
from .site import Site, toc_groups, with_neighbours


@dataclass(frozen=True)
class Page:
    path: str  # site path, see urls
    template: str
    context: dict


def relative_links(page_path: str) -> Callable[[str], str]:
    return lambda target: urls.relative(page_path, target)


def rooted_links(base_path: str) -> Callable[[str], str]:
    return lambda target: base_path + target


def home(site: Site) -> Iterator[Page]:
    latest = site.archive.issues[-1] if site.archive.issues else None
    yield Page(urls.HOME, "index.html", {
        "latest": latest,
        "latest_groups": toc_groups(latest) if latest else [],
        "years": site.years,
        "categories": site.by_category,
    })


def years(site: Site) -> Iterator[Page]:
    for year, issues in site.years.items():
        yield Page(urls.year(year), "year.html", {"year": year, "issues": issues})


def issues(site: Site) -> Iterator[Page]:
    for previous, issue, following in with_neighbours(site.archive.issues):
        yield Page(urls.issue(issue.ref), "issue.html", {
            "issue": issue, "groups": toc_groups(issue), "previous": previous, "next": following,
        })


# How many heading levels the outline of a document shows (一、 › （一） › 1. below the enclosed title).
OUTLINE_LEVELS = 3


@dataclass(frozen=True)
class OutlineEntry:
    heading: Heading
    children: list[OutlineEntry]


def outline(headings: tuple[Heading, ...], levels: int = OUTLINE_LEVELS) -> list[OutlineEntry]:
    """The headings as a tree of the ``levels`` highest heading levels the document uses."""
    shown = set(sorted({h.level for h in headings})[:levels])
    root: list[OutlineEntry] = []
    open_entries: list[OutlineEntry] = []  # the entries the next one may belong to, outermost first
    for heading in headings:
        if heading.level not in shown:
            continue
        while open_entries and open_entries[-1].heading.level >= heading.level:
            open_entries.pop()
        entry = OutlineEntry(heading, [])
        (open_entries[-1].children if open_entries else root).append(entry)
        open_entries.append(entry)
    return root


def document(site: Site, issue: Issue, previous: Document | None, doc: Document, following: Document | None,
             body: Body) -> Page:
    base = site.settings.base_url
    permalink = urls.absolute(base, urls.document(doc.id))
    return Page(urls.document(doc.id), "document.html", {
        "doc": doc, "issue": issue, "body": body,
        "previous": previous, "next": following,
        "cites": site.cites(doc), "cited_by": site.cited_by.get(doc.id, []),
        "permalink": permalink, "outline": outline(body.headings),
        "citation": metadata.citation(doc, issue, permalink),
        "citation_head": metadata.citation_head(doc, issue),
        "json_ld": metadata.json_ld(doc, issue, base, site.settings.language),
        "dublin_core": metadata.dublin_core(doc, issue, permalink, site.settings.language),
    })


def document_record(site: Site, issue: Issue, doc: Document, body: Body) -> dict:
    """What ``/doc/<id>.json`` holds."""
    return metadata.record(doc, issue, site.settings.base_url, [d.id for d in site.cites(doc)],
                           [d.id for d in site.cited_by.get(doc.id, [])],
                           [(h.id, h.text) for h in body.attachments])


def _grouped(index_path: str, index_template: str, kind: str, groups: dict,
             page_path: Callable[[str], str], site: Site,
             feed_path: Callable[[str], str] | None = None, shown: Callable[[str], str] = str) -> Iterator[Page]:
    """An index page of groups and one list page per group (栏目, 发文机关), with its feed if it has one."""
    yield Page(index_path, index_template, {"groups": groups})
    for name, docs in groups.items():
        yield Page(page_path(name), "document_list.html", {
            "title": shown(name), "kind": kind, "index_path": index_path, "documents": docs, "issues": site.issues,
            "feed": feed_path(name) if feed_path else None,
        })


def categories(site: Site) -> Iterator[Page]:
    yield from _grouped(urls.CATEGORY_INDEX, "categories.html", "栏目", site.by_category, urls.category, site,
                        urls.category_feed, site.settings.section_label)


def issuers(site: Site) -> Iterator[Page]:
    yield from _grouped(urls.ISSUER_INDEX, "issuers.html", "发文机关", site.by_issuer, urls.issuer, site)


def doc_numbers(site: Site) -> Iterator[Page]:
    yield Page(urls.DOC_NUMBERS, "doc_numbers.html", {"codes": site.by_doc_number, "issues": site.issues})


@dataclass(frozen=True)
class ChronicleItem:
    """A 大事记 entry as its page lists it, its links made once for each issue and document: the page
    lists every entry of the archive. Attributes, not a dict's keys, which Jinja looks up only after
    failing to find an attribute."""
    entry: ChronicleEntry
    date_label: str
    html: str
    issue_href: str
    issue_label: str
    doc_href: str


def dashiji(site: Site) -> Iterator[Page]:
    path = urls.DASHIJI
    link = relative_links(path)
    by_year: dict[str, list[ChronicleItem]] = {}
    doc_hrefs: dict[str, str] = {}
    issue_hrefs: dict[IssueRef, str] = {}
    for doc, entry in site.chronicle():
        html = render_inline(without_printed_date(entry.children), doc.id, site.resolver,
                             lambda target: link(urls.document(target)))
        issue = site.issues[doc.issue]
        if doc.id not in doc_hrefs:
            doc_hrefs[doc.id] = link(urls.document(doc.id))
        if doc.issue not in issue_hrefs:
            issue_hrefs[doc.issue] = link(urls.issue(doc.issue))
        item = ChronicleItem(entry, _date_label(entry.date), html, issue_hrefs[doc.issue],
                             issue_label(issue.year, issue.number), doc_hrefs[doc.id])
        by_year.setdefault(entry.date[:4], []).append(item)
    yield Page(path, "dashiji.html", {"years": by_year})


def _date_label(value: str) -> str:
    try:
        return cn_date(dt.date.fromisoformat(value))
    except ValueError:
        return value


def not_found(site: Site) -> Iterator[Page]:
    yield Page(urls.NOT_FOUND, "404.html", {})


# Every kind of page but the documents' (see ``document``); dashiji needs every body rendered first.
BUILDERS = (home, years, issues, categories, issuers, doc_numbers, dashiji, not_found)


def page_globals(site: Site, page: Page) -> dict:
    """What every template may use besides its own context."""
    link = rooted_links(site.settings.base_path) if page.path == urls.NOT_FOUND else relative_links(page.path)
    return {
        "site": site.settings, "gazette": site.gazette, "urls": urls,
        "page_path": page.path, "link": link,
        # A 404 page has no address of its own to point search engines to.
        "canonical": None if page.path == urls.NOT_FOUND else urls.absolute(site.settings.base_url, page.path),
    }
