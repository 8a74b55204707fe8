"""Blocks run together by the export, split back into the parts they print.

Some converters leave no blank line between paragraphs: a title, the note
under it, the 主送机关 and the text then come as one block. A line that is a
part of its own (a 发文字号, a note, a decree's number, a 主送机关) is split
off; an indented line begins a paragraph; and where the lines are whole
paragraphs (wider than a printed line), every line is a block of its own.
A 主送机关 wrapped over printed lines is then one block again.
"""
from __future__ import annotations

import re

from .. import docnumber
from .section_marks import DECORATION, is_number_line, is_section_like, marker_name
from .source import Block, Line, blocks_of, joined_runs
from .layout_tables import layout_tables_as_tabs
from .printed_lines import cells_joined, letter_spaced_apart
from .tables import html_tables_as_tabs, pipe_rows_as_tabs
from .toc import join_pages_apart
from .documents import (
    MAX_ADDRESSEE_LINES, TITLE_ENDINGS, is_addressee, is_doc_number, is_issuer_mark, is_org_name, looks_like_title,
)
from .text import (
    DATE_PATTERN, PARAGRAPH_LINE_WIDTH, bracket_balance, ends_sentence, is_date_line, is_dated_note, is_list_entry, squash,
    width,
)

# A paragraph's first line, indented by two full-width spaces (or the spaces a converter put for them).
_INDENT = re.compile(r"^(?:\u3000|\s{2,})\S")
_MAX_SIGNATURE_LINES = 3
# Fewer blocks than this share of the lines: the export left no blank line between paragraphs.
_MIN_BLOCK_SHARE = 0.2
# The most lines a bracket left open may run over to be closed, and their most width together.
_MAX_BRACKET_LINES = 4
_MAX_BRACKET_WIDTH = 100


def paragraph_blocks(lines: list[Line], printed_lines: bool = False, breaks: frozenset[int] = frozenset()) -> list[Block]:
    """The text's blocks, each a part that was printed apart (tables a converter wrote as HTML or
    Markdown first made the tab-separated rows the others give, a 目录 entry's page pushed onto
    lines of its own put back on its title's line).

    A text that has almost no blank lines was exported with none between
    paragraphs: every line is then a block of its own (table rows stay
    together), and lines the PDF wrapped are joined again later. So is a text
    of ``printed_lines`` (pdftotext's default order, see :mod:`.printed_lines`), whatever its blank lines;
    ``breaks``: its lines that were a page's number or running head (removed), which no piece read apart
    is joined across.
    """
    if printed_lines:
        lines = letter_spaced_apart(lines, breaks)
    blocks = blocks_of(join_pages_apart(layout_tables_as_tabs(pipe_rows_as_tabs(html_tables_as_tabs(lines)))))
    written = sum(len(block.lines) for block in blocks)
    if written and (printed_lines or len(blocks) < _MIN_BLOCK_SHARE * written):
        blocks = [part for block in blocks for part in _lines_apart(block)]
    if printed_lines:
        blocks = cells_joined(blocks)
    return paragraphs_of(blocks)


def paragraphs_of(blocks: list[Block]) -> list[Block]:
    """Blocks as paragraphs: those a converter ran together split apart, and lines it printed
    apart inside one bracket, or rows of one table, joined again."""
    return _join_table_rows(_join_open_brackets(_split_run_together(blocks)))


def _join_table_rows(blocks: list[Block]) -> list[Block]:
    """Table rows a converter printed each apart (a blank line between every two) are one block
    again: a run of single rows with as many cells each. A part of a table a page break cut off
    is more than one row, and joined later, with its page (elements.join_elements)."""
    out: list[Block] = []
    for block in blocks:
        previous = out[-1] if out else None
        if (previous is not None and block.is_single_line and _cells(block) > 1 and _cells(previous) == _cells(block)
                and all(line.has_tabs for line in previous.lines) and (previous.is_single_line or _rows_joined(previous))):
            out[-1] = Block((*previous.lines, *block.lines))
        else:
            out.append(block)
    return out


def _cells(block: Block) -> int:
    """Cells of the block's last row (0 when it is no row)."""
    line = block.lines[-1]
    return line.text.count("\t") + 1 if line.has_tabs else 0


def _rows_joined(block: Block) -> bool:
    """Whether the block is rows joined here: printed apart, they are not one after another."""
    return any(b.number != a.number + 1 for a, b in zip(block.lines, block.lines[1:]))


def _join_open_brackets(blocks: list[Block]) -> list[Block]:
    """Lines printed apart while a bracket stays open are one block again: a note under a title
    (（2009年…审议通过 / …自公布之日起 / 施行）), a title (…《…管理办 / 法》的决定). Only where the
    bracket closes within a few lines: a bracket never closed joins nothing."""
    return joined_runs(blocks, lambda out, index: _open_bracket_run(blocks[index:index + _MAX_BRACKET_LINES]))


def _open_bracket_run(blocks: list[Block]) -> int:
    """How many of these single lines, the first leaving a bracket open, the last closing it, make
    a title's or a note's length (0: none; a paragraph a page break cut is joined later, and counted)."""
    balance, length = 0, 0.0
    for count, block in enumerate(blocks, start=1):
        length += width(block.text)
        if not block.is_single_line or block.lines[0].has_tabs or length > _MAX_BRACKET_WIDTH:
            return 0
        balance += bracket_balance(block.text)
        if balance <= 0:
            return count if count > 1 and balance == 0 else 0
    return 0


def _lines_apart(block: Block) -> list[Block]:
    parts: list[list[Line]] = []
    for line in block.lines:
        if parts and line.has_tabs and parts[-1][-1].has_tabs:
            parts[-1].append(line)
        else:
            parts.append([line])
    return [Block(tuple(part)) for part in parts]


def _split_run_together(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if block.is_single_line or any(line.has_tabs for line in block.lines):
            out.append(block)
            continue
        lines = block.lines
        per_paragraph = any(width(line.stripped) > PARAGRAPH_LINE_WIDTH and ends_sentence(line.stripped)
                            for line in lines)
        addressee = _addressee_bounds(lines)
        start, open_brackets = 0, bracket_balance(lines[0].stripped)  # of the paragraph so far
        for index in range(1, len(lines)):
            # a note under a title wrapped over lines (（2009年6月26日…审议 / …自公布之日起施行）) ends where it closes
            note_closed = (open_brackets <= 0 and lines[start].stripped[:1] in "（("
                           and is_dated_note("".join(line.stripped for line in lines[start:index])))
            if note_closed or (addressee[index] if index in addressee else
                               _breaks_before(lines, index, per_paragraph, open_brackets)):
                out.append(Block(lines[start:index]))
                start, open_brackets = index, 0
            open_brackets += bracket_balance(lines[index].stripped)
        out.append(Block(lines[start:]))
    return _join_addressees(out)


def _addressee_bounds(lines: tuple[Line, ...]) -> dict[int, bool]:
    """Inside lines run together, a 主送机关 wrapped over lines: index → True where a break begins or
    ends it, False inside it (its lines are one paragraph)."""
    bounds: dict[int, bool] = {}
    index = 0
    while index < len(lines):
        # under the header; or first in the block, the header printed apart above it
        count = _addressee_lines(lines[index:]) if not index or _header_part(Block((lines[index - 1],))) else 0
        if count:
            bounds.update({inner: False for inner in range(index + 1, index + count)})
            bounds[index] = bounds[index + count] = True
            index += count
        else:
            index += 1
    return bounds


def _join_addressees(blocks: list[Block]) -> list[Block]:
    """A 主送机关 the export left one printed line per block (北京市、天津市、…吉林 / 省、黑龙江省、… /
    …广州军区：) is one block again."""
    def run_at(out: list[Block], index: int) -> int:
        if not (out and _header_part(out[-1])):
            return 0
        singles = []
        for block in blocks[index:index + MAX_ADDRESSEE_LINES]:
            if not block.is_single_line:
                break
            singles.append(block.lines[0])
        return _addressee_lines(tuple(singles))
    return joined_runs(blocks, run_at)


def _header_part(block: Block) -> bool:
    """What a 主送机关 is printed under: the 发文字号, the title, the note under it, the 版头."""
    return is_doc_number(block) or looks_like_title(block.squashed) or is_dated_note(block.squashed) or is_issuer_mark(block)


def _addressee_lines(lines: tuple[Line, ...]) -> int:
    """How many of these lines, printed one under another right under the header (a converter may
    leave a blank line between them), make a 主送机关 wrapped over them: none ends a sentence, the
    last ends with the colon (0: they make none)."""
    taken: list[Line] = []
    for line in lines[:MAX_ADDRESSEE_LINES]:
        taken.append(line)
        text = squash(line.stripped)
        if text.endswith(("：", ":")):
            return len(taken) if len(taken) > 1 and is_addressee(Block(tuple(taken))) else 0
        if (ends_sentence(text) or _stands_alone(line) or is_date_line(text) or text.isdigit()
                or _header_part(Block((line,)))):
            return 0
    return 0


def _breaks_before(lines: tuple[Line, ...], index: int, per_paragraph: bool, open_brackets: int) -> bool:
    """``open_brackets``: how many brackets the paragraph above this line leaves open."""
    previous, line = lines[index - 1], lines[index]
    if _stands_alone(previous) or _stands_alone(line):
        return True
    if _INDENT.match(line.text) and open_brackets <= 0 and not _centred_title_line(previous, line):
        # an indented line begins a paragraph, unless it is the next entry of a name list (or it
        # is inside a bracket: a wrapped note, centred line by line, or the space between two of
        # its clauses come to a line's start; or a converter centred the last line of a title)
        return not (is_list_entry(previous.stripped) and is_list_entry(line.stripped))
    if _is_addressee_line(previous) or (_is_addressee_line(line) and looks_like_title(previous.stripped)):
        return True
    if looks_like_title(previous.stripped) and _opens_dated_note(line.stripped):
        # （2009年6月26日…审议 / 通过　…公布 / 之日起施行）under a title: the note wraps on, the title ends
        return True
    if _signature_starts(lines, index) and not is_org_name(previous.stripped):
        return True
    # Lines that are whole paragraphs are each a block; a paragraph that a page break
    # cut in two is joined again later, like any other (elements.join_elements).
    return per_paragraph


def _opens_dated_note(text: str) -> bool:
    return text[:1] in "（(" and bracket_balance(text) > 0 and DATE_PATTERN.match(squash(text)[1:]) is not None


def _centred_title_line(previous: Line, line: Line) -> bool:
    """The shorter last line of a wrapped title, centred under it (``pdftotext -layout``)."""
    text = line.stripped
    return (looks_like_title(previous.stripped) and not ends_sentence(text)
            and width(text) < width(previous.stripped) and squash(text).endswith(TITLE_ENDINGS))


def _signature_starts(lines: tuple[Line, ...], index: int) -> bool:
    """Organ names from here on down to a date line: the 发文机关署名 and 成文日期."""
    for line in lines[index:index + _MAX_SIGNATURE_LINES + 1]:
        if is_date_line(line.stripped):
            return line is not lines[index]
        if not is_org_name(line.stripped):
            return False
    return False


def _stands_alone(line: Line) -> bool:
    text = line.stripped
    return (
        is_dated_note(text)
        or docnumber.parse_line(text) is not None
        or is_number_line(Block((line,)))
        or _decorated_marker(text)
    )


def _decorated_marker(text: str) -> bool:
    """【省政府规章】, ◆ 区级文件选登 ◆: a section's marker by the decoration around its name (a bare name may end
    a paragraph; a table's cell may open a bracket, 〈…中心〉、景, or follow a note's mark, ★ 村局)."""
    squashed = squash(text)
    name, decorated = marker_name(squashed)
    return decorated and is_section_like(name, decorated) and squashed[-1] in DECORATION


def _is_addressee_line(line: Line) -> bool:
    """各设区市人民政府，…省政府有关部门：, 甘肃省人民政府：— the 主送机关 ends its own line."""
    text = squash(line.stripped)
    return text.endswith(("：", ":")) and width(text) <= 120 and "。" not in text and (
        text.startswith("各") or "、" in text or "，" in text or is_org_name(text[:-1]))
