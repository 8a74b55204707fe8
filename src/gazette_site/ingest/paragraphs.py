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
from .source import Block, Line
from .text import ends_sentence, is_dated_note, squash, width

# A paragraph's first line, indented by two full-width spaces (or the spaces a converter put for them).
_INDENT = re.compile(r"^(?:\u3000|\s{2,})\S")
# No printed line of a gazette page is this wide: a wider line is a whole paragraph.
_PARAGRAPH_LINE_WIDTH = 50


def split_run_together(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if block.is_single_line or any(line.has_tabs for line in block.lines):
            out.append(block)
            continue
        per_paragraph = any(width(line.stripped) > _PARAGRAPH_LINE_WIDTH and ends_sentence(line.stripped)
                            for line in block.lines)
        current: list[Line] = []
        for line in block.lines:
            if current and _breaks_between(current[-1], line, per_paragraph):
                out.append(Block(tuple(current)))
                current = []
            current.append(line)
        out.append(Block(tuple(current)))
    return out


def _breaks_between(previous: Line, line: Line, per_paragraph: bool) -> bool:
    if _stands_alone(previous) or _stands_alone(line) or _INDENT.match(line.text):
        return True
    if _is_addressee_line(previous):
        return True
    # Lines that are whole paragraphs are each a block; a paragraph that a page break
    # cut in two is joined again later, like any other (elements.join_elements).
    return per_paragraph


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
