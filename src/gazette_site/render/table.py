"""GFM tables as one token each, rendered straight to HTML.

markdown-it-py makes three tokens for each cell and two for each row, and
renders each on its own. Our bodies are mostly tables (一览表, 名单, 责任分解),
and those tokens were most of what Markdown cost a document with tables.
Here a table is one ``table`` token followed, while the core rules run, by
one ``inline`` token per cell, so that inline parsing, sanitising and 发文字号
links treat cells as before; the last core rule moves the cells into the
table token, which renders the HTML markdown-it would, inside a scroll box,
with each cell's alignment as a class: the pages carry no inline style.

Which lines make a table is still decided by markdown-it's own rule; the rows
are then read as it reads them (``table_rows``).
"""
from __future__ import annotations

import re

from markdown_it import rules_block
from markdown_it.common.utils import mdTrim
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

# As markdown-it's rule: a table stops where its short rows would have added
# more empty cells than this (a few bytes of input must not become megabytes).
MAX_AUTOCOMPLETED_CELLS = 0x10000
_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


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
        if any(rule(state, line, end_line, True) for rule in terminators):
            break
        text = mdTrim(_line(state, line))
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
    token.meta = {"aligns": aligns, "rows": len(rows)}
    # The header is the first line, the body rows follow the delimiter row.
    for line, cells in zip([start_line, *range(start_line + 2, next_line)], [header, *rows]):
        line_map = [line, line + 1]
        for content in cells:
            cell = state.push("inline", "", 0)
            cell.map = line_map
            cell.content = content
            cell.children = []
    state.line = next_line
    return True


def pack(state: StateCore) -> None:
    """Core rule, the last: each table's cell tokens become its children."""
    tokens, packed, index = state.tokens, [], 0
    while index < len(tokens):
        token = tokens[index]
        packed.append(token)
        index += 1
        if token.type == "table" and token.children is None:
            count = len(token.meta["aligns"]) * (token.meta["rows"] + 1)
            token.children = tokens[index:index + count]
            index += count
    state.tokens = packed


def render(self, tokens: list[Token], idx: int, options, env) -> str:
    """Renderer rule: the table as markdown-it renders its tokens, in a numbered scroll box,
    with an aligned cell's ``text-align`` as its class (``align-left``, ``align-center``, ``align-right``)."""
    token = tokens[idx]
    # Numbered: a page with many tables needs a distinct name for each scroll region.
    env["tables"] = env.get("tables", 0) + 1
    aligns = token.meta["aligns"]
    html = [f'<div class="table-scroll" role="region" aria-label="表格{env["tables"]}（可左右滑动查看）" tabindex="0">\n',
            self.renderToken(tokens, idx, options, env), "<thead>\n"]
    cells = iter(token.children)
    for row in range(token.meta["rows"] + 1):
        tag = "th" if row == 0 else "td"
        if row == 1:
            html.append("<tbody>\n")
        html.append("<tr>\n")
        for align in aligns:
            html += [f'<{tag} class="align-{align}">' if align else f"<{tag}>",
                     self.renderInline(next(cells).children, options, env), f"</{tag}>\n"]
        html.append("</tr>\n</thead>\n" if row == 0 else "</tr>\n")
    html.append("</tbody>\n</table>\n</div>\n" if token.meta["rows"] else "</table>\n</div>\n")
    return "".join(html)
