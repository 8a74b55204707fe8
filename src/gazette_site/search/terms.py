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
    whole text instead of one per block: the blocks overlap.
    """
    chars = code_points(folded)
    positions = np.arange(len(chars))
    terms = np.concatenate([chars, (chars[:-1] + 1) * SHIFT + chars[1:]])
    first = np.concatenate([positions, positions[:-1]])
    last = np.concatenate([positions, positions[1:]])
    # The blocks ending after an occurrence are the last ones; the first of them has it if it starts before it.
    block = np.searchsorted(ends, last, side="right")
    whole = block < len(ends)
    whole[whole] = starts[block[whole]] <= first[whole]
    keys = np.sort((terms[whole] << np.uint64(21)) | block[whole].astype(np.uint64))  # by term, then block
    found = keys >> np.uint64(21)
    runs = np.concatenate(([True], found[1:] != found[:-1])) if len(found) else np.zeros(0, bool)
    return found[runs], keys[runs] & np.uint64(SHIFT - 1)


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
