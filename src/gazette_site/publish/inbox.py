"""``inbox/``: raw issue texts waiting to be published.

A file counts as published once an issue in ``content/`` was ingested from
the same bytes (its ``source.txt`` is kept unchanged), whatever its name.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..problems import Problems

RAW_SUFFIXES = (".txt",)


def _digest(path: Path) -> str:
    with path.open("rb") as stream:  # read in chunks: whatever sits in the inbox, memory stays small
        return hashlib.file_digest(stream, "sha256").hexdigest()


def ingested_digests(content_dir: Path) -> set[str]:
    return {_digest(source) for source in content_dir.glob("*/*/source.txt") if source.is_file()}


def pending(inbox_dir: Path, content_dir: Path, problems: Problems) -> list[Path]:
    """Raw files in the inbox not yet in ``content/``, in name order; every other entry is reported
    (hidden ones aside), so that nothing an editor put there is passed over unsaid."""
    if not inbox_dir.is_dir():
        return []
    known = ingested_digests(content_dir)
    waiting = []
    for path in sorted(inbox_dir.iterdir()):
        if path.name.startswith("."):
            continue
        if not path.is_file():  # a folder, a pipe, a device, a link to nothing: never opened
            problems.warning(path, None, "不是普通文件（文件夹、管道、设备或失效的链接），没有导入："
                                         "请把从 PDF 导出的纯文本文件本身放进收件目录")
        elif path.suffix.lower() not in RAW_SUFFIXES:
            problems.info(path, None, "不是 .txt 文件，没有导入：只导入从 PDF 导出的纯文本（.txt）")
        elif _digest(path) not in known:
            waiting.append(path)
    return waiting
