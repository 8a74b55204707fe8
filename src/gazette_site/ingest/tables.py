"""Tab-separated table rows → one table, rebuilt across page breaks."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import lxml.html
from lxml import etree

from .source import Line
from .text import join_wrapped, squash

# Converters emit HTML paragraphs inside multi-paragraph cells; the tags are
# artifacts of extraction, the paragraphs are kept side by side.
_CELL_HTML = re.compile(r"</?p>", re.IGNORECASE)


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    first_line: int
    last_line: int
    repeated_headers: int = 0  # header rows dropped after page breaks
    merged_rows: int = 0  # rows cut by a page break and merged back
    cell_artifacts: int = 0  # <p> tags removed from cells

    @property
    def width(self) -> int:
        return max([len(self.header)] + [len(row) for row in self.rows])


# A cell spans no more columns or rows than this (a hostile colspan must not make millions of cells).
_MAX_SPAN = 100
# An HTML table closes within this many lines, or is no table (unclosed ones must not cost n²).
_MAX_TABLE_LINES = 5000
# A Markdown table's rows (| 序号 | 责任单位 |) and the delimiter row under its header (|---|:--:|).
_PIPE_ROW = re.compile(r"^\s*\|(?P<cells>.*\|.*)\|\s*$")
_PIPE_DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$")


def html_tables_as_tabs(lines: list[Line]) -> list[Line]:
    """HTML tables, as converters that write HTML give them (on one line or several), as tab-separated
    rows: a cell spanning columns or rows leaves blank cells where it spans, as a merged cell of the
    PDF does (``layout`` repeats its value). A row takes the number of the line it came from, as far
    as the table has lines; the rest share its last."""
    out: list[Line] = []
    closing = [n for n, line in enumerate(lines) if "</table>" in line.text]
    index = 0
    while index < len(lines):
        start = lines[index].text.find("<table")
        if start < 0:
            out.append(lines[index])
            index += 1
            continue
        following = bisect.bisect_left(closing, index)
        end = closing[following] if following < len(closing) and closing[following] - index < _MAX_TABLE_LINES else None
        text = "\n".join(line.text for line in lines[index:end + 1]) if end is not None else ""
        close = text.find("</table>", start) + len("</table>")
        rows = [row for row in _html_rows(text[start:close]) if any(cell for cell in row)] if end is not None else []
        if not rows:  # no table after all (never closed, or no row in it): the text as it is
            out.append(lines[index])
            index += 1
            continue
        numbers = [line.number for line in lines[index:end + 1]]
        before, after = text[:start].strip(), text[close:].strip()
        out += [Line(numbers[0], before)] if before else []
        out += [Line(numbers[min(n, len(numbers) - 1)], "\t".join(row)) for n, row in enumerate(rows)]
        out += [Line(numbers[-1], after)] if after else []
        index = end + 1
    return out


def _html_rows(fragment: str) -> list[list[str]]:
    try:
        table = lxml.html.fragment_fromstring(fragment)
    except (etree.ParserError, etree.XMLSyntaxError):  # not a table after all: its text as it is
        return []
    rows: list[list[str]] = []
    spanned: dict[int, int] = {}  # column → rows still covered by a cell above
    for tr in table.iter("tr"):
        row: list[str] = []
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while spanned.get(len(row), 0):
                spanned[len(row)] -= 1
                row.append("")
            columns, down = _span(cell.get("colspan")), _span(cell.get("rowspan"))
            for offset in range(columns):
                if down > 1:
                    spanned[len(row)] = down - 1
                row.append(" ".join(cell.text_content().split()) if offset == 0 else "")
        while spanned.get(len(row), 0):
            spanned[len(row)] -= 1
            row.append("")
        rows.append(row)
    return rows


def _span(value: str | None) -> int:
    return min(int(value), _MAX_SPAN) if value and value.isdigit() and int(value) > 0 else 1


# ``pdftotext -layout`` sets a table's cells apart by runs of spaces, each cell's text wrapped over
# lines of its own, in place. A line of such a table: two gaps of two spaces or more inside it.
# A table is at least this many such lines, this many of them with three cells or more; lines between
# them with one short piece of text only (a cell's wrapped part), or a few blank ones, stay in the table.
_MIN_LAYOUT_ROWS = 3
_MIN_WIDE_LINES = 2
_MAX_BLANKS_BETWEEN = 6  # a page break: the running head and page number blanked, and the space around them
# A line of a cell's text between them is narrower than a line of text.
_MAX_PIECE_BETWEEN = 20
# Pieces of text starting this close (in characters) are in one column.
_COLUMN_SLACK = 2
# A piece of a cell under a table's last line of cells: no longer than a narrow column's line.
_MAX_CELL_PIECE = 8


def layout_tables_as_tabs(lines: list[Line]) -> list[Line]:
    """Tables as ``pdftotext -layout`` gives them (cells in columns of spaces, wrapped in place) as the
    tab-separated rows the other converters give: the columns are where pieces of text start, line
    after line; the rows, the runs of lines between blank ones when the table has them, else the
    lines around each number of the first column (序号, printed in the middle of its row)."""
    out: list[Line] = []
    index = 0
    while index < len(lines):
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
        elif rows and len(pieces) == 1 and _in_column(pieces[0], starts, first, _MAX_PIECE_BETWEEN):
            gap, blanks = gap + 1, 0
        else:
            break
    # The last row's cells go on below its last line of two pieces: short pieces in its columns.
    while (end < len(lines) and len(pieces := _split_pieces(lines[end].text)) == 1
           and _in_column(pieces[0], starts, first, _MAX_CELL_PIECE)):
        end += 1
    return max(end, start + 1), rows >= _MIN_LAYOUT_ROWS and wide >= _MIN_WIDE_LINES


def _in_column(piece: tuple[int, str], starts: set[int], first: int, longest: int) -> bool:
    """A piece of a cell: short, starting where pieces of the table start, right of its first column."""
    column, text = piece
    return (len(text) <= longest and column > first + _COLUMN_SLACK
            and any(column + shift in starts for shift in range(-_COLUMN_SLACK, _COLUMN_SLACK + 1)))


# The converter sets cells apart with spaces (U+0020); typed text (名单: 组长：韩正　　国务院副总理) with others.
_PIECE = re.compile(r"[^ ]+(?: [^ ]+)*")


def _split_pieces(text: str) -> list[tuple[int, str]]:
    """(column, text) of the pieces of a line, set apart by two spaces or more."""
    return [(match.start(), match.group()) for match in _PIECE.finditer(text)]


def _layout_rows(lines: list[Line]) -> list[Line]:
    starts = sorted(column for line in lines for column, _ in _split_pieces(line.text))
    columns: list[int] = []
    for column in starts:
        if not columns or column - columns[-1] > _COLUMN_SLACK:
            columns.append(column)
    pieces = [[(bisect.bisect_right(columns, column + _COLUMN_SLACK) - 1, text)
               for column, text in _split_pieces(line.text)] for line in lines]
    groups = _row_groups(lines, pieces)
    rows = []
    for group in groups:
        cells = [""] * len(columns)
        for position in group:
            for column, text in pieces[position]:
                cells[column] = join_wrapped(cells[column], text) if cells[column] else text
        rows.append(Line(lines[group[0]].number, "\t".join(cells)))
    return rows


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
    groups: list[list[int]] = []
    for run in runs:
        anchors = [position for position in run if pieces[position][0][0] == 0 and pieces[position][0][1].isdigit()]
        if not anchors:
            groups += [run] if len(runs) > 1 else [[position] for position in run]
            continue
        # A row's lines stand around its number, about half a row above it: in a run of several rows,
        # the lines higher up are the header; a run between blank lines with one number is one row.
        reach = (anchors[1] - anchors[0]) // 2 if len(anchors) > 1 else (0 if len(runs) == 1 else len(run))
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


def pipe_rows_as_tabs(lines: list[Line]) -> list[Line]:
    """Markdown tables, as converters that write Markdown give them, as the tab-separated rows the
    other converters give: the delimiter row goes, so that the header and the rows stay one block."""
    out: list[Line] = []
    for line in lines:
        if _PIPE_DELIMITER.match(line.text):
            continue
        row = _PIPE_ROW.match(line.text)
        out.append(Line(line.number, "\t".join(cell.strip() for cell in row["cells"].split("|"))) if row else line)
    return out


def split_cells(text: str) -> tuple[list[str], int]:
    # A tag never spans a tab, so the whole row is cleaned at once, then split.
    cleaned, artifacts = _CELL_HTML.subn(" ", text.rstrip("\n"))
    return [" ".join(cell.split()) for cell in cleaned.split("\t")], artifacts


def table_from_lines(lines: list[Line]) -> Table:
    header, artifacts = split_cells(lines[0].text)
    table = Table(header, [], lines[0].number, lines[-1].number, cell_artifacts=artifacts)
    for line in lines[1:]:
        cells, count = split_cells(line.text)
        table.cell_artifacts += count
        table.rows.append(cells)
    return table


def _same_row(a: list[str], b: list[str]) -> bool:
    return [squash(cell) for cell in a if cell] == [squash(cell) for cell in b if cell]


def _repeats_header(header: list[str], row: list[str]) -> bool:
    """The header printed again on the next page, possibly with a wording variant."""
    if _same_row(header, row):
        return True
    if len(header) != len(row):
        return False
    same = sum(squash(a) == squash(b) for a, b in zip(header, row))
    return same >= len(header) - 1 and same >= 3


def _sequence_number(row: list[str]) -> int | None:
    first = row[0].strip() if row else ""
    return int(first) if first.isdigit() else None


def continues(table: Table, following: Table) -> bool:
    """Whether ``following`` is the same table resumed after a page break."""
    if _same_row(table.header, following.header):
        return True
    if following.width != table.width or not table.rows:
        return False
    last = _sequence_number(table.rows[-1])
    if _repeats_header(table.header, following.header):
        first = _sequence_number(following.rows[0]) if following.rows else None
    else:
        first = _sequence_number(following.header)
    return last is not None and first == last + 1


def merge(table: Table, following: Table, mark: str = "") -> None:
    """Append ``following`` to ``table`` (in place); ``mark`` (a page's) goes before its first cell of text."""
    rows = following.rows
    if _repeats_header(table.header, following.header):
        table.repeated_headers += 1
    else:
        rows = [following.header, *rows]
    if mark and rows:
        first = next((i for i, cell in enumerate(rows[0]) if cell.strip()), 0)
        rows = [[mark + cell if i == first else cell for i, cell in enumerate(rows[0])], *rows[1:]]
    if rows and table.rows and _is_cut_row(rows[0]):
        table.rows[-1] = _merge_cells(table.rows[-1], rows[0])
        table.merged_rows += 1
        rows = rows[1:]
    table.rows.extend(rows)
    table.last_line = following.last_line
    table.cell_artifacts += following.cell_artifacts
    table.repeated_headers += following.repeated_headers
    table.merged_rows += following.merged_rows


def _is_cut_row(row: list[str]) -> bool:
    # The rest of a row cut by a page break has no 序号 of its own.
    return bool(row) and not row[0].strip() and any(cell.strip() for cell in row[1:])


def _merge_cells(above: list[str], below: list[str]) -> list[str]:
    size = max(len(above), len(below))
    above = above + [""] * (size - len(above))
    below = below + [""] * (size - len(below))
    return [join_wrapped(a, b) if a and b else a or b for a, b in zip(above, below)]


def to_markdown(table: Table, escape_inline) -> str:
    size = table.width

    def row_markdown(cells: list[str]) -> str:
        padded = cells + [""] * (size - len(cells))
        # Cells hold no tabs (rows were split at them), so a row is escaped in one call
        # with tabs between its cells, which then become the column separators.
        escaped = escape_inline("\t".join(padded)).replace("|", "\\|")
        return "| " + escaped.replace("\t", " | ") + " |"

    lines = [row_markdown(table.header), "|" + " --- |" * size]
    lines.extend(row_markdown(row) for row in table.rows)
    return "\n".join(lines)
