"""Writing the site without ever showing readers a half-built one.

A build writes into a *staging* directory beside the output: a copy of the
published site made of hard links (cheap, and unchanged files keep their
inode and mtime). Changed files replace their link atomically (temporary
file, then ``os.replace``), so the published files are never modified. Only
when everything succeeded is the staging directory swapped in; a failing or
interrupted build leaves the published site byte for byte as it was.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".gazette-manifest"
_STAGING = ".{name}.staging"
_RETIRED = ".{name}.retired"


@dataclass(frozen=True)
class OutputFile:
    path: str  # relative to the output directory, "/"-separated
    data: bytes | None  # None: the previous build's file, still right, kept as it is


def write_file(root: Path, output: OutputFile) -> bool:
    """Write one file atomically; False when it already had these bytes."""
    target = root / output.path
    try:
        if target.read_bytes() == output.data:
            return False
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        pass
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix="~")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(output.data)
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return True


def _remove_empty_parents(root: Path, directory: Path) -> None:
    while directory != root and directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent


def recover(out_dir: Path) -> None:
    """Finish or undo a swap that was interrupted, and drop abandoned staging copies."""
    retired = out_dir.parent / _RETIRED.format(name=out_dir.name)
    if retired.exists():
        if out_dir.exists():
            shutil.rmtree(retired)
        else:
            os.rename(retired, out_dir)
    staging = out_dir.parent / _STAGING.format(name=out_dir.name)
    if staging.exists():
        shutil.rmtree(staging)


@dataclass
class Staging:
    """The next version of ``out_dir``, built beside it."""

    out_dir: Path
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    current: set[str] = field(default_factory=set)

    @property
    def dir(self) -> Path:
        return self.out_dir.parent / _STAGING.format(name=self.out_dir.name)

    def prepare(self) -> "Staging":
        recover(self.out_dir)
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        if self.out_dir.exists():
            shutil.copytree(self.out_dir, self.dir, copy_function=os.link, symlinks=True)
        else:
            self.dir.mkdir()
        return self

    def write(self, output: OutputFile) -> None:
        self.current.add(output.path)
        if output.data is None:
            self.unchanged += 1
        elif write_file(self.dir, output):
            self.written += 1
        else:
            self.unchanged += 1

    def remove_stale(self) -> None:
        """Delete files the previous build wrote and this one did not."""
        manifest = self.dir / MANIFEST
        previous = manifest.read_text(encoding="utf-8").splitlines() if manifest.is_file() else []
        for path in previous:
            if path not in self.current and ".." not in Path(path).parts:
                target = self.dir / path
                if target.is_file():
                    target.unlink()
                    self.removed += 1
                    _remove_empty_parents(self.dir, target.parent)
        listing = "".join(p + "\n" for p in sorted(self.current)).encode("utf-8")
        if write_file(self.dir, OutputFile(MANIFEST, listing)):
            self.written += 1

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed) or not self.out_dir.exists()

    def commit(self) -> None:
        """Put the new version in place (only if anything changed)."""
        if not self.changed:
            self.discard()
            return
        retired = self.out_dir.parent / _RETIRED.format(name=self.out_dir.name)
        if self.out_dir.exists():
            os.rename(self.out_dir, retired)
        os.rename(self.dir, self.out_dir)
        shutil.rmtree(retired, ignore_errors=True)

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
