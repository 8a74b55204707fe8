"""Writing the site without ever showing readers a half-built one.

Everything the build keeps about an output lies in one state directory beside
it, ``.<name>.state/``, never in the output: the site is what is uploaded, as
it is, and two builds of the same content anywhere give the same bytes.

    lock             one build at a time writes the output (``output_lock``)
    published/       the record of what is published: each file's inode, size
                     and mtime (``files``), and what the build keeps with them
                     (the inputs' fingerprint, page keys, search shards' records)
    staging/         the next version of the site, while a build runs
    staging-record/  its record
    retired/         the previous version, for a moment during the swap

The staging copy is made of hard links to the published site (cheap, and
unchanged files keep their inode and mtime). A changed file's link is removed
and the file written anew, so the published files are never modified. Only
when everything succeeded is the staging directory swapped in, then its
record; a failing or interrupted build leaves the published site byte for
byte as it was, and its staging copy is thrown away by the next build, which
also finishes a swap that was stopped half-way (``recover``). So a staged file
needs no temporary name of its own: each path created or looked up has its
cost, and a site has thousands of files.

A rebuild keeps some published files as they are, unread (document pages
whose inputs did not change, search shards). So that a file edited, replaced
or deleted in the output since cannot be kept, the record holds every file
the build published, by inode, size and mtime (as git tells a changed file);
the next build drops from its staging copy the files that no longer match,
and renders them again.

The staging copy holds no symbolic link: one found in the published site is
left out of it (and so of the next version), never followed, so that no
build writes, deletes or keeps a file outside the output through it. An
output that is itself a link (a web root linked into the project) is
published where it leads (``published_dir``): the state directory and the
swap are beside that directory, and the link stays as it is.

Files outside the staging directory (caches) are written atomically by
``write_file``.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import re
import shutil
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator

from .problems import Problems

_STATE = ".{name}.state"
_LOCK, _STAGING, _RETIRED = "lock", "staging", "retired"
_RECORD, _STAGED_RECORD = "published", "staging-record"
_FILES = "files"  # in a record: each published file's identity and path
_RECORD_LINE = re.compile(r"(\d+ \d+ \d+) (.+)")
# What a version before the state directory kept inside the output: its list of the files it
# published (the next build removes those it no longer makes), and its inputs' fingerprint.
_OLD_MANIFEST, _OLD_FINGERPRINT = ".gazette-manifest", ".gazette-inputs"


@dataclass(frozen=True)
class OutputFile:
    path: str  # relative to the output directory (or to the record, if ``state``), "/"-separated
    data: bytes | None  # None: the previous build's file, still right, kept as it is
    state: bool = False  # the build's bookkeeping about the site, kept in its record, never published


def read_regular(path: Path) -> bytes | None:
    """A regular file's bytes; None when there is none at ``path``, or a link, a directory, a pipe or
    a device is there: a record or cache is never read through a link, nor waited for on a pipe."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as stream:
        return stream.read() if stat.S_ISREG(os.fstat(fd).st_mode) else None


def write_file(root: Path, output: OutputFile) -> bool:
    """Write one file atomically (a link in its place is replaced, not followed); False when it already had these bytes."""
    target = root / output.path
    if read_regular(target) == output.data:
        return False
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


def state_dir(out_dir: Path) -> Path:
    """The directory beside ``out_dir`` where the build keeps all it knows about it."""
    return out_dir.parent / _STATE.format(name=out_dir.name)


def record_dir(out_dir: Path) -> Path:
    """The record of what is published in ``out_dir``: the files, and the build's state files."""
    return state_dir(out_dir) / _RECORD


def published_files(out_dir: Path) -> dict[str, str] | None:
    """Each file the last build published in ``out_dir``, with its identity (see ``_identities``);
    None when there is no usable record of that build (none yet, made by an older version, or damaged)."""
    try:
        lines = (record_dir(out_dir) / _FILES).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    recorded = {}
    for line in lines:
        match = _RECORD_LINE.fullmatch(line)
        if match is None:
            return None
        recorded[match[2]] = match[1]
    return recorded


def changed_since_published(out_dir: Path, recorded: dict[str, str]) -> set[str] | None:
    """The files the last build published in ``out_dir`` (``recorded``, see ``published_files``) that
    are no longer as it left them (edited, replaced or deleted since); None when the output is gone."""
    try:
        return {path for path, identity in _identities(out_dir, recorded) if identity != recorded[path]}
    except OSError:
        return None


def published_by_a_build(out_dir: Path) -> bool:
    """Whether a build (of this version or an older one) published ``out_dir``: its record, or one
    staged by a build stopped before putting it in place (``recover`` will), or an older version's."""
    state = state_dir(out_dir)
    return (any((state / record / _FILES).exists() for record in (_RECORD, _STAGED_RECORD))
            or (out_dir / _OLD_MANIFEST).is_file())


def _inside(path: str) -> bool:
    """Whether a path read from a record stays inside the directory it is relative to: records lie in
    or beside the output, where anyone who can publish can write them."""
    parts = PurePosixPath(path).parts
    return bool(parts) and not PurePosixPath(path).is_absolute() and ".." not in parts


def _remove_empty_parents(root: Path, directory: Path) -> None:
    while directory != root and directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent


def remove_tree(path: Path) -> None:
    """Delete a tree the build set aside (a staging copy, a retired output), even one with read-only
    directories (an output published read-only, or copied with its modes by an older version):
    left in place, it would stop every later build. A link put in its place is removed, not followed."""
    if path.is_symlink():
        path.unlink()
        return
    try:
        shutil.rmtree(path)
    except FileNotFoundError:
        return
    except PermissionError:
        # Open every directory up, parents before the children they list, then delete what is left.
        os.chmod(path, stat.S_IRWXU)
        for root, directories, _ in os.walk(path):
            for name in directories:
                directory = os.path.join(root, name)
                if not os.path.islink(directory):  # a link's target is not the build's to change
                    os.chmod(directory, stat.S_IRWXU)
        shutil.rmtree(path)


def recover(out_dir: Path) -> None:
    """Finish or undo a swap that was interrupted, and drop abandoned staging copies.

    A staged record with no staging copy left is the record of the site now
    published (the copy was swapped in, or found unchanged and dropped): it is
    put in place. With the copy still there, nothing was published.
    """
    state = state_dir(out_dir)
    retired = state / _RETIRED
    if retired.exists() and not out_dir.exists():
        os.rename(retired, out_dir)
    staged_record, staging = state / _STAGED_RECORD, state / _STAGING
    if staged_record.exists() and not staging.exists():
        _put_record(staged_record, state / _RECORD)
    remove_tree(staged_record)  # before the copy: without it, the record would be taken as published
    remove_tree(staging)
    remove_tree(retired)


def _put_record(staged: Path, record: Path) -> None:
    remove_tree(record)
    os.rename(staged, record)


def _make_state_dir(out_dir: Path) -> Path:
    """The state directory, made if missing; a link in its place is removed, never followed."""
    state = state_dir(out_dir)
    if state.is_symlink():
        state.unlink()
    state.mkdir(parents=True, exist_ok=True)
    return state


def published_dir(out_dir: Path) -> Path:
    """The directory a site given as ``out_dir`` is published in: where it leads, when it is (or lies
    under) a symbolic link. A web root linked into the project is published into, its contents
    swapped, the link left as it is; swapping the link itself would leave the web root behind.
    Raises RuntimeError on a loop of links."""
    return out_dir.resolve()


# Outputs this process holds the lock of: a publish holds it across its build.
_held: set[Path] = set()


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Only one build at a time writes ``out_dir``: another one waits, saying who holds it.

    A lock file in the state directory, locked with flock: the lock goes with its holder,
    even one killed, so it never needs to be cleaned up. The file says who holds it.
    """
    path = state_dir(out_dir) / _LOCK
    if path in _held:
        yield
        return
    _make_state_dir(out_dir)
    # O_NOFOLLOW: the note is written into this file, never through a link put in its place.
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
    with os.fdopen(fd, "r+", encoding="utf-8", errors="replace") as stream:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            # Said at once, not with the problems at the end: the wait may be long.
            holder = stream.read().strip() or "另一个进程"
            print(f"{out_dir}: 另一个构建（{holder}）正在写入这个目录：等它结束后再继续……", file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        stream.seek(0)
        stream.truncate()
        stream.write(f"进程 {os.getpid()}，{dt.datetime.now():%Y-%m-%d %H:%M:%S} 开始\n")
        stream.flush()
        _held.add(path)
        try:
            yield
        finally:
            _held.discard(path)


@dataclass
class Staging:
    """The next version of ``out_dir``, and its record, built beside it."""

    out_dir: Path
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    current: set[str] = field(default_factory=set)
    # Published files not as the last build left them (see ``changed_since_published``),
    # dropped from the staging copy; None: an older version's output, with no record of
    # what it left, so every file it made was.
    untrusted: set[str] | None = field(default_factory=set)
    # Symbolic links found in the published site, left out of the copy: (path, where it leads).
    links: list[tuple[str, str]] = field(default_factory=list)
    _published: list[str] = field(default_factory=list)  # what the last build published, as its record lists it
    # What the copy of the published site holds: only these can be in the way of a
    # new file, and their directories need not be made. Every directory of the copy
    # is one: a path whose directory is not holds nothing of the copy.
    _linked: set[Path] = field(default_factory=set)
    _directories: set[Path] = field(default_factory=set)

    @cached_property  # a path for every file written
    def dir(self) -> Path:
        return state_dir(self.out_dir) / _STAGING

    @property
    def record(self) -> Path:
        """The record of the published site: what this build may reuse of it is read from there."""
        return record_dir(self.out_dir)

    @property
    def staged_record(self) -> Path:
        """This build's record, put in place with the site."""
        return state_dir(self.out_dir) / _STAGED_RECORD

    def prepare(self) -> "Staging":
        recover(self.out_dir)
        _make_state_dir(self.out_dir)
        if not self.out_dir.exists():
            self.dir.mkdir()
            self._directories.add(self.dir)
        else:
            self._copy(self.out_dir, self.dir, "")
            self._trust()
        self.staged_record.mkdir()  # after the copy: see ``recover``
        return self

    def _trust(self) -> None:
        """Drop from the copy the published files the build made that are not as it left them."""
        recorded = published_files(self.out_dir)
        old_manifest = self.dir / _OLD_MANIFEST
        if recorded is not None:
            self._published = list(recorded)
            self.untrusted = changed_since_published(self.out_dir, recorded) or set()
        elif old_manifest in self._linked:
            # Published by an older version, whose bookkeeping in the site goes with the files it lists.
            self._published = [*old_manifest.read_text(encoding="utf-8").splitlines(), _OLD_MANIFEST, _OLD_FINGERPRINT]
            self.untrusted = None
        for path in self._published if self.untrusted is None else self.untrusted:
            target = self._in_copy(path)
            if target is not None:
                target.unlink(missing_ok=True)
                self._linked.discard(target)

    def _copy(self, source: Path, target: Path, relative: str) -> None:
        """Link the published files into the copy, one directory at a time.

        Directories are made anew, not copied with their modes: the copy is the
        build's to write even where the published site is read-only. Links are
        left out (see the module's docstring).
        """
        target.mkdir()
        self._directories.add(target)
        with os.scandir(source) as entries:
            for entry in entries:
                path = target / entry.name
                if entry.is_symlink():
                    self.links.append((relative + entry.name, os.readlink(entry.path)))
                elif entry.is_dir(follow_symlinks=False):
                    self._copy(Path(entry.path), path, f"{relative}{entry.name}/")
                else:
                    os.link(entry.path, path, follow_symlinks=False)
                    if entry.is_file(follow_symlinks=False):  # a pipe or a device is never read
                        self._linked.add(path)

    def _in_copy(self, path: str) -> Path | None:
        """Where a path read from the manifest or record lies in the copy; None when it cannot be there
        (outside the output, or below what is not a directory of the copy)."""
        if not _inside(path):
            return None
        target = self.dir / path
        return target if target.parent in self._directories else None

    def write(self, output: OutputFile) -> None:
        if output.state:
            target = self.staged_record / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(output.data)
            return
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
        if may_exist or target in self._linked:  # a regular file: the published one, linked here, or this build's
            if target.read_bytes() == data:
                return False
            target.unlink()  # the published file, linked here, stays as it is
            self._linked.discard(target)
        elif target.parent not in self._directories:
            self._make_directory(target.parent)
        try:
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        except FileExistsError:  # not a file the copy linked (a pipe, say): replaced unread
            target.unlink()
            return self._put(target, data, may_exist=False)
        with os.fdopen(fd, "wb") as stream:
            os.fchmod(fd, 0o644)  # whatever the umask: the site is served to everyone
            stream.write(data)
        return True

    def _make_directory(self, directory: Path) -> None:
        """Make a directory of the copy, with its parents; a published file in the way is removed."""
        if directory in self._directories:
            return
        self._make_directory(directory.parent)
        try:
            directory.mkdir()
        except FileExistsError:  # not a directory of the copy: a file
            directory.unlink()
            directory.mkdir()
        self._directories.add(directory)

    def remove_stale(self) -> None:
        """Delete files the previous build wrote and this one did not."""
        dropped = set(self._published) if self.untrusted is None else self.untrusted
        for path in self._published:
            target = self._in_copy(path) if path not in self.current else None
            if target is not None and (target.is_file() or path in dropped):
                target.unlink(missing_ok=True)
                self.removed += 1
                _remove_empty_parents(self.dir, target.parent)

    @property
    def changed(self) -> bool:
        return bool(self.written or self.removed or self.links) or not self.out_dir.exists()

    def commit(self, problems: Problems | None = None) -> None:
        """Put the new version in place (only if anything changed), then its record.

        Raises only while the published site is still the previous one. What
        fails after the swap is reported to ``problems`` as a warning (the next
        build finishes it), not raised: the new site is published, and a
        publish must not undo what goes with it.
        """
        # Taken in the copy: a rename keeps a file's inode and mtime.
        lines = [f"{identity} {path}\n" for path, identity in _identities(self.dir, sorted(self.current))
                 if identity is not None]
        (self.staged_record / _FILES).write_text("".join(lines), encoding="utf-8")
        if not self.changed:
            remove_tree(self.dir)
        else:
            retired = state_dir(self.out_dir) / _RETIRED
            if self.out_dir.exists():
                os.rename(self.out_dir, retired)
            try:
                os.rename(self.dir, self.out_dir)
            except OSError:
                if retired.exists():
                    os.rename(retired, self.out_dir)
                raise
            try:
                remove_tree(retired)
            except OSError as exc:
                _settled_later(problems, retired, exc, "上一版网站未能删除：下次构建时再删除")
        try:
            _put_record(self.staged_record, self.record)
        except OSError as exc:
            _settled_later(problems, self.record, exc, "发布记录未能写入：下次构建时再写入")

    def discard(self) -> None:
        # Best effort: this runs while another error is on its way to the editor; what stays is
        # removed by the next build (``recover``), which reports it if it cannot. The record
        # first: a staged record without its copy would be taken as published.
        with contextlib.suppress(OSError):
            remove_tree(self.staged_record)
            remove_tree(self.dir)


def _settled_later(problems: Problems | None, path: Path, exc: OSError, what: str) -> None:
    """Bookkeeping after the swap that failed: the site is published; the next build makes up for it."""
    if problems is None:
        raise exc
    problems.warning(path, None, f"{what}（{exc.strerror or exc}）")
