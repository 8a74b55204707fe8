"""Page furniture left by the PDF: printed page numbers and running heads.

A PDF export keeps what was printed at the foot and the head of every page:
``— 6 —``, ``· 12 ·``, ``- 6 -``, the gazette's name, the section's name,
sometimes glued to the first or last text line of the page. None of it is
content. This stage removes it from the lines (keeping line numbers, so that
``source_lines`` still point into the raw text) and keeps what it tells: the
printed page of every line, and the section names printed at page heads.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from .. import docnumber
from .source import Line
from .text import GAZETTE_WORD, ends_sentence, names_gazette, squash, width

_DASHES = "—–\\-－−─"
_DOTS = "·•・‧∙"
# A number between matching decorations: — 6 —, · 12 ·, - 6 -, ·7·.
_DECORATED = rf"(?:[{_DASHES}]{{1,3}}\s*(\d{{1,4}})\s*[{_DASHES}]{{1,3}}|[{_DOTS}]\s*(\d{{1,4}})\s*[{_DOTS}])"
# Of how many pages, printed after or before the page: 共 120 页.
_OF_PAGES = r"\s*[,，/／]?\s*共\s*\d{1,4}\s*页\s*[,，/／]?\s*"
# Alone on its line: — 6 —, 第 6 页, 第 6 页 共 120 页 (or 共 120 页 第 6 页), 6 / 120.
_MARKER = re.compile(
    rf"^(?:{_DECORATED}|第\s*(\d{{1,4}})\s*页(?:{_OF_PAGES})?|(?:{_OF_PAGES})第\s*(\d{{1,4}})\s*页|(\d{{1,4}})\s*[/／]\s*\d{{1,4}})$"
)
# Glued to the end or the start of a text line.
_GLUED_END = re.compile(rf"(?<=\S)\s*{_DECORATED}$")
_GLUED_START = re.compile(rf"^{_DECORATED}\s*(?=\S)")
_BARE_NUMBER = re.compile(r"^(\d{1,4})$")
# A decorated number set apart from the text beside it by a wide gap (a line of -layout output).
_SET_APART = re.compile(r"^\s{2,}|\s{2,}$")
# In the running head, set apart by spaces: 4　　浠水县人民政府公报　2017年第1期, …公报　2017年第1期　　5.
_IN_HEAD = re.compile(r"^(?:(?P<before>\d{1,4})\s{2,}(?P<head>\S.*)|(?P<tail>.*\S)\s{2,}(?P<after>\d{1,4}))$")
# …set apart by one space where a converter keeps no more (pdftotext -raw): only a head naming the gazette.
_IN_NAMED_HEAD = re.compile(rf"^(?:(?P<before>\d{{1,4}})\s(?P<head>\S.*(?:{GAZETTE_WORD.pattern}).*)"
                            rf"|(?P<tail>.*(?:{GAZETTE_WORD.pattern}).*\S)\s(?P<after>\d{{1,4}}))$")
# The rule printed under a document's header (the red line of GB/T 9704), or between parts.
_RULE = re.compile(r"^[━─—－\-_=＝~～]{5,}$")
# How far from a page number (in non-blank lines) a running head is printed.
_HEAD_REACH = 2
# A line naming the gazette alone, printed this often, is every page's running head; the first lines
# of the text are its cover, where the gazette's name is the masthead.
_MIN_NAME_HEADS = 3
_COVER_LINES = 10
# What a running head printed before its page's number says (a converter reading a head
# 浠水县人民政府公报　2017年第1期　5 in its own order gives each part a line): the gazette's
# name or the issue, never a signature or a date that ends a page above its number.
_ISSUE_LABEL = re.compile(r"^(?:(?:19|20)\d{2}年)?第\d{1,3}[期号](?:[（(]?总第?\d{1,5}[期号][）)]?)?$")
# The year and number of an issue's label, as its cover prints them (2025年第20期（总第900期）).
_OWN_ISSUE = re.compile(r"^(?:19|20)\d{2}年第\d{1,3}期")
_MAX_HEAD_WIDTH = 40
# Pages may go unnumbered (a full-page map): consecutive numbers differ by at most this.
_MAX_PAGE_GAP = 2
# How many numbers on either side a number is compared with.
_NEIGHBOURS = 2
# Fewer bare numbers than this in a row are not taken for page numbers.
_MIN_BARE_RUN = 3


@dataclass
class PageMap:
    """Printed pages of the source lines, from the page numbers found in them."""

    lines: list[int] = field(default_factory=list)  # line of each page number, ascending
    pages: list[int] = field(default_factory=list)  # the number printed there
    at_foot: bool = True  # page numbers close their page (GB/T 9704) rather than open it

    def __bool__(self) -> bool:
        return bool(self.lines)

    def page_at(self, line: int) -> int | None:
        if not self.lines:
            return None
        if self.at_foot:
            index = bisect.bisect_left(self.lines, line)
            # Past the last number: the last page, which printed none.
            return self.pages[index] if index < len(self.pages) else self.pages[-1] + 1
        index = bisect.bisect_right(self.lines, line) - 1
        # Before the first number: the page before it, which printed none (an issue's first page).
        return self.pages[index] if index >= 0 else (self.pages[0] - 1 or None)


@dataclass
class Furniture:
    lines: list[Line]  # the source lines, furniture blanked or cut off
    pages: PageMap
    heads: list[tuple[int, str]]  # (line, text) of every running head removed
    tops: list[int]  # the first lines printed after each page number, where a head may be glued
    removed: int = 0
    blanked: frozenset[int] = frozenset()  # the lines that were page numbers, rules or running heads

    def strip_glued(self, names: set[str]) -> bool:
        """Cut section names (known once the 目录 is read) glued to the first line of a page."""
        prefixes = sorted(names, key=len, reverse=True)
        position = {line.number: index for index, line in enumerate(self.lines)}
        changed = False
        for number in self.tops:
            line = self.lines[position[number]]
            rest = _without_head(line.text, prefixes)
            if rest is not None:
                self.lines[position[number]] = Line(number, rest)
                self.removed += 1
                changed = True
        return changed


def remove_furniture(lines: list[Line], page_tops: tuple[int, ...] = ()) -> Furniture:
    """The lines without page numbers, rules and running heads; ``page_tops``: the lines known to
    begin a page (after a form feed), where a head is printed with or without a page number."""
    numbers = _page_numbers(lines)
    cleaned = {n.line: "" if n.whole else n.rest for n in numbers}
    rules = [line.number for line in lines if _RULE.match(squash(line.text))]
    cleaned.update((number, "") for number in rules)
    text_of = {line.number: cleaned.get(line.number, line.text) for line in lines}
    heads, glued, tops = _running_heads(lines, text_of, sorted({n.line for n in numbers} | {top - 1 for top in page_tops}))
    opening = _heads_before_numbers(lines, text_of, [n.line for n in numbers if n.whole])
    heads = sorted(set(heads).union(*opening.values(), _gazette_names(lines, text_of)))
    for number, _ in heads:
        text_of[number] = ""
    text_of.update(glued)
    out = [line if text_of[line.number] == line.text else Line(line.number, text_of[line.number]) for line in lines]
    # numbers printed in the running heads open their page; the 目录 may still say otherwise (issue)
    heading = sum(n.in_head or n.line in opening for n in numbers)
    if len(opening) >= 2:
        # A gazette printing numbers after its heads prints the others before them (odd and even
        # pages): a number followed by a head opens its page too, not the foot of the page before.
        head_lines = {n for n, _ in heads}
        following = [line.number for line in lines if text_of[line.number].strip() or line.number in head_lines]
        heading += sum(n.line not in opening and not n.in_head and _next_is_head(n.line, following, head_lines)
                       for n in numbers)
    page_map = PageMap([n.line for n in numbers], [n.page for n in numbers], at_foot=2 * heading <= len(numbers))
    blanked = frozenset(line.number for line in lines if line.text.strip() and not text_of[line.number].strip())
    return Furniture(out, page_map, heads, tops, len(numbers) + len(rules) + len(heads) + len(glued), blanked)


@dataclass
class _Number:
    line: int
    page: int
    whole: bool  # the line is the page number and nothing else
    rest: str = ""  # the text the number was glued to
    in_head: bool = False  # printed in the running head, at the top of its page


def _page_numbers(lines: list[Line]) -> list[_Number]:
    found: list[_Number] = []
    bare: list[_Number] = []
    in_heads: list[tuple[_Number, str]] = []
    beside_heads: list[tuple[_Number, str]] = []
    for line in lines:
        text = line.stripped
        if not text or line.has_tabs:
            continue
        match = _MARKER.match(squash(text))
        if match:
            found.append(_Number(line.number, int(next(g for g in match.groups() if g)), True))
            continue
        match = _BARE_NUMBER.match(text)
        if match:
            bare.append(_Number(line.number, int(match[1]), True))
            continue
        match = _IN_HEAD.match(text) or _IN_NAMED_HEAD.match(text)
        if match and _could_be_head(head := match["head"] or match["tail"]):
            in_heads.append((_Number(line.number, int(match["before"] or match["after"]), True, in_head=True), squash(head)))
            continue
        for pattern in (_GLUED_END, _GLUED_START):
            match = pattern.search(text)
            if match and _glue_plausible(text, match):
                rest = (text[: match.start()] + text[match.end():]).strip()
                page = int(next(g for g in match.groups() if g))
                if _SET_APART.search(match.group()) and _could_be_head(rest):
                    # 丹东市人民政府公报　　— 3 —: the running head on the number's line, all of it furniture
                    # (at the foot, where a decorated number is printed)
                    beside_heads.append((_Number(line.number, page, True), squash(rest)))
                else:
                    found.append(_Number(line.number, page, False, rest))
                break
    found = sorted(found + _repeated_heads(in_heads) + _repeated_heads(beside_heads), key=lambda number: number.line)
    found = _in_sequence(found, strict_glued=True)
    if len(bare) >= _MIN_BARE_RUN and len(_in_sequence(bare)) >= _MIN_BARE_RUN and len(found) < _MIN_BARE_RUN:
        found = _in_sequence(bare)
    return found


def _repeated_heads(in_heads: list[tuple[_Number, str]]) -> list[_Number]:
    """The numbers of heads printed on several pages, or naming the gazette (not a line of a list)."""
    counts = Counter(head for _, head in in_heads)
    return [number for number, head in in_heads if counts[head] >= 2 or names_gazette(head)]


def _glue_plausible(text: str, match: re.Match[str]) -> bool:
    """A number glued to text must leave a real line beside it, not a range like 1-2-3."""
    rest = (text[: match.start()] + text[match.end():]).strip()
    return width(rest) >= 2 and not rest[-1:].isdigit() and not rest[:1].isdigit()


def _in_sequence(numbers: list[_Number], strict_glued: bool = False) -> list[_Number]:
    """Keep the numbers that count up with a neighbour; a number out of order is text."""
    def fits(earlier: _Number, later: _Number) -> bool:
        return 0 < later.page - earlier.page <= _MAX_PAGE_GAP

    kept: list[_Number] = []
    for index, number in enumerate(numbers):
        before = numbers[max(0, index - _NEIGHBOURS):index]
        after = numbers[index + 1:index + 1 + _NEIGHBOURS]
        if strict_glued and not number.whole:
            # Glued numbers are the least certain: they must continue a sequence.
            fitting = any(fits(b, number) for b in before) or (not before and any(fits(number, a) for a in after))
        else:
            fitting = any(fits(b, number) for b in before) or any(fits(number, a) for a in after) or len(numbers) == 1
        if fitting:
            kept.append(number)
    return kept


def _running_heads(lines: list[Line], text_of: dict[int, str], markers: list[int]):
    """Short lines printed at the head of several pages: the gazette's or a section's name.

    With the page number at the foot, the head of the next page follows it:
    only the first lines after each number (or each page's start, where a form
    feed marks it) are looked at, so that a signature printed at the foot of
    two pages is never taken for a running head.
    """
    if not markers:
        return [], {}, []
    order = [line.number for line in lines if text_of[line.number].strip()]
    near: dict[int, str] = {}
    for marker in markers:
        # (a number alone on its line was blanked: start after the last line before it)
        index = bisect.bisect_right(order, marker) - 1
        for cursor in range(index + 1, min(index + 1 + _HEAD_REACH, len(order))):
            following = order[cursor + 1] if cursor + 1 < len(order) else None
            # 发文机关标志 at the top of a page is followed by its 发文字号: not a head.
            text = text_of[order[cursor]]
            if following is None or not squash(text).endswith("文件") or docnumber.parse_line(text_of[following]) is None:
                near[order[cursor]] = text
    counts = Counter(squash(text) for text in near.values() if _could_be_head(text))
    # (a head naming the gazette, or the issue as its cover does, is one on a single page: a short issue has
    # few pages; 2018年第18号 at a page's top is a 公告's number)
    cover = {found.group() for n in order[:_COVER_LINES] if (found := _OWN_ISSUE.match(squash(text_of[n])))}
    repeated = {key for key, count in counts.items()
                if count >= 2 or names_gazette(key) or _labels_issue(key, cover)}
    heads = [(n, text.strip()) for n, text in sorted(near.items()) if squash(text) in repeated]
    prefixes = sorted(repeated, key=len, reverse=True)
    glued: dict[int, str] = {}
    for n, text in near.items():
        rest = None if squash(text) in repeated else _without_head(text, prefixes)
        if rest is not None:
            glued[n] = rest
    tops = [n for n in near if n not in glued and squash(near[n]) not in repeated]
    return heads, glued, sorted(tops)


def _gazette_names(lines: list[Line], text_of: dict[int, str]) -> list[tuple[int, str]]:
    """The running heads naming the gazette (浠水县人民政府公报, …公报　2017年第1期) wherever they stand:
    a converter dropping the page breaks (PyMuPDF's text, pages one after another; a copy from a
    viewer) leaves no page number or form feed beside them. A head repeats on every page: a line
    naming the gazette once or twice is text."""
    written = [(line.number, squash(text_of[line.number])) for line in lines if text_of[line.number].strip()]
    counts = Counter(text for _, text in written if names_gazette(text) and _could_be_head(text))
    names = {text for text, count in counts.items() if count >= _MIN_NAME_HEADS}
    return [(number, text_of[number].strip()) for index, (number, text) in enumerate(written)
            if text in names and index >= _COVER_LINES]


def _heads_before_numbers(lines: list[Line], text_of: dict[int, str], numbers: list[int]) -> dict[int, list[tuple[int, str]]]:
    """The parts of running heads printed right above a page number of their own, by number line.

    A number printed after its page's head opens the page: a page's last text
    line above its number at the foot is never taken, nor is a line naming the
    gazette only once (a head repeats).
    """
    order = [line.number for line in lines if text_of[line.number].strip()]
    above: dict[int, list[tuple[int, str]]] = {}
    for number in numbers:
        index = bisect.bisect_right(order, number) - 1
        for cursor in range(index, max(index - _HEAD_REACH, -1), -1):
            text = text_of[order[cursor]]
            if not _names_the_issue(text):
                break
            above.setdefault(number, []).append((order[cursor], text.strip()))
    counts = Counter(squash(text) for found in above.values() for _, text in found)
    heads = {number: [(n, text) for n, text in found if counts[squash(text)] >= 2] for number, found in above.items()}
    return {number: found for number, found in heads.items() if found}


def _labels_issue(text: str, cover: set[str]) -> bool:
    """``text`` (squashed) is an issue's label that the cover prints (``cover``: the labels there)."""
    found = _OWN_ISSUE.match(text)
    return found is not None and found.group() in cover and _ISSUE_LABEL.match(text) is not None


def _next_is_head(number: int, order: list[int], head_lines: set[int]) -> bool:
    index = bisect.bisect_right(order, number)
    return index < len(order) and order[index] in head_lines


def _names_the_issue(text: str) -> bool:
    squashed = squash(text)
    return _ISSUE_LABEL.match(squashed) is not None or (names_gazette(squashed) and _could_be_head(squashed))


def _could_be_head(text: str) -> bool:
    squashed = squash(text)
    return 2 <= width(squashed) <= _MAX_HEAD_WIDTH and "。" not in squashed and not ends_sentence(squashed)


def _without_head(text: str, heads: list[str]) -> str | None:
    """The line without a running head printed at its start ("市政府文件 加强…")."""
    stripped = text.strip()
    for head in heads:
        # The head may be letter-spaced in the line; match it character by character.
        pattern = r"\s*".join(map(re.escape, head))
        match = re.match(rf"{pattern}\s+(?=\S)", stripped)
        if match:
            return stripped[match.end():]
    return None
