"""The searchable text of a rendered document page.

Search promises the results a reader would get with Ctrl-F on the page, so the
index is built from the page itself, not from the Markdown: the one element
marked ``data-search-body`` (title and body), as the browser shows it. Text
the browser does not show (scripts, styles, templates, ``hidden``) is left
out; block boundaries become spaces so that excerpts stay readable.
"""
from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from .normalize import collapse_whitespace

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
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


class _BodyText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, in body, shown)
        self.parts: list[str] = []
        self.found = 0
        self.doc_id: str | None = None
        self.body_level = -1  # stack depth of the body element's children
        self.in_preface = True
        self.preface_end = 0  # index into parts

    def _state(self) -> tuple[bool, bool]:
        return (self.stack[-1][1], self.stack[-1][2]) if self.stack else (False, True)

    def handle_starttag(self, tag, attrs):
        inside, shown = self._state()
        attributes = dict(attrs)
        if "data-search-body" in attributes:
            self.found += 1
            self.doc_id = attributes.get("data-doc-id")
            self.body_level = len(self.stack) + 1
            inside = True
        elif len(self.stack) == self.body_level and tag not in PREFACE:
            self.in_preface = False
        shown = shown and tag not in UNSHOWN and "hidden" not in attributes
        if inside and shown and tag in BLOCKS:
            self.parts.append(" ")
        if tag not in VOID:
            self.stack.append((tag, inside, shown))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        # Pop to the matching tag: tolerates elements whose end tag HTML omits.
        if not any(open_tag == tag for open_tag, _, _ in self.stack):
            return
        while self.stack:
            open_tag, inside, shown = self.stack.pop()
            if open_tag == tag:
                break
        if inside and shown and tag in BLOCKS:
            self.parts.append(" ")
        if len(self.stack) == self.body_level and self.in_preface:
            self.preface_end = len(self.parts)

    def handle_data(self, data):
        inside, shown = self._state()
        if inside and shown:
            self.parts.append(data)


def page_text(html: str) -> PageText | None:
    """The text of the page's ``data-search-body`` element; None unless exactly one."""
    parser = _BodyText()
    parser.feed(html)
    parser.close()
    if parser.found != 1:
        return None
    preface, rest = parser.parts[:parser.preface_end], parser.parts[parser.preface_end:]
    return PageText(parser.doc_id, collapse_whitespace("".join(preface)), collapse_whitespace("".join(rest)))
