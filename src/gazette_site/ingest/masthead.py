"""The pages before the first document: 简介, cover, 目录 and the masthead.

Everything here becomes issue metadata (``issue.yaml``), never a document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .source import Block, Line
from .text import CJK_CHARS, CN_ITEM_NUMBER, CN_YEAR, date_number, is_gazette_name, join_wrapped, squash

_INTRO_HEADING = re.compile(r"^《(?P<name>[^》]+)》简介$")
_FACT = re.compile(rf"^(?P<key>[{CJK_CHARS} \u3000]{{2,12}})[:：]\s*(?P<value>.*)$")
# 东莞市人民政府办公室　主办, 广东省人民政府主管主办: the organ first, then its roles.
_ROLE = "主管|主办|承办|编辑出版|编辑|编印|出版"
_ROLE_AFTER = re.compile(rf"^(?P<value>[{CJK_CHARS}（）()《》]{{4,40}}?)[\s\u3000]*(?P<roles>(?:{_ROLE})+)$")
_LATIN_NAME = re.compile(r"^[A-Z][A-Z '’.,&-]+$")
_FREQUENCY = re.compile(r"^[（(]?(周刊|旬刊|半月刊|月刊|双月刊|季刊|半年刊|年刊)[）)]?$")
_VERTICAL_TEXT_LINE = re.compile(rf"^[{CJK_CHARS}](?: +[{CJK_CHARS}])*$")
# Years, issue numbers and totals in Arabic or Chinese numerals (二〇二三年第一期（总第四十四期）).
_YEAR = f"((?:19|20)\\d{{2}}|{CN_YEAR})"
_NUMBER = f"(\\d{{1,2}}|{CN_ITEM_NUMBER})"
# The total, bracketed or not, 总第44期 or 总44期.
_TOTAL = "[（(]?总第?(\\d{1,4}|[一二三四五六七八九十百零〇]{1,7})期[）)]?"

# (pattern, names of the facts it states) in order of trust.
_ISSUE_PATTERNS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (re.compile(rf"{_YEAR}年第{_NUMBER}期{_TOTAL}"), ("year", "number", "total_number")),
    (re.compile(rf"{_YEAR}年第{_NUMBER}期"), ("year", "number")),
    # the State Council's gazette numbers its issues 号: 2011年第15号（总号：1386）
    (re.compile(r"^((?:19|20)\d{2})年第(\d{1,2})号[（(]总号[:：]?(\d{1,5})[）)]$"), ("year", "number", "total_number")),
    (re.compile(r"^((?:19|20)\d{2})年第(\d{1,2})号$"), ("year", "number")),
    # the issue before the year: 第1期　2023年
    (re.compile(rf"^第{_NUMBER}期{_YEAR}年?$"), ("number", "year")),
    (re.compile(rf"^第{_NUMBER}期{_TOTAL}$"), ("number", "total_number")),
    (re.compile(rf"^第{_NUMBER}期$"), ("number",)),
    (re.compile(rf"^{_TOTAL}$"), ("total_number",)),
    (re.compile(r"^((?:19|20)\d{2})$"), ("year",)),
    # the date of printing: the issue's year only when nothing else gives one
    (re.compile(r"^((?:19|20)\d{2})年\d{1,2}月(?:\d{1,2}日)?出版$"), ("printed_year",)),
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


def parse_masthead(blocks: list[Block], toc: list[dict]) -> Masthead:
    """The cover facts from the blocks before the first document, 目录 excluded."""
    masthead = Masthead(toc=toc)
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
    # (新 洲 区 人 民 政 府 公 报: the gazette's name set letter-spaced, not text in columns)
    if all(_VERTICAL_TEXT_LINE.match(line.stripped) for line in block.lines) and any(
        " " in line.stripped for line in block.lines
    ) and not (block.is_single_line and is_gazette_name(block.squashed)):
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
        elif (roles := _ROLE_AFTER.match(text)) and not is_gazette_name(squashed):
            for role in re.findall(_ROLE, roles["roles"]):
                masthead.facts[role] = roles["value"]
            last_fact = None
        elif last_fact is not None:
            masthead.facts[last_fact] = join_wrapped(masthead.facts[last_fact], text)
        elif _FREQUENCY.match(squashed):
            masthead.extra.setdefault("frequency", _FREQUENCY.match(squashed).group(1))
        elif _LATIN_NAME.match(text):
            latin_lines.append(text)
        elif is_gazette_name(squashed) and len(squashed) <= 30:
            masthead.gazette = masthead.gazette or squashed
        else:
            _add_extra(masthead, "cover_notes", [text])
    if latin_lines:
        # the cover and the masthead print the same romanised name
        masthead.extra.setdefault("gazette_latin", " ".join(latin_lines))


def add_issue_facts_from_heads(masthead: Masthead, heads: list[tuple[int, str]]) -> None:
    """The running heads (河北省人民政府公报　2010年第9期) give the issue where the cover does not."""
    missing = [name for name in ("year", "number") if name not in masthead.issue_facts]
    if not missing:
        return
    found = Masthead()
    for line, text in heads:
        _record_issue_facts(squash(text), line, found)
    for name in missing:
        if name in found.issue_facts:
            # one reading per head text: a head repeats the same issue on every page
            masthead.issue_facts[name] = found.issue_facts[name][:1]


def _record_issue_facts(squashed: str, line: int, masthead: Masthead) -> bool:
    for pattern, names in _ISSUE_PATTERNS:
        match = pattern.search(squashed)
        if match is None:
            continue
        for name, value in zip(names, match.groups()):
            masthead.issue_facts.setdefault(name, []).append((date_number(value), line))
        if names == ("printed_year",):
            # 2004年5月20日出版: the issue's 发布日期, shown with the cover facts
            masthead.facts.setdefault("出版日期", match.group(0).removesuffix("出版"))
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
