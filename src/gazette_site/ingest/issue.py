"""One raw issue text → issue metadata and document drafts (pure, no I/O)."""
from __future__ import annotations

import difflib
import hashlib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from .. import docnumber
from ..model import CATEGORIES
from ..problems import Problems
from . import elements as el
from .documents import is_doc_number, is_issuer_mark
from .draft import Context, Draft
from .masthead import Masthead, find_toc, parse_masthead, toc_end
from .sections import parser_for
from .source import Block, blocks_of, decode, split_lines
from .text import squash

_DECORATION = "◆◇■□●○★☆【】"
_TOC_MATCH_RATIO = 0.8


@dataclass
class ParsedIssue:
    year: int
    number: int
    meta: dict
    drafts: list[Draft]
    raw: bytes
    encoding: str
    stats: el.Stats = field(default_factory=el.Stats)


def section_marker(block: Block, known: set[str]) -> tuple[str | None, bool]:
    """(section name, whether it was decorated) for a section heading line."""
    if not block.is_single_line:
        return None, False
    text = block.squashed
    name = text.strip(_DECORATION)
    decorated = name != text
    if name in known or (decorated and 2 <= len(name) <= 12):
        return name, decorated
    return None, False


def parse_issue(raw: bytes, path: str, problems: Problems, year: int | None = None, number: int | None = None) -> ParsedIssue | None:
    decoded = decode(raw, path, problems)
    if decoded is None:
        return None
    # The converters' markup never spans a line break, so the whole text is repaired at once.
    text, repaired = el.repair_artifacts(decoded.text)
    blocks = blocks_of(split_lines(text))
    toc_index = find_toc(blocks)
    search_from = toc_end(blocks, toc_index) if toc_index is not None else 0

    provisional = parse_masthead(blocks[:search_from]) if toc_index is not None else Masthead()
    known = set(CATEGORIES) | {e["section"] for e in provisional.toc if e["section"]} | {
        e["title"] for e in provisional.toc if e["title"] in CATEGORIES
    }
    body_start = next(
        (i for i in range(search_from, len(blocks))
         if section_marker(blocks[i], known)[0] or is_issuer_mark(blocks[i]) or is_doc_number(blocks[i])),
        len(blocks),
    )
    masthead = parse_masthead(blocks[:body_start])
    resolved = _issue_numbers(masthead, path, problems, year, number)
    if resolved is None:
        return None
    year, number, total = resolved
    gazette = masthead.gazette
    if not gazette:
        problems.warning(path, 1, "没有识别出公报名称（《…》简介 或 “…公报”）：gazette 留空，请在 issue.yaml 中填写")
    jurisdiction = _jurisdiction(masthead.facts.get("主办", ""))
    ctx = Context(path, year, number, jurisdiction, problems)

    drafts: list[Draft] = []
    for category, section_blocks, marker_line in _sections(blocks[body_start:], known, masthead, ctx):
        if category not in CATEGORIES:
            problems.warning(path, marker_line, f"未登记的栏目“{category}”：请在 model.CATEGORIES 中登记后再导入")
        drafts.extend(parser_for(category)(section_blocks, category, ctx))
    if not drafts:
        problems.error(path, None, "没有找到任何文档：请确认这是一期完整的公报文本")
        return None

    stats = el.Stats(removed_artifacts=repaired)
    _number_drafts(drafts, year, number, masthead.toc, ctx)
    for draft in drafts:
        stats.add(draft.stats)
    _check_duplicates(drafts, ctx)

    meta = {
        "gazette": gazette,
        "year": year,
        "number": number,
        "total_number": total,
        "masthead": masthead.facts,
        "intro": masthead.intro,
        "toc": [{"section": e["section"], "title": e["title"], "page": e["page"]} for e in masthead.toc],
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


def _issue_numbers(masthead: Masthead, path: str, problems: Problems, year: int | None, number: int | None):
    found: dict[str, int | None] = {}
    for name in ("year", "number", "total_number"):
        values = masthead.issue_facts.get(name, [])
        distinct = sorted({value for value, _ in values})
        if len(distinct) > 1:
            where = "、".join(f"第{line}行为{value}" for value, line in values)
            problems.error(path, values[0][1], f"封面上的{_FACT_NAMES[name]}前后不一致（{where}）：请用 --year/--issue 指定")
        found[name] = distinct[0] if distinct else None
    for name, given in (("year", year), ("number", number)):
        if given is not None:
            if found[name] is not None and found[name] != given:
                problems.warning(path, None, f"命令行指定的{_FACT_NAMES[name]} {given} 与封面上的 {found[name]} 不同：以命令行为准")
            found[name] = given
    if found["year"] is None or found["number"] is None:
        problems.error(path, 1, "没有找到刊头（年份和期号）：请用 --year 和 --issue 指定这一期的年份和期号")
        return None
    if problems.has_errors():
        return None
    return found["year"], found["number"], found["total_number"]


_FACT_NAMES = {"year": "年份", "number": "期号", "total_number": "总期号"}


def _jurisdiction(sponsor: str) -> str:
    """武汉市新洲区人民政府 → 武汉市新洲区."""
    for suffix in ("人民政府办公室", "人民政府"):
        if sponsor.endswith(suffix):
            return sponsor[: -len(suffix)]
    return ""


def _sections(blocks: list[Block], known: set[str], masthead: Masthead, ctx: Context):
    """(category, blocks, marker line) for each printed section, in order."""
    sections: list[tuple[str, list[Block], int]] = []
    for block in blocks:
        name, _ = section_marker(block, known)
        if name is not None:
            sections.append((name, [], block.first))
        elif sections:
            sections[-1][1].append(block)
        else:
            first_group = next((e["section"] for e in masthead.toc if e["section"]), None)
            if first_group is None:
                ctx.problems.warning(ctx.path, block.first, "第一篇文档前没有栏目标题：归入“区级文件选登”，请核对")
            sections.append((first_group or "区级文件选登", [block], block.first))
    for name, section_blocks, line in sections:
        if not section_blocks:
            ctx.problems.warning(ctx.path, line, f"栏目“{name}”下没有内容")
    return [s for s in sections if s[1]]


def _comparable(text: str) -> str:
    return unicodedata.normalize("NFKC", squash(text))


def _number_drafts(drafts: list[Draft], year: int, number: int, toc: list[dict], ctx: Context) -> None:
    """Printed order, permanent ids, and pages from the 目录."""
    sequence: Counter[str] = Counter()
    unused = list(toc)
    for order, draft in enumerate(drafts, start=1):
        draft.order = order
        if draft.doc_number:
            draft.id = docnumber.parse_line(draft.doc_number).id
        else:
            sequence[draft.category] += 1
            slug = CATEGORIES.get(draft.category) or docnumber.agency_slug(draft.category)
            draft.id = f"{year}-{number}-{slug}-{sequence[draft.category]}"
        draft.page = _page_for(draft, unused, toc, ctx)


def _page_for(draft: Draft, unused: list[dict], toc: list[dict], ctx: Context) -> int | None:
    title = _comparable(draft.title)
    best, best_ratio = None, 0.0
    for entry in unused:
        matcher = difflib.SequenceMatcher(None, title, _comparable(entry["title"]))
        # The quick ratios are upper bounds of ratio(): an entry that cannot beat the best
        # so far, or reach the threshold, is skipped without the costly exact comparison.
        needed = max(best_ratio, _TOC_MATCH_RATIO)
        if matcher.real_quick_ratio() < needed or matcher.quick_ratio() < needed:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = entry, ratio
    if best is not None and best_ratio >= _TOC_MATCH_RATIO:
        unused.remove(best)
        return best["page"]
    section_entry = next((e for e in toc if e["title"] == draft.category), None)
    if section_entry is not None:
        return section_entry["page"]
    if toc:
        ctx.problems.warning(ctx.path, draft.first_line, f"目录中找不到《{draft.title}》：page 留空")
    return None


def _check_duplicates(drafts: list[Draft], ctx: Context) -> None:
    first_seen: dict[str, Draft] = {}
    for draft in drafts:
        other = first_seen.setdefault(draft.id, draft)
        if other is draft:
            continue
        what = f"发文字号 {draft.doc_number}" if draft.doc_number else f"id {draft.id}"
        ctx.problems.error(
            ctx.path, _line(draft),
            f"{what} 重复：第 {_line(other)} 行的《{other.title}》和第 {_line(draft)} 行的《{draft.title}》",
        )


def _line(draft: Draft) -> int:
    return draft.doc_number_line or draft.first_line
