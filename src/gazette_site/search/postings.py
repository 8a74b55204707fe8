"""Postings: which documents have each term, in bucket files of *members*.

Documents are numbered 0, 1, … in archive order. The archive is cut into
members, runs of documents whose sizes follow the binary digits of its size
in units of ``search_segment_documents`` (site.yaml, default 256; 10,000
documents: 8,192 + 1,024 + 512 + 256, then the last 16 on their own), so that adding documents changes only the
last members, like a binary counter: a size-tiered merge whose result
depends only on the archive, never on the order of the builds that made it.

Each bucket file holds, for the terms hashed to it (see :mod:`.terms`), one
member after the other::

    varint M, then M varints: each member's compressed length (0: no term of the bucket)
    the members, each compressed with raw deflate (RFC 1951)

and each member, decompressed::

    varint T                                  terms, in increasing order
    T × (varint code delta, varint nText, varint nTitle)
    for each term in order, nText varints     documents whose text has the term
    for each term in order, nText varints     the first block of each of those texts that has it
    for each term in order, nTitle varints    documents whose title has it
    for each term in order, nTitle varints    the length of each of those titles, folded

A code delta is the term minus the previous term of the member (the first:
the term itself); documents are delta-coded from the member's first document
(the first of a term's list: its distance from it). Varints are LEB128:
seven bits a byte, low bits first, the high bit set on every byte but the last.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from .terms import TERM_BITS

# Level 4: a third less time than level 6 for 3 % more bytes of postings (level 9: 2.7 times
# level 6's time for 0.4 % fewer); the texts, not the postings, are most of the index.
COMPRESSION = 4


@dataclass(frozen=True)
class Member:
    first: int  # document number
    count: int

    @property
    def end(self) -> int:
        return self.first + self.count


def members(documents: int, unit: int) -> list[Member]:
    """The members of an archive of ``documents``: the binary digits of its
    size in units of ``unit`` documents, largest first, then the documents left over."""
    cut, start = [], 0
    units = documents // unit
    for bit in reversed(range(units.bit_length())):
        if units >> bit & 1:
            cut.append(Member(start, unit << bit))
            start += unit << bit
    if start < documents:
        cut.append(Member(start, documents - start))
    return cut


def varints(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """LEB128 bytes of ``values`` (uint64, below 2**49) and where each value's bytes start (one more: the end)."""
    values = values.astype(np.uint64)
    sizes = np.ones(len(values), dtype=np.int64)
    for bits in range(7, 49, 7):
        sizes += values >= np.uint64(1 << bits)
    starts = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(sizes, out=starts[1:])
    out = np.empty(starts[-1], dtype=np.uint8)
    for k in range(int(sizes.max(initial=0))):
        has = sizes > k
        more = np.where(sizes[has] > k + 1, 0x80, 0).astype(np.uint8)
        out[starts[:-1][has] + k] = ((values[has] >> np.uint64(7 * k)) & np.uint64(0x7F)).astype(np.uint8) | more
    return out, starts


def varint(value: int) -> bytes:
    """One value as ``varints`` writes it, without numpy's cost for a single one."""
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _runs(keys: np.ndarray) -> np.ndarray:
    """Whether each element of a sorted array starts a run of equal keys."""
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return first


def _deltas(keys: np.ndarray, documents: np.ndarray, base: int) -> np.ndarray:
    """Each document minus the previous one of its term, the first minus ``base``."""
    deltas = documents.astype(np.int64) - base
    later = ~_runs(keys)
    deltas[1:][later[1:]] = documents[1:][later[1:]].astype(np.int64) - documents[:-1][later[1:]].astype(np.int64)
    return deltas


def encode_members(body: tuple[np.ndarray, np.ndarray, np.ndarray], title: tuple[np.ndarray, np.ndarray, np.ndarray],
                   buckets: np.ndarray, base: int) -> dict[int, bytes]:
    """The compressed member of each bucket that has a term, from (bucket × 2**43 + term, document) pairs.

    ``body``: keys, documents and first blocks; ``title``: keys, documents and title lengths;
    each sorted by key and, within a key, by document; ``buckets``: the
    buckets these pairs may be in.
    """
    (body_keys, body_docs, body_hints), (title_keys, title_docs, title_lengths) = body, title
    terms = np.union1d(body_keys[_runs(body_keys)], title_keys[_runs(title_keys)])
    n_body = np.searchsorted(body_keys, terms, side="right") - np.searchsorted(body_keys, terms)
    n_title = np.searchsorted(title_keys, terms, side="right") - np.searchsorted(title_keys, terms)
    term_buckets = (terms >> np.uint64(TERM_BITS)).astype(np.int64)
    codes = terms & np.uint64((1 << TERM_BITS) - 1)
    deltas = codes.copy()
    later = ~_runs(term_buckets)
    deltas[1:][later[1:]] = codes[1:][later[1:]] - codes[:-1][later[1:]]
    table = np.stack([deltas, n_body.astype(np.uint64), n_title.astype(np.uint64)], axis=1).reshape(-1)
    streams = [varints(table), varints(_deltas(body_keys, body_docs, base)), varints(body_hints),
               varints(_deltas(title_keys, title_docs, base)), varints(title_lengths)]
    # Where each bucket's part of each stream begins and ends, in values, then in bytes.
    term_bounds = np.searchsorted(term_buckets, np.append(buckets, buckets[-1] + 1) if len(buckets) else [])
    body_bounds = np.searchsorted(body_keys >> np.uint64(TERM_BITS), np.append(buckets, buckets[-1] + 1).astype(np.uint64))
    title_bounds = np.searchsorted(title_keys >> np.uint64(TERM_BITS), np.append(buckets, buckets[-1] + 1).astype(np.uint64))
    bounds = [term_bounds * 3, body_bounds, body_bounds, title_bounds, title_bounds]
    out = {}
    for i, bucket in enumerate(buckets):
        count = int(term_bounds[i + 1] - term_bounds[i])
        if not count:
            continue
        parts = [varint(count)]
        for (data, starts), bound in zip(streams, bounds):
            parts.append(data[starts[bound[i]]:starts[bound[i + 1]]].tobytes())
        compressor = zlib.compressobj(COMPRESSION, zlib.DEFLATED, -15)
        out[int(bucket)] = compressor.compress(b"".join(parts)) + compressor.flush()
    return out


def bucket_file(parts: list[bytes]) -> bytes:
    """A bucket file from its members' compressed bytes (empty: no term)."""
    # A few numbers: one at a time (numpy's cost for each call was most of a file's, over thousands of them).
    return b"".join(map(varint, (len(parts), *map(len, parts)))) + b"".join(parts)


def read_varints(data: bytes, count: int | None = None, at: int = 0) -> tuple[list[int], int]:
    """``count`` varints (all, if None) from ``data`` at ``at``; and where they end."""
    values = []
    value = shift = 0
    while at < len(data) and (count is None or len(values) < count):
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            values.append(value)
            value = shift = 0
    return values, at


def split_bucket(data: bytes) -> list[bytes]:
    """The members' compressed bytes of a bucket file."""
    (count,), at = read_varints(data, 1)
    lengths, at = read_varints(data, count, at)
    parts = []
    for length in lengths:
        parts.append(data[at:at + length])
        at += length
    if at != len(data):
        raise ValueError("bucket file: members do not add up to its length")
    return parts


def decode_member(compressed: bytes, first: int) -> dict[int, tuple[list[int], list[int], list[int], list[int]]]:
    """``{term: (documents whose text has it, the first block of each that has it,
    documents whose title has it, the length of each of those titles)}`` of one member."""
    if not compressed:
        return {}
    data = zlib.decompress(compressed, -15)
    (count,), at = read_varints(data, 1)
    table, at = read_varints(data, 3 * count, at)
    lists, at = read_varints(data, None, at)
    terms, code = [], 0
    for i in range(count):
        code += table[3 * i]
        terms.append(code)
    found: dict[int, tuple[list[int], list[int], list[int], list[int]]] = {term: ([], [], [], []) for term in terms}
    position = 0
    # text documents, their blocks, title documents, their titles' lengths
    for kind, column in ((1, 0), (1, 1), (2, 2), (2, 3)):
        for i, term in enumerate(terms):
            values = lists[position:position + table[3 * i + kind]]
            position += len(values)
            if column in (1, 3):
                found[term][column].extend(values)
                continue
            previous = first
            for delta in values:
                previous += delta
                found[term][column].append(previous)
    return found
