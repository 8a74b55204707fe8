"""Pinyin of titles, so that wufeichengshi or wfcs finds 无废城市.

One syllable per character of the title, "-" for a character without a
reading (digits, punctuation, Latin): the browser walks the title and this
list side by side to highlight the characters a pinyin query matched.
Readings come from pypinyin's phrase tables (长江 is chang jiang, not zhang).
"""
from __future__ import annotations

from pypinyin import Style, lazy_pinyin

NO_READING = "-"


def title_syllables(title: str) -> str:
    """Space-separated syllables, exactly one per code point of ``title``."""
    syllables = lazy_pinyin(title, style=Style.NORMAL, errors=lambda run: [NO_READING] * len(run))
    return " ".join(syllable if syllable.isascii() and syllable.isalpha() else NO_READING
                    for syllable in syllables)
