"""Which documents contain which 发文字号 tail (2023〕1号), for queries the bigram index answers badly.

The bigrams of 新政办〔2023〕1号 (〔2, 20, 02, 23, 3〕, 〕1, 1号 …) are in
nearly every document that cites any number of 2023, so the index proposes
them all and the browser would check every one's text, though few cite this
number. A *tail* is four digits, one or two other characters, digits and
号, as folded text has them (2023〕1号, 2010〕第15号, and 2018年第62号 of a
公告 numbered by year). A text that contains a query
contains the query's tails, so the documents listed under them are a superset
of the answer, exact or loose (the tails are taken from the loosely folded
text, see :mod:`.normalize`), and usually a handful.

``static/search/engine.js`` finds a query's tails with the same pattern.
"""
from __future__ import annotations

import re
from typing import Iterable, Mapping

from .. import docnumber

# A lookahead, so that overlapping tails are all found (〔12023〕1号 has 2023〕1号).
TAIL = re.compile(r"(?=([0-9]{4}[^0-9]{1,2}[0-9]+号))")


def tails(folded: str) -> list[str]:
    """The distinct tails of a folded text, sorted."""
    return sorted(set(TAIL.findall(folded)))


def by_year(tails_by_doc: Mapping[int, Iterable[str]], numbered: Mapping[str, int]) -> dict[str, dict]:
    """``{year: {"tails": {tail: [document numbers, sorted]}, "numbers": {发文字号: document number}}}``:
    the browser loads one year's file for a tail, or for the document a 发文字号 names."""
    years: dict[str, dict] = {}
    for n in sorted(tails_by_doc):
        for tail in tails_by_doc[n]:
            years.setdefault(tail[:4], {"tails": {}, "numbers": {}})["tails"].setdefault(tail, []).append(n)
    for number, n in numbered.items():
        parsed = docnumber.parse_line(number)
        if parsed is not None and parsed.year is not None:
            years.setdefault(str(parsed.year), {"tails": {}, "numbers": {}})["numbers"][number] = n
    return years
