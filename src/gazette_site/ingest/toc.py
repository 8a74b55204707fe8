"""The 目录: section groups and entries with their printed start pages.

An entry is a title, leaders and a page number in any of the printed forms
(``…………（7）``, ``……3``, ``…… 12``, ``(8)`` right after the title), or the page
first and the title after it (``3　关于…``); its
title may wrap over several lines and may carry the document's 发文字号
(``（粤府〔2015〕12号）``), which matches the entry to its document more surely
than the title does.
"""
from __future__ import annotations

import functools
import re

from .. import docnumber
from .documents import TITLE_ENDINGS, is_org_name
from .section_marks import is_section_like, marker_name
from .source import Block, Line
from .text import FULL_STOPS, is_gazette_name, join_wrapped, remove_wrap_spaces, squash, width

_HEADINGS = {"目录", "本期目录", "目次", "本期要目"}
_LEADERS = "…⋯\\.．·•・_—"
# The page: in brackets, or after leaders, a run of spaces or a tab (a word processor's 目录);
# as a number, a range of pages (3—12: the first is the page), 第 3 页 or P3.


def _page_number(group: str) -> str:
    return rf"(?:第\s*|[Pp]\.?\s*)?(?P<{group}>\d{{1,4}})(?:\s*[—–\-~～至]\s*\d{{1,4}})?(?:\s*页)?"


_PAGE = re.compile(
    rf"^(?P<title>.*?)(?:[\s{_LEADERS}]*[（(]\s*{_page_number('bracketed')}\s*[）)]"
    rf"|(?:[{_LEADERS}]{{2,}}|\s{{2,}}|\t|[{_LEADERS}]+\s+)\s*{_page_number('bare')})\s*$"
)
# The page printed before the title (3　关于…): a number and a space, never a year or a count (2023 年…).
_LEADING_PAGE = re.compile(r"^(?P<page>\d{1,4})(?:\s+|[.．、](?!\d))(?![\s\d年月日号个项条届次期])(?P<title>\S.*)$")
# An entry's number in its group (1、上海市…的通知……(17)), printed before the title as a page never is.
_ITEM_NUMBER = re.compile(r"^\d{1,3}\s*、\s*(?![\s\d年月日号个项条届次期])")
_NUMBER_IN_BRACKETS = re.compile(r"[（(]\s*([^（()）]*?(?:(?:19|20)\d{2}[^（()）]*?|令第\s*\d{1,5}\s*)号)\s*[）)]")
# Short entries naming a whole section (政务简讯……107) rather than a document.
_MAX_SECTION_ENTRY = 8
# Lines (a group heading, a title's first lines) that may stand before the line with the page.
_MAX_LINES_BEFORE_PAGE = 3
# A group heading is short; a longer line standing alone is the first half of a wrapped title.
_MAX_GROUP = 16
# A 目录 without pages lists at least this many titles (two lines of a cover are not one).
_MIN_PAGELESS_TITLES = 2
# Fewer characters than this are no title's start that the body could be seen repeating.
_MIN_TITLE_START = 6
# More blocks than this after a 目录 heading without pages are not its entries.
_MAX_PAGELESS_BLOCKS = 300
# A cover's fact (主办：…) or a sentence: no line of a 目录.
_PUNCTUATION_IN_FACT = re.compile(r"[:：。；;！？!?]")


# A 目录 line holding only leaders, with or without the page after them, or only the page.
_LEADERS_ALONE = re.compile(rf"^[{_LEADERS}]{{3,}}\s*(?:[（(]\s*\d{{1,4}}\s*[）)]|\d{{1,4}})?$")
_PAGE_ALONE = re.compile(r"^(?:[（(]\s*\d{1,4}\s*[）)]|\d{1,4})$")
_ENDS_WITH_LEADERS = re.compile(rf"[{_LEADERS}]{{2,}}$")


def join_pages_apart(lines: list[Line]) -> list[Line]:
    """The leaders and page of a 目录 entry printed on lines of their own (a line justified to its
    width pushes them down: 通知 / ……………… / （2）) joined to the title's line above them. Leaders go
    up to a line ending no sentence, a page alone only up to leaders: a (3) alone is else an item."""
    out: list[Line] = []
    for line in lines:
        at = len(out) - 1
        if at > 0 and not out[at].stripped:
            at -= 1  # the line above across a blank one: pdfminer sets each piece of a page apart by one
        above = out[at].stripped if at >= 0 else ""
        text = line.stripped
        if above and text and ((_LEADERS_ALONE.match(text) and not above.endswith(FULL_STOPS))
                               or (_PAGE_ALONE.match(text) and _ENDS_WITH_LEADERS.search(above))):
            out[at:] = [Line(out[at].number, out[at].text.rstrip() + text)]
        else:
            out.append(line)
    return out


def find_toc(blocks: list[Block]) -> tuple[int, int] | None:
    """(index of the 目录 heading, index of the first block after its entries)."""
    for index, block in enumerate(blocks):
        if block.is_single_line and marker_name(block.text)[0] in _HEADINGS:
            end = _toc_end(blocks, index)
            return index, end if end > index + 1 else _pageless_toc_end(blocks, index)
    return None


def _pageless_toc_end(blocks: list[Block], heading: int) -> int:
    """A 目录 printed without pages (a text taken from a web page): its group headings and titles,
    short lines ending no sentence, up to the first block that is neither (the cover's next fact),
    or that it has listed already (the body begins with the 目录's first section or title)."""
    index, titles, lines, listed = heading + 1, 0, set(), ""
    while index < len(blocks) and all(_pageless_line(line.stripped) for line in blocks[index].lines):
        if index - heading > _MAX_PAGELESS_BLOCKS:  # no 目录 is this long: short lines of something else
            return heading + 1
        texts = [squash(line.text) for line in blocks[index].lines]
        # a line listed already, or the start of a title listed (the body may wrap it elsewhere)
        if texts[0] in lines or (len(texts[0]) >= _MIN_TITLE_START and texts[0] in listed):
            break
        lines.update(texts)
        listed += "\n" + "".join(texts)
        titles += any(_ends_entry(text) for text in texts)
        index += 1
    return index if titles >= _MIN_PAGELESS_TITLES else heading + 1


def _pageless_line(text: str) -> bool:
    """A line a 目录 without pages may hold: not the gazette's name on the cover after it."""
    return width(text) <= 60 and not _PUNCTUATION_IN_FACT.search(text) and not is_gazette_name(squash(text))


def _toc_end(blocks: list[Block], heading: int) -> int:
    index = heading + 1
    while index < len(blocks):
        if _is_entry_block(blocks[index]):
            index += 1
            continue
        # Group headings, and first lines of titles wrapped across blank lines, come before an entry.
        ahead = blocks[index:index + _MAX_LINES_BEFORE_PAGE + 1]
        reach = next((k for k, block in enumerate(ahead) if _is_entry_block(block)), None)
        before = [line for block in ahead[:reach or 0] for line in block.lines]
        if reach is None or len(before) > _MAX_LINES_BEFORE_PAGE or not all(width(squash(line.text)) <= 60 for line in before):
            break
        index += reach
    return index


def _is_entry_block(block: Block) -> bool:
    return any(_page_match(line.stripped) or _LEADING_PAGE.match(line.stripped) for line in block.lines)


# A 发文字号 cut before its 号 at the line's end (（国函〔1999〕   141 / 号）……（1）, a line justified
# by ``pdftotext -layout``): its number, set apart by the spread, is no page.
_NUMBER_CUT = re.compile(r"(?:[〔\[［]\d{4}[〕\]］]|令)第?$")


def _page_match(text: str) -> re.Match[str] | None:
    """The entry line's title and page, if it ends with a page."""
    match = _PAGE.match(text)
    if match and match["bare"] and _NUMBER_CUT.search(squash(text[:match.start("bare")])):
        return None
    return match


def parse_toc(blocks: list[Block]) -> list[dict]:
    """Entries in printed order: section (group heading above), title, page, 发文字号, line."""
    if not any(_is_entry_block(block) for block in blocks):
        return _pageless_entries(blocks)
    entries: list[dict] = []
    section: str | None = None
    pending: list[Line] = []
    leading: dict | None = None  # the last entry, when its page came first: its title may wrap below it
    for block in blocks:
        for line in block.lines:
            match = _page_match(line.stripped)
            if match is None and (first := _LEADING_PAGE.match(line.stripped)):
                if pending:
                    # titles begin on their page's line: what stands before one is a group heading
                    section, pending = marker_name(pending[-1].stripped)[0], []
                leading = _entry(first["title"], int(first["page"]), section, line.number)
                section = _append(entries, leading, section)
                continue
            if match is None and leading is not None and _continues(leading["title"], line, block):
                # the page stands before the first line: the lines under it finish the title
                leading.update(_entry(join_wrapped(leading["title"], line.stripped), leading["page"], leading["section"], leading["line"]))
                continue
            leading = None
            if match is None:
                if not pending and _is_group(line, block):
                    section = marker_name(line.stripped)[0]
                else:
                    pending.append(line)
                continue
            text = ""
            for part in pending + [line]:
                piece = match["title"] if part is line else part.stripped
                text = join_wrapped(text, piece)
            first = (pending or [line])[0].number
            pending = []
            section = _append(entries, _entry(text, int(match["bracketed"] or match["bare"]), section, first), section)
    return entries


def _pageless_entries(blocks: list[Block]) -> list[dict]:
    """Entries of a 目录 without pages. A line shaped as a section's name heads the titles under it,
    or, with none under it (大事记 before the next such line or the end), is a section's own entry;
    a title runs over lines until it ends as titles end."""
    lines = [(line, _is_group(line, block) and (marker_name(line.stripped)[1] or not _ends_entry(squash(line.text))))
             for block in blocks for line in block.lines]
    entries: list[dict] = []
    section: str | None = None
    pending: list[Line] = []
    for index, (line, group) in enumerate(lines):
        if not pending and group:
            heads_titles = index + 1 < len(lines) and not lines[index + 1][1]
            if heads_titles:
                section = marker_name(line.stripped)[0]
            else:
                entries.append(_entry(marker_name(line.stripped)[0], None, None, line.number))
                section = None
            continue
        pending.append(line)
        if _ends_entry("".join(squash(part.text) for part in pending)):
            text = functools.reduce(join_wrapped, (part.stripped for part in pending), "")
            section = _append(entries, _entry(text, None, section, pending[0].number), section)
            pending = []
    return entries


def _ends_entry(title: str) -> bool:
    """A title ends as titles end, or with its 发文字号 in brackets: …细则（卫生部令第80号）."""
    return title.endswith(TITLE_ENDINGS) or (title.endswith(("）", ")")) and _NUMBER_IN_BRACKETS.search(title) is not None)


def _append(entries: list[dict], entry: dict, section: str | None) -> str | None:
    """Add an entry; the section of the entries after it."""
    entries.append(entry)
    if is_section_entry(entry["title"]):
        # a section printed as one entry (政务简讯……107) ends the group above it
        entry["section"] = None
        return None
    return section


def _continues(title: str, line: Line, block: Block) -> bool:
    """A line under an entry whose page came first: the rest of its title, indented, or unfinished;
    never a group heading under a finished title (a converter may indent, or centre, every short line)."""
    if title.endswith(TITLE_ENDINGS):
        return line.text[:1].isspace() and not _is_group(line, block)
    # an unfinished title goes on to any line not shaped as a section's name, however short
    # (…城市精细 / 化管理 / 实施细则的通知, at the margin in pdftotext's default order)
    name, decorated = marker_name(line.stripped)
    return line.text[:1].isspace() or not (decorated or is_section_like(name, False))


def is_section_entry(title: str) -> bool:
    """政务简讯, 大事记: an entry named like a section (a short 条例 title is not one)."""
    return len(title) <= _MAX_SECTION_ENTRY and is_section_like(title, False)


def _is_group(line: Line, block: Block) -> bool:
    """A group heading: decorated, shaped like a section name, or short and alone (or right over an entry
    opening with its page, where a converter left no blank line: 他山之石 / 3　广安市…)."""
    name, decorated = marker_name(line.stripped)
    if decorated or is_section_like(name, False):
        return True
    if not (len(name) <= _MAX_GROUP and is_section_like(name, True) and not is_org_name(name)):
        return False
    below = block.lines[block.lines.index(line) + 1:]
    return block.is_single_line or (bool(below) and _LEADING_PAGE.match(below[0].stripped) is not None)


def _entry(text: str, page: int | None, section: str | None, line: int) -> dict:
    title = remove_wrap_spaces(text).rstrip(_LEADERS + " ")
    title = _ITEM_NUMBER.sub("", title, count=1) or title
    number = None
    found = _NUMBER_IN_BRACKETS.search(title)
    if found:
        number = docnumber.parse_line(found.group(1))
        if number is not None:
            title = (title[: found.start()] + title[found.end():]).strip()
    elif (parsed := docnumber.parse_line(squash(title))) is not None:
        number = parsed
    return {
        "section": section,
        "title": title.rstrip(_LEADERS + " "),
        "page": page,
        "doc_number": str(number) if number else None,
        "line": line,
    }
