"""pdftotext's default order: every line a printed line at the margin, blank lines wherever it read a page
in pieces.

Without ``-layout``, pdftotext reads each page as pieces of text and writes them one after another:
the lines of a paragraph, hard-wrapped, at the margin; a blank line between two pieces, inside a
sentence as often as between paragraphs; a word set apart by letter spacing (目　　录), or a line
justified so wide that each character stands apart, as pieces a character each; a table one piece of
a cell a line, in no order it keeps. Such a text is read a printed line a block (:mod:`.paragraphs`),
its characters read apart joined again, a table's pieces kept together as one block.
"""
from __future__ import annotations

import re
from typing import Callable

from .documents import attachment_marker, is_doc_number, is_issuer_mark, is_org_name, looks_like_title
from .section_marks import section_marker
from .source import Block, Line
from .text import CJK_CHARS, FULL_STOPS, PARAGRAPH_LINE_WIDTH, ends_sentence, is_date_line, width

# So many short lines in a row are a table's cells read a piece a line (a cover or a list has fewer).
_MIN_CELL_PIECES = 15
_MAX_CELL_PIECE_WIDTH = 12
# Lines of pdftotext's default order: fewer than this share indented or whole paragraphs.
_MAX_UNPRINTED_SHARE = 0.05
# One Chinese character alone on its line; a piece read apart from the line it wraps: a character, a
# bracket or mark, a number; and how many blank lines may stand between such a piece and its word.
_ALONE_CHARACTER = re.compile(rf"^[{CJK_CHARS}]$")
_PIECE_APART = re.compile(rf"^(?:[{CJK_CHARS}（）〔〕《》“”、，]|\d{{1,4}})$")
_MAX_BLANKS_APART = 2
# This many pieces read apart one after another are a line spread character by character.
_MIN_SPREAD_PIECES = 3
# A line at least this wide, ending no sentence, is a wrapped one: a character alone under it is its last.
_MIN_WRAPPED_WIDTH = 10


def cells_joined(blocks: list[Block]) -> list[Block]:
    """The blocks, each run of a table's cells made one block: pdftotext reading them one piece a line in
    no order it could keep, a long run of short lines ending no sentence, a wider one among them (71% (含
    80% (含 区城管执: pieces of cells side by side) where a short one follows it. One pass: a run too short
    to be a table holds none either."""
    out: list[Block] = []
    index = 0
    while index < len(blocks):
        end, pieces = index, 0
        # a signature above a table is no cell: the cells begin under it
        while end < len(blocks) and not (end == index and is_org_name(blocks[end].text)):
            if _is_cell_piece(blocks[end], _MAX_CELL_PIECE_WIDTH):
                pieces += 1
            elif not (end > index and end + 1 < len(blocks) and _is_cell_piece(blocks[end], 2 * _MAX_CELL_PIECE_WIDTH)
                      and _is_cell_piece(blocks[end + 1], _MAX_CELL_PIECE_WIDTH)):
                break
            end += 1
        if end > index + 1 and section_marker(blocks[end - 1], set()) is not None:
            # the name of the section after the table (政务简讯, at the next page's head) is none of its cells
            end, pieces = end - 1, pieces - 1
        if pieces >= _MIN_CELL_PIECES:
            out.append(Block(tuple(line for block in blocks[index:end] for line in block.lines)))
        else:
            out += blocks[index:max(end, index + 1)]
        index = max(end, index + 1)
    return out


def _is_cell_piece(block: Block, widest: int) -> bool:
    """A short line ending no sentence (a bracket closed is no end in a cell: 80% (含水泥窑)), and none of
    the short lines around a table: a date, a 附件 line, a title (…工程量表)."""
    text = block.text.strip()
    return (block.is_single_line and width(text) <= widest and not text.endswith(FULL_STOPS)
            and not is_date_line(text) and not text.startswith("附件") and not looks_like_title(text))


def in_printed_lines(lines: list[Line], page_tops: tuple[int, ...]) -> bool:
    """Whether the text is pdftotext's without ``-layout``, or another reader's of a PDF's text lines
    (PyMuPDF's, a copy from a viewer): each line a printed line at the margin (almost none indented,
    almost none a whole paragraph), and its pages marked, or no blank line anywhere. Its blank lines
    then part the pieces of a page it read apart (目 / 录, 第一条 / 为保证…), not paragraphs."""
    written = [line.text for line in lines if line.text.strip()]
    indented = sum(text[:1].isspace() for text in written)
    whole = sum(width(text) > PARAGRAPH_LINE_WIDTH for text in written)
    blank = len(lines) - len(written)
    return (bool(written) and max(indented, whole) < _MAX_UNPRINTED_SHARE * len(written)
            and (bool(page_tops) or blank < _MAX_UNPRINTED_SHARE * len(written)))


def letter_spaced_apart(lines: list[Line], breaks: frozenset[int] = frozenset()) -> list[Line]:
    """Characters printed apart, which pdftotext reads as pieces of their own, with their words again: a
    line justified so wide that each character is a piece (（ / 国 / 函 / 〔 / 1996 / 〕 / 14) is one line,
    on the end of the line above it if that ends no sentence; a piece after a line it wraps (…的通 / 知)
    goes back to it; a character set apart by letter spacing (目 / (blank) / 录, 主 / 办：…) goes on to
    the line after it, and so does a 目录's page printed before its title. Blank lines, a couple at a
    time, stand between them; a page break (``breaks``: the lines of the page numbers and running heads
    removed) never does: a table's last piece (局) stays off the next page's 附件4 or 政务简讯."""
    out: list[Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        run = _pieces_run(lines, index, breaks)
        if run and (above := _line_above(out, _is_wrapped)) is not None and looks_like_title(
                out[above].stripped + line.stripped):
            # the last character of a wrapped title (…细化分解 / 表), whatever pieces follow it (a table's
            # header read a cell at a time: 完 / 序)
            _join_above(out, above, line)
            index += 1
        elif len(run) >= _MIN_SPREAD_PIECES:
            spread = Line(line.number, "".join(lines[position].stripped for position in run))
            _join_above(out, _line_above(out, lambda text: _continued_by(text, spread.stripped)), spread)
            index = run[-1] + 1
        elif (run and line.stripped.isdigit() and (after := _next_written(lines, index, breaks)) is not None
              and "关于" in lines[after].stripped):
            # a 目录's page printed before its title (3　广安市…关于印发…), read apart from it
            out.append(Line(line.number, f"{line.stripped} {lines[after].stripped}"))
            index = after + 1
        elif run and (above := _line_above(out, _is_wrapped)) is not None:
            _join_above(out, above, line)
            index += 1
        elif (run and _ALONE_CHARACTER.match(line.stripped) and (after := _next_written(lines, index, breaks)) is not None
              and not _begins_a_part(lines[after])):
            out.append(Line(line.number, line.stripped + lines[after].stripped))
            index = after + 1
        else:
            out.append(line)
            index += 1
    return out


def _begins_a_part(line: Line) -> bool:
    """A line that begins a part of its own, which no character read apart above it belongs to (a table's
    last piece, 局, above the next document's 武汉市新洲区人民政府办公室文件 on the next page)."""
    block = Block((line,))
    return (is_issuer_mark(block) or is_doc_number(block) or attachment_marker(block) is not None
            or section_marker(block, set()) is not None)


def _continued_by(text: str, spread: str) -> bool:
    """Whether a line spread character by character goes on the end of ``text``: a line ending no
    sentence, but a finished title only with a bracket (the 目录's …的批复 / （国函〔1999〕141号）), not
    with a table's header read a cell at a time under an attachment's …分解表 (序 / 号)."""
    return not ends_sentence(text) and (not looks_like_title(text) or spread.startswith(("（", "(", "〔")))


def _is_wrapped(text: str) -> bool:
    """A line wide enough to have wrapped, ending no sentence and no title."""
    return width(text) >= _MIN_WRAPPED_WIDTH and not ends_sentence(text) and not looks_like_title(text)


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


def _pieces_run(lines: list[Line], start: int, breaks: frozenset[int]) -> list[int]:
    """The positions of the pieces read apart from ``start`` on, a couple of blank lines at most between two."""
    run: list[int] = []
    position = start
    while position < len(lines) and _PIECE_APART.match(lines[position].stripped):
        run.append(position)
        after = _next_written(lines, position, breaks)
        if after is None or not _PIECE_APART.match(lines[after].stripped):
            break
        position = after
    return run


def _next_written(lines: list[Line], position: int, breaks: frozenset[int]) -> int | None:
    """The next line with text after ``position``, across a blank line or two but no page break."""
    for after in range(position + 1, min(len(lines), position + 2 + _MAX_BLANKS_APART)):
        if lines[after].number in breaks:
            return None
        if lines[after].stripped:
            return after
    return None
