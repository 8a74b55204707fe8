"""Machine- and citation-ready metadata of a document: GB/T 7714, JSON-LD, Dublin Core, JSON.

Pure functions of the model and the permanent URL, so the JSON file, the
``<meta>`` tags and the citation shown to readers can never disagree.
"""
from __future__ import annotations

import json

from .. import urls
from ..model import Document, Issue


def authors(doc: Document, issue: Issue) -> list[str]:
    """Who a citation names: the issuing agencies, else the gazette's publisher."""
    return doc.issuers or [issue.masthead.get("主办", issue.gazette)]


def page_range(doc: Document) -> str:
    """13, or 13-22 when the document runs over several printed pages."""
    if doc.page_end and doc.page and doc.page_end > doc.page:
        return f"{doc.page}-{doc.page_end}"
    return str(doc.page)


def citation_head(doc: Document, issue: Issue) -> str:
    """A citation up to the issue, "…[J/OL]. 新洲区人民政府公报, 2023(1)": the pages and the
    URL follow, of the whole document or (passage.js) of the passage a reader follows a link to."""
    title = f"{doc.title}: {doc.doc_number}" if doc.doc_number else doc.title
    return f"{', '.join(authors(doc, issue))}. {title}[J/OL]. {issue.gazette}, {issue.year}({issue.number})"


def citation(doc: Document, issue: Issue, permalink: str) -> str:
    """GB/T 7714-2015 reference for an article in an online periodical [J/OL]."""
    pages = f": {page_range(doc)}" if doc.page else ""
    return f"{citation_head(doc, issue)}{pages}. {permalink}"


def record(doc: Document, issue: Issue, base_url: str, cites: list[str], cited_by: list[str],
           attachments: list[tuple[str, str]]) -> dict:
    """The document's metadata as served at ``/doc/<id>.json``."""
    page_url = urls.absolute(base_url, urls.document(doc.id))
    return {
        "id": doc.id,
        "url": page_url,
        "title": doc.title,
        "doc_number": doc.doc_number,
        "issuer": doc.issuers,
        "date": doc.date.isoformat() if doc.date else None,
        "category": doc.category,
        "addressee": doc.addressee,
        "issue": {
            "gazette": issue.gazette,
            "year": issue.year,
            "number": issue.number,
            "total_number": issue.total_number,
            "url": urls.absolute(base_url, urls.issue(issue.ref)),
        },
        "order": doc.order,
        "page": doc.page,
        "page_end": doc.page_end,
        "attachments": [{"title": title, "url": f"{page_url}#{anchor}"} for anchor, title in attachments],
        "corrections": [{"date": c.date.isoformat(), "original": c.original, "corrected": c.corrected,
                         "reason": c.reason} for c in doc.corrections],
        "cites": [urls.absolute(base_url, urls.document(i)) for i in cites],
        "cited_by": [urls.absolute(base_url, urls.document(i)) for i in cited_by],
        "source": {
            "url": urls.absolute(base_url, urls.issue_source(issue.ref)),
            "lines": list(doc.source_lines) if doc.source_lines else None,
        },
        "citation": citation(doc, issue, page_url),
    }


def json_ld(doc: Document, issue: Issue, base_url: str, language: str) -> str:
    """schema.org ``Legislation``, safe to embed in a ``<script>`` element."""
    data = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "@id": urls.absolute(base_url, urls.document(doc.id)),
        "url": urls.absolute(base_url, urls.document(doc.id)),
        "name": doc.title,
        "inLanguage": language,
        "legislationIdentifier": doc.doc_number,
        "legislationDate": doc.date.isoformat() if doc.date else None,
        "legislationPassedBy": [{"@type": "GovernmentOrganization", "name": n} for n in doc.issuers],
        "isPartOf": {
            "@type": "PublicationIssue",
            "@id": urls.absolute(base_url, urls.issue(issue.ref)),
            "issueNumber": str(issue.number),
            "datePublished": str(issue.year),
            "isPartOf": {"@type": "Periodical", "name": issue.gazette},
        },
        "pagination": str(doc.page) if doc.page else None,
        "genre": doc.category,
    }
    data = {k: v for k, v in data.items() if v not in (None, [])}
    # Inside <script> the text is not HTML-escaped: any "<" may start "</script>" or "<!--", which
    # change how the page around it is parsed. JSON can say each of < > & as an escape instead
    # (they occur only inside strings).
    return dumps(data).translate(_SCRIPT_SAFE)


_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def dublin_core(doc: Document, issue: Issue, permalink: str, language: str) -> list[tuple[str, str]]:
    pairs = [("DC.title", doc.title)]
    pairs += [("DC.creator", name) for name in authors(doc, issue)]
    pairs += [
        ("DC.date", doc.date.isoformat() if doc.date else ""),
        ("DC.identifier", permalink),
        ("DC.identifier", doc.doc_number or ""),
        ("DC.publisher", issue.masthead.get("编辑出版", "")),
        ("DC.type", "Text"),
        ("DC.format", "text/html"),
        ("DC.language", language),
        ("DC.subject", doc.category),
        ("DC.source", f"{issue.gazette} {issue.year}年第{issue.number}期"),
    ]
    return [(name, value) for name, value in pairs if value]


def dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
