"""Characters and character bigrams, spelled as Pagefind words.

Each character of the folded text is written as its code point in four
base-36 digits; the index holds, for each document, every distinct character
as such a word and every distinct pair of neighbouring characters as one
eight-digit word. So:

* a one- or two-character query is one word;
* a longer query is the AND of bigrams covering it.

Either way Pagefind returns a superset of the documents containing the query,
which the browser then checks against the text. Even one word is not exact:
an index that lacks the word answers with documents holding a prefix of it
(measured: a shard without 慧琼 returned the documents with 慧), so the
candidates of each merged shard must be checked too.

Single characters need words of their own although Pagefind matches a query
word as a prefix of longer words: it loads only the first index chunk whose
range holds the query word, so the bigrams of a character that straddle two
chunks would be half missed.

Only ASCII letters and digits reach Pagefind, so its stemming, segmentation,
punctuation stripping and case folding have nothing to change, whatever the
language or binary. ``static/search/query.js`` spells queries the same way.
"""
from __future__ import annotations

from functools import lru_cache
from itertools import chain
from operator import add

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
WIDTH = 4  # 36**4 > 0x10FFFF: every code point fits


@lru_cache(maxsize=None)  # a few thousand distinct characters, millions of calls
def char_code(char: str) -> str:
    value = ord(char)
    digits = []
    for _ in range(WIDTH):
        value, digit = divmod(value, 36)
        digits.append(DIGITS[digit])
    return "".join(reversed(digits))


def index_words(folded: str) -> list[str]:
    """Each distinct character and bigram of ``folded`` once, in order of first occurrence.

    Repeats are dropped: the browser ranks and verifies on the text itself, so
    Pagefind needs presence only, and the index is 40 % smaller without them.
    Distinct strings are found first (in C, by dict and zip), so only those
    are spelled out as codes.
    """
    bigrams = map(add, folded, folded[1:])
    distinct = dict.fromkeys(chain.from_iterable(zip(folded, bigrams)))
    distinct.update(dict.fromkeys(folded[-1:]))
    return [char_code(text) if len(text) == 1 else char_code(text[0]) + char_code(text[1]) for text in distinct]
