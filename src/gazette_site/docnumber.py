"""发文字号 (document numbers): recognising, normalising, and deriving ids.

Printed forms vary: 新政发〔2023〕1号, 新政发[2023]1号, 新政发（2023）1号,
新政发【2023】1号. The archive stores one normal form, with 〔〕, and derives
the permanent id from it, so every other stage calls this module instead of
matching brackets itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

OPEN_BRACKETS = "〔[［【(（{｛"
CLOSE_BRACKETS = "〕]］】)）}｝"

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_NUMBER = r"第?\s*(?P<number>\d{1,5})\s*号"

# The agency code is a run of Chinese characters right before the bracket.
# Inside running text that run may include preceding words (…文件新政发〔…),
# so callers that know the real codes narrow it with :meth:`agency_suffixes`.
DOC_NUMBER_PATTERN = re.compile(
    rf"(?P<agency>[{_CJK}]{{1,12}})\s*[{re.escape(OPEN_BRACKETS)}]\s*{_YEAR}\s*"
    rf"[{re.escape(CLOSE_BRACKETS)}]\s*{_NUMBER}"
)
_WHOLE_LINE = re.compile(rf"^[{re.escape(OPEN_BRACKETS)}]?\s*{DOC_NUMBER_PATTERN.pattern}\s*[{re.escape(CLOSE_BRACKETS)}]?$")
_LINE_ENDINGS = ("号", *CLOSE_BRACKETS)


@dataclass(frozen=True)
class DocNumber:
    agency: str
    year: int
    number: int

    def __str__(self) -> str:
        return f"{self.agency}〔{self.year}〕{self.number}号"

    @property
    def id(self) -> str:
        """Permanent document id: full pinyin of the agency code, year, number."""
        return f"{agency_slug(self.agency)}-{self.year}-{self.number}"


@dataclass(frozen=True)
class DocNumberMention:
    start: int
    end: int
    agency_run: str
    year: int
    number: int

    def agency_suffixes(self) -> list[str]:
        """Possible agency codes, longest first (the run may hold preceding words)."""
        return [self.agency_run[i:] for i in range(len(self.agency_run))]


@lru_cache(maxsize=4096)
def agency_slug(agency: str) -> str:
    syllables = lazy_pinyin(agency, style=Style.NORMAL, errors="ignore")
    slug = re.sub(r"[^a-z0-9]", "", "".join(syllables).lower())
    return slug or "wenjian"


def parse_line(text: str) -> DocNumber | None:
    """A line that is a 发文字号 and nothing else (optionally in brackets)."""
    # Asked of every line of a body: most fail on their last character, before the squash.
    if not text.rstrip().endswith(_LINE_ENDINGS):
        return None
    match = _WHOLE_LINE.match("".join(text.split()))
    if match is None:
        return None
    return DocNumber(match["agency"], int(match["year"]), int(match["number"]))


# The bracketed year and the number, without the agency: matched first because
# a pattern starting with a run of Chinese characters would be tried at every
# position of a long body. It starts at the bracket, not at the spaces the
# printed form may have before it, so the regex engine can skip ahead to the
# next bracket instead of trying every position (4× faster on a body).
_YEAR_AND_NUMBER = re.compile(
    rf"[{re.escape(OPEN_BRACKETS)}]\s*{_YEAR}\s*[{re.escape(CLOSE_BRACKETS)}]\s*{_NUMBER}"
)
_AGENCY_BEFORE = re.compile(rf"[{_CJK}]{{1,12}}$")


def find_mentions(text: str) -> list[DocNumberMention]:
    mentions, previous_end = [], 0
    for match in _YEAR_AND_NUMBER.finditer(text):
        # The agency may stand before spaces before the bracket (but not inside the previous match).
        start = match.start()
        while start > previous_end and text[start - 1].isspace():
            start -= 1
        previous_end = match.end()
        agency = _AGENCY_BEFORE.search(text, max(0, start - 12), start)
        if agency is not None:
            mentions.append(DocNumberMention(agency.start(), match.end(), agency.group(0),
                                             int(match["year"]), int(match["number"])))
    return mentions


def normalise(text: str) -> str | None:
    """The normal form of a 发文字号 written in any bracket style, or None."""
    parsed = parse_line(text)
    return None if parsed is None else str(parsed)
