"""The searchable text of a rendered document page.

Search promises the results a reader would get with Ctrl-F on the page, so the
index is built from the page itself, not from the Markdown: the one element
marked ``data-search-body`` (title and body), as the browser shows it. Text
the browser does not show (scripts, styles, templates, ``hidden``) is left
out; block boundaries become spaces so that excerpts stay readable.

Parsed with lxml (libxml2, whose HTML tokenizer follows HTML5): it gives the
same text as the standard library's ``html.parser`` on every page of the
benchmark's archive, in compiled code rather than Python, and reading pages
is most of the search stage's own work.
"""
from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .normalize import collapse_whitespace

UNSHOWN = {"script", "style", "template", "noscript", "head", "title"}
# Elements whose edges separate words on screen (innerText puts a line break
# or a tab there); every other boundary joins text directly.
BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
}
PREFACE = {"header", "dl"}  # as leading children of the marked element


@dataclass(frozen=True)
class PageText:
    doc_id: str | None  # the element's data-doc-id
    preface: str  # whitespace collapsed, like the rest
    rest: str

    @property
    def text(self) -> str:
        return f"{self.preface} {self.rest}".strip()


_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True)


def _shown(element) -> bool:
    return element.tag not in UNSHOWN and element.get("hidden") is None


def _collect(element, parts: list[str]) -> None:
    """Append the text ``element`` shows, with spaces at block edges."""
    if not _shown(element):
        return
    block = element.tag in BLOCKS
    if block:
        parts.append(" ")
    if element.text:
        parts.append(element.text)
    for child in element:
        _collect(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append(" ")


def page_text(html: str) -> PageText | None:
    """The text of the page's ``data-search-body`` element; None unless exactly one."""
    try:
        root = etree.fromstring(html, _PARSER)
    except etree.XMLSyntaxError:  # nothing to parse, e.g. an empty file
        return None
    found = root.xpath("//*[@data-search-body]") if root is not None else []
    if len(found) != 1:
        return None
    body = found[0]
    parts: list[str] = []
    preface_end = 0
    if _shown(body) and all(_shown(ancestor) for ancestor in body.iterancestors()):
        if body.tag in BLOCKS:
            parts.append(" ")
        if body.text:
            parts.append(body.text)
        in_preface = True
        for child in body:
            in_preface = in_preface and child.tag in PREFACE
            _collect(child, parts)
            if in_preface:
                preface_end = len(parts)
            if child.tail:
                parts.append(child.tail)
    preface, rest = parts[:preface_end], parts[preface_end:]
    return PageText(body.get("data-doc-id"), collapse_whitespace("".join(preface)), collapse_whitespace("".join(rest)))
