"""Which documents share a Pagefind index.

Pagefind holds a whole index in memory while it builds it, megabytes per
document of character and bigram words, and rebuilds all of it on any
change. So the archive is indexed in shards: runs of
consecutive documents, oldest first, at most ``search_shard_documents`` each.
A new issue changes only the newest shard (or starts one), an edit only the
shard of the document edited, and no Pagefind run outgrows the memory the cap
allows. Inserting or removing an older document re-cuts the shards after
it, which costs one rebuild of those shards. The browser merges the shards
with Pagefind's ``mergeIndex``.

Each shard is named by its first document's place in the archive, which no
later issue changes: ``2023-1-1`` starts with the first document of 2023 第1期.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..model import Document


@dataclass(frozen=True)
class Shard:
    name: str  # its directory under pagefind/
    documents: tuple[Document, ...]


def shard_name(first: Document) -> str:
    return f"{first.issue.key}-{first.order}"


def partition(documents: Sequence[Document], size: int) -> list[Shard]:
    """``documents`` in archive order, cut into runs of ``size``."""
    runs = [tuple(documents[start:start + size]) for start in range(0, len(documents), size)]
    return [Shard(shard_name(run[0]), run) for run in runs]
