"""Compare whole directory trees byte for byte (determinism of builds)."""
from __future__ import annotations

import hashlib
from pathlib import Path


def _entries(directory: str | Path) -> dict[str, str]:
    """Relative path -> sha256 of the content, or "dir" for a directory."""
    root = Path(directory)
    if not root.is_dir():
        raise FileNotFoundError(f"no directory at {root}")
    return {
        path.relative_to(root).as_posix(): "dir" if path.is_dir() else hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
    }


def tree_digest(directory: str | Path) -> str:
    """One sha256 over the names and contents of everything below ``directory``."""
    digest = hashlib.sha256()
    for name, content in sorted(_entries(directory).items()):
        digest.update(f"{name}\0{content}\n".encode())
    return digest.hexdigest()


def compare_trees(first: str | Path, second: str | Path) -> list[str]:
    """Differences between two trees, one line each; empty when byte-identical."""
    a, b = _entries(first), _entries(second)
    differences = []
    for name in sorted(a.keys() | b.keys()):
        if name not in b:
            differences.append(f"only in {first}: {name}")
        elif name not in a:
            differences.append(f"only in {second}: {name}")
        elif a[name] != b[name]:
            differences.append(f"differs: {name}")
    return differences
