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
from typing import Callable

from .. import docnumber
from .section_marks import is_number_line
from .source import Block, Line, blocks_of
from .layout_tables import layout_tables_as_tabs
from .tables import html_tables_as_tabs, pipe_rows_as_tabs
from .toc import join_pages_apart
from .documents import (
    MAX_ADDRESSEE_LINES, TITLE_ENDINGS, is_addressee, is_doc_number, is_issuer_mark, is_org_name, looks_like_title,
)
from .text import bracket_balance, ends_sentence, is_date_line, is_dated_note, is_list_entry, squash, width

# A paragraph's first line, indented by two full-width spaces (or the spaces a converter put for them).
_INDENT = re.compile(r"^(?:\u3000|\s{2,})\S")
_MAX_SIGNATURE_LINES = 3
# So many short lines in a row are a table's cells read a piece a line (a cover or a list has fewer).
_MIN_CELL_PIECES = 15
_MAX_CELL_PIECE_WIDTH = 12
_FULL_STOPS = ("。", "；", "！", "？", "!", "?", ";")
# Lines of pdftotext's default order: fewer than this share indented or whole paragraphs.
_MAX_UNPRINTED_SHARE = 0.05
# One Chinese character alone on its line, and how many blank lines may stand between it and its word.
_ALONE_CHARACTER = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff]$")
# A piece read apart from the line it wraps: a character, a bracket or mark, a number.
_PIECE_APART = re.compile(r"^(?:[\u3400-\u4dbf\u4e00-\u9fff（）〔〕《》“”、，]|\d{1,4})$")
_MAX_BLANKS_APART = 2
# This many pieces read apart one after another are a line spread character by character.
_MIN_SPREAD_PIECES = 3
# A line at least this wide, ending no sentence, is a wrapped one: a character alone under it is its last.
_MIN_WRAPPED_WIDTH = 10
# Fewer blocks than this share of the lines: the export left no blank line between paragraphs.
_MIN_BLOCK_SHARE = 0.2
# No printed line of a gazette page is this wide: a wider line is a whole paragraph.
_PARAGRAPH_LINE_WIDTH = 50
# The most lines a bracket left open may run over to be closed, and their most width together.
_MAX_BRACKET_LINES = 4
_MAX_BRACKET_WIDTH = 100


def paragraph_blocks(lines: list[Line], printed_lines: bool = False) -> list[Block]:
    """The text's blocks, each a part that was printed apart (tables a converter wrote as HTML or
    Markdown first made the tab-separated rows the others give, a 目录 entry's page pushed onto
    lines of its own put back on its title's line).

    A text that has almost no blank lines was exported with none between
    paragraphs: every line is then a block of its own (table rows stay
    together), and lines the PDF wrapped are joined again later. So is a text
    of ``printed_lines`` (see ``in_printed_lines``), whatever its blank lines.
    """
    if printed_lines:
        lines = _letter_spaced_apart(lines)
    blocks = blocks_of(join_pages_apart(layout_tables_as_tabs(pipe_rows_as_tabs(html_tables_as_tabs(lines)))))
    written = sum(len(block.lines) for block in blocks)
    if written and (printed_lines or len(blocks) < _MIN_BLOCK_SHARE * written):
        blocks = [part for block in blocks for part in _lines_apart(block)]
    if printed_lines:
        blocks = _joined_runs(blocks, lambda out, index: _cells_run(blocks, index))
    return paragraphs_of(blocks)


def _cells_run(blocks: list[Block], index: int) -> int:
    """How many blocks from ``index`` are a table's cells, pdftotext reading them one piece a line in no
    order it could keep: a long run of short lines ending no sentence, a wider one among them (71% (含
    80% (含 区城管执: pieces of cells side by side) where a short one follows it (0: none)."""
    if is_org_name(blocks[index].text):  # a signature above a table: the cells begin under it
        return 0
    count = pieces = 0
    while index + count < len(blocks):
        block = blocks[index + count]
        if _is_cell_piece(block, _MAX_CELL_PIECE_WIDTH):
            pieces += 1
        elif not (count and _is_cell_piece(block, 2 * _MAX_CELL_PIECE_WIDTH) and index + count + 1 < len(blocks)
                  and _is_cell_piece(blocks[index + count + 1], _MAX_CELL_PIECE_WIDTH)):
            break
        count += 1
    return count if pieces >= _MIN_CELL_PIECES else 0


def _is_cell_piece(block: Block, widest: int) -> bool:
    """A short line ending no sentence (a bracket closed is no end in a cell: 80% (含水泥窑)), and none of
    the short lines around a table: a date, a 附件 line, a title (…工程量表)."""
    text = block.text.strip()
    return (block.is_single_line and width(text) <= widest and not text.endswith(_FULL_STOPS)
            and not is_date_line(text) and not text.startswith("附件") and not looks_like_title(text))


def in_printed_lines(lines: list[Line], page_tops: tuple[int, ...]) -> bool:
    """Whether the text is pdftotext's without ``-layout``: pages marked, each line a printed line at the
    margin (almost none indented, almost none a whole paragraph). Its blank lines then part the pieces
    of a page it read apart (目 / 录, 第一条 / 为保证…), not paragraphs."""
    if not page_tops:
        return False
    written = [line.text for line in lines if line.text.strip()]
    indented = sum(text[:1].isspace() for text in written)
    whole = sum(width(text) > _PARAGRAPH_LINE_WIDTH for text in written)
    return bool(written) and max(indented, whole) < _MAX_UNPRINTED_SHARE * len(written)


def _letter_spaced_apart(lines: list[Line]) -> list[Line]:
    """Characters printed apart, which pdftotext reads as pieces of their own, with their words again: a
    line justified so wide that each character is a piece (（ / 国 / 函 / 〔 / 1996 / 〕 / 14) is one line,
    on the end of the line above it if that ends no sentence; a piece after a line it wraps (…的通 / 知)
    goes back to it; a character set apart by letter spacing (目 / (blank) / 录, 主 / 办：…) goes on to
    the line after it. Blank lines, a couple at a time, stand between them."""
    out: list[Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        run = _pieces_run(lines, index)
        if len(run) >= _MIN_SPREAD_PIECES:
            spread = Line(line.number, "".join(lines[position].stripped for position in run))
            _join_above(out, _line_above(out, lambda text: not ends_sentence(text)), spread)
            index = run[-1] + 1
        elif run and (above := _line_above(out, _is_wrapped)) is not None:
            _join_above(out, above, line)
            index += 1
        elif run and _ALONE_CHARACTER.match(line.stripped) and (after := _next_written(lines, index)) is not None:
            out.append(Line(line.number, line.stripped + lines[after].stripped))
            index = after + 1
        else:
            out.append(line)
            index += 1
    return out


def _is_wrapped(text: str) -> bool:
    return width(text) >= _MIN_WRAPPED_WIDTH and not ends_sentence(text)


def _line_above(out: list[Line], open_: Callable[[str], bool]) -> int | None:
    """The index of the last line with text in ``out`` (a blank line or two after it), if ``open_``."""
    for index in range(len(out) - 1, max(-1, len(out) - 2 - _MAX_BLANKS_APART), -1):
        if out[index].stripped:
            return index if open_(out[index].stripped) else None
    return None


def _join_above(out: list[Line], above: int | None, line: Line) -> None:
    """``line`` on the end of ``out[above]`` (the blank lines after it dropped), or after them all."""
    if above is None:
        out.append(line)
    else:
        out[above:] = [Line(out[above].number, out[above].text.rstrip() + line.stripped)]


def _pieces_run(lines: list[Line], start: int) -> list[int]:
    """The positions of the pieces read apart from ``start`` on, a couple of blank lines at most between two."""
    run: list[int] = []
    position = start
    while position < len(lines) and _PIECE_APART.match(lines[position].stripped):
        run.append(position)
        after = _next_written(lines, position)
        if after is None or not _PIECE_APART.match(lines[after].stripped):
            break
        position = after
    return run


def _next_written(lines: list[Line], position: int) -> int | None:
    """The next line with text after ``position``, across a blank line or two."""
    for after in range(position + 1, min(len(lines), position + 2 + _MAX_BLANKS_APART)):
        if lines[after].stripped:
            return after
    return None


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


def _joined_runs(blocks: list[Block], run_at: Callable[[list[Block], int], int]) -> list[Block]:
    """The blocks, each run of more than one that ``run_at(out, index)`` finds (its length; ``out``
    the blocks before it, as joined) made one block."""
    out: list[Block] = []
    index = 0
    while index < len(blocks):
        run = run_at(out, index)
        if run > 1:
            out.append(Block(tuple(line for block in blocks[index:index + run] for line in block.lines)))
            index += run
        else:
            out.append(blocks[index])
            index += 1
    return out


def _join_open_brackets(blocks: list[Block]) -> list[Block]:
    """Lines printed apart while a bracket stays open are one block again: a note under a title
    (（2009年…审议通过 / …自公布之日起 / 施行）), a title (…《…管理办 / 法》的决定). Only where the
    bracket closes within a few lines: a bracket never closed joins nothing."""
    return _joined_runs(blocks, lambda out, index: _open_bracket_run(blocks[index:index + _MAX_BRACKET_LINES]))


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
        per_paragraph = any(width(line.stripped) > _PARAGRAPH_LINE_WIDTH and ends_sentence(line.stripped)
                            for line in lines)
        addressee = _addressee_bounds(lines)
        start, open_brackets = 0, bracket_balance(lines[0].stripped)  # of the paragraph so far
        for index in range(1, len(lines)):
            if addressee[index] if index in addressee else _breaks_before(lines, index, per_paragraph, open_brackets):
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
    return _joined_runs(blocks, run_at)


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
        if ends_sentence(text) or _stands_alone(line) or is_date_line(text) or _header_part(Block((line,))):
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
    if _signature_starts(lines, index) and not is_org_name(previous.stripped):
        return True
    # Lines that are whole paragraphs are each a block; a paragraph that a page break
    # cut in two is joined again later, like any other (elements.join_elements).
    return per_paragraph


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
    )


def _is_addressee_line(line: Line) -> bool:
    """各设区市人民政府，…省政府有关部门：— the 主送机关 ends its own line."""
    text = squash(line.stripped)
    return text.endswith(("：", ":")) and width(text) <= 120 and "。" not in text and (
        text.startswith("各") or "、" in text or "，" in text)
