"""Gazette sections → document drafts, one parser per kind of section."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Callable

from . import elements as el
from .documents import TITLE_ENDINGS, document_starts, is_org_name, parse_official_document
from .draft import Context, Draft, expand_issuer
from .source import Block
from .text import DATE_PATTERN, MONTH_DAY_PATTERN, ends_sentence, join_wrapped, parse_date, remove_wrap_spaces, width

_ENTRY_BULLET = re.compile(r"^[◆◇■□●○★☆•]\s*")
_MAX_HEADLINE_WIDTH = 60


def parse_official_section(blocks: list[Block], category: str, ctx: Context) -> list[Draft]:
    starts = document_starts(blocks)
    if not starts:
        ctx.problems.warning(ctx.path, blocks[0].first, f"栏目“{category}”中没有识别出公文版头或发文字号：整个栏目作为一篇文档导入")
        starts = [0]
    elif starts[0] != 0:
        ctx.problems.warning(ctx.path, blocks[0].first, f"栏目“{category}”开头有不属于任何公文的文字：已并入第一篇文档")
        starts[0] = 0
    bounds = zip(starts, starts[1:] + [len(blocks)])
    return [parse_official_document(blocks[start:end], category, ctx) for start, end in bounds]


# ---------------------------------------------------------------- 政务简讯

def is_headline(block: Block) -> bool:
    text = block.text
    return (
        block.is_single_line
        and width(text) <= _MAX_HEADLINE_WIDTH
        and not ends_sentence(text)
        and ("关于" in text or text.rstrip().endswith(TITLE_ENDINGS))
        and ":" not in text
        and "：" not in text
    )


def _subject_and_date(text: str, ctx: Context, line: int) -> tuple[str | None, dt.date | None]:
    """区人民政府办公室 2023 年 1 月 30 日发出通知 → (full organ name, date)."""
    match = DATE_PATTERN.search(text)
    if match is None:
        return None, None
    date, error = parse_date(text)
    if error:
        ctx.problems.warning(ctx.path, line, f"{error}：date 留空，请核对原文后手工填写")
    subject = re.sub(r"[于在]$", "", text[: match.start()].strip()).strip()
    return (expand_issuer(subject, ctx.jurisdiction) if is_org_name(subject) else None), date


def _render(blocks: list[Block], stats: el.Stats) -> list[el.Element]:
    elements: list[el.Element] = []
    for block in blocks:
        elements.extend(el.classify(block, base_level=2))
    return el.join_elements(elements, stats)


def parse_briefs(blocks: list[Block], category: str, ctx: Context) -> list[Draft]:
    items: list[list[Block]] = []
    for block in blocks:
        if is_headline(block) or not items:
            if not is_headline(block):
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
            title=remove_wrap_spaces(item[0].text),
            body=el.to_markdown(_render(body, stats), caption_level=3, stats=stats),
            first_line=item[0].first,
            last_line=item[-1].last,
            issuer=issuer,
            date=date,
            stats=stats,
        ))
    return drafts


# ---------------------------------------------------------------- 人事任免

def parse_appointments(blocks: list[Block], category: str, ctx: Context) -> list[Draft]:
    """All notices of the section form one document; each notice is anchored by its date."""
    stats = el.Stats()
    elements = _render(blocks, stats)
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
    return [Draft(
        category=category,
        title=category,
        body=el.to_markdown(elements, caption_level=3, stats=stats),
        first_line=blocks[0].first,
        last_line=blocks[-1].last,
        issuer=(issuers[0] if len(issuers) == 1 else issuers) or None,
        stats=stats,
    )]


def _dated_attrs(date: dt.date, css_class: str, seen: Counter[str]) -> str:
    iso = date.isoformat()
    seen[iso] += 1
    anchor = iso if seen[iso] == 1 else f"{iso}-{seen[iso]}"
    return f"{{#{anchor} .{css_class} data-date={iso}}}"


# ---------------------------------------------------------------- 大事记

def _entry_date(text: str, ctx: Context) -> tuple[dt.date | None, re.Match[str] | None]:
    match = MONTH_DAY_PATTERN.match(text)
    if match is None:
        return None, None
    month, day = int(match["month"]), int(match["day"])
    # A quarterly issue may record the last days of the previous year.
    year = ctx.year - 1 if month > ctx.number * 3 else ctx.year
    try:
        return dt.date(year, month, day), match
    except ValueError:
        return None, match


def parse_chronicle(blocks: list[Block], category: str, ctx: Context) -> list[Draft]:
    stats = el.Stats()
    entries: list[el.Element] = []
    for block in blocks:
        text = " ".join(line.stripped for line in block.lines)
        bullet = _ENTRY_BULLET.match(text)
        if bullet is None and entries and not ends_sentence(entries[-1].text):
            entries[-1].text = join_wrapped(entries[-1].text, text)
            entries[-1].last_line = block.last
            stats.joined_paragraphs += 1
            continue
        entries.append(el.Element("paragraph", text=text[bullet.end():] if bullet else text,
                                  first_line=block.first, last_line=block.last))
    seen: Counter[str] = Counter()
    for entry in entries:
        date, match = _entry_date(entry.text, ctx)
        if match is None:
            continue
        if date is None:
            ctx.problems.warning(ctx.path, entry.first_line, f"大事记日期“{match.group(0)}”无效：此条不设锚点")
            continue
        rest = entry.text[match.end():]
        entry.kind = "raw"
        entry.attrs = _dated_attrs(date, "chronicle-entry", seen)
        entry.text = f"**{el.escape_inline(match.group(0))}**{el.escape_inline(rest)}"
    return [Draft(
        category=category,
        title=category,
        body=el.to_markdown(entries, caption_level=3, stats=stats),
        first_line=blocks[0].first,
        last_line=blocks[-1].last,
        stats=stats,
    )]


SectionParser = Callable[[list[Block], str, Context], list[Draft]]

SECTION_PARSERS: dict[str, SectionParser] = {
    "政务简讯": parse_briefs,
    "政策解读": parse_briefs,
    "人事任免": parse_appointments,
    "大事记": parse_chronicle,
}


def parser_for(category: str) -> SectionParser:
    return SECTION_PARSERS.get(category, parse_official_section)
