"""Cross-references: 发文字号 mentioned in a body that the archive holds.

Recognition is :mod:`gazette_site.docnumber`'s; this module resolves the
mentions against the archive's own documents by (agency code, year, number).
The Chinese run before the bracket may start with ordinary words
(按照新政发…), so the longest suffix of that run which is a known 发文字号 wins.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ..docnumber import DocNumber, DocNumberMention, find_mentions, parse_line
from ..model import Archive, Document


@dataclass(frozen=True)
class Mention:
    start: int  # offsets in the searched text of the printed 发文字号
    end: int
    target: str  # id of the cited document


class Resolver:
    """Finds the mentions in a text that cite documents held by the archive."""

    def __init__(self, archive: Archive):
        self.by_number: dict[DocNumber, str] = {}
        for doc in archive.documents:
            number = parse_line(doc.doc_number) if doc.doc_number else None
            if number is not None:
                self.by_number[number] = doc.id

    def target(self, mention: DocNumberMention) -> tuple[int, str] | None:
        """(offset of the agency code in the mention, id of the cited document), if the archive holds it."""
        for offset, agency in enumerate(mention.agency_suffixes()):
            target = self.by_number.get(DocNumber(agency, mention.year, mention.number))
            if target is not None:
                return offset, target
        return None

    def mentions(self, text: str) -> Iterator[Mention]:
        if not self.by_number or "号" not in text:  # most text runs: skip the regex
            return
        for mention in find_mentions(text):
            found = self.target(mention)
            if found is not None:
                yield Mention(mention.start + found[0], mention.end, found[1])


def mentioned(printed: tuple[DocNumberMention, ...], resolver: Resolver) -> list[str]:
    """Ids of the archived documents among the 发文字号 a body prints (``Document.printed_numbers``), sorted."""
    return sorted({found[1] for found in map(resolver.target, printed) if found is not None})


def cited_by(archive: Archive, mentioned: dict[str, list[str]]) -> dict[str, list[Document]]:
    """For each document id, the other documents whose bodies cite it (``mentioned``: by document id)."""
    citing: dict[str, list[Document]] = {}
    for doc in archive.documents:
        for target in mentioned[doc.id]:
            if target != doc.id:
                citing.setdefault(target, []).append(doc)
    return citing
