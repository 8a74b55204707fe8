"""What "the same text" means for search, character by character.

A query matches where a document's text contains it with whitespace ignored
(line breaks, table cells and the spaces of 组 长 do not matter). Only when
no document does, the browser compares loosely: each character also folded
through NFKC (full-width Ｇ３１８ and （ become G318 and "(") and lower case.
The index is built on the loose folding, ``fold()``: whatever matches exactly
also matches loosely, so its candidates serve both.

Folding works one character at a time, never on the whole string, so that a
position in the folded text maps back to a position in the displayed text
(excerpts highlight what the reader sees). ``static/search/query.js`` has
the browser's copy of these rules; the tests check that both fold every
character of the content alike.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# JavaScript's \s, spelled out because Python's str.isspace() differs from it
# (U+001C–U+001F, U+FEFF), plus the zero-width space, which no reader sees.
WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u200b"
_WHITESPACE_RUN = re.compile(f"[{WHITESPACE}]+")


@lru_cache(maxsize=None)  # texts repeat a few thousand characters millions of times
def fold_char(char: str) -> str:
    """One character as search compares it: possibly empty, possibly several."""
    return _WHITESPACE_RUN.sub("", unicodedata.normalize("NFKC", char).lower())


@lru_cache(maxsize=1)
def _changing() -> re.Pattern[str]:
    """The characters that folding changes, as a regular expression.

    Most characters of a text fold to themselves, so the texts are scanned
    for the others in C. Beyond the Basic Multilingual Plane (a million code
    points) every character is taken, and ``fold_char`` tells.
    """
    changing = "".join(re.escape(chr(code)) for code in range(0x10000) if fold_char.__wrapped__(chr(code)) != chr(code))
    return re.compile(f"([{changing}\U00010000-\U0010ffff])")  # a group: split keeps what it cuts at


def fold(text: str) -> str:
    return fold_noting(text, set())


def fold_noting(text: str, changed: set[str]) -> str:
    """``fold(text)``, adding to ``changed`` the characters of ``text`` that folding may change
    (for ``folds_of``): one pass over a text where the index needs both."""
    # Cut at each such character and fold those alone, in C (a substitution calling back into
    # Python for each of them, one in twenty characters of Chinese text, took half again as long).
    parts = _changing().split(text)
    changing = parts[1::2]
    changed.update(changing)
    parts[1::2] = map(fold_char, changing)
    return "".join(parts)


def folds_of(chars: set[str]) -> set[str]:
    """What folding makes of those of ``chars`` it changes: the characters loose folding makes
    of others. Where a term has none of them (and folds to itself), a text contains it loosely
    exactly when it contains it exactly, so the index's answer for it needs no check against
    the text. Whitespace folds to nothing both ways."""
    return {part for char in chars if (folded := fold_char(char)) != char for part in folded}

