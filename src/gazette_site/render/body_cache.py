"""Rendered document bodies kept between builds.

Markdown rendering is most of a build's time. A body's HTML depends only on
its text, its id, which of the 发文字号 it mentions the archive holds, and the
rendering code; the cache key covers exactly those, so a rebuild renders only
the bodies that changed. A damaged entry is dropped with a warning and the
body rendered again.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path

from .. import __version__, urls
from ..parallel import parallel_map
from ..problems import Problems
from .markdown import Body, render_body
from .xref import Resolver

_CODE = (Path(__file__).parent, Path(__file__).parent.parent / "docnumber.py")


@lru_cache(maxsize=1)
def code_digest() -> str:
    """The rendering code itself: a change to it must not reuse old output."""
    digest = hashlib.sha256(__version__.encode())
    for root in _CODE:
        for path in sorted([root] if root.is_file() else root.glob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()


_resolver: Resolver | None = None


def _init_worker(resolver: Resolver) -> None:
    global _resolver
    _resolver = resolver


def document_link(target: str) -> str:
    """The href of a cited document, from another document's page."""
    return urls.relative(urls.document("x"), urls.document(target))


def _render(job: tuple[str, str]) -> Body:
    text, doc_id = job
    return render_body(text, doc_id, _resolver, document_link)


def render_all(jobs: list[tuple[str, str]], resolver: Resolver) -> list[Body]:
    """Render bodies, on every core when there are many."""
    return parallel_map(_render, jobs, initializer=_init_worker, initargs=(resolver,))


class BodyCache:
    def __init__(self, directory: Path | None, problems: Problems):
        self.directory = directory
        self.problems = problems
        self.hits = 0

    def key(self, text: str, doc_id: str, resolver: Resolver) -> str:
        targets = sorted({m.target for m in resolver.mentions(text)})
        material = "\0".join([code_digest(), doc_id, text, *targets])
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def bodies(self, jobs: list[tuple[str, str]], resolver: Resolver) -> list[Body]:
        """The body of each (text, doc id), from the cache where it holds one."""
        if self.directory is None:
            return render_all(jobs, resolver)
        paths = [self.directory / f"{self.key(text, doc_id, resolver)}.pickle" for text, doc_id in jobs]
        found = [self._load(path) for path in paths]
        missing = [i for i, body in enumerate(found) if body is None]
        for i, body in zip(missing, render_all([jobs[i] for i in missing], resolver)):
            found[i] = body
            self._store(paths[i], body)
        return found

    def _load(self, path: Path) -> Body | None:
        if not path.is_file():
            return None
        try:
            body = pickle.loads(path.read_bytes())
            if isinstance(body, Body):
                self.hits += 1
                return body
        except Exception:  # any damage: the entry is only a copy of what we can recompute
            pass
        self.problems.warning(path, None, "渲染缓存条目已损坏：已丢弃并重新生成")
        path.unlink(missing_ok=True)
        return None

    def _store(self, path: Path, body: Body) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            stream.write(pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temp, path)
