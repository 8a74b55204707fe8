"""A second reader of the published index, written from docs/search.md: what
``static/search/engine.js`` does, less ranking and display, so that the
format can be checked against the texts themselves (tests) and read by tools.
"""
from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

from .. import urls
from .build import BLOCK, read_block
from .normalize import fold
from .postings import Member, decode_member, split_bucket
from .terms import buckets_of, term_code

import numpy as np


class PublishedIndex:
    """The search files of a built site (``site``: its output directory)."""

    def __init__(self, site: Path):
        self.site = Path(site)
        self.directory = json.loads(gzip.decompress((self.site / urls.SEARCH_DIRECTORY).read_bytes()))
        self.members = [Member(first, count) for first, count in self.directory["members"]]

    @cache
    def _bucket(self, bucket: int) -> list[dict[int, tuple[list[int], list[int], list[int], list[int]]]]:
        parts = split_bucket((self.site / urls.search_bucket(bucket)).read_bytes())
        return [decode_member(part, member.first) for part, member in zip(parts, self.members, strict=True)]

    def postings(self, term: str) -> tuple[list[int], list[int], list[int], list[int]]:
        """For a one- or two-character ``term``: the documents whose folded text has it, the first block of
        each that has it, the documents whose folded title has it and the folded length of each of those titles."""
        code = term_code(term)
        bucket = int(buckets_of(np.array([code], dtype=np.uint64), self.directory["buckets"])[0])
        found: tuple[list[int], list[int], list[int], list[int]] = ([], [], [], [])
        for member in self._bucket(bucket):
            for column, values in zip(found, member.get(code, ([], [], [], []))):
                column += values
        return found

    def candidates(self, folded: str) -> set[int]:
        """Documents having every character (one) or every bigram of a folded term: a superset of its answer."""
        terms = [folded] if len(folded) == 1 else [folded[i:i + 2] for i in range(len(folded) - 1)]
        found = None
        for term in sorted(set(terms), key=lambda t: len(self.postings(t)[0])):  # rarest first
            documents = set(self.postings(term)[0])
            found = documents if found is None else found & documents
        return found or set()

    def ids(self) -> list[str]:
        """Every document's id, by number."""
        size = self.directory["rows"]
        rows = []
        for start in range(0, self.directory["documents"], size):
            rows += json.loads(gzip.decompress((self.site / urls.search_rows(start // size)).read_bytes()))
        return [row[0] for row in rows]

    def blocks(self, n: int) -> list[list]:
        """Document ``n``'s block files: ``[id, title, 发文字号, date, date label, 栏目, issue, block, blocks, preface,
        text]``."""
        first = read_block((self.site / urls.search_block(n, 0)).read_bytes())
        return [first] + [read_block((self.site / urls.search_block(n, j)).read_bytes()) for j in range(1, first[8])]

    def preface_and_rest(self, n: int) -> tuple[str, str]:
        """Document ``n``'s text as its page shows it: its title and facts, and the rest."""
        blocks = self.blocks(n)
        return blocks[0][9], "".join(block[10][:BLOCK] for block in blocks)

    def text(self, n: int) -> str:
        return "\n".join(self.preface_and_rest(n))

    def search(self, query: str) -> set[int]:
        """The documents whose text contains ``query``, both loosely folded (whitespace, width and case aside)."""
        folded = fold(query)
        if not folded:
            return set()
        found = self.candidates(folded)
        if len(folded) <= 2:
            return found
        return {n for n in found if folded in fold(self.text(n))}
