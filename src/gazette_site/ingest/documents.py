"""Official documents (公文), parsed by the structure of GB/T 9704-2012.

发文机关标志 · 发文字号 · 标题 · 主送机关 · 正文 · 附件说明 · 发文机关署名 ·
成文日期 · then what the notice prints: an enclosed document (印发的方案、
报告…) and/or 附件 1…n. Nothing here knows the strings of a particular issue.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field

from .. import docnumber
from . import elements as el
from .draft import Context, Draft, expand_issuer
from .section_marks import MIN_ISSUER_MARK, is_number_line
from .source import Block
from .text import (
    CN_ITEM_NUMBER,
    DATE_PATTERN,
    bracket_balance,
    chinese_numeral,
    collapse_letter_spacing,
    date_from_match,
    ends_sentence,
    is_date_line,
    is_dated_note,
    is_letter_spaced,
    join_lines,
    join_wrapped,
    parse_date,
    remove_wrap_spaces,
    squash,
    width,
)

# Words a document title ends with (文种 and the kinds of enclosed papers).
TITLE_ENDINGS = (
    "通知", "通报", "决定", "意见", "批复", "办法", "规定", "细则", "方案", "报告", "请示", "函", "纪要",
    "公告", "通告", "命令", "令", "决议", "议案", "规划", "计划", "要点", "条例", "规则", "名单", "答复",
    "清单", "表", "制度", "标准", "章程", "纲要", "指引", "指南", "守则", "目录", "解读",
    "预案",
)
ORG_SUFFIXES = (
    "政府", "办公室", "委员会", "委", "局", "厅", "院", "会", "处", "部", "中心", "公司", "办", "所", "站",
    "社", "队", "室", "团", "联", "党组", "小组", "专班", "政协", "人大",
    # 行政公署 (行署) of a 地区 or 盟, 海关总署, 审计署; not any 署 (工作部署)
    "公署", "行署", "总署", "审计署",
)
# The words before the colon of a sentence opening the text (经研究，决定：; any with 如下, below),
# never the end of a 主送机关, which names organs.
_ANNOUNCING = ("决定", "通知", "公告", "通告", "批复", "要求")
# The verbs of a notice that prints a paper after it (转发…的通知 and its title).
_ENCLOSING_VERBS = ("转发", "印发", "批转")
# What a document announces it prints after its signature: an enclosed paper or a list.
# 现将《…的意见》发给你们 encloses the paper it names, whatever its verb.
_ENCLOSING = re.compile("|".join((*_ENCLOSING_VERBS, "现予公布", "现予发布", "予以公布", "附后", "附件", "发给你们",
                                  "下发给", "现将《")))
# 文种 of a document of its own (an enclosed paper is a 方案, 办法, 名单…).
_DOCUMENT_KINDS = ("通知", "通报", "决定", "意见", "批复", "公告", "通告", "函", "令", "决议", "纪要")
_PUNCTUATION = re.compile(r"[，。：、,:;；！？!?]")
# An attachment's number: 2, 二, （二）.
_ATTACHMENT_NUMBER = rf"(?P<number>\d{{1,2}})|[（(]?(?P<cn>{CN_ITEM_NUMBER})[）)]?"
_ATTACHMENT_MARKER = re.compile(rf"^附件(?:{_ATTACHMENT_NUMBER})?[:：]?$")
# 附件2 新洲区农村公路管理责任单位名单, 附件二：…: the number and the title on one line (a number in
# Chinese numerals set apart from the title, which may begin with one: 附件 一览表).
_ATTACHMENT_WITH_TITLE = re.compile(
    rf"^附件(?:\s*(?P<number>\d{{1,2}})\s*[:：]?\s*|\s*[（(]?(?P<cn>{CN_ITEM_NUMBER})[）)]?(?:\s*[:：]\s*|\s+)|\s+)"
    r"(?P<title>[^\d\s.．、:：].*)$"
)
# An item of the 附件说明 on a line of its own: 2. …, 二、…
_NOTE_CONTINUATION = re.compile(rf"^(?:\d{{1,2}}\s*[.．、]|{CN_ITEM_NUMBER}、)")
# 省长 陈全国, 总理 李鹏, 住房城乡建设部部长 王蒙徽: the signature of a decree (令), a title
# (a ministry's signs with its organ's name before it) and a name; matched without the spaces a
# gazette sets in both (部　长　　陈　竺, 市　长), and the title alone where a copy left the name out.
_OFFICIAL_SIGNATURE = re.compile(
    r"^[\u4e00-\u9fff]{0,20}?(?:代理)?(?:总理|省长|市长|区长|县长|州长|盟长|旗长|主席|主任|局长|厅长|部长|署长|行长)"
    r"(?:[\u4e00-\u9fff·]{2,5})?$"
)
# 马万祺副主席：, 王超斌委员：, 石英代表：: a 复函 or the 答复 to a 建议/提案 addressed to a person by
# name and office (the other way round from a signature).
_PERSON_ADDRESSED = re.compile(
    r"^[\u4e00-\u9fff·]{2,5}?(?:副)?(?:总理|主席|委员长|省长|市长|部长|主任|委员|代表|同志|先生|女士)[:：]$"
)
_PROMULGATED = re.compile(r"《(?P<name>[^》]{2,80})》")
# 《…关于修改〈…办法〉的决定》: the title printed on its own has 《》 where the quotation has 〈〉.
_INNER_QUOTES = str.maketrans("〈〉", "《》")
# 广东省人民政府令第142号 inside a note; the organ's name cannot hold the 年月日 of the date before it.
_DECREE_MENTION = re.compile(r"(?:(?![年月日])[\u4e00-\u9fff]){2,14}令第\d{1,5}号")
# The head printed over a number: of a decree (…令), of a 公告 or 通告 numbered by year (国家税务总局公告 / 2018年第7号).
_DECREE_HEAD = re.compile(r"^(?P<organ>[\u4e00-\u9fff（）()]{2,24}?)(?P<kind>令|公告|通告)(?P<number>.*)$")
_ATTACHMENT_NOTE = re.compile(r"^附\s*件\s*[:：]\s*(?P<rest>.+)$", re.S)
_NOTE_ITEM = re.compile(rf"(?:^|\s)(\d{{1,2}}(?=\s*[.．、])|{CN_ITEM_NUMBER}(?=、))\s*[.．、]\s*")
_GLOSSARY_HEADING = "名词解释"
_GLOSSARY_ENTRY = re.compile(r"^(?P<number>\d{1,3})\s*、\s*(?P<rest>.+)$", re.S)
# 附注 printed under the date (GB/T 9704 7.3.6): （此件公开发布）, （此件不予公开）.
_REMARK = re.compile(r"^[（(][^（()）]{2,16}[）)]$")
# The 版记 closing a document (GB/T 9704 7.4): 抄送 and the organ that printed it, with the date.
_COLOPHON = re.compile(r"^(?:抄送|抄报|主题词|发送)[:：]|\d{1,2}日印发$|^[（(]共印\d{1,5}份[）)]$")
_MAX_TITLE_BLOCKS = 4
# 目录, 总则: a word set apart letter by letter as a heading, never the end of a title.
_MAX_HEADING_WORD = 2
# A 主送机关 of more than two lines: at most this many lines of names at most this wide (a 批复 to
# every member of a joint meeting names thirty organs and more: nine lines of a printed page).
MAX_ADDRESSEE_LINES = 12
_MAX_LISTED_NAME = 16
_LIST_SEPARATOR = re.compile(r"[、，,；;]")
# 河北 of 河北省人民政府 and 河北省…规定: the shortest place name an organ and a title share.
_MIN_SHARED_PLACE = 2
_MAX_SIGNATURE_LINES = 3


# ---------------------------------------------------------------- recognisers

def is_issuer_mark(block: Block) -> bool:
    """发文机关标志: 武汉市新洲区人民政府文件 (one or more organs, then 文件)."""
    text = block.squashed
    return (
        text.endswith("文件")
        and MIN_ISSUER_MARK <= len(text) <= 80
        and not _PUNCTUATION.search(text)
        and text[:-2].endswith(ORG_SUFFIXES)
    )


def is_doc_number(block: Block) -> bool:
    return block.is_single_line and docnumber.parse_line(block.text) is not None


def looks_like_title(text: str) -> bool:
    stripped = squash(text)
    # cheapest test first: this runs on every block of a section
    return (
        stripped.endswith(TITLE_ENDINGS)
        and "。" not in stripped
        and not ends_sentence(stripped)
        and 0 < width(stripped) <= 90
    )


def is_org_name(text: str) -> bool:
    stripped = squash(text)
    return 0 < width(stripped) <= 40 and not _PUNCTUATION.search(stripped) and stripped.endswith(ORG_SUFFIXES)


def is_addressee(block: Block) -> bool:
    """主送机关: 各…：, possibly wrapped onto a second line; a longer one only a list of names."""
    text = block.squashed
    return (
        text.endswith((":", "："))
        and (len(block.lines) <= 2 and width(text) <= 120 or _is_name_list(block))
        and "。" not in text
        and not text[:-1].endswith(_ANNOUNCING)
        # 现将有关事项公告如下：, 对《…》作如下修改：: the sentence opening a text; organs are never quoted
        and "如下" not in text
        and "《" not in text
        and (text.startswith("各") or "、" in text or "，" in text or "," in text or is_org_name(text[:-1])
             or _PERSON_ADDRESSED.match(text) is not None)
    )


def _is_name_list(block: Block) -> bool:
    """北京市、天津市、…甘肃省人民政府，沈阳、北京、…广州军区： wrapped over many lines: names of
    places and organs between the commas, never the clauses of a sentence."""
    parts = _LIST_SEPARATOR.split(block.squashed[:-1])
    return len(block.lines) <= MAX_ADDRESSEE_LINES and all(0 < width(part) <= _MAX_LISTED_NAME for part in parts)


def attachment_marker(block: Block) -> int | None:
    """附件 / 附件 2 alone on a line, or 附件2 followed by its title: the number (0 when unnumbered)."""
    first = block.lines[0].stripped
    if block.is_single_line and (match := _ATTACHMENT_MARKER.match(block.squashed)):
        return _attachment_number(match)
    match = _ATTACHMENT_WITH_TITLE.match(first)
    if match and not ends_sentence(first) and width(first) <= 60:
        return _attachment_number(match)
    return None


def _attachment_number(match: re.Match[str]) -> int:
    """The marker's number, in Arabic or Chinese numerals; 0 when it prints none."""
    if match["number"]:
        return int(match["number"])
    return (chinese_numeral(match["cn"]) or 0) if match["cn"] else 0


def is_decree_head(block: Block, following: Block | None) -> bool:
    """河北省人民政府令 over its number (〔2010〕第5号, 第220号), or both on one line;
    国家税务总局公告 over 2018年第7号."""
    if not block.is_single_line or ("令" not in block.squashed and not block.squashed.endswith(("公告", "通告"))):
        return False
    number = docnumber.parse_line(block.text)
    if number is not None:
        return number.agency.endswith("令")
    match = _DECREE_HEAD.match(block.squashed)
    return (
        match is not None
        and not match["number"]
        and following is not None
        and is_number_line(following)
    )


def document_starts(blocks: list[Block], forced: set[int] = frozenset()) -> list[int]:
    """Indexes of the blocks where a new document begins."""
    starts: list[int] = []
    covered: set[int] = set()  # 发文字号 blocks printed under a title that already started a document
    for index, block in enumerate(blocks):
        previous = blocks[index - 1] if index else None
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        free = not starts or starts[-1] < index  # not already inside the header of the last start
        if block.first in forced:
            starts.append(index)
        elif is_issuer_mark(block) or (is_decree_head(block, following) and not (previous and is_issuer_mark(previous))):
            if free:
                starts.append(index)
        elif is_doc_number(block) and index not in covered and not (
                previous and (is_issuer_mark(previous) or is_decree_head(previous, block))):
            # 标题 printed above its 发文字号: the document starts at the title.
            start = title_start(blocks, index, starts)
            if not starts or starts[-1] < start:
                starts.append(start)
        # (these recognisers squash their text first: the block's squashed text saves that pass)
        elif (
            looks_like_title(block.squashed)
            and following is not None
            and is_dated_note(following.squashed)
            and free
            # right after a signature it is the paper the notice encloses, unless the note gives its own 发文字号
            and (not (previous and is_date_line(previous.lines[-1].stripped)) or _note_number(following.text))
        ):
            start = title_start(blocks, index + 1, starts)
            if not starts or starts[-1] < start:
                starts.append(start)
            after = index + 1
            while after < len(blocks) and is_dated_note(blocks[after].squashed):
                after += 1
            covered.add(after)
        elif free and previous is not None and not _header_follows(following) and _follows_unenclosing_document(blocks, index, starts):
            # 柞村镇关于停办寒同山枫叶节的公告 right after the date of a notice enclosing nothing
            starts.append(index)
        elif looks_like_title(block.squashed) and following is not None and is_addressee(following) and free:
            # a document with neither 版头 nor 发文字号: its title, then the 主送机关
            start = title_start(blocks, index + 1, starts)
            opener = blocks[start - 1] if start else None
            in_header = opener is not None and (is_doc_number(opener) or is_issuer_mark(opener) or is_dated_note(opener.squashed))
            if not in_header and (not starts or starts[-1] < start):
                starts.append(start)
                if index + 2 < len(blocks) and is_doc_number(blocks[index + 2]):
                    covered.add(index + 2)  # its 发文字号, read after the 主送机关 (see parse_header)
    return starts


def _header_follows(block: Block | None) -> bool:
    """A 发文字号, a note or a 主送机关 under a title: the branches reading those start the document."""
    return block is not None and (is_doc_number(block) or is_dated_note(block.squashed) or is_addressee(block))


def _follows_unenclosing_document(blocks: list[Block], index: int, starts: list[int]) -> bool:
    """A 公文's own title (关于…, …公告) printed after the date closing a document that prints no
    paper after it: the notice above neither 印发s, 转发s nor 公布s anything, nor has it 附后."""
    title = blocks[index].squashed
    if not looks_like_title(title) or not ("关于" in title or title.endswith(_DOCUMENT_KINDS)):
        return False
    closing = index - 1
    while closing > 0 and _REMARK.match(blocks[closing].squashed):
        closing -= 1
    if not is_date_line(blocks[closing].lines[-1].stripped):
        return False
    notice = "".join(block.squashed for block in blocks[(starts[-1] if starts else 0):closing])
    return _ENCLOSING.search(notice) is None


def title_start(blocks: list[Block], index: int, starts: list[int]) -> int:
    """Where the title printed above blocks[index] begins: a title wraps over blocks, and
    may begin with the issuer on a line of its own (北京市人民政府 / 关于…的通知)."""
    floor = starts[-1] + 1 if starts else 0
    # （二〇〇八年十月二十九日） may stand between the title and the 发文字号
    while index - 1 >= floor and is_dated_note(blocks[index - 1].squashed):
        index -= 1
    start = index
    while start - 1 >= floor and index - start < _MAX_TITLE_BLOCKS:
        candidate = blocks[start - 1]
        title_so_far = "".join(b.squashed for b in blocks[start:index])
        if start == index:
            if not looks_like_title(candidate.squashed):
                break
        elif not _title_head(candidate, title_so_far):
            break
        start -= 1
    return start


def _title_head(block: Block, title: str) -> bool:
    """A block that begins the title above it: the issuer alone, or the first half of a wrapped title."""
    text = block.squashed
    # 国务院办公厅、中央军委办公厅 / 关于…: joint issuers alone on the line
    organs = all(is_org_name(part) for part in text.split("、"))
    # 国务院、中央军委关于…, …关于广东与香港、澳门合建: a title's first line may enumerate with 、
    # and a line above a title's tail (及…的通知), which no title begins with, is its middle: 和市委、市政府…
    listed = text.replace("、", "") if "关于" in text or organs or title.startswith(_TITLE_TAIL_OPENINGS) else text
    # one line, or the lines of a bracket left open at a line's end (…关于印发《东阳市促 / 进…方案》)
    lines = len(block.lines)
    if lines > 1 and not (bracket_balance(block.lines[0].text) > 0 and bracket_balance(text) == 0):
        return False
    if _PUNCTUATION.search(listed) or is_date_line(text) or width(text) > 40 * lines:
        return False
    if _REMARK.match(text) or bracket_balance(text) < 0:
        # （本文有删减）, （此件公开发布）: the 附注 closing the document above, never half a title;
        # nor the end of a paragraph's bracket above it (…（牵头部门： / 市发改委）)
        return False
    if title.startswith("关于"):
        # 北京市人民政府 / 关于…的通知; 鹤岗市人民政府 鹤岗市中级人民法院印发 / 关于…的意见的通知
        return organs or (text.endswith(_ENCLOSING_VERBS) and is_org_name(text[:-2]))
    if _organ_over_own_title(block, title):
        return True
    # …人民政府关于加强 / 基层治理体系建设的意见; 印发广东省行政过错责任追究 / 暂行办法的通知
    if "关于" in text:
        return "关于" not in title
    # 国务院办公厅对十届全国人大 / 四次会议第2996号建议的答复: the issuer, then 对 what it answers
    issuer, answering, _ = text.partition("对")
    if answering and is_org_name(issuer):
        return True
    return not text.endswith(TITLE_ENDINGS) and not is_org_name(text) and not is_number_line(block)


def _organ_over_own_title(block: Block, title: str) -> bool:
    """An organ printed alone over a title that does not open with 关于/印发… stands for the
    发文机关标志, no part of the title: 浠水县人民政府 / 县人民政府关于…的通知 (the title names
    its organ again), 河北省人民政府 / 河北省人工影响天气管理规定 (a regulation of its place).
    A list of organs ending the document above names other organs, or other places."""
    organ = block.squashed
    if not block.is_single_line or not is_org_name(organ) or _TITLE_VERB.match(title):
        return False
    named = _title_issuer(title)
    if named:
        return organ.endswith(named[0])
    return len(os.path.commonprefix([organ, title])) >= _MIN_SHARED_PLACE


# ---------------------------------------------------------------- the header

@dataclass
class Header:
    doc_number: docnumber.DocNumber | None = None
    doc_number_line: int | None = None
    mark_issuer: list[str] = field(default_factory=list)  # organs of the 发文机关标志 or the decree's head
    note_date: dt.date | None = None  # from （冀政函〔2010〕57号　2010年4月23日） under the title
    title: str = ""
    title_line: int = 0
    title_guessed: bool = False
    addressee: str | None = None
    body_start: int = 0  # index of the first block after the header
    leading: list[Block] = field(default_factory=list)  # printed header lines kept in the body


# What no title begins with: a line opening so finishes the title above (…实施细则 / 及文种式样的通知).
_TITLE_TAIL_OPENINGS = ("的", "及", "和", "与", "暨", "并")


def _title_continues(title: str, block: Block) -> bool:
    text = block.squashed
    return (
        (not title.endswith(TITLE_ENDINGS) or (text.startswith(_TITLE_TAIL_OPENINGS) and text.endswith(TITLE_ENDINGS)))
        # 目 录 under an enclosed paper's title is none of it; 几 个 问 题 的 通 知 ends the title
        and (not is_letter_spaced(block.text) or (len(text) > _MAX_HEADING_WORD and text.endswith(TITLE_ENDINGS)))
        and width(text) <= 40
        # (a title names organs with 、 in the middle of its lines: …和市委、市政府重点工作涉)
        and not _PUNCTUATION.search(text.rstrip("”》").replace("、", ""))
        and not is_doc_number(block)
        # 一、优秀单位 under an enclosed paper's title is its first heading (and 、 is no punctuation above)
        and el.heading_depth(text) is None
    )


def parse_header(blocks: list[Block]) -> Header:
    header = Header()
    index = 0
    if blocks and is_issuer_mark(blocks[0]):
        header.mark_issuer = _mark_organs(blocks[0])
        index = 1
    elif blocks and is_decree_head(blocks[0], blocks[1] if len(blocks) > 1 else None):
        return _decree_header(blocks)
    index = _take_doc_number(blocks, index, header)
    if (not header.mark_issuer and index + 1 < len(blocks) and looks_like_title(blocks[index + 1].squashed)
            and _organ_over_own_title(blocks[index], blocks[index + 1].squashed)):
        # only over a title: over another organ line it is text, kept
        header.mark_issuer = [blocks[index].squashed]
        index += 1
    title_blocks: list[Block] = []
    while index < len(blocks) and len(title_blocks) < _MAX_TITLE_BLOCKS:
        block = blocks[index]
        title = "".join(b.squashed for b in title_blocks)
        if is_addressee(block) or is_doc_number(block):
            break
        if title_blocks and not _title_continues(title, block):
            break
        # (a title's first lines may end a book title: …印发《…方案（2023—2025年）》 / 的通知)
        if not title_blocks and ((ends_sentence(block.text) and not block.text.rstrip().endswith("》"))
                                 or width(block.text) > 90):
            break
        title_blocks.append(block)
        index += 1
    if not title_blocks and index < len(blocks) and not is_addressee(blocks[index]):
        # No title-like line: the first line stands in for it (the caller warns).
        header.title_guessed = True
        title_blocks.append(blocks[index])
        index += 1
    if title_blocks:
        header.title = join_lines(line.stripped for b in title_blocks for line in b.lines)
        header.title_line = title_blocks[0].first
    if header.doc_number is None:
        index = _take_doc_number(blocks, index, header)
    while index < len(blocks) and is_dated_note(blocks[index].text):
        note = blocks[index]
        number, date = _note_number_and_date(note.text)
        if number is not None and header.doc_number is None:
            header.doc_number, header.doc_number_line = number, note.first
            if number.agency.endswith("令") and not header.mark_issuer:
                header.mark_issuer = [number.agency.removesuffix("令")]
        if number is not None or header.note_date is None:
            header.note_date = date or header.note_date
        header.leading.append(note)
        index += 1
    if header.doc_number is None:
        index = _take_doc_number(blocks, index, header)
    if index + 1 < len(blocks) and blocks[index].squashed.isdigit() and is_addressee(blocks[index + 1]):
        # a number pdftotext read out of its place (a page's, the 目录's) over the 主送机关: kept in the body
        header.leading.append(blocks[index])
        index += 1
    if index < len(blocks) and is_addressee(blocks[index]):
        header.addressee = remove_wrap_spaces(blocks[index].text).rstrip(":：")
        header.leading.append(blocks[index])
        index += 1
        if header.doc_number is None:
            # printed under the title, read after the 主送机关 by a reader of the PDF's text boxes (pdfminer)
            index = _take_doc_number(blocks, index, header)
    header.body_start = index
    return header


def _note_number(text: str) -> docnumber.DocNumber | None:
    """The 发文字号 in a note under the title: （冀政函〔2010〕57号　2010年4月23日）,
    or the decree that promulgated a regulation: （…2009年11月17日广东省人民政府令第142号公布…）."""
    return _note_number_and_date(text)[0]


def _note_number_and_date(text: str) -> tuple[docnumber.DocNumber | None, dt.date | None]:
    """The number in a note, and its date: the one printed with the number, else the note's first."""
    inner = squash(text).strip("（()）")
    found = [(m.start, m.end) for m in docnumber.find_mentions(inner)]
    found += [(m.start(), m.end()) for m in _DECREE_MENTION.finditer(inner)]
    if not found:
        return None, parse_date(inner)[0]
    start, end = min(found)
    before = list(DATE_PATTERN.finditer(inner, 0, end))
    if before:
        # （1985年5月4日皖政〔1985〕38号）: the agency begins after the date's 日
        start = max(start, before[-1].end())
    date = date_from_match(before[-1])[0] if before else parse_date(inner)[0]
    return docnumber.parse_line(inner[start:end]), date


def _mark_organs(block: Block) -> list[str]:
    """中共XX市委员会 XX市人民政府文件 → both organs (split where the mark prints a space or a line break)."""
    parts = [part for line in block.lines for part in line.stripped.split()]
    if parts and parts[-1] == "文件":
        parts.pop()
    elif parts:
        parts[-1] = parts[-1].removesuffix("文件")
    organs = [p for p in parts if p]
    if len(organs) > 1 and all(is_org_name(organ) for organ in organs):
        return organs
    return [block.squashed.removesuffix("文件")]


def _decree_header(blocks: list[Block]) -> Header:
    """令: head, number, then 《…规定》已经…通过，现予公布 — the record is the regulation it promulgates."""
    header = Header()
    head = blocks[0]
    number = docnumber.parse_line(head.text)
    index = 1
    if number is None:
        number = docnumber.parse_line(head.squashed + blocks[1].squashed.strip("（()）"))
        index = 2
    header.doc_number, header.doc_number_line = number, blocks[index - 1].first
    organ = _DECREE_HEAD.match(head.squashed)["organ"]
    # 渝府令第121号: a head giving the organ's short form names no issuer (the title or signature may)
    header.mark_issuer = [organ] if is_org_name(organ) else []
    header.title_line = head.first
    header.body_start = index
    for position, block in enumerate(blocks[index:], index):
        named = _PROMULGATED.search(block.squashed)
        if named:
            header.title, header.title_line = named["name"].translate(_INNER_QUOTES), block.first
            break
        if position == index:
            # printed right under the number (a 公告's own title, wrapped or not), it is the header's,
            # not the text's
            title, rest = _take_title(blocks[index:])
            if looks_like_title(title):
                header.title, header.title_line, header.body_start = title, block.first, len(blocks) - len(rest)
                break
        elif looks_like_title(block.squashed):
            header.title, header.title_line = remove_wrap_spaces(block.text), block.first
            break
    header.title_guessed = not header.title
    return header


def _take_doc_number(blocks: list[Block], index: int, header: Header) -> int:
    if index < len(blocks) and is_doc_number(blocks[index]):
        header.doc_number = docnumber.parse_line(blocks[index].text)
        header.doc_number_line = blocks[index].first
        return index + 1
    return index


# ---------------------------------------------------------------- signature

@dataclass
class Signature:
    start: int  # first block index (within the body) of the signature
    end: int  # last block index
    issuers: list[str]
    date_text: str
    date_line: int


def find_signature(body: list[Block]) -> Signature | None:
    """发文机关署名 + 成文日期: organ name line(s) right above a date line.

    A decree is signed by a person (省长 陈全国), and some documents print the
    date alone: then the first date standing on its own after the text.
    """
    date_only = None
    for index, block in enumerate(body):
        last = block.lines[-1]
        if (beside := _signed_beside_date(last.stripped)) is not None:
            # 武汉市新洲区人民政府　　2023年3月29日: the organ and the date on one line
            names = [line.stripped for line in block.lines[:-1]] + [beside[0]]
            if all(is_org_name(name) for name in names):
                return Signature(index, index, [part for name in names for part in _split_joint(name)], beside[1], last.number)
        if not is_date_line(last.stripped) or is_dated_note(last.stripped):
            continue
        names = [line.stripped for line in block.lines[:-1]]
        start = index
        if not names:
            while start > 0 and len(names) < _MAX_SIGNATURE_LINES and body[start - 1].is_single_line and _is_signer(body[start - 1].text):
                start -= 1
                names.insert(0, body[start].text)
        if names and all(_is_signer(name) for name in names):
            issuers = [part for name in names if is_org_name(name) for part in _split_joint(name)]
            return Signature(start, index, issuers, last.stripped, last.number)
        if not names and index > 0 and date_only is None:
            date_only = Signature(index, index, [], last.stripped, last.number)
    return date_only


def _signed_beside_date(text: str) -> tuple[str, str] | None:
    """(organ, date) of a line printing the 署名 and the 成文日期 side by side, set apart."""
    date = DATE_PATTERN.search(text)
    if date is None or date.end() != len(text) or not text[:date.start()].endswith((" ", "\u3000")):
        return None
    organ = text[:date.start()].strip()
    return (organ, date.group()) if organ and is_org_name(organ) else None


def _is_signer(text: str) -> bool:
    return is_org_name(text) or _OFFICIAL_SIGNATURE.match(squash(text)) is not None


def _split_joint(name: str) -> list[str]:
    parts = name.split()
    if len(parts) > 1 and all(is_org_name(part) for part in parts):
        return parts
    return [squash(name)]


# ---------------------------------------------------------------- body parts

@dataclass
class Part:
    """A run of the body rendered at one heading depth."""

    blocks: list[Block]
    base_level: int
    heading: el.Element | None = None

    @property
    def last_line(self) -> int:
        if self.blocks:
            return self.blocks[-1].last
        return self.heading.last_line if self.heading else 0


def _split_tail(tail: list[Block]) -> tuple[list[Block], list[tuple[int, list[Block]]]]:
    """Blocks before the first 附件 marker, then (number, blocks) per attachment."""
    enclosure: list[Block] = []
    attachments: list[tuple[int, list[Block]]] = []
    for block in tail:
        number = attachment_marker(block)
        if number is not None:
            attachments.append((number or len(attachments) + 1, [block]))
        elif attachments:
            attachments[-1][1].append(block)
        else:
            enclosure.append(block)
    return enclosure, attachments


def _take_title(blocks: list[Block], head: list[str] | None = None) -> tuple[str, list[Block]]:
    """A part's title (possibly wrapped over several blocks) and the rest. ``head``: the title's
    first lines where they are printed with the marker (附件2 新洲区…), else the first block's."""
    if head is None:
        if not blocks:
            return "", []
        head, blocks = [line.stripped for line in blocks[0].lines], blocks[1:]
    lines, taken = list(head), 0
    while taken < len(blocks) and taken + 1 < _MAX_TITLE_BLOCKS:
        title = "".join(map(squash, lines))
        if not _title_continues(title, blocks[taken]) or attachment_marker(blocks[taken]) is not None:
            break
        lines += [line.stripped for line in blocks[taken].lines]
        taken += 1
    return collapse_letter_spacing(join_lines(lines)), blocks[taken:]


def _parts(body: list[Block], signature: Signature | None) -> tuple[list[Part], list[str], el.Element | None]:
    """Split the body into notice, enclosure and attachments."""
    if signature is None:
        split = next((i for i, b in enumerate(body) if attachment_marker(b) is not None), len(body))
        notice, tail, signature_element = body[:split], body[split:], None
    else:
        notice, tail = body[: signature.start], body[signature.end + 1 :]
        signature_lines = [line.stripped for b in body[signature.start : signature.end + 1] for line in b.lines]
        signature_element = el.Element(
            "lines", lines=signature_lines, attrs="{.signature}",
            first_line=body[signature.start].first, last_line=body[signature.end].last,
        )
    parts = [Part(notice, base_level=2)]
    remarks = _remarks(tail) if signature is not None else 0
    if remarks:
        # the 附注 closes the notice: it is no part of the paper printed after it
        parts.append(Part(tail[:remarks], base_level=2))
        tail = tail[remarks:]
    enclosure, attachments = _split_tail(tail)
    if enclosure:
        title, rest = _take_title(enclosure)
        heading = el.Element("heading", text=title, level=2, attrs="{.enclosure-title}",
                             first_line=enclosure[0].first, last_line=enclosure[0].last)
        parts.append(Part(rest, base_level=3, heading=heading))
    titles = []
    for number, blocks in attachments:
        inline = _ATTACHMENT_WITH_TITLE.match(blocks[0].lines[0].stripped)
        if inline:
            # 附件2 新洲区农村公路管理责任单位名单: the title may wrap onto the marker's next lines,
            # or onto lines printed apart
            title, rest = _take_title(blocks[1:], [inline["title"], *(line.stripped for line in blocks[0].lines[1:])])
            marker = f"附件{inline['number'] or inline['cn'] or ''}"
        else:
            title, rest = _take_title(blocks[1:])
            marker = blocks[0].squashed.rstrip(":：")
        titles.append(title)
        heading = el.Element("heading", text=f"{marker} {title}".strip(), level=2,
                             attrs=f"{{#fujian-{number} .attachment}}",
                             first_line=blocks[0].first, last_line=blocks[0].last)
        parts.append(Part(rest, base_level=3, heading=heading))
    return parts, titles, signature_element


def _without_colophon(body: list[Block]) -> tuple[list[Block], el.Element | None]:
    """The body without the 版记 (抄送：… / …办公室　2023年3月30日印发), and the 版记 as lines of
    its own, shown at the end: no part of a paper's text, nor a title. It is printed at the end, or,
    in older documents, between the notice and its 附件."""
    start = 1
    while start < len(body):
        end = start
        while end < len(body) and _COLOPHON.search(squash(body[end].lines[0].text)):
            end += 1
        if end > start and (end == len(body) or attachment_marker(body[end]) is not None):
            lines = [line.stripped for block in body[start:end] for line in block.lines]
            return body[:start] + body[end:], el.Element("lines", lines=lines, attrs="{.colophon}",
                                                         first_line=body[start].first, last_line=body[end - 1].last)
        start = end + 1
    return body, None


def _remarks(tail: list[Block]) -> int:
    """How many 附注 blocks open what follows the signature."""
    count = 0
    while count < len(tail) and _REMARK.match(tail[count].squashed) and not is_dated_note(tail[count].squashed):
        count += 1
    return count


def attachment_note_titles(text: str) -> list[str]:
    """附件：1.甲 2.乙 → [甲, 乙]."""
    match = _ATTACHMENT_NOTE.match(text.strip())
    if match is None:
        return []
    rest = match["rest"]
    pieces = [p for p in _NOTE_ITEM.split(rest)]
    if len(pieces) > 1:
        # split() alternates text and captured numbers: text, n, text, n, text
        items = [pieces[i] for i in range(2, len(pieces), 2)]
    else:
        items = [rest]
    return [remove_wrap_spaces(item) for item in items if item.strip()]


def render_part(part: Part, stats: el.Stats, page_breaks: list[int] = (), after_line: int | None = None) -> str:
    """A part's Markdown; ``after_line`` (the end of what precedes it) places a page mark before it."""
    elements: list[el.Element] = []
    for block in part.blocks:
        elements.extend(el.classify(block, part.base_level))
    start = part.heading.last_line if part.heading else after_line
    elements = el.join_elements(elements, stats, page_breaks, start)
    if part.heading is not None:
        elements = el.subtitle(elements)
    elements = mark_glossary(elements, part.base_level)
    if part.heading is not None:
        elements.insert(0, part.heading)
        if after_line is not None and (mark := el.page_break_mark(page_breaks, after_line, part.heading.first_line)):
            elements.insert(0, el.Element("raw", text=mark))
    return el.to_markdown(elements, caption_level=part.base_level, stats=stats)


def mark_glossary(elements: list[el.Element], level: int) -> list[el.Element]:
    """名词解释: a heading, then one anchorable entry per numbered term."""
    in_glossary = False
    for element in elements:
        if element.kind in ("paragraph", "heading") and squash(element.text) == _GLOSSARY_HEADING:
            element.kind, element.level, element.attrs = "heading", level, "{.glossary}"
            element.text = _GLOSSARY_HEADING
            in_glossary = True
            continue
        if not in_glossary:
            continue
        entry = _GLOSSARY_ENTRY.match(element.text) if element.kind == "paragraph" else None
        if entry is None:
            in_glossary = element.kind == "paragraph" and not element.text
            continue
        element.kind = "raw"
        element.attrs = f"{{#term-{entry['number']} .glossary-entry}}"
        element.text = glossary_entry_markdown(entry["number"], entry["rest"])
    return elements


def glossary_entry_markdown(number: str, rest: str) -> str:
    split = re.search(r"[:：]", rest)
    term, definition = (rest[: split.start()], rest[split.start():]) if split else (rest, "")
    return f"{number}、[{el.escape_inline(term.strip())}]{{.term}}{el.escape_inline(definition)}"


# ---------------------------------------------------------------- the document

def parse_official_document(blocks: list[Block], category: str, ctx: Context) -> Draft:
    header = parse_header(blocks)
    body = header.leading + blocks[header.body_start :]
    body, colophon = _without_colophon(body)
    signature = find_signature(body)
    parts, attachment_titles, signature_element = _parts(body, signature)
    stats = el.Stats()

    if header.title_guessed or not header.title:
        ctx.problems.warning(ctx.path, header.title_line or blocks[0].first, "没有识别出公文标题：已用第一段代替，请在生成的文件中核对 title")
    if header.doc_number is None:
        ctx.problems.warning(ctx.path, blocks[0].first, f"《{header.title}》没有发文字号：doc_number 留空")

    chunks = [render_part(parts[0], stats, ctx.page_breaks)]
    if signature_element is not None:
        chunks.append(el.to_markdown([signature_element], 3, stats))
    # each part (the enclosed paper, every 附件) may begin on a new page
    for before, part in zip(parts, parts[1:]):
        last = signature_element.last_line if signature_element and before is parts[0] else before.last_line
        chunks.append(render_part(part, stats, ctx.page_breaks, last))
    if colophon is not None:
        chunks.append(el.to_markdown([colophon], 3, stats))

    date = _date(header, signature, blocks[0].first, ctx)
    issuers = [expand_issuer(name, ctx.jurisdiction) for name in _issuers(header, signature)]
    if not issuers:
        ctx.problems.warning(ctx.path, blocks[0].first, f"《{header.title}》没有找到发文机关（版头、署名或标题中的机关名称）：issuer 留空")

    note_titles = [t for chunk in _attachment_notes(body) for t in attachment_note_titles(chunk)]
    if attachment_titles and note_titles and len(note_titles) != len(attachment_titles):
        ctx.problems.warning(
            ctx.path, blocks[0].first,
            f"《{header.title}》附件说明列出 {len(note_titles)} 个附件，正文后印有 {len(attachment_titles)} 个",
        )
    if len(note_titles) > len(attachment_titles):
        # attachments the gazette did not print are still the document's
        attachment_titles = note_titles

    return Draft(
        category=category,
        title=header.title,
        body="\n\n".join(chunk for chunk in chunks if chunk),
        first_line=blocks[0].first,
        last_line=blocks[-1].last,
        doc_number=str(header.doc_number) if header.doc_number else None,
        doc_number_line=header.doc_number_line,
        issuer=(issuers[0] if len(issuers) == 1 else issuers) or None,
        date=date,
        addressee=header.addressee,
        attachments=attachment_titles,
        stats=stats,
    )


def _date(header: Header, signature: Signature | None, line: int, ctx: Context):
    """成文日期: under a signing organ, else in the note under the title, else a date standing alone."""
    if signature is not None and (signature.issuers or header.note_date is None):
        date, error = parse_date(signature.date_text)
        if error:
            ctx.problems.warning(ctx.path, signature.date_line, f"成文日期{error}：date 留空，请核对原文后手工填写")
        return date
    if header.note_date is None:
        ctx.problems.warning(ctx.path, line, f"《{header.title}》没有找到发文机关署名和成文日期：date 留空")
    return header.note_date


def _issuers(header: Header, signature: Signature | None) -> list[str]:
    """The 发文机关标志 names the issuer surely; a signature can have typos, or a person's name.
    A mark printed without spaces between joint organs is split as the signature splits it."""
    signed = signature.issuers if signature is not None else []
    mark = header.mark_issuer
    if not mark:
        return signed or _title_issuer(header.title)
    if len(mark) == 1 and len(signed) > 1 and "".join(signed) == mark[0]:
        return signed
    return mark


_TITLE_VERB = re.compile("关于|" + "|".join(_ENCLOSING_VERBS))


def _title_issuer(title: str) -> list[str]:
    """A 公文's title begins with its issuer (河北省人民政府关于…的通报): the issuer when nothing else names it."""
    opening = _TITLE_VERB.search(title)
    head = title[: opening.start()] if opening else ""
    return [head] if is_org_name(head) else []


def _note_title_continues(note: str, block: Block) -> bool:
    """…乡镇和先进工作者 / 名单: the rest of the note's last title, unfinished, printed apart; never the
    signature or the date under the note."""
    text = block.squashed
    return (block.is_single_line and not note.endswith(TITLE_ENDINGS) and width(text) <= 40
            and not ends_sentence(text) and not is_org_name(text) and not is_date_line(text))


def _attachment_notes(body: list[Block]) -> list[str]:
    """附件：1.甲 / 2.乙, the items on the note's lines or in blocks of their own after it."""
    notes: list[str] = []
    in_note = False
    for block in body:
        if any(line.has_tabs for line in block.lines):
            in_note = False
            continue
        text = " ".join(line.stripped for line in block.lines)
        if _ATTACHMENT_NOTE.match(block.text.strip()):
            notes.append(text)
            in_note = True
        elif in_note and _NOTE_CONTINUATION.match(text) and not ends_sentence(text) and width(text) <= 80:
            notes[-1] = f"{notes[-1]} {text}"
        elif in_note and _note_title_continues(notes[-1], block):
            notes[-1] = join_wrapped(notes[-1], text)  # the last title's end, wrapped onto a line apart
        else:
            in_note = False
    return notes
