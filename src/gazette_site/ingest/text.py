"""Character-level facts about Chinese official text, shared by the parsers."""
from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from typing import Iterable

CJK_CHARS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# CJK characters plus the full-width punctuation printed between them.
CJK_LIKE = CJK_CHARS + "\u3000-\u303f\uff00-\uffef\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"

_CJK_LIKE_CLASS = f"[{CJK_LIKE}]"
_WRAP_SPACE = re.compile(rf"(?<={_CJK_LIKE_CLASS})\s+|\s+(?={_CJK_LIKE_CLASS})")
# Single characters set apart by spaces to fill a line: 名 词 解 释, 组 长.
_LETTER_SPACED = re.compile(rf"(?<![{CJK_CHARS}])[{CJK_CHARS}](?: [{CJK_CHARS}])+(?![{CJK_CHARS}])")

# No printed line of a gazette page is this wide: a wider line is a whole paragraph.
PARAGRAPH_LINE_WIDTH = 50
# Punctuation after which a paragraph may end; a chunk ending otherwise
# plainly continues on the next page.
SENTENCE_END = set("。！？；：!?;:）)…")
# The marks that end a sentence and nothing else (a bracket or a colon may close a cell or a heading).
FULL_STOPS = ("。", "；", "！", "？", "!", "?", ";")
CLOSING_QUOTES = set("”’」』》")

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Zero as typeset in dates: 〇, the circle ○, and a Latin (half- or full-width) or Cyrillic capital O typed for it (二OO七).
_ZEROS = "〇○O\uff2fО零"
_CN_YEAR_DIGIT = f"[{_ZEROS}一二三四五六七八九]"
# A year in Chinese numerals, digit by digit: 二〇二三.
CN_YEAR = _CN_YEAR_DIGIT + "{4}"
_CN_SMALL = "[一二三四五六七八九十]"
# A small number in Chinese numerals, as items, issues and months are numbered: 二, 十二.
CN_ITEM_NUMBER = _CN_SMALL + "{1,3}"

# Dates are printed in Arabic (2023年3月29日) or Chinese numerals (二〇〇七年四月九日).
DATE_PATTERN = re.compile(
    r"(?P<year>(?:19|20)\d{2}|" + CN_YEAR + r")\s*年\s*"
    r"(?P<month>\d{1,2}|" + _CN_SMALL + r"{1,2})\s*月\s*"
    r"(?P<day>\d{1,2}|" + _CN_SMALL + r"{1,3})\s*日"
)
MONTH_DAY_PATTERN = re.compile(r"^(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日")
_DATE_LINE = re.compile(rf"^[（(]?\s*{DATE_PATTERN.pattern}\s*[）)]?$")


# Digits and Latin letters typed full-width (２０２３年第１期, ＧＢ): read as the half-width ones every
# pattern expects, and as official documents print them (GB/T 9704 sets Arabic numerals half-width).
_HALFWIDTH_ALPHANUMERICS = str.maketrans({
    chr(code): chr(code - 0xFEE0)
    for first, last in (("０", "９"), ("Ａ", "Ｚ"), ("ａ", "ｚ")) for code in range(ord(first), ord(last) + 1)
})


def halfwidth_alphanumerics(text: str) -> str:
    return text.translate(_HALFWIDTH_ALPHANUMERICS)


_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
# Each pattern begins with the mark itself, so the regex engine skips to the next one quickly;
# the spaces after a mark go with it, as the printed full-width mark has its own.
_HALF_MARK = re.compile(r"[,:;?!][ \t]*")
_HALF_PAIR = re.compile(r"\(([^()\n]*)\)")
_STRICT_CJK = re.compile(f"[{CJK_CHARS}]")
_ENTITY_BEFORE = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{1,7}|#x[0-9a-fA-F]{1,6})$")
_LONGEST_ENTITY = 9  # characters before its semicolon: looked for there only, not from the text's start


def fullwidth_punctuation(text: str) -> str:
    """Half-width , : ; ? ! ( ) inside Chinese sentences as the full-width marks printed there.

    PDF exports often give the half-width forms. A mark is Chinese when a
    Chinese character stands next to it (1,000, 17:30 and http:// stay as
    they are); a pair of brackets when a Chinese character stands inside or
    next to it (新政发(2023)1号 → 新政发（2023）1号, (一) → （一）).
    """
    def pair(match: re.Match[str]) -> str:
        if _STRICT_CJK.search(match[1]) or _chinese_beside(match):
            return f"（{match[1]}）"
        return match.group(0)

    def mark(match: re.Match[str]) -> str:
        if match.group(0)[0] == ";" and _ENTITY_BEFORE.search(match.string, max(0, match.start() - _LONGEST_ENTITY), match.start()):
            return match.group(0)  # the end of an HTML entity (&amp;) a converter wrote, not a mark
        return _HALF_TO_FULL[match.group(0)[0]] if _chinese_beside(match) else match.group(0)

    return _HALF_MARK.sub(mark, _HALF_PAIR.sub(pair, text))


def _chinese_beside(match: re.Match[str]) -> bool:
    text, start, end = match.string, match.start(), match.end()
    return bool(_STRICT_CJK.match(text[start - 1] if start else "") or _STRICT_CJK.match(text[end] if end < len(text) else ""))


def remove_wrap_spaces(text: str) -> str:
    """Drop spaces the PDF put next to Chinese text (line wraps, spacing)."""
    return _WRAP_SPACE.sub("", text.strip())


def collapse_letter_spacing(text: str) -> str:
    """名 词 解 释 → 名词解释; 第一章 总 则 → 第一章 总则."""
    return _LETTER_SPACED.sub(lambda m: m.group(0).replace(" ", ""), text)


# A line justified character by character (a full printed line that held too few characters, as
# ``pdftotext -layout`` gives it: 管 理 工 作 的 通 知 （ 国 办 发 〔 1996 〕 25): at least this many
# pieces, each one character, a number or a run of leaders, with gaps of about one width.
_MIN_JUSTIFIED_PIECES = 8
_JUSTIFIED_PIECE = re.compile(r"^(?:.|\d+|[…⋯.．·_—]+)$")
_GAP = re.compile(r"\s+")


def collapse_justified(text: str) -> str:
    """A line spread character by character to its full width, without the spread (its indent kept);
    other lines as they are. Gaps between words (names in a list: 张 三　　李 四) differ in width."""
    if text.count(" ") < _MIN_JUSTIFIED_PIECES - 1:  # most lines: too few gaps, told without splitting
        return text
    body = text.lstrip()
    pieces = body.split()
    if len(pieces) < _MIN_JUSTIFIED_PIECES or not all(_JUSTIFIED_PIECE.match(piece) for piece in pieces):
        return text
    gaps = [len(gap) for gap in _GAP.findall(body.rstrip())]
    if max(gaps) >= 2 * min(gaps):
        return text
    return text[:len(text) - len(body)] + "".join(pieces)


def is_letter_spaced(text: str) -> bool:
    """目 录, 总 则: a heading set apart character by character, whole on its line."""
    return _LETTER_SPACED.fullmatch(text.strip()) is not None


def squash(text: str) -> str:
    """Text with every whitespace character removed (for comparisons)."""
    # str.split() splits at exactly the characters \s matches, without the regex machinery.
    return "".join(text.split())


_NARROW = re.compile("[\x00-\u1fff]")

# The word a gazette's name ends with: 新洲区人民政府公报, and the older 政报 of several provinces
# (山西政报, 天津政报), never the 政报 of 财政报告, 行政报表.
_GAZETTE_WORD = "公报|(?<![财行])政报(?![告表])"
GAZETTE_WORD = re.compile(_GAZETTE_WORD)
_GAZETTE_NAME = re.compile(f"(?:{_GAZETTE_WORD})$")


def names_gazette(text: str) -> bool:
    """The text says 公报 or 政报, as a running head or a cover naming the gazette does."""
    return GAZETTE_WORD.search(text) is not None


def is_gazette_name(squashed: str) -> bool:
    """The text (squashed) ends as a gazette's name ends."""
    return _GAZETTE_NAME.search(squashed) is not None


# 组　长：韩　正　　国务院副总理 / 　　　　李干杰　　生态环境部部长: an entry of a name list, a name
# set apart from an office by a gap of two full-width spaces or more (three of a converter's).
_LIST_GAP = re.compile(r"\S(?:\u3000{2,}|\s{3,})\S")
# …or by one full-width space, where the office ends as an office does (成　员：马春雷　市政府副秘书长、
# 市发展改革委主任 / 黄　融　市政府副秘书长): a name of two or three characters, spaced or not, after its role.
_NAME_AND_OFFICE = re.compile(
    r"^(?:[\u4e00-\u9fff](?:\u3000?[\u4e00-\u9fff]){1,4}\s*[：:]\s*)?"
    r"[\u4e00-\u9fff](?:[\u4e00-\u9fff]{1,2}|\u3000[\u4e00-\u9fff])\u3000(?=\S)"
    r".*(?:主任|秘书长|书记|长|委员|主席|负责人|同志|成员|专员|员|经理|总监|总师|师|政委)(?:（[^）]*）)?$"
)
_MAX_LIST_ENTRY_WIDTH = 60


def is_list_entry(text: str) -> bool:
    """A line of a name list (members of a group, 任免名单): each entry a printed line of its own."""
    return (width(text) <= _MAX_LIST_ENTRY_WIDTH and not ends_sentence(text)
            and (_LIST_GAP.search(text) is not None or _NAME_AND_OFFICE.match(text.strip()) is not None))


def width(text: str) -> float:
    """Printed width in Chinese character cells (Latin letters and digits count half)."""
    stripped = text.strip()
    return len(stripped) - 0.5 * len(_NARROW.findall(stripped))


# Compiled with the module: compiling a class of this many code points takes milliseconds.
_CJK_LIKE_CHAR = re.compile(_CJK_LIKE_CLASS)


def is_cjk(ch: str) -> bool:
    return bool(ch) and _CJK_LIKE_CHAR.match(ch) is not None


def ends_sentence(text: str) -> bool:
    stripped = text.rstrip()
    while stripped and stripped[-1] in CLOSING_QUOTES:
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in SENTENCE_END


def join_wrapped(left: str, right: str) -> str:
    """Join two pieces of one line of text cut by a line or page break: with a space between Latin
    words only (a number a justified line cut, 2 / 023, is one number)."""
    left, right = left.rstrip(), right.lstrip()
    if not left or not right or is_cjk(left[-1]) or is_cjk(right[0]) or (left[-1].isdigit() and right[0].isdigit()):
        return left + right
    return f"{left} {right}"


def bracket_balance(text: str) -> int:
    """Round brackets and 《》 opened and not closed in the text (below zero: it closes some opened
    before it)."""
    return sum(text.count(mark) for mark in "（(《") - sum(text.count(mark) for mark in "）)》")


def comparable_title(text: str) -> str:
    """A title as a 目录 and a document's head are compared: whitespace, width and the quotes round it
    do not count, nor whether a quote inside a quote is set 〈…〉 (《…〈…〉的决定》 quotes …《…》的决定)."""
    return unicodedata.normalize("NFKC", squash(text)).translate(_INNER_QUOTES).strip("《》“”\"")


_INNER_QUOTES = str.maketrans("〈〉", "《》")


def join_lines(lines: Iterable[str]) -> str:
    """The printed lines of one title (or heading) as one line; a pair of half-width brackets the wrap
    cut is read as the full-width pair printed there, as one on a line is (``fullwidth_punctuation``)."""
    return fullwidth_punctuation(remove_wrap_spaces(functools.reduce(join_wrapped, lines, "")))


def date_number(text: str) -> int | None:
    """2023 → 2023; 二〇〇七 → 2007 (digit by digit); 二十九 → 29."""
    if text.isdigit():
        return int(text)
    digits = "".join("〇" if ch in _ZEROS else ch for ch in text)
    return chinese_numeral(digits)


def date_from_match(match: re.Match[str]) -> tuple[dt.date | None, str | None]:
    year, month, day = (date_number(match[k]) for k in ("year", "month", "day"))
    try:
        return dt.date(year, month, day), None
    except (TypeError, ValueError):
        return None, f"{match.group(0)} 不是有效的日期"


def parse_date(text: str) -> tuple[dt.date | None, str | None]:
    """The first date in text: (date, None), (None, error) or (None, None)."""
    match = DATE_PATTERN.search(text)
    if match is None:
        return None, None
    return date_from_match(match)


def is_date_line(text: str) -> bool:
    return _DATE_LINE.match(squash(text)) is not None


def is_dated_note(text: str) -> bool:
    """（2023年5月1日区人民政府第30次常务会议审议通过）printed under a title."""
    stripped = squash(text)
    return (
        stripped[:1] in "(（"
        and stripped[-1:] in ")）"
        and width(stripped) <= 80
        and DATE_PATTERN.search(stripped) is not None
    )


def chinese_numeral(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十三 → 23 (numbering of chapters, articles)."""
    if not text:
        return None
    if all(ch in _CN_DIGITS for ch in text):
        value = 0
        for ch in text:
            value = value * 10 + _CN_DIGITS[ch]
        return value
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current
