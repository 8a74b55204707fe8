"""Rendered document bodies kept between builds.

Markdown rendering is most of a build's time. A body's HTML depends only on
its text, its id, which of the 发文字号 it mentions the archive holds, and the
rendering code; the cache key covers exactly those (the text by its digest,
so a hit does not read the file), so a rebuild renders only the bodies that
changed. A damaged entry is dropped with a warning and the body rendered
again.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from .. import urls
from ..code_digest import code_digest as shared_code_digest
from ..content import read_body
from ..model import Document
from ..problems import Problems
from .markdown import SITE_NAMES, Body, ChronicleEntry, Heading, render_body
from .xref import Resolver

_CODE = (Path(__file__).parent, Path(__file__).parent.parent / "docnumber.py")


# Libraries whose upgrade may change the HTML they make.
_LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "jinja2", "markupsafe", "pypinyin")


def code_digest(roots: tuple[Path, ...] = _CODE) -> str:
    """The code (and, for pages, the templates) that make the output: a change must not reuse old output."""
    return shared_code_digest(roots, _LIBRARIES)


def document_link(target: str) -> str:
    """The href of a cited document, from another document's page."""
    return urls.relative(urls.document("x"), urls.document(target))


def _intact(body: object) -> bool:
    """Whether an unpickled entry is a body as ``render_body`` makes it: a pickle that loads may still
    hold something else (damaged, or written by other code), which would fail the build every time."""
    return (isinstance(body, Body) and isinstance(body.html, str)
            and isinstance(body.headings, tuple) and all(isinstance(h, Heading) for h in body.headings)
            and isinstance(body.chronicle, tuple) and all(isinstance(e, ChronicleEntry) for e in body.chronicle))


class BodyCache:
    def __init__(self, directory: Path | None, problems: Problems):
        self.directory = directory
        self.problems = problems
        self.hits = 0

    @staticmethod
    def key(doc: Document, targets: list[str]) -> str:
        """``targets``: the ids of every archived document the body mentions (sorted)."""
        # The site's names are read from the templates, which the code digest does not cover.
        material = "\0".join([code_digest(), " ".join(sorted(SITE_NAMES)), doc.id, doc.body_digest.hex(), *targets])
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def body(self, doc: Document, targets: list[str], resolver: Resolver) -> Body:
        """The rendered body, from the cache when it holds one; raises ``content.BodyChanged``."""
        if self.directory is None:
            return render_body(read_body(doc), doc.id, resolver, document_link)
        path = self.directory / f"{self.key(doc, targets)}.pickle"
        body = self._load(path)
        if body is None:
            body = render_body(read_body(doc), doc.id, resolver, document_link)
            self._store(path, body)
        return body

    def _load(self, path: Path) -> Body | None:
        if not path.is_file():
            return None
        try:
            body = pickle.loads(path.read_bytes())
            if _intact(body):
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
