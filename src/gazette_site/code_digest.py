"""A digest of the code and libraries that make some output.

Caches and reused output are keyed by it: after an upgrade or an edit of
that code, nothing made by the old one is reused.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

from . import __version__


@lru_cache(maxsize=8)
def code_digest(roots: tuple[Path, ...], libraries: tuple[str, ...]) -> str:
    """Every file under ``roots`` (files or directories) and the installed versions of ``libraries``."""
    digest = hashlib.sha256("\0".join([__version__, *(version(name) for name in libraries)]).encode())
    for root in roots:
        for path in sorted([root] if root.is_file() else (p for p in root.rglob("*") if p.is_file())):
            if "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(root.parent)}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()
