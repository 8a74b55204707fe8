"""The pages before the first document: 简介, cover, 目录 and the masthead.

Everything here becomes issue metadata (``issue.yaml``), never a document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import CATEGORIES
from .source import Block, Line
from .text import CJK_CHARS, join_wrapped, remove_wrap_spaces, squash

_TOC_HEADING = "目录"
_TOC_ENTRY = re.compile(r"^(?P<title>.*?)[\s…⋯\.．·•]*[（(]\s*(?P<page>\d{1,4})\s*[）)]\s*$")
_INTRO_HEADING = re.compile(r"^《(?P<name>[^》]+)》简介$")
_FACT = re.compile(rf"^(?P<key>[{CJK_CHARS} ]{{2,12}})[:：]\s*(?P<value>.*)$")
_LATIN_NAME = re.compile(r"^[A-Z][A-Z ]+$")
_VERTICAL_TEXT_LINE = re.compile(rf"^[{CJK_CHARS}](?: +[{CJK_CHARS}])*$")
_YEAR_ONLY = re.compile(r"^(?:19|20)\d{2}$")

# (pattern, names of the facts it states) in order of trust.
_ISSUE_PATTERNS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(r"((?:19|20)\d{2})年第(\d{1,2})期[（(]总第(\d{1,4})期[）)]"), ("year", "number", "total_number")),
    (re.compile(r"((?:19|20)\d{2})年第(\d{1,2})期"), ("year", "number")),
    (re.compile(r"^第(\d{1,2})期[（(]总第(\d{1,4})期[）)]$"), ("number", "total_number")),
    (re.compile(r"^[（(]?总第(\d{1,4})期[）)]?$"), ("total_number",)),
    (re.compile(r"^((?:19|20)\d{2})$"), ("year",)),
]


@dataclass
class Masthead:
    gazette: str | None = None
    facts: dict[str, str] = field(default_factory=dict)
    intro: list[str] = field(default_factory=list)
    toc: list[dict] = field(default_factory=list)
    extra: dict[str, object] = field(default_factory=dict)
    # fact name -> list of (value, line) as found, to detect contradictions
    issue_facts: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


def find_toc(blocks: list[Block]) -> int | None:
    """Index of the 目录 heading block, if the issue prints one."""
    for index, block in enumerate(blocks):
        if block.is_single_line and block.squashed == _TOC_HEADING:
            return index
    return None


def toc_end(blocks: list[Block], toc_index: int) -> int:
    """Index of the first block after the 目录 entries."""
    index = toc_index + 1
    while index < len(blocks):
        if _toc_page_entry(blocks[index]) is None and not _is_toc_group(blocks, index):
            break
        index += 1
    return index


def _toc_page_entry(block: Block) -> tuple[str, int] | None:
    joined = ""
    for line in block.lines:
        joined = join_wrapped(joined, line.stripped)
    match = _TOC_ENTRY.match(joined)
    if match is None or not match["title"].strip("…⋯.．· "):
        return None
    return remove_wrap_spaces(match["title"]).rstrip("…⋯.．·•"), int(match["page"])


def _is_toc_group(blocks: list[Block], index: int) -> bool:
    block = blocks[index]
    if not block.is_single_line or len(block.squashed) > 20:
        return False
    name = block.squashed.strip("◆◇■□●○★☆")
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    return name in CATEGORIES or (following is not None and _toc_page_entry(following) is not None)


def parse_toc(blocks: list[Block]) -> list[dict]:
    entries: list[dict] = []
    section: str | None = None
    for index, block in enumerate(blocks):
        page_entry = _toc_page_entry(block)
        if page_entry is None:
            section = block.squashed.strip("◆◇■□●○★☆")
            continue
        title, page = page_entry
        if title in CATEGORIES:
            # a section printed as one entry (政务简讯……107) ends the group above it
            section = None
        entries.append({"section": section, "title": title, "page": page, "line": block.first})
    return entries


def parse_masthead(blocks: list[Block]) -> Masthead:
    masthead = Masthead()
    toc_index = find_toc(blocks)
    if toc_index is not None:
        end = toc_end(blocks, toc_index)
        masthead.toc = parse_toc(blocks[toc_index + 1 : end])
        blocks = blocks[:toc_index] + blocks[end:]
    _parse_intro(blocks, masthead)
    for block in blocks:
        _parse_cover_block(block, masthead)
    return masthead


def _parse_intro(blocks: list[Block], masthead: Masthead) -> None:
    for index, block in enumerate(blocks):
        match = _INTRO_HEADING.match(block.squashed)
        if match is None:
            continue
        masthead.gazette = match["name"]
        for paragraph in blocks[index + 1 :]:
            if not paragraph.text.startswith(f"《{match['name']}》"):
                break
            masthead.intro.append(" ".join(line.stripped for line in paragraph.lines))
        return


def _parse_cover_block(block: Block, masthead: Masthead) -> None:
    if _INTRO_HEADING.match(block.squashed) or (
        masthead.gazette and block.text.startswith(f"《{masthead.gazette}》")
    ):
        return
    if all(_VERTICAL_TEXT_LINE.match(line.stripped) for line in block.lines) and any(
        " " in line.stripped for line in block.lines
    ):
        _add_extra(masthead, "cover_text", _read_vertical_text(block.lines))
        return
    last_fact: str | None = None
    latin_lines: list[str] = []
    for line in block.lines:
        text = line.stripped
        squashed = squash(text)
        fact = _FACT.match(text)
        if _record_issue_facts(squashed, line.number, masthead):
            last_fact = None
        elif fact:
            last_fact = squash(fact["key"])
            masthead.facts[last_fact] = fact["value"].strip()
        elif last_fact is not None:
            masthead.facts[last_fact] = join_wrapped(masthead.facts[last_fact], text)
        elif _LATIN_NAME.match(text):
            latin_lines.append(text)
        elif squashed.endswith("公报") and len(squashed) <= 30:
            masthead.gazette = masthead.gazette or squashed
        else:
            _add_extra(masthead, "cover_notes", [text])
    if latin_lines:
        # the cover and the masthead print the same romanised name
        masthead.extra.setdefault("gazette_latin", " ".join(latin_lines))


def _record_issue_facts(squashed: str, line: int, masthead: Masthead) -> bool:
    for pattern, names in _ISSUE_PATTERNS:
        match = pattern.search(squashed)
        if match is None:
            continue
        if names == ("year",) and not _YEAR_ONLY.match(squashed):
            continue
        for name, value in zip(names, match.groups()):
            masthead.issue_facts.setdefault(name, []).append((int(value), line))
        return True
    return False


def _read_vertical_text(lines: tuple[Line, ...]) -> list[str]:
    """Columns printed top to bottom (传 推 公 / 达 动 开 …) read as words."""
    rows = [line.stripped.split() for line in lines]
    if len(rows) == 1 or len({len(row) for row in rows}) != 1:
        return ["".join(row) for row in rows]
    return ["".join(column) for column in zip(*rows)]


def _add_extra(masthead: Masthead, key: str, values: list[str]) -> None:
    existing = masthead.extra.setdefault(key, [])
    assert isinstance(existing, list)
    existing.extend(values)
