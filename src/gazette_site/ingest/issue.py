"""One raw issue text → issue metadata and document drafts (pure, no I/O)."""
from __future__ import annotations

import bisect
import datetime as dt
import difflib
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from .. import docnumber
from ..model import section_slug
from ..problems import Problems
from . import elements as el
from .documents import TITLE_ENDINGS, is_decree_head, is_issuer_mark, title_start
from .draft import Context, Draft
from .hints import Hint, take_hints
from .masthead import Masthead, add_issue_facts_from_heads, parse_masthead
from .pages import PageMap, remove_furniture
from .paragraphs import paragraph_blocks
from .printed_lines import in_printed_lines
from .section_marks import is_number_line, marker_name, section_marker
from .sections import parser_for
from .source import Block, Line, decode, split_lines
from .text import (collapse_justified, comparable_title, ends_sentence, fullwidth_punctuation, halfwidth_alphanumerics,
                   is_date_line, parse_date, squash)
from .toc import find_toc, is_section_entry, parse_toc

_TOC_MATCH_RATIO = 0.8
# A 目录 title that is a part of the document's title (the issuer left out) still names it.
_TOC_CONTAINED_SHARE = 0.6
# Without any section marker, documents are filed under this section (and a warning says so).
DEFAULT_SECTION = "文件"
_FILENAME_ISSUE = re.compile(r"((?:19|20)\d{2})\D{1,3}?(\d{1,2})(?!\d)")


@dataclass
class ParsedIssue:
    year: int
    number: int
    meta: dict
    drafts: list[Draft]
    raw: bytes
    encoding: str
    stats: el.Stats = field(default_factory=el.Stats)


@dataclass(frozen=True)
class _Marker:
    """A section boundary: a printed marker, an editor's hint, or a running head naming the section."""

    line: int
    name: str
    printed: bool  # a marker line of the text (not a hint or a running head)


def parse_issue(raw: bytes, path: str, problems: Problems, year: int | None = None, number: int | None = None,
                sections: Iterable[str] = (), archived_ids: Mapping[str, Mapping[str, str]] = {}) -> ParsedIssue | None:
    """The issue's metadata and one draft per document.

    ``sections`` are section names the archive or the settings know already,
    so that a bare line with one of them is a marker whatever its shape;
    ``archived_ids``, by issue directory ("2023/1"), the ids the archive's
    documents have and the files that have them.
    """
    decoded = decode(raw, path, problems)
    if decoded is None:
        return None
    # The converters' markup never spans a line break, so the whole text is repaired at once.
    text, repaired = el.repair_artifacts(decoded.text)
    # The transcription is read as printed: full-width marks inside Chinese sentences, half-width
    # digits and letters (the raw text is stored as received). No mark or pair spans a line break.
    # A line justified character by character is read as printed, without the spread.
    lines = [Line(line.number, collapse_justified(line.text)) for line in split_lines(fullwidth_punctuation(halfwidth_alphanumerics(text)))]
    lines, hints = take_hints(lines, path, problems)
    furniture = remove_furniture(lines, decoded.page_tops)
    page_map = _with_page_hints(furniture.pages, hints)
    printed_lines = in_printed_lines(lines, decoded.page_tops)
    blocks = paragraph_blocks(furniture.lines, printed_lines, furniture.blanked)

    toc_range = find_toc(blocks)
    toc = parse_toc(blocks[toc_range[0] + 1 : toc_range[1]]) if toc_range else []
    known = set(sections) | {e["section"] for e in toc if e["section"]} | {
        e["title"] for e in toc if is_section_entry(e["title"])
    }
    if furniture.strip_glued(known):
        blocks = paragraph_blocks(furniture.lines, printed_lines, furniture.blanked)
        toc_range = find_toc(blocks)
    forced = _blocks_after(blocks, [h.line for h in hints if h.kind in ("section", "document")])
    body_start = _body_start(blocks, toc_range[1] if toc_range else 0, known, forced)
    cover = blocks[: toc_range[0]] + blocks[toc_range[1] : body_start] if toc_range else blocks[:body_start]
    masthead = parse_masthead(cover, toc)
    add_issue_facts_from_heads(masthead, furniture.heads)
    resolved = _issue_numbers(masthead, path, problems, year, number)
    if resolved is None:
        return None
    year, number, total = resolved
    gazette = masthead.gazette
    if not gazette:
        problems.warning(path, 1, "没有识别出公报名称（《…》简介 或 “…公报”“…政报”）：gazette 留空，请在 issue.yaml 中填写")
    jurisdiction = _jurisdiction(masthead.facts.get("主办", "") or gazette or "")
    ctx = Context(path, year, number, jurisdiction, problems, _reference_date(furniture.lines),
                  forced_starts=_blocks_after(blocks, [h.line for h in hints if h.kind == "document"]),
                  page_breaks=page_map.lines, listed_titles=frozenset(
                      comparable_title(e["title"]) for e in toc if _lists_a_document(e["title"])))

    markers = _markers(blocks[body_start:], known, hints, furniture.heads)
    drafts: list[Draft] = []
    for category, section_blocks in _sections(blocks[body_start:], markers, toc, ctx):
        drafts.extend(parser_for(category)(section_blocks, category, ctx))
    if not drafts:
        problems.error(path, None, "没有找到任何文档：请确认这是一期完整的公报文本，或用提示行 @@栏目 名称 / @@文档 标出栏目和文档的开头")
        return None

    stats = el.Stats(removed_artifacts=repaired + furniture.removed)
    _number_drafts(drafts, year, number)
    _place_on_pages(drafts, toc, page_map, ctx)
    for draft in drafts:
        # the printed page that begins after a page number's line
        draft.body = el.resolve_page_marks(draft.body, lambda line: page_map.page_at(line + 1))
    for draft in drafts:
        stats.add(draft.stats)
    here = f"{year}/{number}"  # a re-ingest replaces this issue's own files
    elsewhere = {doc_id: file for issue, ids in archived_ids.items() if issue != here for doc_id, file in ids.items()}
    _distinct_ids(drafts, elsewhere, ctx)

    meta = {
        "gazette": gazette,
        "year": year,
        "number": number,
        "total_number": total,
        "masthead": masthead.facts,
        "intro": masthead.intro,
        "toc": [{"section": e["section"], "title": e["title"], "page": e["page"]} for e in toc],
        "source": {
            "filename": path.replace("\\", "/").rsplit("/", 1)[-1],
            "stored_as": "source.txt",
            "sha256": hashlib.sha256(raw).hexdigest(),
            "bytes": len(raw),
            "encoding": decoded.encoding,
        },
        "extra": masthead.extra,
    }
    return ParsedIssue(year, number, meta, drafts, raw, decoded.encoding, stats)


def _with_page_hints(page_map: PageMap, hints: list[Hint]) -> PageMap:
    """An editor's ``@@第 N 页`` before a line is a page number N-1 printed at the foot above it."""
    pages = [h for h in hints if h.kind == "page"]
    if not pages:
        return page_map
    merged = sorted([*zip(page_map.lines, page_map.pages), *((h.line, int(h.value) - 1) for h in pages)])
    return PageMap([line for line, _ in merged], [page for _, page in merged], page_map.at_foot)


def _blocks_after(blocks: list[Block], lines: list[int]) -> set[int]:
    """First lines of the blocks that follow each of the given (hint) lines."""
    firsts = [block.first for block in blocks]
    return {firsts[i] for i in (bisect.bisect_right(firsts, line) for line in lines) if i < len(firsts)}


def _body_start(blocks: list[Block], start: int, known: set[str], forced: set[int]) -> int:
    """Index of the first block of the first section or document after the cover and the 目录."""
    for index in range(start, len(blocks)):
        block = blocks[index]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if (
            block.first in forced
            or _marker_at(blocks, index, known)
            or is_issuer_mark(block)
            or is_decree_head(block, following)
        ):
            return index
        if is_number_line(block):
            # an issue without sections: the first document's title printed above its 发文字号 is its own
            return title_start(blocks, index, [start - 1])
    return len(blocks)


def _issue_numbers(masthead: Masthead, path: str, problems: Problems, year: int | None, number: int | None):
    found: dict[str, int | None] = {}
    given_by_editor = {"year": year, "number": number}
    for name in ("year", "number", "total_number"):
        values = masthead.issue_facts.get(name, [])
        distinct = sorted({value for value, _ in values})
        found[name] = distinct[0] if distinct else None
        if len(distinct) < 2:
            continue
        where = f"封面上的{_FACT_NAMES[name]}前后不一致（{'、'.join(f'第{line}行为{value}' for value, line in values)}）"
        if given_by_editor.get(name) is not None:
            found[name] = given_by_editor[name]
            problems.warning(path, values[0][1], f"{where}：以命令行指定的 {found[name]} 为准")
        elif name == "total_number":
            # Shown, never part of an address: the first printed (the cover's), for the editor to check.
            found[name] = values[0][0]
            problems.warning(path, values[0][1], f"{where}：暂取第{values[0][1]}行的 {found[name]}，请在 issue.yaml 中核对")
        else:
            problems.error(path, values[0][1], f"{where}：请用 --year/--issue 指定")
    printed = masthead.issue_facts.get("printed_year")
    if found["year"] is None and printed:
        found["year"] = printed[0][0]
    for name, given in (("year", year), ("number", number)):
        if given is not None:
            if found[name] is not None and found[name] != given:
                problems.warning(path, None, f"命令行指定的{_FACT_NAMES[name]} {given} 与封面上的 {found[name]} 不同：以命令行为准")
            found[name] = given
    if found["year"] is None or found["number"] is None:
        named = _FILENAME_ISSUE.search(path.replace("\\", "/").rsplit("/", 1)[-1])
        if named is None:
            problems.error(path, 1, "没有找到刊头（年份和期号）：请用 --year 和 --issue 指定这一期的年份和期号")
            return None
        found["year"] = found["year"] or int(named[1])
        found["number"] = found["number"] or int(named[2])
        problems.warning(path, 1, f"刊头上没有完整的年份和期号：按文件名取 {found['year']}年第{found['number']}期，请核对（或用 --year/--issue 指定）")
    if problems.has_errors():
        return None
    return found["year"], found["number"], found["total_number"]


_FACT_NAMES = {"year": "年份", "number": "期号", "total_number": "总期号"}


def _jurisdiction(sponsor: str) -> str:
    """武汉市新洲区人民政府 → 武汉市新洲区; 河北省人民政府公报 → 河北省 (expands 区人民政府 in signatures)."""
    for organ in ("人民政府", "政府"):
        if organ in sponsor:
            return sponsor[: sponsor.index(organ)]
    return ""


def _reference_date(lines: list[Line]) -> dt.date | None:
    """When the issue was made: the latest date printed alone on a line (成文日期), for 大事记 years."""
    latest = None
    for line in lines:
        if line.text and is_date_line(line.stripped):
            date, _ = parse_date(line.stripped)
            if date is not None and (latest is None or date > latest):
                latest = date
    return latest


def _marker_at(blocks: list[Block], index: int, known: set[str]) -> str | None:
    """The section that block ``index`` announces, if it is a marker: not when it finishes a title
    left unfinished on the line above (国家税务总局关于统一…等若 / 干增值税问题的公告, centred)."""
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    name = section_marker(blocks[index], known, following)
    if name is None or index == 0:
        return name
    above_name, above_decorated = marker_name(blocks[index - 1].text)
    if (above_decorated and not marker_name(blocks[index].text)[1] and name != above_name and name.endswith(above_name)
            and section_marker(blocks[index - 1], known) == above_name):
        # 【大事记】 / 斗门区大事记: the headline of the section's one document, under its marker
        return None
    if name in known:
        return name
    above = squash(blocks[index - 1].lines[-1].text)
    unfinished = "关于" in above and not above.endswith(TITLE_ENDINGS) and not ends_sentence(above)
    return None if unfinished and not marker_name(blocks[index].text)[1] else name


def _markers(blocks: list[Block], known: set[str], hints: list[Hint], heads: list[tuple[int, str]]) -> list[_Marker]:
    """Every section boundary of the body, in line order."""
    found = [_Marker(h.line, h.value, False) for h in hints if h.kind == "section"]
    for index, block in enumerate(blocks):
        name = _marker_at(blocks, index, known)
        if name is not None:
            found.append(_Marker(block.first, name, True))
    # A running head naming a known section stands for the marker it may have hidden.
    first = blocks[0].first if blocks else 0
    names = known | {m.name for m in found}
    found.extend(_Marker(line, name, False) for line, name in ((line, marker_name(text)[0]) for line, text in heads)
                 if line >= first and name in names)
    return sorted(found, key=lambda m: m.line)


def _sections(blocks: list[Block], markers: list[_Marker], toc: list[dict], ctx: Context):
    """(section name, blocks) for each section, in printed order."""
    sections: list[tuple[str, list[Block]]] = []
    marker_lines = {m.line for m in markers if m.printed}
    pending = iter(markers)
    upcoming = next(pending, None)
    for block in blocks:
        while upcoming is not None and upcoming.line <= block.first:
            if not sections or sections[-1][0] != upcoming.name:
                sections.append((upcoming.name, []))
            upcoming = next(pending, None)
        if block.first in marker_lines:
            continue
        if not sections:
            name = next((e["section"] for e in toc if e["section"]), None) or DEFAULT_SECTION
            ctx.problems.warning(ctx.path, block.first, f"第一篇文档前没有栏目标题：归入“{name}”，请核对（或在此行前加 @@栏目 名称）")
            sections.append((name, []))
        sections[-1][1].append(block)
    for name, section_blocks in sections:
        if not section_blocks:
            ctx.problems.warning(ctx.path, None, f"栏目“{name}”下没有内容")
    return [s for s in sections if s[1]]


def _number_drafts(drafts: list[Draft], year: int, number: int) -> None:
    """Printed order and permanent ids."""
    sequence: Counter[str] = Counter()
    for order, draft in enumerate(drafts, start=1):
        draft.order = order
        if draft.doc_number:
            draft.id = docnumber.parse_line(draft.doc_number).id
        else:
            sequence[draft.category] += 1
            draft.id = f"{year}-{number}-{section_slug(draft.category)}-{sequence[draft.category]}"


def _place_on_pages(drafts: list[Draft], toc: list[dict], page_map: PageMap, ctx: Context) -> None:
    """Start and end pages from the 目录 and the printed page numbers.

    The 目录 is what the gazette itself says, so it is trusted for the start;
    the page numbers in the text fill in the rest. Whether those numbers close
    or open their page is decided by which reading agrees with the 目录.
    """
    unused = list(toc)
    matched = {id(d): _toc_entry(d, unused, toc) for d in drafts}
    if page_map:
        printed = page_map.at_foot  # where the numbers stand in the text, when the 目录 cannot tell
        at_foot, at_head = _agreement(drafts, matched, page_map, True), _agreement(drafts, matched, page_map, False)
        page_map.at_foot = printed if at_foot == at_head else at_foot > at_head
    for draft in drafts:
        entry = matched[id(draft)]
        printed = page_map.page_at(draft.first_line) if page_map else None
        draft.page = entry["page"] if entry and entry["page"] is not None else printed
        if page_map:
            draft.page_end = max(page_map.page_at(draft.last_line) or 0, draft.page or 0) or None
        if entry is None and toc:
            found = f"page 按正文中印的页码取 {draft.page}，请核对" if draft.page else "page 留空"
            ctx.problems.warning(ctx.path, draft.first_line, f"目录中找不到《{draft.title}》：{found}")
    sections = {draft.category for draft in drafts}
    for entry in unused:
        title = entry["title"]
        if title not in sections and _lists_a_document(title):
            page = f"（第 {entry['page']} 页）" if entry["page"] is not None else ""
            ctx.problems.warning(ctx.path, entry["line"], f"目录中的《{title}》{page}在正文中没有找到：文本可能不全，"
                                 "或它并入了上一篇文档，请核对；是后者时，在它的标题前加一行 @@文档 标出它的开头")


# A 目录 entry naming a decree by its number alone: 河北省人民政府令（第119号）, 国务院令第593号.
_DECREE_HEAD = re.compile(r".{2,30}令[（(]?(?:第\d{1,5}号)?[）)]?")
# Shorter than this, a 目录 entry is a piece of a line its converter broke up, not a title.
_MIN_LISTED_TITLE = 6


def _lists_a_document(title: str) -> bool:
    """A 目录 entry's title is a document's: not a section's own entry (政务简讯……107), nor a decree's
    head listed above the rules it promulgates (河北省人民政府令（第119号） / 河北省制定…的规定), nor a
    piece of a 目录 line its converter broke up."""
    return not is_section_entry(title) and not _DECREE_HEAD.fullmatch(squash(title)) and len(title) >= _MIN_LISTED_TITLE


def _agreement(drafts: list[Draft], matched: dict, page_map: PageMap, at_foot: bool) -> int:
    page_map.at_foot = at_foot
    return sum(1 for d in drafts if matched[id(d)] and matched[id(d)]["page"] == page_map.page_at(d.first_line))


def _toc_entry(draft: Draft, unused: list[dict], toc: list[dict]) -> dict | None:
    """The 目录 entry of a document: by 发文字号 first, then by title, then its section's entry."""
    entry = next((e for e in unused if _same_number(e["doc_number"], draft.doc_number)), None)
    entry = entry or _by_title(draft, unused)
    if entry is None and draft.title == draft.category:
        # 人事任免, 大事记: the 目录 lists the section's own headline under the section
        entry = next((e for e in unused if e["section"] == draft.category), None)
    if entry is not None:
        unused.remove(entry)
        return entry
    return next((e for e in toc if e["title"] == draft.category), None)


def _same_number(listed: str | None, printed: str | None) -> bool:
    """The 目录 may shorten the organ of a decree (卫生部令第80号 for 中华人民共和国卫生部令第80号)."""
    if not listed or not printed:
        return False
    a, b = docnumber.parse_line(listed), docnumber.parse_line(printed)
    return (a is not None and b is not None and (a.year, a.number) == (b.year, b.number)
            and (a.agency.endswith(b.agency) or b.agency.endswith(a.agency)))


def _by_title(draft: Draft, unused: list[dict]) -> dict | None:
    title = comparable_title(draft.title)
    best, best_ratio = None, 0.0
    for entry in unused:
        other = comparable_title(entry["title"])
        if other and (other in title or title in other) and min(len(other), len(title)) >= _TOC_CONTAINED_SHARE * max(len(other), len(title)):
            return entry
        matcher = difflib.SequenceMatcher(None, title, other)
        # The quick ratios are upper bounds of ratio(): an entry that cannot beat the best
        # so far, or reach the threshold, is skipped without the costly exact comparison.
        needed = max(best_ratio, _TOC_MATCH_RATIO)
        if matcher.real_quick_ratio() < needed or matcher.quick_ratio() < needed:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = entry, ratio
    return best if best is not None and best_ratio >= _TOC_MATCH_RATIO else None


def _distinct_ids(drafts: list[Draft], elsewhere: Mapping[str, str], ctx: Context) -> None:
    """A document whose id is taken, by one before it in this issue (the same 发文字号 printed
    twice, or a split the editor must look at) or by another issue of the archive (``elsewhere``:
    id → the file that has it), keeps its printed number and gets a provisional id, with a warning
    naming both: the issue is ingested instead of losing every document of it, and the build
    never sees one id twice."""
    holders: dict[str, Draft | str] = dict(elsewhere)
    taken = {d.id for d in drafts} | holders.keys()
    for draft in drafts:
        holder = holders.get(draft.id)
        if holder is not None:
            what = _what(draft)
            draft.id = _provisional_id(draft.id, taken)
            taken.add(draft.id)
            if isinstance(holder, Draft):
                message = (f"{what} 重复：第 {_line(holder)} 行的《{holder.title}》和第 {_line(draft)} 行的"
                           f"《{draft.title}》；后者的 id 暂定为 {draft.id}。")
            else:
                message = f"{what} 已见于另一期的 {holder}：本期的《{draft.title}》的 id 暂定为 {draft.id}。"
            ctx.problems.warning(ctx.path, _line(draft), message + _CHECK_SPLIT)
        holders[draft.id] = draft


_CHECK_SPLIT = "请对照 PDF 核对：若是拆分有误，用提示行 @@文档 标出文档开头后重新导入"


def _what(draft: Draft) -> str:
    return f"发文字号 {draft.doc_number}" if draft.doc_number else f"id {draft.id}"


def _provisional_id(taken_id: str, taken: set[str]) -> str:
    """``taken_id`` with -2, -3 … after it, the first that is free: no id made from a 发文字号
    (agency-year-number) or a section (year-number-section-n) ends that way but one made here."""
    suffix = 2
    while f"{taken_id}-{suffix}" in taken:
        suffix += 1
    return f"{taken_id}-{suffix}"


def _line(draft: Draft) -> int:
    return draft.doc_number_line or draft.first_line
