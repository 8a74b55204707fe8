"""The terms of the index: every character and every pair of neighbouring characters.

Search compares folded text (see :mod:`.normalize`), so a document whose
folded text contains a query term also contains each of the term's
characters and bigrams. A term of one or two characters is one index term,
and its postings are its answer; a longer one is the AND of its bigrams, a
superset that the browser checks against the texts.

Each term is one integer, so that the build handles millions of them as
arrays, not as Python strings: a character is its code point ``c`` (below
2**21), a bigram ``ab`` is ``(a + 1) * 2**21 + b``. Every integer is below
2**43, exact in a JavaScript number. A term's *bucket*, the file its
postings are in, is a 32-bit hash of its two halves modulo the (power of
two) number of buckets; ``static/search/index.js`` computes the same.
"""
from __future__ import annotations

import numpy as np

SHIFT = 2**21  # above every code point
TERM_BITS = 43  # every term is below 2**TERM_BITS: a key is its bucket shifted above them, then the term
MULTIPLIERS = (0x9E3779B1, 0x85EBCA77)  # for the low and the high half
FINAL = (0x85EBCA6B, 0xC2B2AE35)  # MurmurHash3's finaliser: every bit of the input moves the bucket


def code_points(folded: str) -> np.ndarray:
    return np.frombuffer(folded.encode("utf-32-le"), dtype="<u4").astype(np.uint64)


def text_terms(folded: str) -> np.ndarray:
    """The distinct terms of a folded text, sorted (uint64)."""
    chars = code_points(folded)
    terms = np.sort(np.concatenate([chars, (chars[:-1] + 1) * SHIFT + chars[1:]]))
    # Sorted, then the first of each run: numpy's unique hashes, which took three times as long.
    return terms[np.concatenate(([True], terms[1:] != terms[:-1]))] if len(terms) else terms


def first_blocks(folded: str, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct terms of the blocks of a folded text, sorted, and for each the first block that has it.

    Block ``j`` is ``folded[starts[j]:ends[j]]`` (both nondecreasing in
    ``j``); a term is in a block when it lies whole in it. One pass over the
    whole text instead of one per block: the blocks overlap. Characters and
    bigrams go apart: every character's term is below every bigram's, so
    their sorted runs follow each other, and a character with its block fits
    in 32 bits, which sorts in half the time.
    """
    chars = code_points(folded)
    positions = np.arange(len(chars))
    narrow = len(ends) <= 1 << _NARROW_BLOCK_BITS
    one = _first_blocks(chars, positions, positions, starts, ends, narrow)
    two = _first_blocks((chars[:-1] + 1) * SHIFT + chars[1:], positions[:-1], positions[1:], starts, ends, False)
    return np.concatenate([one[0], two[0]]), np.concatenate([one[1], two[1]])


_NARROW_BLOCK_BITS = 11  # a character's code point (21 bits) and its block in 32 bits


def _first_blocks(terms: np.ndarray, first: np.ndarray, last: np.ndarray, starts: np.ndarray, ends: np.ndarray,
                  narrow: bool) -> tuple[np.ndarray, np.ndarray]:
    """``first_blocks`` of the occurrences ``terms[i]`` from ``first[i]`` to ``last[i]``; ``narrow``: the terms
    are characters and the blocks few enough for 32-bit keys."""
    # The blocks ending after an occurrence are the last ones; the first of them has it if it starts before it.
    block = np.searchsorted(ends, last, side="right")
    whole = block < len(ends)
    whole[whole] = starts[block[whole]] <= first[whole]
    kind, bits = (np.uint32, _NARROW_BLOCK_BITS) if narrow else (np.uint64, 21)
    keys = np.sort((terms[whole].astype(kind) << kind(bits)) | block[whole].astype(kind))  # by term, then block
    found = keys >> kind(bits)
    runs = np.concatenate(([True], found[1:] != found[:-1])) if len(found) else np.zeros(0, bool)
    return found[runs].astype(np.uint64), (keys[runs] & kind((1 << bits) - 1)).astype(np.uint64)


def term_code(term: str) -> int:
    """The integer of a one- or two-character term."""
    if len(term) == 1:
        return ord(term)
    first, second = term
    return (ord(first) + 1) * SHIFT + ord(second)


def buckets_of(codes: np.ndarray, buckets: int) -> np.ndarray:
    """Each term's bucket; ``buckets`` is a power of two."""
    low = (codes % SHIFT).astype(np.uint32)
    high = (codes // SHIFT).astype(np.uint32)
    with np.errstate(over="ignore"):  # 32-bit arithmetic wraps, as Math.imul does
        h = low * np.uint32(MULTIPLIERS[0]) + high * np.uint32(MULTIPLIERS[1])
        h ^= h >> np.uint32(16)
        h *= np.uint32(FINAL[0])
        h ^= h >> np.uint32(13)
        h *= np.uint32(FINAL[1])
        h ^= h >> np.uint32(16)
    return (h & np.uint32(buckets - 1)).astype(np.int64)


def bucket_count(documents: int) -> int:
    """How many bucket files an archive of ``documents`` has: a power of two,
    one per four documents, so that a bucket stays about the same size
    (8–12 KB on the benchmark's archives) as the archive grows. It changes only
    when the archive doubles, which re-indexes everything once."""
    return 1 << max(0, (documents // 4).bit_length() - 1)
