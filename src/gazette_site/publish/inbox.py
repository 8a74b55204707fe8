"""``inbox/``: raw issue texts waiting to be published.

A file counts as published once an issue in ``content/`` was ingested from
the same bytes (its ``source.txt`` is kept unchanged), whatever its name.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

INBOX = "inbox"
RAW_SUFFIXES = (".txt",)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ingested_digests(content_dir: Path) -> set[str]:
    return {_digest(source) for source in content_dir.glob("*/*/source.txt")}


def pending(inbox_dir: Path, content_dir: Path) -> list[Path]:
    """Raw files in the inbox not yet in ``content/``, in name order."""
    if not inbox_dir.is_dir():
        return []
    known = ingested_digests(content_dir)
    candidates = sorted(p for p in inbox_dir.iterdir() if p.is_file() and p.suffix.lower() in RAW_SUFFIXES)
    return [p for p in candidates if _digest(p) not in known]
