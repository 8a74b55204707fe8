"""Which documents contain which 发文字号 tail (2023〕1号), for queries the bigram index answers badly.

The bigrams of 新政办〔2023〕1号 (〔2, 20, 02, 23, 3〕, 〕1, 1号 …) are in
nearly every document that cites any number of 2023, so the index proposes
them all and the browser would check every one's text, though few cite this
number. A *tail* is four digits, one other character, digits and 号, as
folded text has them (2023〕1号, 2023年1号). A text that contains a query
contains the query's tails, so the documents listed under them are a superset
of the answer, exact or loose (the tails are taken from the loosely folded
text, see :mod:`.normalize`), and usually a handful.

``static/search/engine.js`` finds a query's tails with the same pattern.
"""
from __future__ import annotations

import re
from typing import Iterable, Mapping

# A lookahead, so that overlapping tails are all found (〔12023〕1号 has 2023〕1号).
TAIL = re.compile(r"(?=([0-9]{4}[^0-9][0-9]+号))")


def tails(folded: str) -> list[str]:
    """The distinct tails of a folded text, sorted."""
    return sorted(set(TAIL.findall(folded)))


def by_year(tails_by_doc: Mapping[str, Iterable[str]]) -> dict[str, dict[str, list[str]]]:
    """``{year: {tail: [document ids, sorted]}}``: the browser loads one year's file for a tail."""
    years: dict[str, dict[str, list[str]]] = {}
    for doc_id in sorted(tails_by_doc):
        for tail in tails_by_doc[doc_id]:
            years.setdefault(tail[:4], {}).setdefault(tail, []).append(doc_id)
    return years
