"""Loaded content kept between builds.

Reading an archive is parsing thousands of small YAML mappings (PyYAML builds
their objects in Python) and reading every body for its digest and the
发文字号 it prints. A rebuild finds nearly all files unchanged, so:

* a document that loaded without a problem is kept whole, under its path and
  its file's inode, size, mtime and ctime, and its file is not read again (a
  tool may set a file's mtime back, but no write leaves its ctime as it was);
  the documents not kept are loaded on every core;
* each successful front matter parse of the rest (``issue.yaml``) is kept
  under the digest of its text and first line (its keys' lines count from it).

Entries are pickled one by one, so every use gets objects of its own; what had
a problem is not kept, and is reported again with its line. The file holds
only the entries the last load used, and is dropped whole after a change to
the loading code or PyYAML, or when it, or any entry in it, is damaged.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any, Iterator

from . import content, docnumber, model
from .code_digest import code_digest
from .model import Document
from .output import OutputFile, write_file
from .parallel import parallel_imap
from .problems import Problems

FILE = "front-matter.pickle"


def _code() -> str:
    return code_digest(tuple(Path(m.__file__) for m in (content, docnumber, model)), ("PyYAML",))


def _file_key(path: Path) -> str | None:
    """None when the file is gone since it was listed: loading it reports that."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return f"{path}\0{stat.st_ino}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ctime_ns}"


def _load_pickled(path: Path) -> tuple[bytes | None, Problems]:
    """One document loaded and pickled where it was parsed: in a worker, the pickle is
    the work the cache needs anyway, and the way the document travels back."""
    doc, found = content.load_document_alone(path, content.parse_yaml)
    return (pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL) if doc is not None else None), found


def _is_parse(value: object) -> bool:
    return isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], dict)


def _is_document(value: object) -> bool:
    return isinstance(value, Document)


class ParseCache:
    def __init__(self, directory: Path | None, problems: Problems):
        self.path = directory / FILE if directory is not None else None
        self.problems = problems
        self.entries: dict[str, bytes] = {}
        self.entries = self._read()
        self.used: dict[str, bytes] = {}

    def _read(self) -> dict[str, bytes]:
        if self.path is None or not self.path.is_file():
            return {}
        try:
            stored = pickle.loads(self.path.read_bytes())
            if stored["code"] != _code():
                return {}
            entries = stored["entries"]
            if isinstance(entries, dict) and all(isinstance(k, str) and isinstance(v, bytes) for k, v in entries.items()):
                return entries
        except Exception:  # any damage: the file is only a copy of what we can recompute
            pass
        self._damaged()
        return {}

    def _damaged(self) -> None:
        """Drop every entry, said once: the cache is only a copy of what the files give, and one
        damaged entry (a pickle that loads may hold anything) makes the others no better."""
        self.entries = {}
        self.problems.warning(self.path, None, "元数据缓存已损坏：已丢弃并重新读取")

    def _entry(self, key: str | None, intact) -> Any:
        """The cached value under ``key`` if it passes ``intact``; None when not cached, or damaged (then dropped)."""
        blob = self.entries.get(key)
        if blob is None:
            return None
        try:
            value = pickle.loads(blob)
        except Exception:  # damaged, however
            value = None
        if value is None or not intact(value):
            self._damaged()
            return None
        self.used[key] = blob
        return value

    def parse(self, text: str, first_line: int = 1) -> tuple[Any, dict[str, int]]:
        """``content.parse_yaml``, from the cache when it holds the text."""
        key = hashlib.sha256(f"{first_line}\0{text}".encode("utf-8")).hexdigest()
        value = self._entry(key, _is_parse)
        if value is None:
            value = content.parse_yaml(text, first_line)
            self.used[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        return value

    def documents(self, paths: list[Path]) -> Iterator[tuple[Document | None, Problems]]:
        """``content.load_documents``: from the cache where a file is as it was, the rest on the other
        cores, from now on: this process has the issues to read meanwhile."""
        keys = [_file_key(path) for path in paths]
        # Taken out first: a damaged entry drops them all, and then every file is loaded.
        cached: dict[str, Document] = {}
        for key in keys:
            if key in self.entries:
                doc = self._entry(key, _is_document)
                if doc is None:
                    cached = {}
                    break
                cached[key] = doc
        fresh = parallel_imap(_load_pickled, [path for path, key in zip(paths, keys) if key not in cached],
                              caller_works=False, all_at_once=True)
        return self._documents(keys, cached, fresh)

    def _documents(self, keys: list[str | None], cached: dict[str, Document],
                   fresh: Iterator[tuple[bytes | None, Problems]]) -> Iterator[tuple[Document | None, Problems]]:
        for key in keys:
            if key in cached:
                yield cached.pop(key), Problems()
                continue
            blob, found = next(fresh)
            if blob is not None and key is not None and not found.items:
                self.used[key] = blob
            yield (pickle.loads(blob) if blob is not None else None), found

    def save(self) -> None:
        """Keep what this load used, if that differs from what the file holds."""
        if self.path is None or self.used.keys() == self.entries.keys():
            return
        data = pickle.dumps({"code": _code(), "entries": self.used}, protocol=pickle.HIGHEST_PROTOCOL)
        write_file(self.path.parent, OutputFile(self.path.name, data))
