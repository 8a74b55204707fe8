"""Gazette sections → document drafts, one parser per kind of section."""
from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from typing import Callable

from . import elements as el
from ..docnumber import DocNumber, find_mentions
from .documents import (TITLE_ENDINGS, document_starts, is_doc_number, is_org_name, looks_like_title, parse_header,
                        parse_official_document)
from .draft import Context, Draft, expand_issuer
from .source import Block, Line
from .text import (
    CN_ITEM_NUMBER,
    DATE_PATTERN,
    MONTH_DAY_PATTERN,
    comparable_title,
    date_from_match,
    date_number,
    ends_sentence,
    is_date_line,
    join_wrapped,
    parse_date,
    remove_wrap_spaces,
    squash,
    width,
)

_ENTRY_BULLET = re.compile(r"^[◆◇■□●○★☆•]\s*")
_MAX_HEADLINE_WIDTH = 60
# A headline printed in a narrow column wraps; a converter may keep its lines one under another.
_MAX_HEADLINE_LINES = 3
# A news item's report opens with its date: 6月2日，… or 2008年6月2日，…
_REPORT_DATE = re.compile(r"^(?:(?:19|20)\d{2}年)?\d{1,2}月\d{1,2}日")
# How far into a report its date may stand (after the organ that sent it).
_REPORT_DATE_REACH = 30


def parse_official_section(blocks: list[Block], category: str, ctx: Context) -> list[Draft]:
    starts = with_listed_starts(blocks, document_starts(blocks, ctx.forced_starts), ctx.listed_titles)
    if not starts:
        ctx.problems.warning(ctx.path, blocks[0].first, f"栏目“{category}”中没有识别出公文版头或发文字号：整个栏目作为一篇文档导入")
        starts = [0]
    elif starts[0] != 0 and looks_like_title(blocks[0].squashed):
        # a document with no 版头, 发文字号 or note: its title opens the section
        starts.insert(0, 0)
    elif starts[0] == 1 and is_doc_number(blocks[1]) and blocks[0].is_single_line and _headline_shaped(blocks[0].text):
        # a title that ends as no title does, over the 发文字号 the document begins at
        # (2023年12月12日区政府召开第62次常务会议 / 长府会议纪要〔2023〕39号): the document's own
        starts[0] = 0
    elif starts[0] != 0:
        ctx.problems.warning(ctx.path, blocks[0].first, f"栏目“{category}”开头有不属于任何公文的文字：已并入第一篇文档")
        starts[0] = 0
    starts = [start for index, start in enumerate(starts)
              if index == 0 or not _forwarded(blocks[starts[index - 1]:start], blocks[start:])]
    bounds = zip(starts, starts[1:] + [len(blocks)])
    return [parse_official_document(blocks[start:end], category, ctx) for start, end in bounds]


# The most blocks a title printed as the 目录 lists it runs over (the issuer on a line of its own, then
# the title wrapped), and the most a document's head (版头, 发文字号) puts before its title.
_MAX_LISTED_TITLE_BLOCKS = 3
_MAX_HEAD_BLOCKS = 4


def with_listed_starts(blocks: list[Block], starts: list[int], titles: frozenset[str]) -> list[int]:
    """``starts``, and where a document the 目录 lists begins though nothing else marks it (no 版头,
    发文字号, note or 主送机关: 五届104次区政府常务会议纪要 after the minutes before it): a title printed
    as the 目录 prints it, over one to three blocks. A start found on that title's later lines or
    right under it (at its 发文字号) moves to its first line. Not within the head of a document begun
    just above, nor one the text above names (the paper a notice prints after it, the rules a decree
    promulgates), nor a line of a paragraph."""
    starts = list(starts)
    longest = max(map(len, titles), default=0)
    for index in range(len(blocks) if titles else 0):
        title = ""
        for count, block in enumerate(blocks[index:index + _MAX_LISTED_TITLE_BLOCKS], start=1):
            title += block.squashed
            if len(title) > longest or ends_sentence(block.text):
                break
            if comparable_title(title) not in titles:
                continue
            begun = max([start for start in starts if start <= index], default=0)
            above = "".join(b.squashed for b in blocks[begun:index])
            in_head = index - begun <= _MAX_HEAD_BLOCKS and not any(ends_sentence(b.text) for b in blocks[begun:index])
            if index == 0 or not (in_head or comparable_title(title) in comparable_title(above)):
                starts = sorted({start for start in starts if not index < start <= index + count} | {index})
            break
    return starts


def _forwarded(notice: list[Block], following: list[Block]) -> bool:
    """A document printed after the notice that forwards it (现将《…》（国函〔2010〕50号）转发给你们) is part of that notice."""
    number = parse_header(following).doc_number
    text = "".join(block.squashed for block in notice)
    if number is None or "转发" not in text:
        return False
    return any(
        DocNumber(agency, mention.year, mention.number) == number
        for mention in find_mentions(text) for agency in mention.agency_suffixes()
    )


# ---------------------------------------------------------------- 政务简讯

def is_headline(block: Block, following: Block | None) -> bool:
    """An item's headline: short, apart (over a few lines at most), shaped as a title, or followed by
    the dated report."""
    text = remove_wrap_spaces(block.text)
    return (
        len(block.lines) <= _MAX_HEADLINE_LINES
        and _headline_shaped(text)
        and (
            "关于" in text
            or text.rstrip().endswith(TITLE_ENDINGS)
            or _ENTRY_BULLET.match(text) is not None
            or (following is not None and _REPORT_DATE.match(following.squashed) is not None)
        )
    )


def _subject_and_date(text: str, ctx: Context, line: int) -> tuple[str | None, dt.date | None]:
    """区人民政府办公室 2023 年 1 月 30 日发出通知 → (full organ name, date)."""
    match = DATE_PATTERN.search(text)
    if match is None:
        short = MONTH_DAY_PATTERN.match(squash(text))
        # 6月2日，全市…: the year is the issue's
        return None, (_entry_year(int(short["month"]), int(short["day"]), ctx) if short else None)
    date, error = parse_date(text)
    if error:
        ctx.problems.warning(ctx.path, line, f"{error}：date 留空，请核对原文后手工填写")
    subject = re.sub(r"[于在]$", "", text[: match.start()].strip()).strip()
    return (expand_issuer(subject, ctx.jurisdiction) if is_org_name(subject) else None), date


def _render(blocks: list[Block], stats: el.Stats, ctx: Context) -> list[el.Element]:
    elements: list[el.Element] = []
    for block in blocks:
        elements.extend(el.classify(block, base_level=2))
    return el.join_elements(elements, stats, ctx.page_breaks)


def _opens_report(text: str) -> bool:
    """区人民政府办公室 2023 年 1 月 30 日发出通知, 6月2日，…: an item's report, dated at its start."""
    opening = squash(text)[:_REPORT_DATE_REACH]
    return DATE_PATTERN.search(opening) is not None or MONTH_DAY_PATTERN.match(opening) is not None


def _cut(blocks: list[Block], begins: Callable[[list[str], int], bool]) -> list[tuple[Line, ...]]:
    """Each block's lines, cut before every line where ``begins(texts, index)`` (the block's
    stripped lines, the line's index): items a converter printed one under another."""
    pieces: list[tuple[Line, ...]] = []
    for block in blocks:
        texts, start = [line.stripped for line in block.lines], 0
        for index in range(1, len(texts)):
            if begins(texts, index):
                pieces.append(block.lines[start:index])
                start = index
        pieces.append(block.lines[start:])
    return pieces


def _begins_brief(texts: list[str], index: int) -> bool:
    """A bulleted headline; a report opening under a headline that stands on a line of its own;
    such a headline after the report above it ends."""
    alone = index == 1 or ends_sentence(texts[index - 2])  # the line above stands on its own
    return bool(_ENTRY_BULLET.match(texts[index])
                or (alone and _headline_shaped(texts[index - 1]) and _opens_report(texts[index]))
                or (ends_sentence(texts[index - 1]) and _headline_shaped(texts[index])
                    and index + 1 < len(texts) and _opens_report(texts[index + 1])))


def _headline_shaped(text: str) -> bool:
    return width(text) <= _MAX_HEADLINE_WIDTH and not ends_sentence(text) and ":" not in text and "：" not in text


def _unfinished_headlines_joined(blocks: list[Block]) -> list[Block]:
    """A headline wrapped over printed lines each a block of its own (a text without blank lines:
    ◆区人民政府办公室关于成立武汉都市圈环线 / 新洲段工程协调工作专班的通知) is one block again."""
    out: list[Block] = []
    for block in blocks:
        above = out[-1] if out else None
        text = remove_wrap_spaces(block.text)
        if (above is not None and len(above.lines) + len(block.lines) <= _MAX_HEADLINE_LINES
                and is_headline(above, block) and not remove_wrap_spaces(above.text).endswith(TITLE_ENDINGS)
                and _headline_shaped(text) and not _ENTRY_BULLET.match(text) and not _opens_report(text)):
            out[-1] = Block((*above.lines, *block.lines))
        else:
            out.append(block)
    return out


def parse_briefs(blocks: list[Block], category: str, ctx: Context) -> list[Draft]:
    items: list[list[Block]] = []
    blocks = _unfinished_headlines_joined([Block(piece) for piece in _cut(blocks, _begins_brief)])
    for index, block in enumerate(blocks):
        headline = is_headline(block, blocks[index + 1] if index + 1 < len(blocks) else None)
        if headline or not items:
            if not headline:
                ctx.problems.warning(ctx.path, block.first, f"栏目“{category}”的第一段不像标题：作为标题导入，请核对")
            items.append([block])
        else:
            items[-1].append(block)
    drafts = []
    for item in items:
        stats = el.Stats()
        body = item[1:]
        first_text = body[0].text if body else ""
        issuer, date = _subject_and_date(first_text, ctx, body[0].first if body else item[0].first)
        if date is None:
            ctx.problems.warning(ctx.path, item[0].first, f"简讯《{remove_wrap_spaces(item[0].text)}》没有写明日期：date 留空")
        drafts.append(Draft(
            category=category,
            title=_ENTRY_BULLET.sub("", remove_wrap_spaces(item[0].text)),
            body=el.to_markdown(_render(body, stats, ctx), caption_level=3, stats=stats),
            first_line=item[0].first,
            last_line=item[-1].last,
            issuer=issuer,
            date=date,
            stats=stats,
        ))
    return drafts


# ---------------------------------------------------------------- 人事任免

# An item's headline naming the appointing organ: 国务院任免国家工作人员, 省人民政府任免工作人员
_APPOINTING_HEADLINE = re.compile(r"^(?P<organ>\S+?)任免(?:国家|地方)?(?:机关)?工作人员$")


def _appointing_organ(block: Block) -> str | None:
    """The organ an item's headline names (国务院任免国家工作人员 → 国务院), else None."""
    if not block.is_single_line:
        return None
    match = _APPOINTING_HEADLINE.match(block.squashed)
    return match["organ"] if match and is_org_name(match["organ"]) else None


def _appointment_starts(blocks: list[Block]) -> list[int]:
    """Where the items of a 人事任免 section begin: at each headline naming its organ."""
    return [index for index, block in enumerate(blocks) if _appointing_organ(block) is not None]


def parse_appointments(blocks: list[Block], category: str, ctx: Context) -> list[Draft]:
    """A section of several items headed each by its own headline: one document per item;
    otherwise the whole section is one document, each notice in it anchored by its date."""
    starts = _appointment_starts(blocks)
    if len(starts) < 2:
        # documents of their own the 目录 lists (a 人大常委会's 决定 on each appointment)
        listed = with_listed_starts(blocks, [], ctx.listed_titles)
        if len(listed) < 2:
            return [_appointments_as_one(blocks, category, ctx)]
        return [parse_official_document(blocks[start:end], category, ctx)
                for start, end in zip(listed, listed[1:] + [len(blocks)])]
    # text above the first headline opens the first document's body
    lead = blocks[:starts[0]]
    if lead:
        ctx.problems.warning(ctx.path, blocks[0].first, f"栏目“{category}”开头有不属于任何任免事项的文字：已并入第一篇文档")
    items = [blocks[start:end] for start, end in zip(starts, starts[1:] + [len(blocks)])]
    return [_appointment_item(item[0], (lead if index == 0 else []) + item[1:], category, ctx)
            for index, item in enumerate(items)]


def _appointment_item(headline: Block, rest: list[Block], category: str, ctx: Context) -> Draft:
    """One item: its headline the title, the organ it names the issuer, a line of its own the date."""
    organ = _appointing_organ(headline)
    date = None
    body: list[Block] = []
    for block in rest:
        # a line giving the item's date and nothing else: （2022年8月17日）, 2022年8月17日
        if not (block.is_single_line and date is None and is_date_line(block.squashed)):
            body.append(block)
            continue
        date, error = parse_date(block.squashed)
        if error:
            ctx.problems.warning(ctx.path, block.first, f"{error}：date 留空，请核对原文后手工填写")
    stats = el.Stats()
    return Draft(
        category=category,
        title=remove_wrap_spaces(headline.text),
        body=el.to_markdown(_render(body, stats, ctx), caption_level=3, stats=stats),
        first_line=min([headline.first] + [block.first for block in rest]),
        last_line=max([headline.last] + [block.last for block in rest]),
        issuer=expand_issuer(organ, ctx.jurisdiction) if organ else None,
        date=date,
        stats=stats,
    )


def _appointments_as_one(blocks: list[Block], category: str, ctx: Context) -> Draft:
    """All notices of the section form one document; each notice is anchored by its date."""
    stats = el.Stats()
    elements = _render(blocks, stats, ctx)
    issuers: list[str] = []
    seen: Counter[str] = Counter()
    for element in elements:
        if element.kind != "paragraph":
            continue
        issuer, date = _subject_and_date(element.text, ctx, element.first_line)
        if issuer and issuer not in issuers:
            issuers.append(issuer)
        if date is not None:
            element.attrs = _dated_attrs(date, "notice", seen)
    return Draft(
        category=category,
        title=category,
        body=el.to_markdown(elements, caption_level=3, stats=stats),
        first_line=blocks[0].first,
        last_line=blocks[-1].last,
        issuer=(issuers[0] if len(issuers) == 1 else issuers) or None,
        stats=stats,
    )


def _dated_attrs(date: dt.date, css_class: str, seen: Counter[str]) -> str:
    iso = date.isoformat()
    seen[iso] += 1
    anchor = iso if seen[iso] == 1 else f"{iso}-{seen[iso]}"
    return f"{{#{anchor} .{css_class} data-date={iso}}}"


# ---------------------------------------------------------------- 大事记

_MONTH_HEADING = re.compile(rf"^(?P<month>\d{{1,2}}|{CN_ITEM_NUMBER})\s*月(?:份)?$")
# 1日　…, and a span of days 8—9日　… (dated by its first day)
_DAY_ENTRY = re.compile(r"^(?P<day>\d{1,2})(?:\s*[—–\-~～至]\s*\d{1,2})?\s*日")
# (△ stands for another entry of the same day, as many chronicles print it: 10日，… / △，…)
_SAME_DAY = re.compile(r"^(?:是日|同日|当日|当天|△)")
# An entry printed with its year: 2023年1月5日，…
_FULL_DATE_ENTRY = re.compile(rf"^(?:{DATE_PATTERN.pattern})")
# A chronicle lists what happened before the issue went to press; a date more
# than this after the latest 成文日期 belongs to the year before.
_CHRONICLE_LEAD = dt.timedelta(days=62)


def _entry_year(month: int, day: int, ctx: Context) -> dt.date | None:
    """The date of a 大事记 entry printed without its year, from the issue's own dates."""
    reference = ctx.reference_date
    for year in ((reference.year, reference.year - 1) if reference else (ctx.year, ctx.year - 1)):
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return None
        if reference is None or date <= reference + _CHRONICLE_LEAD:
            return date
    return None


def parse_chronicle(blocks: list[Block], category: str, ctx: Context) -> list[Draft]:
    """◆1月5日，… entries, or entries under month headings (六月 / 1日　… / 是日，…); the section's
    headline, where it prints one under its marker (斗门区大事记), is the title."""
    title, first_line = category, blocks[0].first
    if len(blocks) > 1 and blocks[0].is_single_line and blocks[0].squashed.endswith(category) \
            and width(blocks[0].squashed) <= _MAX_HEADLINE_WIDTH:
        title, blocks = blocks[0].squashed, blocks[1:]
    stats = el.Stats()
    entries: list[el.Element] = []
    month: int | None = None
    for piece in _cut(blocks, _begins_entry):
        first, last = piece[0].number, piece[-1].number
        text = functools.reduce(join_wrapped, (line.stripped for line in piece), "")
        mark = el.page_break_mark(ctx.page_breaks, entries[-1].last_line, first) if entries else ""
        heading = _MONTH_HEADING.match(squash(text))
        if heading:
            month = date_number(heading["month"])
            if mark:
                entries.append(el.Element("raw", text=mark, first_line=first, last_line=first))
            entries.append(el.Element("heading", text=text, level=3, first_line=first, last_line=last))
            continue
        bullet = _ENTRY_BULLET.match(text)
        body = text[bullet.end():] if bullet else text
        previous = entries[-1] if entries and entries[-1].kind == "paragraph" else None
        if not _opens_entry(text, month is not None) and previous is not None and not ends_sentence(previous.text):
            stats.joined_paragraphs += el.cut_apart(previous.last_line, first)
            previous.text = join_wrapped(previous.text, mark + text)
            previous.last_line = last
            continue
        if mark:
            entries.append(el.Element("raw", text=mark, first_line=first, last_line=first))
        entries.append(el.Element("paragraph", text=body, first_line=first, last_line=last))
    seen: Counter[str] = Counter()
    last_date: dt.date | None = None
    month = None  # of the month heading the entries stand under
    for entry in entries:
        if entry.kind == "heading":
            month = date_number(_MONTH_HEADING.match(squash(entry.text))["month"])
        if entry.kind != "paragraph":
            continue
        date, shown = _chronicle_date(entry.text, month, last_date, ctx)
        if shown is None:
            continue
        if date is None:
            ctx.problems.warning(ctx.path, entry.first_line, f"大事记日期“{shown}”无效：此条不设锚点")
            continue
        last_date = date
        rest = entry.text[len(shown):]
        entry.kind = "raw"
        entry.attrs = _dated_attrs(date, "chronicle-entry", seen)
        entry.text = f"**{el.escape_inline(shown)}**{el.escape_inline(rest)}"
    return [Draft(
        category=category,
        title=title,
        body=el.to_markdown(entries, caption_level=3, stats=stats),
        first_line=first_line,
        last_line=blocks[-1].last,
        stats=stats,
    )]


def _opens_entry(text: str, month_known: bool) -> bool:
    """An entry's first words: a bullet or its date (a day alone, or 是日, under a month's heading)."""
    bullet = _ENTRY_BULLET.match(text)
    body = text[bullet.end():] if bullet else text
    return bool(bullet or MONTH_DAY_PATTERN.match(body) or _FULL_DATE_ENTRY.match(body)
                or (month_known and (_DAY_ENTRY.match(body) or _SAME_DAY.match(body))))


def _begins_entry(texts: list[str], index: int) -> bool:
    """Where entries printed one under another begin: after a sentence's end, a line opening as an
    entry opens (1月10日，…, a day alone taken as under a month); and around a month's heading."""
    text, above = texts[index], texts[index - 1]
    return bool(_MONTH_HEADING.match(squash(text)) or _MONTH_HEADING.match(squash(above))
                or (ends_sentence(above) and _opens_entry(text, True)))


def _chronicle_date(text: str, month: int | None, last: dt.date | None, ctx: Context):
    """(date, the printed words that give it) of an entry; (None, None) when it prints none."""
    if match := _FULL_DATE_ENTRY.match(text):
        return date_from_match(match)[0], match.group(0)
    if match := MONTH_DAY_PATTERN.match(text):
        return _entry_year(int(match["month"]), int(match["day"]), ctx), match.group(0)
    if month and (match := _DAY_ENTRY.match(text)):
        return _entry_year(month, int(match["day"]), ctx), match.group(0)
    if match := _SAME_DAY.match(text):
        return last, (match.group(0) if last else None)
    return None, None


SectionParser = Callable[[list[Block], str, Context], list[Draft]]

# Kinds of section by what their names contain; every other section holds official documents.
SECTION_PARSERS: list[tuple[tuple[str, ...], SectionParser]] = [
    (("大事记", "大事纪要"), parse_chronicle),
    (("人事任免", "任免"), parse_appointments),
    (("简讯", "政策解读", "解读", "动态", "要闻"), parse_briefs),
]


def parser_for(category: str) -> SectionParser:
    for words, parser in SECTION_PARSERS:
        if any(word in category for word in words):
            return parser
    return parse_official_section
