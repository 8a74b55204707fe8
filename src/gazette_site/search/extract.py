"""The searchable text of a rendered document page.

Search promises the results a reader would get with Ctrl-F on the page, so the
index is built from the page itself, not from the Markdown: the one element
marked ``data-search-body`` (title and body), as the browser shows it. Text
the browser does not show (scripts, styles, templates, ``hidden``) is left
out. Search ignores whitespace, so the kind of each whitespace run is free to
carry the page's layout to the excerpts: a line break ends a paragraph, a
heading or a table row, a tab separates the cells of a row (or a term and its
value in the facts), and a space is any other gap. An excerpt can then show
the row or paragraph of a match, not a run of every cell around it.

Parsed with lxml (libxml2, whose HTML tokenizer follows HTML5): it gives the
same text as the standard library's ``html.parser`` on every page of the
benchmark's archive, in compiled code rather than Python, and reading pages
is most of the search stage's own work.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .normalize import WHITESPACE

UNSHOWN = {"script", "style", "template", "noscript", "head", "title"}
# Elements whose edges separate words on screen (innerText puts a line break
# or a tab there); every other boundary joins text directly.
BLOCKS = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
}
CELLS = {"td", "th", "dt", "dd"}
LINE, CELL, SPACE = "\n", "\t", " "
_SPACES = re.compile(f"[{WHITESPACE}]+")
PREFACE = {"header", "dl"}  # as leading children of the marked element


@dataclass(frozen=True)
class PageText:
    doc_id: str | None  # the element's data-doc-id
    preface: str  # whitespace runs collapsed to one LINE, CELL or SPACE, like the rest
    rest: str

    @property
    def text(self) -> str:
        return f"{self.preface} {self.rest}".strip()


# The page as written, UTF-8: told so, libxml2 neither looks for a charset nor takes a str apart (a tenth faster).
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, collect_ids=False, encoding="utf-8")
_MARKED = etree.XPath("//*[@data-search-body]")


def _shown(element) -> bool:
    return element.tag not in UNSHOWN and element.get("hidden") is None


def _text(text: str | None) -> str:
    """A text node's own whitespace is a space wherever it falls, as HTML shows it. Most nodes
    hold no whitespace but spaces (``isprintable`` is false for every other whitespace
    character) and are left as they are: a run of spaces collapses with the gaps."""
    if not text:
        return ""
    return text if text.isprintable() else _SPACES.sub(SPACE, text)


def _collect(element, parts: list[str], in_cell: bool = False) -> None:
    """Append the text ``element`` shows, with a gap at block edges."""
    if not _shown(element):
        return
    tag = element.tag  # once more, not twice: each access makes a string (a table's cells are most elements)
    gap = None
    if tag in CELLS and not in_cell:
        gap, in_cell = CELL, True
    elif tag in BLOCKS:
        gap = SPACE if in_cell else LINE
    if gap:
        parts.append(gap)
    parts.append(_text(element.text))
    for child in element:
        _collect(child, parts, in_cell)
        parts.append(_text(child.tail))
    if gap:
        parts.append(gap)


def _widest(run: re.Match[str]) -> str:
    gaps = run.group()
    return LINE if LINE in gaps else CELL if CELL in gaps else SPACE


def collapse_gaps(text: str) -> str:
    """Each run of gaps as the widest of them: a row's end wins over its last cell's."""
    return _SPACES.sub(_widest, text).strip(LINE + CELL + SPACE)


def page_text(html: bytes | str) -> PageText | None:
    """The text of the page's ``data-search-body`` element; None unless exactly one."""
    try:
        root = etree.fromstring(html.encode("utf-8") if isinstance(html, str) else html, _PARSER)
    except etree.XMLSyntaxError:  # nothing to parse, e.g. an empty file
        return None
    found = _MARKED(root) if root is not None else []
    if len(found) != 1:
        return None
    body = found[0]
    parts: list[str] = []
    preface_end = 0
    if _shown(body) and all(_shown(ancestor) for ancestor in body.iterancestors()):
        if body.tag in BLOCKS:
            parts.append(" ")
        parts.append(_text(body.text))
        in_preface = True
        for child in body:
            in_preface = in_preface and child.tag in PREFACE
            _collect(child, parts)
            if in_preface:
                preface_end = len(parts)
            parts.append(_text(child.tail))
    preface, rest = parts[:preface_end], parts[preface_end:]
    return PageText(body.get("data-doc-id"), collapse_gaps("".join(preface)), collapse_gaps("".join(rest)))
