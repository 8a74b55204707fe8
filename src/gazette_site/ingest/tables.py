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
