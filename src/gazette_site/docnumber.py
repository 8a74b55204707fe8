"""发文字号 (document numbers): recognising, normalising, and deriving ids.

Printed forms vary: 新政发〔2023〕1号, 新政发[2023]1号, 新政发（2023）1号,
新政发【2023】1号, 政府令〔2010〕第15号, decrees numbered without a year
(湖北省人民政府令第350号), and 公告, 通告 and 部令 numbered by year without
brackets (国家税务总局公告2018年第7号, 交通运输部令2016年第82号). The archive
stores one normal form, with 〔〕 and any 第 kept as printed (a number printed
with 年 keeps its 年: citations print it so), and derives
the permanent id from it, so every other stage calls this module instead of
matching brackets itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# ﹝﹞ is what word processors often set for 〔〕.
OPEN_BRACKETS = "〔﹝[［【(（{｛"
CLOSE_BRACKETS = "〕﹞]］】)）}｝"

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
# Decrees (令) are numbered in one series across years: 湖北省人民政府令第350号; a ministry's
# name in full is long (中华人民共和国国家发展和改革委员会令第31号).
_DECREE_LINE = re.compile(rf"^(?P<agency>[{_CJK}]{{1,24}}令)\s*第\s*(?P<number>\d{{1,5}})\s*号$")
# 公告, 通告 and 部令 numbered in a series per year: 国家税务总局公告2018年第7号.
_SERIES_KINDS = ("令", "公告", "通告")
_SERIES_KIND = f"(?:{'|'.join(_SERIES_KINDS)})"
_YEAR_SERIES_LINE = re.compile(
    rf"^(?P<agency>[{_CJK}]{{1,24}}{_SERIES_KIND})\s*{_YEAR}\s*年\s*第\s*(?P<number>\d{{1,5}})\s*号$"
)
_LINE_ENDINGS = ("号", *CLOSE_BRACKETS)


@dataclass(frozen=True)
class DocNumber:
    agency: str
    year: int | None  # None for a decree series numbered across years
    number: int
    # 第 and leading zeros (068号) as printed: part of the normal form, not of the
    # identity, so that a citation printed without them still finds the document.
    ordinal: bool = field(default=False, compare=False)
    digits: str = field(default="", compare=False)
    year_series: bool = field(default=False, compare=False)  # printed 2018年第7号, not 〔2018〕7号

    def __str__(self) -> str:
        number = f"{'第' if self.ordinal else ''}{self.digits or self.number}号"
        if self.year is None:
            return f"{self.agency}{number}"
        return f"{self.agency}{self.year}年{number}" if self.year_series else f"{self.agency}〔{self.year}〕{number}"

    @property
    def id(self) -> str:
        """Permanent document id: full pinyin of the agency code, year, number."""
        if self.year is None:
            return f"{agency_slug(self.agency)}-{self.number}"
        return f"{agency_slug(self.agency)}-{self.year}-{self.number}"

    @property
    def sort_key(self) -> tuple[int, int]:
        return self.year or 0, self.number


@dataclass(frozen=True)
class DocNumberMention:
    start: int
    end: int
    agency_run: str
    year: int | None  # None for a decree numbered across years
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
    squashed = "".join(text.split())
    match = _WHOLE_LINE.match(squashed)
    if match is not None:
        return DocNumber(match["agency"], int(match["year"]), int(match["number"]), _has_ordinal(match), match["number"])
    match = _DECREE_LINE.match(squashed)
    if match is not None:
        return DocNumber(match["agency"], None, int(match["number"]), True, match["number"])
    match = _YEAR_SERIES_LINE.match(squashed)
    if match is not None:
        return DocNumber(match["agency"], int(match["year"]), int(match["number"]), True, match["number"], year_series=True)
    return None


def _has_ordinal(match: re.Match[str]) -> bool:
    return "第" in match.string[match.end("year"):match.start("number")]


# The bracketed year and the number, without the agency: matched first because
# a pattern starting with a run of Chinese characters would be tried at every
# position of a long body. It starts at the bracket, not at the spaces the
# printed form may have before it, so the regex engine can skip ahead to the
# next bracket instead of trying every position.
_YEAR_AND_NUMBER = re.compile(
    rf"[{re.escape(OPEN_BRACKETS)}]\s*{_YEAR}\s*[{re.escape(CLOSE_BRACKETS)}]\s*{_NUMBER}"
)
_AGENCY_BEFORE = re.compile(rf"[{_CJK}]{{1,12}}$")
# 国家税务总局公告2018年第31号, 交通运输部令2016年第82号 (numbered by year without brackets) and
# 湖北省人民政府令第350号 (one series across years): from the 年 or the 令, for the same reason.
_YEAR_SERIES_NUMBER = re.compile(rf"{_YEAR}\s*年\s*第\s*(?P<number>\d{{1,5}})\s*号")
_SERIES_AGENCY_BEFORE = re.compile(rf"[{_CJK}]{{0,24}}{_SERIES_KIND}$")
_DECREE_NUMBER = re.compile(r"令\s*第\s*(?P<number>\d{1,5})\s*号")
_DECREE_AGENCY_BEFORE = re.compile(rf"[{_CJK}]{{1,24}}$")


def find_mentions(text: str) -> list[DocNumberMention]:
    """Every 发文字号 printed in ``text``, in order; the agency run may begin with other words."""
    mentions = _bracketed_mentions(text)
    if "第" in text:  # most text has neither kind of series
        mentions += _series_mentions(text, _YEAR_SERIES_NUMBER, _SERIES_AGENCY_BEFORE, with_year=True)
        mentions += _series_mentions(text, _DECREE_NUMBER, _DECREE_AGENCY_BEFORE, with_year=False)
        mentions.sort(key=lambda mention: mention.start)
    return mentions


def _bracketed_mentions(text: str) -> list[DocNumberMention]:
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


def _series_mentions(text: str, number: re.Pattern[str], agency_before: re.Pattern[str],
                     with_year: bool) -> list[DocNumberMention]:
    """Mentions numbered in a series: ``number`` matched from its 年 or 令, the agency run right before
    it (for a decree, the 令 is the agency's last character)."""
    mentions = []
    for match in number.finditer(text):
        start = match.start()
        while start > 0 and text[start - 1].isspace():  # 国家税务总局公告 2018 年第 62 号
            start -= 1
        agency = agency_before.search(text, max(0, start - 24), start)
        if agency is None:
            continue
        run = agency.group(0) if with_year else agency.group(0) + "令"
        if run in _SERIES_KINDS:  # no agency at all
            continue
        mentions.append(DocNumberMention(agency.start(), match.end(), run,
                                         int(match["year"]) if with_year else None, int(match["number"])))
    return mentions
