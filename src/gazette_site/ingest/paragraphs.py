"""Blocks run together by the export, split back into the parts they print.

Some converters leave no blank line between paragraphs: a title, the note
under it, the 主送机关 and the text then come as one block. A line that is a
part of its own (a 发文字号, a note, a decree's number, a 主送机关) is split
off; an indented line begins a paragraph; and where the lines are whole
paragraphs (wider than a printed line), every line is a block of its own.
"""
from __future__ import annotations

import re

from .. import docnumber
from .section_marks import is_number_line
from .source import Block, Line, blocks_of
from .documents import is_org_name, looks_like_title
from .text import ends_sentence, is_date_line, is_dated_note, is_list_entry, squash, width

# A paragraph's first line, indented by two full-width spaces (or the spaces a converter put for them).
_INDENT = re.compile(r"^(?:\u3000|\s{2,})\S")
_MAX_SIGNATURE_LINES = 3
# Fewer blocks than this share of the lines: the export left no blank line between paragraphs.
_MIN_BLOCK_SHARE = 0.2
# No printed line of a gazette page is this wide: a wider line is a whole paragraph.
_PARAGRAPH_LINE_WIDTH = 50


def paragraph_blocks(lines: list[Line]) -> list[Block]:
    """The text's blocks, each a part that was printed apart.

    A text that has almost no blank lines was exported with none between
    paragraphs: every line is then a block of its own (table rows stay
    together), and lines the PDF wrapped are joined again later.
    """
    blocks = blocks_of(lines)
    written = sum(len(block.lines) for block in blocks)
    if written and len(blocks) < _MIN_BLOCK_SHARE * written:
        blocks = [part for block in blocks for part in _lines_apart(block)]
    return split_run_together(blocks)


def _lines_apart(block: Block) -> list[Block]:
    parts: list[list[Line]] = []
    for line in block.lines:
        if parts and line.has_tabs and parts[-1][-1].has_tabs:
            parts[-1].append(line)
        else:
            parts.append([line])
    return [Block(tuple(part)) for part in parts]


def split_run_together(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if block.is_single_line or any(line.has_tabs for line in block.lines):
            out.append(block)
            continue
        lines = block.lines
        per_paragraph = any(width(line.stripped) > _PARAGRAPH_LINE_WIDTH and ends_sentence(line.stripped)
                            for line in lines)
        start = 0
        for index in range(1, len(lines)):
            if _breaks_before(lines, index, per_paragraph):
                out.append(Block(lines[start:index]))
                start = index
        out.append(Block(lines[start:]))
    return out


def _breaks_before(lines: tuple[Line, ...], index: int, per_paragraph: bool) -> bool:
    previous, line = lines[index - 1], lines[index]
    if _stands_alone(previous) or _stands_alone(line):
        return True
    if _INDENT.match(line.text):
        # an indented line begins a paragraph, unless it is the next entry of a name list
        return not (is_list_entry(previous.stripped) and is_list_entry(line.stripped))
    if _is_addressee_line(previous) or (_is_addressee_line(line) and looks_like_title(previous.stripped)):
        return True
    if _signature_starts(lines, index) and not is_org_name(previous.stripped):
        return True
    # Lines that are whole paragraphs are each a block; a paragraph that a page break
    # cut in two is joined again later, like any other (elements.join_elements).
    return per_paragraph


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
