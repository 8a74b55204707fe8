"""Atom feeds of the newest documents, site-wide and per 栏目.

Entry times come from the documents (成文日期), never from the clock, so the
same content always gives the same feed.
"""
from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape, quoteattr

from .. import urls
from ..model import Archive, Document, Issue
from ..settings import Settings

FEED_SIZE = 50
_TIMEZONE = "+08:00"  # 成文日期 are Beijing dates


def document_day(doc: Document, issue: Issue) -> dt.date:
    """The day a document is dated by; undated ones take their issue's latest date."""
    if doc.date is not None:
        return doc.date
    dated = [d.date for d in issue.documents if d.date is not None]
    return max(dated) if dated else dt.date(issue.year, 3 * min(issue.number, 4) - 2, 1)


def newest_first(archive: Archive) -> list[tuple[Document, Issue]]:
    pairs = [(doc, issue) for issue in archive.issues for doc in issue.documents]
    return sorted(pairs, key=lambda p: (document_day(*p), p[1].year, p[1].number, -p[0].order), reverse=True)


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00{_TIMEZONE}"


def _entry(doc: Document, issue: Issue, base_url: str) -> str:
    link = urls.absolute(base_url, urls.document(doc.id))
    stamp = _timestamp(document_day(doc, issue))
    summary = " · ".join(filter(None, [doc.doc_number, "、".join(doc.issuers), f"{issue.year}年第{issue.number}期"]))
    lines = [
        "  <entry>",
        f"    <id>{escape(link)}</id>",
        f"    <title>{escape(doc.title)}</title>",
        f"    <link rel=\"alternate\" type=\"text/html\" href={quoteattr(link)}/>",
        f"    <published>{stamp}</published>",
        f"    <updated>{stamp}</updated>",
        *(f"    <author><name>{escape(name)}</name></author>" for name in doc.issuers),
        f"    <category term={quoteattr(doc.category)}/>",
        f"    <summary>{escape(summary)}</summary>",
        "  </entry>",
    ]
    return "\n".join(lines) + "\n"


def atom(title: str, feed_path: str, entries: list[tuple[Document, Issue]], settings: Settings) -> str:
    entries = entries[:FEED_SIZE]
    base = settings.base_url
    updated = _timestamp(document_day(*entries[0])) if entries else "1970-01-01T00:00:00Z"
    head = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(settings.language)}>',
        f"  <title>{escape(title)}</title>",
        f"  <id>{escape(urls.absolute(base, feed_path))}</id>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(urls.absolute(base, feed_path))}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(base)}/>',
        f"  <updated>{updated}</updated>",
        f"  <author><name>{escape(settings.publisher)}</name></author>",
    ]
    body = "".join(_entry(doc, issue, base) for doc, issue in entries)
    return "\n".join(head) + "\n" + body + "</feed>\n"


def feed_files(archive: Archive, settings: Settings, site_title: str) -> list[tuple[str, str]]:
    """(path, text) of the site-wide feed and one feed per 栏目 in use."""
    entries = newest_first(archive)
    files = [(urls.FEED, atom(f"{site_title} · 最新文件", urls.FEED, entries, settings))]
    for category in dict.fromkeys(doc.category for doc, _ in entries):
        path = urls.category_feed(category)
        in_category = [pair for pair in entries if pair[0].category == category]
        files.append((path, atom(f"{site_title} · {category}", path, in_category, settings)))
    return files
