"""Which document pages a rebuild can keep as the previous build wrote them.

Adding an issue changes few of the existing document pages, yet rendering
them all again is most of such a rebuild. A page's key digests everything its
template can reach: the code and templates, the settings and gazette name, the
issue (with all its documents), the document and its neighbours, the
documents it cites and that cite it, and which archived documents its body
mentions (all the rendered body depends on besides its text). The keys are
kept in the record of what was published (see :mod:`..output`), swapped in
with the pages, so they always describe the published files; a page whose key
is unchanged is not rendered again.
"""
from __future__ import annotations

import dataclasses
import hashlib
import pickle
import re
from pathlib import Path

from ..model import Document, Issue
from .body_cache import code_digest
from .site import Site

RECORD = "pages"  # in the record of what was published
_PACKAGE = Path(__file__).resolve().parents[1]
_LINE = re.compile(r"([a-z0-9-]+) ([0-9a-f]{64}) ([01])")


def _digest(value: object) -> bytes:
    # Equal objects may pickle differently (shared references): that costs a
    # re-render, never a stale page.
    return hashlib.sha256(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)).digest()


def _unplaced(item: Issue | Document) -> Issue | Document:
    """Without the files it was read from (no page shows them: the same content
    elsewhere must give the same output, keys included), nor an issue's
    documents: those are digested on their own."""
    if isinstance(item, Issue):
        return dataclasses.replace(item, path=None, documents=[])
    return dataclasses.replace(item, path=None, body_line=1)


class PageKeys:
    """Keys of the document pages of one build. Made before the workers start, so each digest is taken once."""

    def __init__(self, site: Site, templates: Path):
        self.site = site
        self.base = hashlib.sha256("\0".join([
            code_digest((_PACKAGE, templates)), repr(site.settings), site.gazette]).encode()).digest()
        self.documents = {doc.id: _digest(_unplaced(doc)) for doc in site.archive.documents}
        # An issue's documents by their digests: pickling each issue whole would
        # pickle every body twice.
        self.issues = {issue.ref: _digest((_unplaced(issue), [self.documents[d.id] for d in issue.documents]))
                       for issue in site.archive.issues}

    def document(self, issue: Issue, previous: Document | None, doc: Document, following: Document | None) -> str:
        site = self.site
        digest = hashlib.sha256(self.base + self.issues[issue.ref])
        for other in (previous, doc, following):
            digest.update(self.documents[other.id] if other else b"-")
        for group in (site.cites(doc), site.cited_by.get(doc.id, [])):
            digest.update(b"|" + b"".join(self.documents[other.id] for other in group))
        digest.update("|".join(site.mentioned[doc.id]).encode())
        return digest.hexdigest()


def read(record: Path | None) -> dict[str, tuple[str, bool]]:
    """The previous build's keys in its ``record``: document id → (key, has 大事记 entries).

    A damaged or missing record only means every page is rendered again.
    """
    path = record / RECORD if record is not None else None
    if path is None or not path.is_file():
        return {}
    keys = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        match = _LINE.fullmatch(line)
        if match:
            keys[match[1]] = (match[2], match[3] == "1")
    return keys


def dumps(keys: dict[str, tuple[str, bool]]) -> bytes:
    return "".join(f"{doc_id} {key} {int(chronicle)}\n" for doc_id, (key, chronicle) in sorted(keys.items())).encode()
