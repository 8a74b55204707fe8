"""Raw bytes → numbered lines and blocks.

A *block* is a run of consecutive non-blank lines. In text extracted from a
gazette PDF, blank lines separate paragraphs and page breaks; lines inside a
block were printed one under another (name lists, wrapped 目录 entries, table
rows).
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import Callable

from ..content import CONTROL_CHARACTERS
from ..problems import Problems
from .text import squash

# Below this share of printable characters a file is not text.
_MIN_PRINTABLE_SHARE = 0.95
# Control characters other than tab, line breaks and form feed; decoding junk.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based line number in the raw file
    text: str  # without the line ending; tabs kept

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def has_tabs(self) -> bool:
        return "\t" in self.text


@dataclass(frozen=True)
class Block:
    lines: tuple[Line, ...]
    # Derived once, at construction: one recogniser after another asks every block for them.
    text: str = field(init=False, repr=False, compare=False)  # the lines, each stripped, joined by newlines
    squashed: str = field(init=False, repr=False, compare=False)  # the text without any whitespace

    def __post_init__(self) -> None:
        text = "\n".join(line.stripped for line in self.lines)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "squashed", squash(text))

    @property
    def first(self) -> int:
        return self.lines[0].number

    @property
    def last(self) -> int:
        return self.lines[-1].number

    @property
    def is_single_line(self) -> bool:
        return len(self.lines) == 1


@dataclass(frozen=True)
class DecodedSource:
    text: str
    encoding: str
    page_tops: tuple[int, ...] = ()  # the lines a form feed began: each page's first (pdftotext)


def decode(raw: bytes, path: str, problems: Problems) -> DecodedSource | None:
    """Decode a raw issue; None (with an error recorded) when it is not usable text."""
    if not raw.strip():
        problems.error(path, None, "文件是空的：请确认导出的文本文件内容完整")
        return None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Notepad's "Unicode", Word's "Unicode text": UTF-16 with its byte order mark
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].decode("utf-16", errors="replace").count("\n") + 1
            problems.error(path, line, "文件以 UTF-16 标记开头，但不是完整的 UTF-16 文本：请用 UTF-8 重新导出")
            return None
        problems.info(path, None, "文件是 UTF-16 编码，已按 UTF-16 解码；原始字节原样保存")
        return _decoded(text, "utf-16", path, problems)
    if b"\x00" in raw[:65536]:
        problems.error(path, None, "这不是文本文件（含有二进制数据）：请提供从 PDF 导出的纯文本")
        return None
    encoding = "utf-8"
    if raw.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            line = raw[: exc.start].count(b"\n") + 1
            problems.error(path, line, "文件既不是 UTF-8 也不是 GB18030 编码：请用 UTF-8 重新导出")
            return None
        encoding = "gb18030"
        problems.info(path, None, "文件不是 UTF-8，已按 GB18030 解码；原始字节原样保存")
    return _decoded(text, encoding, path, problems)


def _decoded(text: str, encoding: str, path: str, problems: Problems) -> DecodedSource | None:
    """The decoded text as the ingest reads it: line ends and form feeds taken out; None if it is no text."""
    if len(_UNPRINTABLE.findall(text)) > (1 - _MIN_PRINTABLE_SHARE) * len(text):
        problems.error(path, None, "文件中不可打印字符过多，不像是文本：请提供从 PDF 导出的纯文本")
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    page_tops: tuple[int, ...] = ()
    if "\f" in text:
        text, page_tops = _page_ends(text)
    if _reject_control_characters(text, path, problems):
        return None
    return DecodedSource(text, encoding, page_tops)


def _page_ends(text: str) -> tuple[str, tuple[int, ...]]:
    """Form feeds (page ends: pdftotext puts one at the start of each page's first line) out of the
    text, and the lines that begin a page. At a line's start or end, where nearly all are, they go
    without a trace, so that warnings name the line an editor's editor shows; one inside a line
    breaks it (counted as a line: the rare case where later numbers are one off)."""
    lines: list[str] = []
    tops: list[int] = []
    after_page = False
    for line in text.split("\n"):
        parts = line.strip("\f").split("\f")
        for index, part in enumerate(parts):
            if index or after_page or line.startswith("\f"):
                tops.append(len(lines) + 1)
            lines.append(part)
        after_page = line.endswith("\f") and len(line) > 0
    return "\n".join(lines), tuple(tops)


# Form feeds are page breaks (above); any other control character is a conversion's leftover
# the editor should see, and content may not hold (see CONTROL_CHARACTERS).
_CONTROL_LINES_SHOWN = 10


def _reject_control_characters(text: str, path: str, problems: Problems) -> bool:
    """Report each line holding control characters (the first few); True if there are any."""
    reported: list[int] = []
    line, position = 1, 0
    for found in CONTROL_CHARACTERS.finditer(text):
        line += text.count("\n", position, found.start())
        position = found.start()
        if reported and reported[-1] == line:
            continue
        if len(reported) == _CONTROL_LINES_SHOWN:
            problems.error(path, line, "从这一行起还有更多控制字符：请检查导出设置，重新导出纯文本")
            break
        problems.error(path, line, f"含有控制字符 U+{ord(found.group()):04X}：这是从 PDF 导出时的残留，请在文本中删除它后重新导入")
        reported.append(line)
    return bool(reported)


def split_lines(text: str) -> list[Line]:
    return [Line(number, line) for number, line in enumerate(text.split("\n"), start=1)]


def blocks_of(lines: list[Line]) -> list[Block]:
    blocks: list[Block] = []
    current: list[Line] = []
    for line in lines:
        if line.stripped:
            current.append(line)
        elif current:
            blocks.append(Block(tuple(current)))
            current = []
    if current:
        blocks.append(Block(tuple(current)))
    return blocks


def joined_runs(blocks: list[Block], run_at: Callable[[list[Block], int], int]) -> list[Block]:
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
