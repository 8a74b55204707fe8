"""Writing the site without ever showing readers a half-built one.

A build writes into a *staging* directory beside the output: a copy of the
published site made of hard links (cheap, and unchanged files keep their
inode and mtime). A changed file's link is removed and the file written anew,
so the published files are never modified. Only when everything succeeded is
the staging directory swapped in; a failing or interrupted build leaves the
published site byte for byte as it was, and its staging copy is thrown away
by the next build. So a staged file needs no temporary name of its own: on
ext4 in a VM each path that is created or looked up costs 0.1–0.25 ms, and a
site has thousands of files.

A rebuild keeps some published files as they are, unread (document pages
whose inputs did not change, search shards). So that a file edited, replaced
or deleted in the output since cannot be kept, each build leaves a record
beside the output of every file it published, by inode, size and mtime (as
git tells a changed file); the next build drops from its staging copy the
files that no longer match, and renders them again.

Files outside the staging directory (caches, records) are written atomically
by ``write_file``.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator

MANIFEST = ".gazette-manifest"
_STAGING = ".{name}.staging"
_RETIRED = ".{name}.retired"
_RECORD = ".{name}.published"  # beside the output, like the staging copy: not part of the site
_RECORD_LINE = re.compile(r"(\d+ \d+ \d+) (.+)")


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


def _identities(out_dir: Path, paths: Iterable[str]) -> Iterator[tuple[str, str | None]]:
    """Each file's inode, size and mtime (None if missing): what a build leaves
    unchanged in a file it keeps, and an edit or a replacement changes.

    lstat, so that a link put in a file's place is a change; relative to the
    directory, without a Path each, which cost twice the lstat itself.
    """
    directory = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for path in paths:
            try:
                stat = os.lstat(path, dir_fd=directory)
            except OSError:
                yield path, None
            else:
                yield path, f"{stat.st_ino} {stat.st_size} {stat.st_mtime_ns}"
    finally:
        os.close(directory)


def record_path(out_dir: Path) -> Path:
    """Where the build records what it published in ``out_dir``."""
    return out_dir.parent / _RECORD.format(name=out_dir.name)


def changed_since_published(out_dir: Path) -> set[str] | None:
    """The files the last build published in ``out_dir`` that are no longer as it
    left them (edited, replaced or deleted since); None when there is no usable
    record of that build (the output was made by an older version, or moved)."""
    try:
        lines = record_path(out_dir).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    recorded = {}
    for line in lines:
        match = _RECORD_LINE.fullmatch(line)
        if match is None:
            return None
        recorded[match[2]] = match[1]
    try:
        return {path for path, identity in _identities(out_dir, recorded) if identity != recorded[path]}
    except OSError:  # the output itself is gone
        return None


def _inside(path: str) -> bool:
    """Whether a path read from a record or manifest stays inside the directory it is relative to:
    those files are in the output, where anyone who can publish can write them."""
    parts = PurePosixPath(path).parts
    return bool(parts) and not PurePosixPath(path).is_absolute() and ".." not in parts


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
    # Published files not as the last build left them (see ``changed_since_published``),
    # dropped from the staging copy; None: no record, so every file the last build made was.
    untrusted: set[str] | None = field(default_factory=set)
    _published: list[str] = field(default_factory=list)  # what the last build published, as its manifest lists it
    # What the copy of the published site holds: only these can be in the way of a
    # new file, and their directories need not be made.
    _linked: set[Path] = field(default_factory=set)
    _directories: set[Path] = field(default_factory=set)

    @property
    def dir(self) -> Path:
        return self.out_dir.parent / _STAGING.format(name=self.out_dir.name)

    def prepare(self) -> "Staging":
        recover(self.out_dir)
        self.out_dir.parent.mkdir(parents=True, exist_ok=True)
        self._directories.add(self.dir)
        if not self.out_dir.exists():
            self.dir.mkdir()
            return self
        shutil.copytree(self.out_dir, self.dir, copy_function=self._link, symlinks=True)
        manifest = self.dir / MANIFEST
        self._published = manifest.read_text(encoding="utf-8").splitlines() if manifest.is_file() else []
        changed = changed_since_published(self.out_dir)
        # No record, but a manifest: the files a build made here cannot be told from edited ones.
        self.untrusted = None if changed is None and self._published else changed or set()
        for path in self._published if self.untrusted is None else self.untrusted:
            if _inside(path):
                target = self.dir / path
                target.unlink(missing_ok=True)
                self._linked.discard(target)
        return self

    def _link(self, source: str, target: str) -> None:
        os.link(source, target)
        target_path = Path(target)
        self._linked.add(target_path)
        self._directories.add(target_path.parent)

    def write(self, output: OutputFile) -> None:
        again = output.path in self.current
        self.current.add(output.path)
        if output.data is None:
            self.unchanged += 1
        elif self._put(self.dir / output.path, output.data, may_exist=again):
            self.written += 1
        else:
            self.unchanged += 1

    def _put(self, target: Path, data: bytes, may_exist: bool) -> bool:
        """Write one staged file; False when it already had these bytes."""
        if may_exist or target in self._linked:
            try:
                if target.read_bytes() == data:
                    return False
            except FileNotFoundError:  # gone, or a link to nothing
                pass
            target.unlink(missing_ok=True)  # the published file, linked here, stays as it is
        elif target.parent not in self._directories:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._directories.update((target.parent, *target.parent.parents))
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
        except FileExistsError:  # not a file the copy linked (a symbolic link, say)
            return self._put(target, data, may_exist=True)
        with os.fdopen(fd, "wb") as stream:
            os.fchmod(fd, 0o644)  # whatever the umask: the site is served to everyone
            stream.write(data)
        return True

    def remove_stale(self) -> None:
        """Delete files the previous build wrote and this one did not."""
        dropped = set(self._published) if self.untrusted is None else self.untrusted
        for path in self._published:
            if path not in self.current and _inside(path):
                target = self.dir / path
                if target.is_file() or path in dropped:
                    target.unlink(missing_ok=True)
                    self.removed += 1
                    _remove_empty_parents(self.dir, target.parent)
        listing = "".join(p + "\n" for p in sorted(self.current)).encode("utf-8")
        if write_file(self.dir, OutputFile(MANIFEST, listing)):
            self.written += 1

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed) or not self.out_dir.exists()

    def commit(self) -> None:
        """Put the new version in place (only if anything changed), and record what is published."""
        if not self.changed:
            self.discard()
        else:
            retired = self.out_dir.parent / _RETIRED.format(name=self.out_dir.name)
            if self.out_dir.exists():
                os.rename(self.out_dir, retired)
            os.rename(self.dir, self.out_dir)
            shutil.rmtree(retired, ignore_errors=True)
        lines = [f"{identity} {path}\n" for path, identity in _identities(self.out_dir, sorted(self.current))
                 if identity is not None]
        write_file(self.out_dir.parent, OutputFile(record_path(self.out_dir).name, "".join(lines).encode("utf-8")))

    def discard(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
