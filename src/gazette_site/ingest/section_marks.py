"""Section markers (栏目), in whatever decoration the gazette prints them.

``◆ 区级文件选登 ◆``, ``【市政府文件】``, ``■ 市政府文件``, ``—— 区政府文件 ——``,
letter-spaced ``省 政 府 令`` and a bare ``大事记`` all name a section. Decorated
lines are markers by their decoration; a bare line only by its shape (a short
name ending the way section names end) or because the 目录 or the settings
name it.
"""
from __future__ import annotations

import re

from .. import docnumber
from .source import Block
from .text import CN_ITEM_NUMBER, squash

DECORATION = "◆◇■□●○★☆▲△▼▽◎※【】〖〗［］[]『』「」〈〉<>〓▌▐▶▷►—–-－─━═·•*＊#"
# A section's number before its name: 一、区政府文件, 第一部分　区政府文件.
_NUMBERING = re.compile(rf"^(?:{CN_ITEM_NUMBER}[、.．]|第{CN_ITEM_NUMBER}部分)")
# How section names end, for bare lines (省政府令, 市政府办公室文件, 县（市、区）文件选登, 大事记).
SECTION_ENDINGS = (
    "文件", "令", "选登", "大事记", "人事任免", "任免", "简讯", "解读", "动态", "要闻", "规章",
    "规范性文件", "公告", "通告",
)
# How the heads printed over a 发文字号 end: of a decree, of a numbered 公告; and a 发文机关标志,
# which names its organ with the place (武汉市人民政府文件; 市政府文件 is a section).
_HEAD_ENDINGS = ("令", "公告", "通告")
MIN_ISSUER_MARK = 6
_MIN_BARE_NAME = 3
_MAX_BARE_NAME = 10
_MAX_DECORATED_NAME = 16
_NOT_A_NAME = re.compile(r"[，。：:；;！？!?\d〔〕《》“”\"]")


def marker_name(text: str) -> tuple[str, bool]:
    """(the name without decoration, numbering and spaces, whether it was decorated).

    A marker's decoration leads (■ 市政府文件, 【市政府文件】, ◆ 区级文件选登 ◆): a mark
    after a name alone is a note's (a table's 证数量● with ●表示自创指标 under it)."""
    squashed = squash(text)
    name = squashed.strip(DECORATION)
    decorated = name != squashed and squashed[0] in DECORATION
    numbered = _NUMBERING.match(name)
    return (name[numbered.end():].strip(DECORATION) if numbered else name), decorated


def is_section_like(name: str, decorated: bool) -> bool:
    """Whether a name could be a section's, by its shape alone."""
    if len(name) < 2 or _NOT_A_NAME.search(name) or "关于" in name:
        return False
    if decorated:
        return len(name) <= _MAX_DECORATED_NAME
    # a bare ending is no name (文件, a table's cell read alone): 大事记 is one, 区政府文件 another
    return _MIN_BARE_NAME <= len(name) <= _MAX_BARE_NAME and name.endswith(SECTION_ENDINGS)


def section_marker(block: Block, known: set[str], following: Block | None = None) -> str | None:
    """The section a one-line block announces, if it is a marker.

    A bare line followed by a 发文字号 is the 发文机关标志 (…人民政府文件) or the
    head of a decree (…人民政府令, …公告), however much it looks like a section name;
    a name that cannot head a document (他山之石) is the section's even there.
    """
    if not block.is_single_line:
        return None
    name, decorated = marker_name(block.text)
    if not decorated and following is not None and is_number_line(following) and _could_head(name) and name not in known:
        return None
    if name in known or is_section_like(name, decorated):
        return name
    return None


# 第220号, 〔2010〕第5号, and 2018年第7号 under a 公告 numbered by year.
_DECREE_NUMBER = re.compile(r"^[〔\[［【(（]?\s*(?:(?:19|20)\d{2}\s*[〕\]］】)）年]\s*)?第\s*\d{1,5}\s*号[)）]?$")


def _could_head(name: str) -> bool:
    return name.endswith(_HEAD_ENDINGS) or (name.endswith("文件") and len(name) >= MIN_ISSUER_MARK)


def is_number_line(block: Block) -> bool:
    """A 发文字号, or the number printed under the head of a decree or 公告 (〔2010〕第5号, 第220号, 2018年第7号)."""
    return block.is_single_line and (
        docnumber.parse_line(block.text) is not None or _DECREE_NUMBER.match(block.squashed) is not None
    )
