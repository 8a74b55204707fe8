"""The 目录: section groups and entries with their printed start pages.

An entry is a title, leaders and a page number in any of the printed forms
(``…………（7）``, ``……3``, ``…… 12``, ``(8)`` right after the title); its
title may wrap over several lines and may carry the document's 发文字号
(``（粤府〔2015〕12号）``), which matches the entry to its document more surely
than the title does.
"""
from __future__ import annotations

import re

from .. import docnumber
from .documents import is_org_name
from .section_marks import is_section_like, marker_name
from .source import Block, Line
from .text import join_wrapped, remove_wrap_spaces, squash, width

_HEADINGS = {"目录", "本期目录", "目次", "本期要目"}
_LEADERS = "…⋯\\.．·•・_—"
# The page: in brackets, or after leaders or a run of spaces.
_PAGE = re.compile(
    rf"^(?P<title>.*?)(?:[\s{_LEADERS}]*[（(]\s*(?P<bracketed>\d{{1,4}})\s*[）)]|(?:[{_LEADERS}]{{2,}}|\s{{2,}}|[{_LEADERS}]+\s+)\s*(?P<bare>\d{{1,4}}))\s*$"
)
_NUMBER_IN_BRACKETS = re.compile(r"[（(]\s*([^（()）]*?(?:(?:19|20)\d{2}[^（()）]*?|令第\s*\d{1,5}\s*)号)\s*[）)]")
# Short entries naming a whole section (政务简讯……107) rather than a document.
_MAX_SECTION_ENTRY = 8
# Lines (a group heading, a title's first lines) that may stand before the line with the page.
_MAX_LINES_BEFORE_PAGE = 3
# A group heading is short; a longer line standing alone is the first half of a wrapped title.
_MAX_GROUP = 16


def find_toc(blocks: list[Block]) -> tuple[int, int] | None:
    """(index of the 目录 heading, index of the first block after its entries)."""
    for index, block in enumerate(blocks):
        if block.is_single_line and marker_name(block.text)[0] in _HEADINGS:
            return index, _toc_end(blocks, index)
    return None


def _toc_end(blocks: list[Block], heading: int) -> int:
    index = heading + 1
    while index < len(blocks):
        if _is_entry_block(blocks[index]):
            index += 1
            continue
        # Group headings, and first lines of titles wrapped across blank lines, come before an entry.
        ahead = blocks[index:index + _MAX_LINES_BEFORE_PAGE + 1]
        reach = next((k for k, block in enumerate(ahead) if _is_entry_block(block)), None)
        if reach is None or not all(b.is_single_line and width(b.squashed) <= 60 for b in ahead[:reach]):
            break
        index += reach
    return index


def _is_entry_block(block: Block) -> bool:
    return any(_PAGE.match(line.stripped) for line in block.lines)


def parse_toc(blocks: list[Block]) -> list[dict]:
    """Entries in printed order: section (group heading above), title, page, 发文字号, line."""
    entries: list[dict] = []
    section: str | None = None
    pending: list[Line] = []
    for block in blocks:
        for line in block.lines:
            match = _PAGE.match(line.stripped)
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
            entry = _entry(text, int(match["bracketed"] or match["bare"]), section, first)
            if is_section_entry(entry["title"]):
                # a section printed as one entry (政务简讯……107) ends the group above it
                section = entry["section"] = None
            entries.append(entry)
    return entries


def is_section_entry(title: str) -> bool:
    """政务简讯, 大事记: an entry named like a section (a short 条例 title is not one)."""
    return len(title) <= _MAX_SECTION_ENTRY and is_section_like(title, False)


def _is_group(line: Line, block: Block) -> bool:
    """A group heading: decorated, shaped like a section name, or short and alone."""
    name, decorated = marker_name(line.stripped)
    if decorated or is_section_like(name, False):
        return True
    return block.is_single_line and len(name) <= _MAX_GROUP and is_section_like(name, True) and not is_org_name(name)


def _entry(text: str, page: int, section: str | None, line: int) -> dict:
    title = remove_wrap_spaces(text).rstrip(_LEADERS + " ")
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
