"""Characters and character bigrams, spelled as Pagefind words.

Each character of the folded text is written as its code point in four
base-36 digits; the index holds, for each document, every distinct character
as such a word followed by ``z`` and every distinct pair of neighbouring
characters as one eight-digit word. So:

* a one- or two-character query is one word, and Pagefind's answer for it is
  exactly the documents whose folded text contains it;
* a longer query is the AND of bigrams covering it: a superset, which the
  browser checks against the text.

The ``z`` is what makes one word exact. Pagefind matches a query word as a
prefix of the index's words and, when none begins with it, falls back to the
longest index word that begins the query word (measured: a shard without 慧琼
answered with the documents holding 慧). No code starts with ``z`` (the
largest code point is ``nvnj``), so no word begins another: a character's word
is not the start of its bigrams', and a missing word finds nothing.

Single characters need words of their own, rather than being found as the
start of their bigrams: Pagefind loads only the first index chunk whose range
holds the query word, so the bigrams of a character that straddle two chunks
would be half missed.

Only ASCII letters and digits reach Pagefind, so its stemming, segmentation,
punctuation stripping and case folding have nothing to change, whatever the
language or binary. ``static/search/query.js`` spells queries the same way.
"""
from __future__ import annotations

import sys
from array import array

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
WIDTH = 4  # 36**4 > 0x10FFFF: every code point fits
CHARACTER_MARK = "z"  # ends a single character's word; no code begins with it


def char_code(char: str) -> str:
    value = ord(char)
    digits = []
    for _ in range(WIDTH):
        value, digit = divmod(value, 36)
        digits.append(DIGITS[digit])
    return "".join(reversed(digits))


def char_word(char: str) -> str:
    return char_code(char) + CHARACTER_MARK


class _Codes(dict):
    """Code point → its code, filled as characters are met: a few thousand distinct
    characters, millions of words, each spelled by a dict lookup, not a call."""

    def __missing__(self, code_point: int) -> str:
        self[code_point] = code = char_code(chr(code_point))
        return code


_CODES = _Codes()
_BIG_ENDIAN = sys.byteorder == "big"


def _code_points(data: bytes, typecode: str) -> array:
    """``data`` (UTF-32 big-endian) as unsigned integers: of 32 bits ("I") one code
    point each, of 64 bits ("Q") two, the first in the high half."""
    values = array(typecode)
    values.frombytes(data[:len(data) - len(data) % values.itemsize])
    if not _BIG_ENDIAN:
        values.byteswap()
    return values


def index_words(folded: str) -> list[str]:
    """Each distinct character and bigram of ``folded`` once: the characters, then the bigrams, each in code order.

    Repeats are dropped: the browser ranks and verifies on the text itself, so
    Pagefind needs presence only, and the index is 40 % smaller without them.
    In code order a word sits at about the same position in every document,
    which makes Pagefind's index chunks (word, then its documents and
    positions) some 13 % smaller than in the text's order. The distinct ones
    are found as integers in C (two code points in 64 bits for a bigram), so
    only those are spelled out as codes.
    """
    data = folded.encode("utf-32-be")
    characters = set(_code_points(data, "I"))
    bigrams = set(_code_points(data, "Q")).union(_code_points(data[4:], "Q"))
    codes = _CODES
    return ([codes[c] + CHARACTER_MARK for c in sorted(characters)]
            + [codes[b >> 32] + codes[b & 0xFFFFFFFF] for b in sorted(bigrams)])
