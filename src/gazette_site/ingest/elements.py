"""Blocks of a document body → structural elements → Markdown.

Rules are tried in table order (markdown-it style): each block becomes a
paragraph, heading, table or line group; then paragraphs cut by page breaks
are joined and tables resumed after a page break are merged.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field
from typing import Callable

from . import tables
from .source import Block
from .text import CJK_CHARS, CLOSING_QUOTES, bracket_balance, collapse_letter_spacing, ends_sentence, is_date_line, is_list_entry, join_wrapped, width

_CN_NUM = "一二三四五六七八九十百零〇两"

# Numbering of official documents → heading depth below the part's base level.
# (第一章总则: a converter may keep no space between a chapter's number and its name)
HEADING_NUMBERING: list[tuple[re.Pattern[str], int]] = [
    (re.compile(rf"^第[{_CN_NUM}]+编(\s|$|(?=[{CJK_CHARS}]))"), 0),
    (re.compile(rf"^第[{_CN_NUM}]+章(\s|$|(?=[{CJK_CHARS}]))"), 0),
    (re.compile(rf"^第[{_CN_NUM}]+节(\s|$|(?=[{CJK_CHARS}]))"), 1),
    (re.compile(rf"^[{_CN_NUM}]+、"), 0),
    (re.compile(rf"^[（(]\s*[{_CN_NUM}]+\s*[）)]"), 1),
    (re.compile(r"^\d{1,2}\s*[.．](?!\d)"), 2),
    (re.compile(r"^[（(]\s*\d{1,2}\s*[）)]"), 3),
]
# Lines that begin something new, so a page-break join never runs into them.
_NEW_ITEM = re.compile(
    rf"^(?:[{_CN_NUM}]+、|[（(]\s*[{_CN_NUM}\d]+\s*[）)]|\d{{1,3}}\s*[.．、](?!\d)|第[{_CN_NUM}\d]+[编章节条]|——|◆|附\s*件|注[:：])"
)
_SPACE_AFTER_NUMBERING = re.compile(rf"^([{_CN_NUM}]+、|[（(]\s*[{_CN_NUM}\d]+\s*[）)])\s+(?=\S)")
_ARTICLE = re.compile(rf"^(第[{_CN_NUM}]+条)\s*")
_LIST_BULLET = re.compile(r"^[-•·]\s+")
_MAX_HEADING_WIDTH = 40
# …wider where it holds no clause (一、传达学习省政府主要领导同志在珠海、横琴粤澳深度合作区调研精神及市领导同志
# 批示精神, a meeting's item): a sentence that wide has its commas.
_MAX_CLAUSELESS_HEADING_WIDTH = 60
_CLAUSE_MARK = re.compile(r"[，,；;：:]")
# A chunk of text shorter than this is a line of its own (a subtitle, a
# signature), not the first half of a paragraph cut at the foot of a page.
_MIN_CUT_WIDTH = 24
# Inside a block, a line this full that does not end a sentence was wrapped.
_MIN_WRAPPED_WIDTH = 24
_MAX_CAPTION_WIDTH = 30

_ESCAPE_INLINE = re.compile(r"([\\`*_\[\]<>{}&~])")
_ESCAPE_LINE_START = re.compile(r"^(\s*)(?:([#>+=-])|(\d{1,9})([.)]))(?=\s|$)")


@dataclass
class Element:
    kind: str  # paragraph | heading | table | lines | raw
    text: str = ""
    lines: list[str] = field(default_factory=list)
    level: int = 0
    attrs: str = ""  # {#id .class} line for the Markdown attribute plugin
    table: tables.Table | None = None
    first_line: int = 0
    last_line: int = 0


@dataclass
class Stats:
    joined_paragraphs: int = 0
    repeated_headers: int = 0
    merged_rows: int = 0
    removed_artifacts: int = 0
    tables: int = 0
    table_rows: list[int] = field(default_factory=list)

    def add(self, other: "Stats") -> None:
        self.joined_paragraphs += other.joined_paragraphs
        self.repeated_headers += other.repeated_headers
        self.merged_rows += other.merged_rows
        self.removed_artifacts += other.removed_artifacts
        self.tables += other.tables
        self.table_rows.extend(other.table_rows)


# ---------------------------------------------------------------- escaping

def escape_inline(text: str) -> str:
    # A function, not a template: a template with a backslash goes through re's Python
    # code on every call, even when nothing matches, and most texts (table cells above
    # all) have nothing to escape.
    return _ESCAPE_INLINE.sub(_backslashed, text)


def _backslashed(match: re.Match[str]) -> str:
    return "\\" + match.group(0)


def escape_text(text: str) -> str:
    """Escape a line of plain text so Markdown shows it literally."""
    return _ESCAPE_LINE_START.sub(_escape_block_marker, escape_inline(text).strip())


def _escape_block_marker(match: re.Match[str]) -> str:
    indent, symbol, digits, delimiter = match.groups()
    return f"{indent}\\{symbol}" if symbol else f"{indent}{digits}\\{delimiter}"


# ---------------------------------------------------------------- artifacts

# Longest command first, so that \geq is not read as \ge followed by q.
_LATEX_SYMBOLS = sorted({r"\geq": "≥", r"\ge": "≥", r"\leq": "≤", r"\le": "≤", r"\%": "%", r"\times": "×",
                         r"\pm": "±", r"\sim": "～", r"\approx": "≈", r"\neq": "≠", r"\cdot": "·",
                         r"^{\circ}": "°"}.items(), key=lambda kv: -len(kv[0]))
_INLINE_MATH = re.compile(r"\$([^$\n]{1,80})\$")
_BOLD_MARKUP = re.compile(r"\*\*([^*\n]{1,80})\*\*")
# A Markdown heading's marks (# 区人民政府关于…的通知): converters that write Markdown mark the
# lines they take for headings; no gazette line begins so.
_HEADING_MARKS = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(?=\S)", re.MULTILINE)
# A Markdown image (![](images/3f2a.jpg)): the converter's file, which the raw text does not carry;
# and a line break it wrote as HTML inside a line (<br>), where the PDF only wrapped the text.
_SAVED_APART_MARKUP = re.compile(r"!\[[^\]\n]{0,200}\]\([^)\n]{0,500}\)|<br\s*/?>", re.IGNORECASE)


def repair_artifacts(text: str) -> tuple[str, int]:
    """Undo markup that PDF converters put into plain text ($\\geq 90\\%$ → ≥90%, **bold**, # headings,
    images they saved apart)."""
    count = 0

    def math(match: re.Match[str]) -> str:
        nonlocal count
        body = match.group(1)
        for command, symbol in _LATEX_SYMBOLS:
            body = body.replace(command, symbol)
        if "\\" in body:
            return match.group(0)
        count += 1
        return body.replace(" ", "")

    text = _INLINE_MATH.sub(math, text)
    text, bold = _BOLD_MARKUP.subn(r"\1", text)
    text, headings = _HEADING_MARKS.subn("", text)
    text, saved_apart = _SAVED_APART_MARKUP.subn("", text)
    return text, count + bold + headings + saved_apart


# ---------------------------------------------------------------- classification

def heading_depth(text: str) -> int | None:
    """Depth of a numbered heading line, or None for ordinary text."""
    stripped = text.strip()
    widest = _MAX_HEADING_WIDTH if _CLAUSE_MARK.search(stripped) else _MAX_CLAUSELESS_HEADING_WIDTH
    if "。" in stripped or ends_sentence(stripped) or width(stripped) > widest:
        return None
    for pattern, depth in HEADING_NUMBERING:
        if pattern.match(stripped):
            return depth
    return None


def starts_new_item(text: str) -> bool:
    return _NEW_ITEM.match(text.strip()) is not None


class _Joined:
    """Text joined piece by piece exactly as ``join_wrapped`` joins it, in time linear in its length,
    with the measures the joining asks of it at every step (``width``, ``ends_sentence``).

    ``join_wrapped(whole, piece)`` copies the whole text, and the measures read
    all of it: a body of a few megabytes cut into thousands of lines took
    minutes to join. Here a join reads only the new piece; the text is made once.
    """

    def __init__(self, text: str):
        # The last part holds any whitespace the text ends with; the others none.
        self.parts = [text]
        self.width = width(text)
        self.ends = ends_sentence(text)

    def add(self, piece: str) -> None:
        """What ``join_wrapped(text, piece)`` would make of the text so far."""
        self.parts[-1] = self.parts[-1].rstrip()
        left_end, right = self.parts[-1][-1:], piece.lstrip()
        if not left_end:  # only whitespace so far: the piece alone
            self.__init__(right)
        elif right:
            # join_wrapped decides by the two characters at the cut: give it those, not the whole text.
            joined = join_wrapped(left_end, right)[len(left_end):]
            self.parts.append(joined)
            self.width += width(right) + 0.5 * (len(joined) - len(right))  # a space put between: half a cell
            # A piece of closing quotes only (’”) leaves where the text ends as it was.
            if right.strip().rstrip(_CLOSING_QUOTES):
                self.ends = ends_sentence(right)

    def text(self) -> str:
        return "".join(self.parts)


_CLOSING_QUOTES = "".join(CLOSING_QUOTES)


def block_lines(block: Block) -> list[str]:
    """A block's printed lines, with lines wrapped by the PDF joined back."""
    lines: list[_Joined] = []
    above = ""  # the printed line above
    for line in block.lines:
        text = _LIST_BULLET.sub("", line.stripped) if len(block.lines) > 1 else line.stripped
        if (
            lines
            and (not lines[-1].ends or _closes_inner_bracket(above))
            # (or shorter, with a bracket left open: a converter breaks a line where the font changes,
            # 细颗粒物( / PM 2.5 )浓度)
            and (lines[-1].width >= _MIN_WRAPPED_WIDTH or bracket_balance(lines[-1].text()) > 0)
            and not starts_new_item(text)
            # entries of a name list, each a line even when one is as wide as a wrapped line
            and not (is_list_entry(text) and is_list_entry(lines[-1].text()))
        ):
            lines[-1].add(text)
        else:
            lines.append(_Joined(text))
        above = text
    return [line.text() for line in lines]


def _closes_inner_bracket(line: str) -> bool:
    """A full printed line ending with a bracket it opened after its start (…第二展区（斗门莲洲） /
    服务保障工作…): a wrapped line, though a bracket closes a note (（…通过）) or a heading's line."""
    opened = max(line.rfind("（"), line.rfind("("))
    return (width(line) >= _MIN_WRAPPED_WIDTH and line.endswith(("）", ")")) and not line.startswith(("（", "("))
            and not ends_sentence(line[:opened]))


def classify(block: Block, base_level: int) -> list[Element]:
    if any(line.has_tabs for line in block.lines):
        return _table_elements(block)
    lines = block_lines(block)
    if len(lines) == 1:
        depth = heading_depth(lines[0])
        if depth is not None:
            # （三） 全力… and （一）全力… are one style of heading: no space after the number
            text = _SPACE_AFTER_NUMBERING.sub(r"\1", lines[0])
            return [Element("heading", text=text, level=min(base_level + depth, 6),
                            first_line=block.first, last_line=block.last)]
        return [Element("paragraph", text=lines[0], first_line=block.first, last_line=block.last)]
    return [Element("lines", lines=lines, first_line=block.first, last_line=block.last)]


def _table_elements(block: Block) -> list[Element]:
    """A table, with any plain lines printed right above or below it."""
    elements: list[Element] = []
    pending: list = []
    table_lines: list = []
    for line in block.lines:
        if line.has_tabs:
            if pending and not table_lines:
                elements.extend(_loose_lines(pending))
                pending = []
            table_lines.append(line)
        else:
            if table_lines:
                elements.append(_table_element(table_lines))
                table_lines = []
            pending.append(line)
    if table_lines:
        elements.append(_table_element(table_lines))
    elements.extend(_loose_lines(pending))
    return elements


def _table_element(lines: list) -> Element:
    table = tables.table_from_lines(lines)
    return Element("table", table=table, first_line=table.first_line, last_line=table.last_line)


def _loose_lines(lines: list) -> list[Element]:
    if not lines:
        return []
    block = Block(tuple(lines))
    return classify(block, base_level=2) if len(lines) == 1 else [
        Element("lines", lines=block_lines(block), first_line=block.first, last_line=block.last)
    ]


# ---------------------------------------------------------------- joining

def paragraph_continues(previous: Element, following: Element, text: _Joined | None = None) -> bool:
    """``text``: the previous paragraph's text while paragraphs are joined onto it."""
    if previous.kind != "paragraph" or following.kind != "paragraph" or previous.attrs:
        return False
    joined, text = text is not None, text or _Joined(previous.text)
    return (
        not text.ends
        and text.width >= _MIN_CUT_WIDTH
        and not starts_new_item(following.text)
        and not is_date_line(following.text)
        # entries of a name list, a paragraph each where a converter sets every line apart
        and (joined or not (is_list_entry(previous.text) and is_list_entry(following.text)))
    )


def cut_apart(last_line: int, first_line: int) -> bool:
    """Whether a paragraph joined again between these lines was cut (by a page's foot and head, or
    blank lines), not only wrapped from one printed line to the next: what the ingest summary counts."""
    return first_line > last_line + 1


def join_elements(elements: list[Element], stats: Stats, page_breaks: list[int] = (),
                  after_line: int | None = None) -> list[Element]:
    """Join paragraphs cut by page breaks and tables resumed on the next page.

    Where a printed page begins (``page_breaks``: the lines of the page
    numbers), a page mark is put: inside a paragraph or a table the break cut,
    or before the first element of the new page (``after_line``: the last line
    of what comes before these elements).
    """
    joined: list[Element] = []
    text: _Joined | None = None  # the last paragraph's text while paragraphs are joined onto it
    for element in elements:
        previous = joined[-1] if joined else None
        before = previous.last_line if previous else after_line
        mark = page_break_mark(page_breaks, before, element.first_line) if before is not None else ""
        if previous is not None and paragraph_continues(previous, element, text):
            text = text or _Joined(previous.text)
            text.add(mark + element.text)
            previous.last_line = element.last_line
            stats.joined_paragraphs += cut_apart(before, element.first_line)
            continue
        if text is not None:
            previous.text, text = text.text(), None
        if (
            previous is not None
            and previous.kind == "table"
            and element.kind == "table"
            and tables.continues(previous.table, element.table)
        ):
            tables.merge(previous.table, element.table, mark)
            previous.last_line = element.last_line
            continue
        if mark:
            joined.append(Element("raw", text=mark, first_line=element.first_line, last_line=element.first_line))
        joined.append(element)
    if text is not None:
        joined[-1].text = text.text()
    return _captions(joined)


# Where a printed page begins, as the line of its page number: resolved to the page's
# Markdown mark once the issue knows which page each number names (resolve_page_marks).
_PAGE_MARK = re.compile("\ue000(\\d+)\ue001")


def page_break_mark(page_breaks: list[int], after: int, before: int) -> str:
    """The mark of a page break between two lines, or "" when they are on one page."""
    index = bisect.bisect_right(page_breaks, after)
    return f"\ue000{page_breaks[index]}\ue001" if index < len(page_breaks) and page_breaks[index] < before else ""


def resolve_page_marks(markdown: str, page_after: Callable[[int], int | None]) -> str:
    """Each mark as an empty span naming the printed page that begins there: []{#page-75 .page-mark data-page="75"}."""
    def span(match: re.Match[str]) -> str:
        page = page_after(int(match[1]))
        return "" if page is None else f'[]{{#page-{page} .page-mark data-page="{page}"}}'
    return _PAGE_MARK.sub(span, markdown) if "\ue000" in markdown else markdown


# ——2022年12月27日在新洲区第六届人民代表大会第三次会议上 / 区长 刘润长: under a report's title.
_SUBTITLE = re.compile(r"^——.*(?:会议|大会|会上|讲话|报告)")
_SPEAKER = re.compile(rf"^[{_CN_NUM}\u4e00-\u9fff]{{1,10}}[ \u3000]+[\u4e00-\u9fff·]{{2,5}}$")
_MAX_SUBTITLE_PIECES = 3


def subtitle(elements: list[Element]) -> list[Element]:
    """The subtitle of a paper printed under its title, wrapped over lines, with its speaker: one group of lines.

    The PDF cuts it into short pieces that read as paragraphs; it is one line and a name.
    """
    if not elements or elements[0].kind != "paragraph" or not elements[0].text.startswith("——"):
        return elements
    pieces = [elements[0]]
    for element in elements[1:1 + _MAX_SUBTITLE_PIECES]:
        if element.kind != "paragraph" or ends_sentence(element.text) or width(element.text) > _MAX_HEADING_WIDTH:
            break
        pieces.append(element)
        if _SPEAKER.match(element.text.strip()):
            break
    title = functools.reduce(join_wrapped, (p.text for p in pieces if not _SPEAKER.match(p.text.strip())), "")
    speakers = [p.text.strip() for p in pieces if _SPEAKER.match(p.text.strip())]
    if len(pieces) < 2 or not _SUBTITLE.match(title):
        return elements
    group = Element("lines", lines=[title, *speakers], attrs="{.subtitle}",
                    first_line=pieces[0].first_line, last_line=pieces[-1].last_line)
    return [group, *elements[len(pieces):]]


def _captions(elements: list[Element]) -> list[Element]:
    """A short line printed right above a table names it: make it a heading."""
    for index, element in enumerate(elements[:-1]):
        following = elements[index + 1]
        if (
            element.kind == "paragraph"
            and not element.attrs
            and following.kind == "table"
            and width(element.text) <= _MAX_CAPTION_WIDTH
            and not ends_sentence(element.text)
        ):
            element.kind = "heading"
            element.level = -1  # resolved by the caller: one below the part's heading
    return elements


# ---------------------------------------------------------------- Markdown

def to_markdown(elements: list[Element], caption_level: int, stats: Stats) -> str:
    chunks = []
    for element in elements:
        chunk = _element_markdown(element, caption_level, stats)
        if element.attrs:
            chunk = f"{element.attrs}\n{chunk}"
        chunks.append(chunk)
    return "\n\n".join(chunks)


def _element_markdown(element: Element, caption_level: int, stats: Stats) -> str:
    if element.kind == "heading":
        level = caption_level if element.level < 0 else element.level
        text = collapse_letter_spacing(element.text.strip())
        return f"{'#' * min(level, 6)} {escape_inline(text)}"
    if element.kind == "table":
        table = element.table
        stats.tables += 1
        stats.table_rows.append(len(table.rows))
        stats.repeated_headers += table.repeated_headers
        stats.merged_rows += table.merged_rows
        stats.removed_artifacts += table.cell_artifacts
        return tables.to_markdown(table, escape_inline)
    if element.kind == "lines":
        return "\\\n".join(escape_text(collapse_letter_spacing(line)) for line in element.lines)
    if element.kind == "raw":
        return element.text
    article = _ARTICLE.match(element.text)
    if article:
        rest = element.text[article.end():]
        return f"**{article.group(1)}** {escape_text(rest)}" if rest else f"**{article.group(1)}**"
    return escape_text(element.text)
