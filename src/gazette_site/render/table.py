"""GFM tables as one token each, rendered straight to HTML a phone can read.

markdown-it-py makes three tokens for each cell and two for each row, and
renders each on its own. Our bodies are mostly tables (一览表, 名单, 责任分解),
and those tokens were most of what Markdown cost a document with tables.
Here a table is one ``table`` token holding its cells (``CELLS`` in its
meta), header first, each the text of the cell. The core rules make an
``inline`` token of a cell only where it needs one: where an inline rule may
match, or where it cites a 发文字号 the archive holds (``markdown._inline``,
``markdown._link_mentions``); a cell that stays text is its text, escaped.
Which lines make a table is still decided by markdown-it's own rule; the
rows are then read as it reads them (``table_rows``).

What the table shows is decided by ``layout`` from the cells alone, as the
PDF export leaves them: a first row with only its first cell filled is the
table's title (its ``<caption>``), such a row further down heads the rows
below it; a cell left blank under a group value (cells merged in the PDF)
repeats the value, marked; each column gets a class for how its cells may
wrap. The pages carry no inline style: alignment is a class too.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markdown_it import rules_block
from markdown_it.common.utils import escapeHtml, mdTrim
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

# As markdown-it's rule: a table stops where its short rows would have added
# more empty cells than this (a few bytes of input must not become megabytes).
MAX_AUTOCOMPLETED_CELLS = 0x10000
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")
# The key of a table token's meta holding its cells: each a string, or an inline token (see above).
CELLS = "cells"


def split_cells(row: str) -> list[str]:
    """A row's cells as GFM splits them: at every pipe not preceded by a backslash;
    an escaped pipe stays in its cell without the backslash."""
    if "\\" not in row:
        return row.split("|")
    return [cell.replace("\\|", "|") for cell in _UNESCAPED_PIPE.split(row)]


def _line(state: StateBlock, line: int) -> str:
    """The line's text after its indentation."""
    return state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]


def _alignments(delimiter_row: str) -> list[str]:
    """Per column: "left", "center", "right" or ""; the row is known to be a valid delimiter row."""
    aligns = []
    columns = delimiter_row.split("|")
    for index, column in enumerate(columns):
        text = mdTrim(column)
        if not text and index in (0, len(columns) - 1):
            continue
        if text.endswith(":"):
            aligns.append("center" if text.startswith(":") else "right")
        else:
            aligns.append("left" if text.startswith(":") else "")
    return aligns


def _cells(line_text: str) -> list[str]:
    cells = split_cells(line_text)
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return cells


def table_rows(state: StateBlock, start_line: int, end_line: int, columns: int) -> tuple[list[list[str]], int]:
    """The body rows below the delimiter row, each padded to ``columns`` cells, and the line after them;
    stopped where markdown-it's table rule stops."""
    terminators = state.md.block.ruler.getRules("blockquote")
    rows, autocompleted, line = [], 0, start_line + 2
    while line < end_line:
        if state.sCount[line] < state.blkIndent:
            break
        text = mdTrim(_line(state, line))
        # A line beginning with a pipe, as most rows do, begins none of those blocks: each needs its
        # own mark first (` ~ > * - _ + a digit < #), so they are not asked.
        if not text.startswith("|") and any(rule(state, line, end_line, True) for rule in terminators):
            break
        if not text or state.is_code_block(line):
            break
        cells = _cells(text)
        autocompleted += columns - len(cells)
        if autocompleted > MAX_AUTOCOMPLETED_CELLS:
            break
        rows.append([mdTrim(cell) if cell else "" for cell in cells[:columns]] + [""] * (columns - len(cells)))
        line += 1
    return rows, line


def table(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule in place of markdown-it's ``table``."""
    if not rules_block.table(state, start_line, end_line, True):
        return False
    if silent:
        return True
    aligns = _alignments(_line(state, start_line + 1))
    header = [mdTrim(cell) for cell in _cells(mdTrim(_line(state, start_line)))]
    parent_type, state.parentType = state.parentType, "table"  # as markdown-it's rule, for the terminators
    rows, next_line = table_rows(state, start_line, end_line, len(aligns))
    state.parentType = parent_type

    token = state.push("table", "table", 0)
    token.map = [start_line, next_line]
    token.meta = {"aligns": aligns, CELLS: [*header, *(cell for row in rows for cell in row)]}
    state.line = next_line
    return True


@dataclass(frozen=True)
class Cell:
    html: str  # its rendered inline content
    text: str  # the text it shows, for what ``layout`` decides


def cell(renderer, inline: Token | str, options, env) -> Cell:
    if isinstance(inline, str):
        return Cell(escapeHtml(inline), inline.strip())
    children = inline.children or []
    return Cell(renderer.renderInline(children, options, env),
                "".join(child.content for child in children if child.type == "text").strip())


def render(self, tokens: list[Token], idx: int, options, env) -> str:
    """Renderer rule: the table token and its cells through ``layout``."""
    token = tokens[idx]
    width = len(token.meta["aligns"])
    cells = [cell(self, inline, options, env) for inline in token.meta[CELLS]]
    rows = [cells[start:start + width] for start in range(0, len(cells), width)]
    return layout(f"<table{self.renderAttrs(token)}>\n", token.meta["aligns"], rows, env)


# A column whose every cell is at most this long stays on one line (序号, 完成时间, a leader's name).
SHORT_COLUMN = 8
# A column of names (责任单位: "区发改局 区住房和城乡建设局"): no word longer than this. Its cells
# break between the names only, never inside one ("区住/房和城乡建设局").
NAME_LENGTH = 12
_BETWEEN_NAMES = re.compile(r"[\s、，,；;]+")
_NUMBER = re.compile(r"[\d.]+")


def _column_class(texts: list[str]) -> str:
    filled = [text for text in texts if text]
    if all(len(text) <= SHORT_COLUMN for text in filled):
        return "col-short"
    if all(len(word) <= NAME_LENGTH for text in filled for word in _BETWEEN_NAMES.split(text)):
        return "col-names"
    return "col-text"


def _is_title(row: list[Cell]) -> bool:
    """A row merged across the table in the PDF: only its first cell has text, and not a number."""
    return (len(row) > 1 and bool(row[0].text) and not _NUMBER.fullmatch(row[0].text)
            and not any(c.text for c in row[1:]))


def _group_columns(rows: list[list[Cell]]) -> list[int]:
    """The leading columns whose blank cells stand for the value above (一级指标, 二级指标 …).

    A column is one when it has a blank cell with text to its right; the run
    starts at the first column, or at the second when the first (序号) is
    printed in full, and ends at the first column with no such cell: a blank
    further right (责任单位 left empty) means nothing there.
    """
    columns: list[int] = []
    for column in range(len(rows[0]) - 1 if rows else 0):
        if any(not row[column].text and any(c.text for c in row[column + 1:]) for row in rows):
            columns.append(column)
        elif columns or column > 0:
            break
    return columns


def _carried(rows: list[list[Cell]], columns: list[int]) -> dict[tuple[int, int], str]:
    """(row, column) → the group value a blank cell carries; a new value in a column
    starts new groups in the columns after it, a title row starts them all anew."""
    carried: dict[tuple[int, int], str] = {}
    values: dict[int, str] = {}
    for index, row in enumerate(rows):
        if _is_title(row):
            values.clear()
            continue
        for column in columns:
            if row[column].text:
                values = {c: v for c, v in values.items() if c < column}
                values[column] = row[column].text
            elif column in values and any(c.text for c in row[column + 1:]):
                carried[index, column] = values[column]
    return carried


def _cell(tag: str, source: Cell, classes: list[str], carried: str | None, scope: str = "") -> str:
    if carried is not None:
        classes = [*classes, "carried"]
    attributes = f' scope="{scope}"' if scope else ""
    if classes:
        attributes += f' class="{" ".join(classes)}"'
    content = source.html + (html.escape(carried) if carried is not None else "")
    return f"<{tag}{attributes}>{content}</{tag}>\n"


def layout(table_open: str, aligns: list[str], rows: list[list[Cell]], env: dict) -> str:
    """The HTML of a table (header row first in ``rows``) in its numbered scroll box.

    ``table_open``: the ``<table>`` tag with the attributes the body gave it.
    """
    # Numbered: a page with many tables needs a distinct name for each scroll region.
    env["tables"] = env.get("tables", 0) + 1
    header, body = rows[0], rows[1:]
    caption = None
    if body and _is_title(body[0]):
        caption, body = body[0][0], body[1:]
    plain = [row for row in body if not _is_title(row)]
    kinds = [_column_class([row[column].text for row in [header, *plain]]) for column in range(len(aligns))]
    classes = [[f"align-{align}"] * bool(align) + [kind] for align, kind in zip(aligns, kinds)]
    carried = _carried(body, _group_columns(plain))
    # The first column stays in view while the others scroll, unless it is text too wide for that.
    wrap = "table-wrap sticky-first" if kinds[0] != "col-text" else "table-wrap"
    box = f'<div class="table-scroll" role="region" aria-label="表格{env["tables"]}" tabindex="0">\n'
    out = [f'<div class="{wrap}">\n', box, table_open]
    if caption is not None:
        out.append(f"<caption><span>{caption.html}</span></caption>\n")
    out.append("<thead>\n<tr>\n")
    out += [_cell("th", c, classes[n], None, "col") for n, c in enumerate(header)]
    out.append("</tr>\n</thead>\n")
    for index, row in enumerate(body):
        if _is_title(row):
            out.append(("</tbody>\n" if index else "") + '<tbody>\n<tr class="group-title">\n'
                       f'<th colspan="{len(row)}" scope="rowgroup">{row[0].html}</th>\n</tr>\n')
            continue
        if index == 0:
            out.append("<tbody>\n")
        out.append("<tr>\n")
        out += [_cell("td", c, classes[n], carried.get((index, n))) for n, c in enumerate(row)]
        out.append("</tr>\n")
    out.append("</tbody>\n</table>\n</div>\n</div>\n" if body else "</table>\n</div>\n</div>\n")
    return "".join(out)
