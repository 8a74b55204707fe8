"""Markdown → HTML for document bodies (CommonMark + GFM tables + attributes).

Content is trusted to be well meant, not to be safe: raw HTML is shown as
text, link targets are limited to http(s), mailto and relative, and attribute
blocks may only set ids, classes and ``data-*``, none of them a name the
site's own pages use (``SITE_NAMES``). On top of markdown-it this
module adds stable heading ids and a link from each heading to itself,
``<section>`` around attachments, scroll boxes around tables, links for
发文字号 the archive holds, and links at the printed pages' starts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore, text_join
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from pypinyin import Style, lazy_pinyin

from .. import TEMPLATES
from ..ingest.text import chinese_numeral
from . import table
from .xref import Resolver

ALLOWED_SCHEMES = {"http", "https", "mailto"}
_SCHEME_RE = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.\-]*):")

# Attributes a token may keep after attribute blocks were applied; the parser
# sets the rest (href, src …) and they are validated again here.
_ALWAYS_ALLOWED = {"id", "class"}
_ALLOWED_BY_TAG = {tag: _ALWAYS_ALLOWED | names for tag, names in {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}.items()}
_DATA_ATTR_RE = re.compile(r"data-[a-z0-9-]+")
_URL_ATTRS = {"href", "src"}
# A link or image source that names a scheme or another host ("//host/" is one too).
_ELSEWHERE = re.compile(r"\s*(?:[a-z][a-z0-9+.-]*:|[/\\]{2})", re.IGNORECASE)


def _site_names(templates: Path) -> frozenset[str]:
    """Every id ("#…"), class ("." …) and data attribute the site's pages use, as their templates write
    them (names a Jinja expression makes aside). A body taking one would take over what the page
    does with it: {#site-search} the search box's label, {.visually-hidden} hides its text,
    {data-search-body} confuses the search index."""
    names: set[str] = set()
    for path in sorted(templates.glob("*.html")):
        text = _JINJA.sub("\0", path.read_text(encoding="utf-8"))
        names.update(f"#{value}" for value in _ID_ATTR.findall(text) if "\0" not in value)
        names.update(f".{name}" for value in _CLASS_ATTR.findall(text) for name in value.split() if "\0" not in name)
        names.update(_DATA_NAME.findall(text))
    return frozenset(names)


_JINJA = re.compile(r"\{[{%#].*?[}%#]\}", re.DOTALL)
_ID_ATTR = re.compile(r'\bid="([^"]+)"')
_CLASS_ATTR = re.compile(r'\bclass="([^"]*)"')
_DATA_NAME = re.compile(r"\b(data-[a-z0-9-]+)")
SITE_NAMES = _site_names(TEMPLATES)
_SITE_IDS = frozenset(name[1:] for name in SITE_NAMES if name.startswith("#"))

_CN = "[零〇一二两三四五六七八九十百]+"
# Numbering of official documents → prefix of the heading's id key.
_NUMBERING: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(rf"^第({_CN}|\d+)章"), "zhang"),
    (re.compile(rf"^第({_CN}|\d+)节"), "jie"),
    (re.compile(rf"^第({_CN}|\d+)条"), "tiao"),
    (re.compile(r"^附件\s*(\d+)"), "fujian"),
    (re.compile(rf"^({_CN})[、.．]"), ""),
    (re.compile(rf"^[（(]({_CN})[）)]"), ""),
    (re.compile(r"^(\d+)[.．、]"), ""),
    (re.compile(r"^[（(](\d+)[）)]"), ""),
)


def validate_link(url: str) -> bool:
    match = _SCHEME_RE.match(url)
    return match is None or match.group(1).lower() in ALLOWED_SCHEMES


def chinese_number(text: str) -> int:
    """一 → 1, 十二 → 12, 一百零五 → 105; Arabic digits as they are."""
    return int(text) if text.isdigit() else chinese_numeral(text) or 0


@lru_cache(maxsize=8192)  # the same headings (附件, 总体要求 …) recur across documents, and pinyin is slow
def heading_key(text: str) -> str:
    """The id part for one heading: from its numbering, else pinyin initials."""
    text = text.strip()
    for pattern, prefix in _NUMBERING:
        match = pattern.match(text)
        if match:
            return f"{prefix}{chinese_number(match.group(1))}"
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore"))
    key = "".join(c for c in initials.lower() if c.isascii() and c.isalnum())[:24]
    return key or "h"


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str
    classes: tuple[str, ...]


@dataclass(frozen=True)
class ChronicleEntry:
    id: str
    date: str
    children: tuple[Token, ...]  # inline tokens, rendered per page


@dataclass(frozen=True)
class Body:
    html: str
    headings: tuple[Heading, ...]
    chronicle: tuple[ChronicleEntry, ...]

    @property
    def attachments(self) -> list[Heading]:
        return [h for h in self.headings if "attachment" in h.classes]


def _classes(token: Token) -> tuple[str, ...]:
    return tuple(str(token.attrs.get("class", "")).split())


def _sanitize(state: StateCore) -> None:
    def clean(token: Token) -> None:
        if token.attrs:  # most tokens have none: this runs for every token of every body
            allowed = _ALLOWED_BY_TAG.get(token.tag, _ALWAYS_ALLOWED)
            for name in list(token.attrs):
                keep = (name in allowed or (name.startswith("data-") and _DATA_ATTR_RE.fullmatch(name)
                                            and name not in SITE_NAMES))
                if keep and name in _URL_ATTRS:
                    keep = validate_link(str(token.attrs[name]))
                if keep and name == "id":
                    keep = str(token.attrs[name]) not in _SITE_IDS
                if keep and name == "class":
                    classes = [c for c in str(token.attrs[name]).split() if f".{c}" not in SITE_NAMES]
                    token.attrs[name] = " ".join(classes)
                    keep = bool(classes)
                if not keep:
                    del token.attrs[name]
        if token.children:
            token.children = [_without_remote_image(child) for child in token.children]
        for child in token.children or ():
            clean(child)
    for token in state.tokens:
        clean(token)


def _without_remote_image(token: Token) -> Token:
    """An image on another host becomes its alt text: the site fetches nothing from elsewhere."""
    if token.type != "image" or not _ELSEWHERE.match(str(token.attrs.get("src", ""))):
        return token
    text = Token("text", "", 0)
    text.content = "".join(child.content for child in token.children or ()) or token.content
    return text


# The characters at which each inline rule we enable can match: each checks
# its first character before anything else (``attr`` also needs a token that
# only another rule makes). markdown-it's ``text`` rule stops at more than
# these (% - : # …, for rules we do not enable).
_RULE_STARTS = {
    "text": "", "newline": "\n", "escape": "\\", "backticks": "`", "emphasis": "*_", "link": "[", "span": "[",
    "image": "!", "autolink": "<", "html_inline": "<", "entity": "&", "attr": "{",
}
_RULE_START_RE = re.compile("[" + re.escape("".join(sorted(set("".join(_RULE_STARTS.values()))))) + "]")


def _inline(state: StateCore) -> None:
    """markdown-it's ``inline`` rule, skipping its parser where no inline rule can match.

    Text without a character at which one of our inline rules can match
    becomes a single text token whatever the parser does; most inline content
    of our bodies is such text (table cells above all, with their % - : of
    figures and dates), and running the parser over it was a quarter of
    rendering a body. A table cell of such text stays a string, not even a
    token (see ``table.CELLS``); the core rules that read inline tokens run
    over the other cells through ``_and_cells``.
    """
    for token in state.tokens:
        if token.type == "inline":
            if token.children is None:
                token.children = []
            if token.content and _RULE_START_RE.search(token.content) is None:
                token.children.append(_text(token.content))
            else:
                state.md.inline.parse(token.content, state.md, state.env, token.children)
        elif token.type == "table":
            token.meta[table.CELLS] = [_cell(cell, state) for cell in token.meta[table.CELLS]]


def _and_cells(rule: Callable[[StateCore], None]) -> Callable[[StateCore], None]:
    """A core rule run over the blocks' tokens, then over the table cells that ``_inline`` made inline tokens."""
    def run(state: StateCore) -> None:
        rule(state)
        cells = [cell for token in state.tokens if token.type == "table"
                 for cell in token.meta[table.CELLS] if isinstance(cell, Token)]
        if cells:
            rule(StateCore("", state.md, state.env, cells))
    return run


def _cell(content: str, state: StateCore) -> str | Token:
    """A table cell as its text where no inline rule can match (most cells: a token each was most of a
    table's cost), else as an inline token."""
    if not content or _RULE_START_RE.search(content) is None:
        return content
    children: list[Token] = []
    state.md.inline.parse(content, state.md, state.env, children)
    return _inline_token(content, children)


def _heading_ids(state: StateCore) -> None:
    tokens = state.tokens
    taken = {str(t.attrs["id"]) for t in tokens if "id" in t.attrs} | _SITE_IDS  # ids are made around the page's own
    stack: list[tuple[int, str]] = []  # (level, id) of the enclosing headings
    headings = []
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        level = int(token.tag[1])
        text = inline_text(tokens[index + 1].children)
        while stack and stack[-1][0] >= level:
            stack.pop()
        if "id" not in token.attrs:
            key = heading_key(text)
            base = f"{stack[-1][1]}-{key}" if stack else (f"s-{key}" if key[0].isdigit() else key)
            candidate, n = base, 1
            while candidate in taken:
                n += 1
                candidate = f"{base}-{n}"
            token.attrs["id"] = candidate
            taken.add(candidate)
        heading_id = str(token.attrs["id"])
        stack.append((level, heading_id))
        headings.append(Heading(level, heading_id, text, _classes(token)))
    state.env["headings"] = tuple(headings)


def inline_text(children: list[Token] | None) -> str:
    """The text inline tokens show, without their markup (a page mark shows none)."""
    return "".join(child.content for child in children or () if child.type in ("text", "code_inline"))


def _heading_links(state: StateCore) -> None:
    """Each heading links to itself: a reader finds, copies and cites a section's address.
    Runs after ``_page_marks``: a page beginning with the heading keeps its mark before the link."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        children = inline.children
        start = 0
        while start + 1 < len(children) and children[start].type == "link_open" and PAGE_MARK in _classes(children[start]):
            start += 2  # the mark's link and its close
        link = _link_token({"href": f"#{token.attrs['id']}", "class": "heading-link"})
        if any(child.type == "link_open" for child in children[start:]):
            # A link in the heading (a 发文字号 it cites) cannot hold another: the anchor follows the text.
            link.attrs["aria-label"] = "本节链接"
            inline.children = [*children, link, Token("link_close", "a", -1)]
        else:
            inline.children = [*children[:start], link, *children[start:], Token("link_close", "a", -1)]


PAGE_MARK = "page-mark"
_PAGE_NUMBER = re.compile(r"[1-9]\d*")


def _page_mark_at(children: list[Token], index: int) -> bool:
    """Whether a printed page begins here: the empty span ``[]{#page-75 .page-mark data-page="75"}``
    (a span with text is the body's own, and left as it is)."""
    token = children[index]
    return (token.type == "span_open" and index + 1 < len(children) and children[index + 1].type == "span_close"
            and PAGE_MARK in _classes(token) and "id" in token.attrs
            and bool(_PAGE_NUMBER.fullmatch(str(token.attrs.get("data-page", "")))))


def _without_page_marks(children: list[Token]) -> list[Token]:
    """Inline tokens without the page marks (shown elsewhere, their ids would not be this page's)."""
    marks = {n for n in range(len(children)) if _page_mark_at(children, n)}
    return [child for n, child in enumerate(children) if n not in marks and n - 1 not in marks]


def _page_marks(state: StateCore) -> None:
    """Each page mark becomes a link to itself: the stylesheet shows "[第 75 页]" in the margin (generated,
    so no part of the document's text), and the citation of a passage (passage.js) names that page."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        in_link = 0
        for index, child in enumerate(token.children):
            in_link += {"link_open": 1, "link_close": -1}.get(child.type, 0)
            # Inside a link it stays a span: a link cannot hold another (it is shown all the same).
            if in_link or not _page_mark_at(token.children, index):
                continue
            page = child.attrs["data-page"]
            anchor = child.attrs["id"]
            token.children[index] = _link_token({"href": f"#{anchor}", "id": anchor, "class": PAGE_MARK,
                                                 "data-page": page, "aria-label": f"第 {page} 页"})
            token.children[index + 1] = Token("link_close", "a", -1)


def _link_token(attrs: dict[str, str]) -> Token:
    link = Token("link_open", "a", 1)
    link.attrs = attrs
    return link


COLOPHON = "colophon"


def _attachment_sections(state: StateCore) -> None:
    """Wrap each attachment in a <section>: from its heading to the next heading
    of the same or a higher level, or to the 版记 (``{.colophon}``), which is the
    whole document's. Only blocks of the body's own level count: a heading or
    a 版记 quoted inside a list or a quote would cut the section inside it."""
    result: list[Token] = []
    open_level = None
    for token in state.tokens:
        level = int(token.tag[1]) if token.type == "heading_open" and token.level == 0 else None
        colophon = token.type == "paragraph_open" and token.level == 0 and COLOPHON in _classes(token)
        if open_level is not None and (colophon or (level is not None and level <= open_level)):
            result.append(Token("section_close", "section", -1))
            open_level = None
        if level is not None and "attachment" in _classes(token):
            section = Token("section_open", "section", 1)
            section.attrs = {"class": "attachment", "aria-labelledby": str(token.attrs["id"])}
            result.append(section)
            open_level = level
        result.append(token)
    if open_level is not None:
        result.append(Token("section_close", "section", -1))
    state.tokens = result


def _link_mentions(state: StateCore) -> None:
    resolver: Resolver | None = state.env.get("resolver")
    if resolver is None:
        return
    for token in state.tokens:
        if token.type == "inline" and token.children:
            token.children = _linked(token.children, resolver, state.env)
        elif token.type == "table":  # a cell citing a document becomes an inline token, linked as the others
            cells = token.meta[table.CELLS]
            for index, cell in enumerate(cells):
                if isinstance(cell, str) and next(resolver.mentions(cell), None) is not None:
                    cells[index] = _inline_token(cell, [_text(cell)])


def _linked(children: list[Token], resolver: Resolver, env: dict) -> list[Token]:
    result, in_link = [], 0
    for child in children:
        in_link += {"link_open": 1, "link_close": -1}.get(child.type, 0)
        if child.type != "text" or in_link:
            result.append(child)
            continue
        position = 0
        for mention in resolver.mentions(child.content):
            if mention.target == env["doc_id"]:
                continue
            result.append(_text(child.content[position:mention.start]))
            link = _link_token({"href": env["link_to"](mention.target), "class": "xref"})
            result += [link, _text(child.content[mention.start:mention.end]), Token("link_close", "a", -1)]
            position = mention.end
        result.append(_text(child.content[position:]) if position else child)
    return result


def _inline_token(content: str, children: list[Token]) -> Token:
    token = Token("inline", "", 0)
    token.content = content
    token.children = children
    return token


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


_PRINTED_DATE_RE = re.compile(r"\d{1,2}月\d{1,2}日(\d{1,2}时)?")


def without_printed_date(children: tuple[Token, ...]) -> tuple[Token, ...]:
    """A 大事记 entry without its leading **M月D日**, for lists that show the date anyway."""
    children = tuple(t for t in children if not (t.type == "text" and not t.content))
    types = [t.type for t in children[:3]]
    if types != ["strong_open", "text", "strong_close"] or not _PRINTED_DATE_RE.fullmatch(children[1].content):
        return children
    rest = list(children[3:])
    if rest and rest[0].type == "text":
        rest[0] = _text(rest[0].content.lstrip("，,、 "))
    return tuple(rest)


def _chronicle(state: StateCore) -> None:
    entries = []
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and "chronicle-entry" in _classes(token) and "id" in token.attrs:
            date = str(token.attrs.get("data-date", ""))
            # Shown on the 大事记 page too, where a page mark's id and link would not be that page's.
            entries.append(ChronicleEntry(str(token.attrs["id"]), date,
                                          tuple(_without_page_marks(tokens[index + 1].children or []))))
    state.env["chronicle"] = tuple(entries)


def _link_open(self, tokens, idx, options, env):
    # A page opened from the archive must not be able to reach back into it
    # (window.opener) nor learn which document linked to it.
    token = tokens[idx]
    if _ELSEWHERE.match(str(token.attrs.get("href", ""))):
        token.attrs["rel"] = "noopener noreferrer"
    return self.renderToken(tokens, idx, options, env)


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "xhtmlOut": False, "linkify": False, "typographer": False})
    md.block.ruler.at("table", table.table, {"alt": ["paragraph", "reference"]})  # as markdown-it registers it
    md.enable("table")
    md.use(attrs_plugin, spans=True).use(attrs_block_plugin)
    md.validateLink = validate_link
    unknown = set(md.inline.ruler.get_active_rules()) - _RULE_STARTS.keys()
    if unknown:  # its start characters must be known, or the parser would be skipped where it can match
        raise RuntimeError(f"inline rules without start characters in _RULE_STARTS: {sorted(unknown)}")
    md.core.ruler.at("inline", _inline)
    md.core.ruler.at("text_join", _and_cells(text_join))
    for name, rule in (("sanitize", _and_cells(_sanitize)), ("heading_ids", _heading_ids),
                       ("chronicle", _chronicle), ("xref", _and_cells(_link_mentions)),
                       ("page_marks", _and_cells(_page_marks)),
                       ("heading_links", _heading_links), ("attachment_sections", _attachment_sections)):
        md.core.ruler.push(name, rule)
    md.add_render_rule("table", table.render)
    md.add_render_rule("link_open", _link_open)
    return md


def render_body(text: str, doc_id: str, resolver: Resolver | None,
                link_to: Callable[[str], str]) -> Body:
    """Render a document body; ``link_to(doc_id)`` gives the href of a cited document."""
    env = {"resolver": resolver, "doc_id": doc_id, "link_to": link_to}
    md = markdown()
    html = md.renderer.render(md.parse(text, env), md.options, env)
    return Body(html, env["headings"], env["chronicle"])


def render_inline(children: tuple[Token, ...], doc_id: str, resolver: Resolver | None,
                  link_to: Callable[[str], str]) -> str:
    """Render inline tokens (e.g. a 大事记 entry) for another page's links."""
    env = {"doc_id": doc_id, "link_to": link_to}
    tokens = _linked(list(children), resolver, env) if resolver else list(children)
    md = markdown()
    return md.renderer.renderInline(tokens, md.options, env)
