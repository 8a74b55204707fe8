"""Tables as ``pdftotext -layout`` gives them → the tab-separated rows the other converters give.

The converter sets a table's cells apart by runs of spaces, and wraps each
cell's text over lines of its own, in place, its lines centred on the row as
gazettes set their tables. The columns are where pieces
of text start, line after line; the rows are the runs of lines between blank
ones, where the table has them, cut around each number of its first column
(序号, printed in the middle of its row).
"""
from __future__ import annotations

import bisect
import re

from .documents import attachment_marker
from .source import Block, Line
from .text import join_wrapped

# A line of such a table: two gaps of two spaces or more inside it. A table is at least this many such
# lines, this many of them with three cells or more; lines between them with one short piece of text
# only (a cell's wrapped part), or a few blank ones, stay in the table.
_MIN_LAYOUT_ROWS = 3
_MIN_WIDE_LINES = 2
_MAX_BLANKS_BETWEEN = 8  # a page break: the running head and page number blanked, and the space around them
# A line of a cell's text between them is narrower than a line of text.
_MAX_PIECE_BETWEEN = 40
# Pieces of text starting this close (in characters) are in one column.
_COLUMN_SLACK = 2
# A piece of a cell under a table's last line of cells: no longer than a narrow column's line.
_MAX_CELL_PIECE = 8


def layout_tables_as_tabs(lines: list[Line]) -> list[Line]:
    """The lines, each table in them made tab-separated rows (the number of a row's first line)."""
    out: list[Line] = []
    index = 0
    while index < len(lines):
        if "  " not in lines[index].text.strip(" "):  # no table starts on a line of one piece
            out.append(lines[index])
            index += 1
            continue
        end, is_table = _layout_run(lines, index)
        if is_table:
            out += _layout_rows(lines[index:end])
        else:  # no table starts inside the run either: it has fewer of the same lines
            out += lines[index:end]
        index = end
    return out


def _layout_run(lines: list[Line], start: int) -> tuple[int, bool]:
    """The index after the run of table-like lines from ``start`` (at least one line), and whether
    it is a table."""
    end, rows, wide, gap, blanks, first = start, 0, 0, 0, 0, 0
    starts: set[int] = set()  # where the run's pieces of text start; the first column's, the leftmost
    for position in range(start, len(lines)):  # by index: a slice or islice goes over the rest of the text again
        line = lines[position]
        pieces = _split_pieces(line.text) if line.stripped and "\t" not in line.text else []
        if len(pieces) >= 2:
            first = min(first, pieces[0][0]) if rows else pieces[0][0]
            end, rows, wide, gap, blanks = end + gap + 1, rows + 1, wide + (len(pieces) >= 3), 0, 0
            starts.update(column for column, _ in pieces)
        elif rows and not line.stripped and blanks < _MAX_BLANKS_BETWEEN:
            gap, blanks = gap + 1, blanks + 1
        elif (rows and len(pieces) == 1 and _in_column(pieces[0], starts, first, _MAX_PIECE_BETWEEN)
              and not _opens_a_part(line)):
            gap, blanks = gap + 1, 0
        else:
            break
    # The last row's cells go on below its last line of two pieces: short pieces in its columns.
    while (end < len(lines) and len(pieces := _split_pieces(lines[end].text)) == 1
           and _in_column(pieces[0], starts, first, _MAX_CELL_PIECE)):
        end += 1
    return max(end, start + 1), rows >= _MIN_LAYOUT_ROWS and wide >= _MIN_WIDE_LINES


def _opens_a_part(line: Line) -> bool:
    """附件4, and with it the next attachment, printed under a table (after a page break): none of its cells."""
    return attachment_marker(Block((line,))) is not None


def _in_column(piece: tuple[int, str], starts: set[int], first: int, longest: int) -> bool:
    """A piece of a cell: short, starting where pieces of the table start; in its first column, only a
    row's number (printed alone, or with the next cell's text a single space after it)."""
    column, text = piece
    if column <= first + _COLUMN_SLACK:
        return text[:1].isdigit() and len(text) <= longest
    return len(text) <= longest and any(column + shift in starts for shift in range(-_COLUMN_SLACK, _COLUMN_SLACK + 1))


# The converter sets cells apart with spaces (U+0020); typed text (名单: 组长：韩正　　国务院副总理) with others.
_PIECE = re.compile(r"[^ ]+(?: [^ ]+)*")


def _split_pieces(text: str) -> list[tuple[int, str]]:
    """(column, text) of the pieces of a line, set apart by two spaces or more."""
    inner = text.strip(" ")
    if "  " not in inner:  # most lines: one piece at most, found without the pattern
        return [(len(text) - len(text.lstrip(" ")), inner)] if inner else []
    return [(match.start(), match.group()) for match in _PIECE.finditer(text)]


def _layout_rows(lines: list[Line]) -> list[Line]:
    split = [_row_number_apart(_split_pieces(line.text)) for line in lines]
    starts = sorted(column for found in split for column, _ in found)
    columns: list[int] = []
    for column in starts:
        if not columns or column - columns[-1] > _COLUMN_SLACK:
            columns.append(column)
    pieces = [[(bisect.bisect_right(columns, column + _COLUMN_SLACK) - 1, text) for column, text in found]
              for found in split]
    groups = _row_groups(lines, pieces)
    rows = []
    for group in groups:
        cells = [""] * len(columns)
        for position in group:
            for column, text in pieces[position]:
                cells[column] = join_wrapped(cells[column], text) if cells[column] else text
        rows.append(cells)
    return [Line(lines[group[0]].number, "\t".join(cells)) for group, cells in zip(groups, _columns_joined(rows))]


def _columns_joined(rows: list[list[str]]) -> list[list[str]]:
    """Side by side columns that no row fills both of as one: where one column's text starts a few
    characters apart from page to page (the header's and the rows' too), it makes several."""
    joined: list[list[int]] = []
    filled: list[bool] = []  # the rows that the last joined column fills
    for column in range(len(rows[0]) if rows else 0):
        mine = [bool(row[column]) for row in rows]
        if joined and not any(a and b for a, b in zip(mine, filled)):
            joined[-1].append(column)
            filled = [a or b for a, b in zip(mine, filled)]
        else:
            joined.append([column])
            filled = mine
    return [[next((row[column] for column in columns if row[column]), "") for columns in joined] for row in rows]


# A row's number with its next cell's text a single space after it: 10 省促进民营经济发展….
_NUMBER_AND_TEXT = re.compile(r"^(\d{1,3}) (\S.*)$")


def _row_number_apart(pieces: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The pieces of a table's line, a row's number set apart from the text a single space after it."""
    found = _NUMBER_AND_TEXT.match(pieces[0][1]) if pieces else None
    if found is None:
        return pieces
    column = pieces[0][0]
    return [(column, found[1]), (column + len(found[1]) + 1, found[2]), *pieces[1:]]


def _row_groups(lines: list[Line], pieces: list[list[tuple[int, str]]]) -> list[list[int]]:
    """The positions of the lines of each row, the header's first: the runs between blank lines (when
    the table has them; else one run), each cut around the numbers of the first column it has."""
    runs: list[list[int]] = [[]]
    for position, line in enumerate(lines):
        if line.stripped:
            runs[-1].append(position)
        elif runs[-1]:
            runs.append([])
    runs = [run for run in runs if run]
    if len(runs) < _MIN_LAYOUT_ROWS:
        runs = [[position for run in runs for position in run]]
    numbered = [[position for position in run if pieces[position][0][0] == 0 and pieces[position][0][1].isdigit()]
                for run in runs]
    # How far above its number a row begins, in the later runs holding one row each: in the first,
    # the header is what stands higher (printed over the first row with no blank line between).
    above = sorted(anchors[0] - run[0] for run, anchors in zip(runs[1:], numbered[1:]) if len(anchors) == 1)
    groups: list[list[int]] = []
    for run, anchors in zip(runs, numbered):
        if not anchors:
            groups += [run] if len(runs) > 1 else [[position] for position in run]
            continue
        # A row's lines stand around its number, about half a row above it; a later run between blank
        # lines with one number is one row.
        if len(anchors) > 1:
            reach = (anchors[1] - anchors[0]) // 2
        elif len(runs) == 1:
            reach = 0
        else:
            reach = above[len(above) // 2] if not groups and above else len(run)
        cut: list[list[int]] = [[] for _ in range(len(anchors) + 1)]
        for position in run:
            cut[0 if position < anchors[0] - reach else 1 + _nearest(anchors, position)].append(position)
        groups += [group for group in cut if group]
    return groups


def _nearest(anchors: list[int], position: int) -> int:
    """The index of the anchor nearest ``position`` (the earlier one of two as near)."""
    after = bisect.bisect_left(anchors, position)
    if after == len(anchors) or (after and position - anchors[after - 1] <= anchors[after] - position):
        return after - 1
    return after
