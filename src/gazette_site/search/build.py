"""Write everything search needs into the built site (the format: docs/search.md).

``search/index.json.gz``: the directory the search page loads first: the
number of documents, buckets and members (:mod:`.postings`), the first
document of each year, the dates the newest documents sort by, the lists the
filters offer, the brackets of 发文字号 and the characters loose folding
makes of others; nothing of it grows with the archive but a few numbers a
year. ``search/buckets/<b>.bin``: the postings of the terms hashed to bucket
``b`` (:mod:`.terms`, :mod:`.postings`), each posting with the first block
of the text that has the term; ``search/text/<n>.<j>.bin``: block ``j`` of
document ``n``'s text as its page shows it, with what a result shows (a page
of results fetches one block per result); ``search/rows/<k>.json.gz``: what
a result shows and the title's pinyin, for documents 128k to 128k + 127;
``search/sort/<k>.json.gz``: the date each of documents 1024k to 1024k + 1023
sorts by, and its issue, for ordering results older than the directory's;
``search/issues.json.gz``: every issue, for the issue filter;
``search/numbers/<year>.json.gz``: the documents having each 发文字号 tail of
that year (:mod:`.numbers`), and having each 发文字号;
``search/filters.json.gz``: the documents of each 栏目 and 发文机关;
``search/build.json`` in the build's record (beside the site, not in it): what
the index was made from, which the next build reads to redo only what changed.
"""
from __future__ import annotations

import bisect
import datetime
import functools
import gzip
import hashlib
import json
import multiprocessing
import multiprocessing.forkserver
import os
import tempfile
import zlib
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

import numpy as np

from .. import docnumber, urls
from ..code_digest import code_digest as shared_code_digest
from ..model import Archive, Document
from ..output import OutputFile
from ..parallel import parallel_imap
from ..problems import Problems
from ..render import page_keys
from ..render.env import cn_date, issue_label
from ..settings import Settings
from .extract import page_text
from .normalize import fold, fold_noting, folds_of
from .numbers import by_year, tails
from .page import search_page
from .pinyin import title_syllables
from .postings import Member, bucket_file, encode_members, members, read_varints, split_bucket, varint
from .terms import TERM_BITS, bucket_count, buckets_of, first_blocks, text_terms

RECORD = "search/build.json"  # in the build's record, not a URL
ROW_DOCUMENTS = 128  # per rows file: listing every result reads them all
# Documents per sort file; the directory has the newest as many, with which a
# page of results is mostly ordered (a few KB at most, however large the archive).
SORT_DOCUMENTS = 1024
# Characters of the text after the preface per block: a shown result costs a
# block (about 3 KB deflated), not its whole text. Each block goes on for
# OVERLAP more characters, so that a match across the cut is whole in the
# block it starts in.
BLOCK = 3000
OVERLAP = 50
# Title lengths beyond this rank alike: a query is a small part of any of them.
TITLE_LENGTH_CAP = 255
# (Term, document, block) triples held before they are written to the
# temporary files, and how many of those files: what bounds the build's memory.
SPILL_PAIRS = 1_000_000
GROUPS = 32
# Documents handed to a worker at a time: a few, so that the texts and terms
# on their way back stay a few MB.
CHUNK = 16
ENCODE_ON_WORKERS = 1000  # documents in a member from which its groups are encoded on the other cores
READ_ON_WORKERS = 200  # documents to read from which they are read on the other cores


def _server_context() -> multiprocessing.context.BaseContext:
    """Workers started from a small server process with this module loaded, not forked from the
    build (which holds the archive: each fork would count it again)."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def _on_workers(func, tasks: list, chunk: int = CHUNK, parallel_from: int | None = None) -> Iterator:
    """``func`` of each task on the other cores (``_server_context``), leaving this process to write the files."""
    return parallel_imap(func, tasks, chunk_size=chunk, caller_works=False, context=_server_context(),
                         parallel_from=parallel_from)


def _read_all(tasks: list) -> Iterator["Read"]:
    # Starting the workers takes longer than reading a few hundred documents here (adding an issue).
    return _on_workers(_read, tasks, parallel_from=READ_ON_WORKERS)


def block_file(facts: list, text: str) -> bytes:
    """A block's file: its facts as JSON (UTF-8) after their length, then its text in UTF-16
    (two bytes a Chinese character, not three: deflated, blocks are 5 % smaller), deflated
    (level 6: as small as level 9 on blocks of Chinese text, in a third of the time)."""
    head = json.dumps(facts, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    data = varint(len(head)) + head + text.encode("utf-16-le")
    return compressor.compress(data) + compressor.flush()


def read_block(data: bytes) -> list:
    """A block's facts — id, title, 发文字号, date, date as shown, 栏目, issue, block, blocks, preface — and its text."""
    plain = zlib.decompress(data, -15)
    (length,), at = read_varints(plain, 1)
    return [*json.loads(plain[at:at + length]), plain[at + length:].decode("utf-16-le")]


def text_blocks(rest: str) -> list[str]:
    """The text after the preface in blocks of ``BLOCK`` characters, each with ``OVERLAP`` of the next."""
    return [rest[start:start + BLOCK + OVERLAP] for start in range(0, max(len(rest), 1), BLOCK)]


def shown(doc: Document) -> list:
    """What a result shows of a document: id, title, 发文字号, date, date as shown, 栏目, issue."""
    return [doc.id, doc.title, doc.doc_number, doc.date.isoformat() if doc.date else None, cn_date(doc.date),
            doc.category, issue_label(doc.issue.year, doc.issue.number)]


def _gzip(text: str) -> bytes:
    # mtime=0: the same content gives the same bytes, build after build.
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def _json(value: object) -> bytes:
    return _gzip(json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


def code_digest() -> str:
    """The code that turns pages into the index, and the libraries it uses: a change to any re-indexes all."""
    return shared_code_digest((Path(__file__).parent,), ("lxml", "pypinyin", "numpy"))


def sort_dates(archive: Archive) -> dict[str, str]:
    """The date each document sorts by: its own, else the latest of its issue.

    Undated documents (政务简讯, 大事记) were printed with the dated ones of
    their issue, so they sort beside them.
    """
    result = {}
    for issue in archive.issues:
        dates = [doc.date.isoformat() for doc in issue.documents if doc.date]
        fallback = max(dates, default=f"{issue.year}-01-01")
        for doc in issue.documents:
            result[doc.id] = doc.date.isoformat() if doc.date else fallback
    return result


@dataclass
class Read:
    """One document as the index needs it: read from its page, or from its published blocks.
    Not its text: only the blocks' files (from a page) go to the process writing them."""
    blocks: int
    digest: str  # of the text: whether the index of it changes
    tails: list[str]
    folds: str  # the characters loose folding makes of others in the text (folds_of)
    # The document's terms as bucket × 2**43 + term, sorted; for each, the first
    # block whose text has it; the title's terms the same way, and the title's folded length.
    keys: np.ndarray
    hints: np.ndarray
    title_keys: np.ndarray
    title_length: int = 0
    pinyin: str = ""  # of the title (see .pinyin)
    problem: str | None = None
    files: list[bytes] | None = None  # the blocks' files, when read from the page


def _keys(terms: np.ndarray, buckets: int) -> tuple[np.ndarray, np.ndarray]:
    """The terms' keys (the bucket, then the term) sorted, and the order of the terms that sorts them.
    The terms come sorted, so sorting stably by bucket alone orders the keys: a radix sort while
    buckets fit in 16 bits, not a sort of 64-bit keys."""
    bucket = buckets_of(terms, buckets)
    order = np.argsort(bucket.astype(np.uint16) if buckets <= 1 << 16 else bucket, kind="stable")
    return ((bucket.astype(np.uint64) << np.uint64(TERM_BITS)) | terms)[order], order


def _folded(preface: str, rest: str) -> tuple[str, np.ndarray, np.ndarray, set[str]]:
    """The folded text (the preface's, then the rest's); where each block's folded text starts and ends
    in it (block 0 with the preface); and the characters of the text that folding may change."""
    changed: set[str] = set()
    head = fold_noting(preface, changed)
    own = [fold_noting(rest[start:start + BLOCK], changed) for start in range(0, max(len(rest), 1), BLOCK)]
    bounds = np.cumsum([len(head), *map(len, own)])  # own part j of the rest: bounds[j] to bounds[j + 1]
    # Each block but the last goes on into the next block's own part by its first OVERLAP characters.
    into_next = [len(fold(rest[start:start + OVERLAP])) for start in range(BLOCK, BLOCK * len(own), BLOCK)]
    starts = np.concatenate(([0], bounds[1:-1]))
    return head + "".join(own), starts, bounds[1:] + np.array([*into_next, 0], dtype=np.int64), changed


def _failed(problem: str) -> Read:
    empty = np.zeros(0, dtype=np.uint64)
    return Read(0, "", [], "", empty, empty, empty, problem=problem)


def _indexed(preface: str, rest: str, title: str, facts: list, buckets: int, from_page: bool) -> Read:
    """A document's Read from its text; from its page, with its blocks' files and its title's pinyin."""
    folded, starts, ends, changed = _folded(preface, rest)
    if not folded.strip():  # as the text, stripped as Python strips, folds
        return _failed("检索索引：data-search-body 元素中没有文字")
    stored = f"{preface}\n{rest}"
    parts = text_blocks(rest)
    files = None
    if from_page:
        files = [block_file([*facts, j, len(parts), preface if j == 0 else ""], part) for j, part in enumerate(parts)]
    terms, hints = first_blocks(folded, starts, ends)
    keys, order = _keys(terms, buckets)  # each group of buckets is one slice
    folded_title = fold(title)
    return Read(len(parts), hashlib.sha256(stored.encode("utf-8")).hexdigest(), tails(folded),
                "".join(sorted(folds_of(changed))), keys, hints[order].astype(np.uint16),
                _keys(text_terms(folded_title), buckets)[0], min(len(folded_title), TITLE_LENGTH_CAP),
                pinyin=title_syllables(title) if from_page else "", files=files)


def _from_page(html: bytes, doc_id: str, title: str, facts: list, buckets: int) -> Read:
    found = page_text(html)
    if found is None or found.doc_id != doc_id:
        return _failed(f"检索索引：页面中应有且只有一个 data-search-body 元素，其 data-doc-id 为 “{doc_id}”")
    return _indexed(found.preface, found.rest, title, facts, buckets, from_page=True)


def index_page(doc: Document, html: bytes, buckets: int) -> Read:
    """The Read of a page the render has just made, while it is at hand (see ``PageIndexer``)."""
    return _from_page(html, doc.id, doc.title, shown(doc), buckets)


def _read(task: tuple) -> Read:
    """``(source, path, n, id, title, shown, blocks, buckets)``: source "page" reads the rendered page at
    ``path``, "blocks" the ``blocks`` published blocks of document ``n`` under the site ``path``."""
    source, path, n, doc_id, title, facts, count, buckets = task
    if source == "page":
        try:
            html = Path(path).read_bytes()
        except OSError:
            return _failed(f"检索索引：找不到文件 “{doc_id}” 的页面（应先生成页面）")
        return _from_page(html, doc_id, title, facts, buckets)
    parts = [read_block((Path(path) / urls.search_block(n, j)).read_bytes()) for j in range(count)]
    return _indexed(parts[0][9], "".join(part[10][:BLOCK] for part in parts), title, facts, buckets, from_page=False)


class Spill:
    """A member's (term, document, first block or title length) triples on their way to postings, in one temporary
    file per group of buckets, written beyond ``SPILL_PAIRS``; encoded a group at a time."""

    FIELDS = (("keys", np.uint64), ("docs", np.uint32), ("hints", np.uint16), ("titles", np.uint8))

    def __init__(self, directory: Path, buckets: int):
        self.buckets = buckets
        self.groups = min(GROUPS, buckets)
        self.files = [directory / f"group-{g}" for g in range(self.groups)]
        for path in self.files:
            path.write_bytes(b"")
        # By document: its text terms' keys with the first block that has each, its title terms' keys, its
        # title's length. A document's keys are cut into groups only when written, all documents at once.
        self.pending: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, int]] = []
        self.held = 0
        self.last = -1
        self.in_order = True  # documents added in increasing order: a stable sort by term keeps them so

    def add(self, document: int, read: Read) -> None:
        self.in_order = self.in_order and document > self.last
        self.last = document
        self.pending.append((document, read.keys, read.hints, read.title_keys, read.title_length))
        self.held += len(read.keys) + len(read.title_keys)
        if self.held > SPILL_PAIRS:
            self.flush()

    def flush(self) -> None:
        """The pending triples to their groups' files, each group's in the order they came: by document,
        a document's text terms before its title's (a stable sort by group, not a cut per document)."""
        if not self.pending:
            return
        parts = [part for document, keys, hints, title_keys, length in self.pending
                 for part in ((document, keys, hints, False),
                              (document, title_keys, np.full(len(title_keys), length, np.uint16), True))]
        sizes = [len(keys) for _, keys, _, _ in parts]
        keys = np.concatenate([keys for _, keys, _, _ in parts])
        # Groups are equal runs of buckets (both counts are powers of two); a key's bucket is above its term.
        group = ((keys >> np.uint64(TERM_BITS)) // np.uint64(self.buckets // self.groups)).astype(np.uint8)
        order = np.argsort(group, kind="stable")  # a radix sort, on 8 bits
        columns = [keys[order], np.repeat(np.array([doc for doc, _, _, _ in parts], np.uint32), sizes)[order],
                   np.concatenate([hints for _, _, hints, _ in parts])[order],
                   np.repeat(np.array([title for _, _, _, title in parts], np.uint8), sizes)[order]]
        ends = np.cumsum(np.bincount(group, minlength=self.groups)).tolist()
        for path, start, end in zip(self.files, [0, *ends], ends):
            if start < end:
                with path.open("ab") as stream:
                    for column in columns:
                        stream.write(np.uint64(end - start).tobytes() + column[start:end].tobytes())
        self.pending, self.held = [], 0

    def groups_to_encode(self, first: int) -> list[tuple]:
        """``_encode_group``'s tasks for this member's documents (numbered from ``first``), all on disk."""
        self.flush()
        return [(str(path), g * self.buckets // self.groups, (g + 1) * self.buckets // self.groups, first,
                 self.in_order) for g, path in enumerate(self.files)]


def _encode_group(task: tuple) -> dict[int, bytes]:
    """The members of buckets ``low`` to ``high`` from one group's temporary file."""
    path, low, high, first, in_order = task
    data = Path(path).read_bytes()
    Path(path).unlink()
    found: list[list[np.ndarray]] = [[] for _ in Spill.FIELDS]
    at = 0
    while at < len(data):
        for column, (_, dtype) in zip(found, Spill.FIELDS):
            count = int(np.frombuffer(data, np.uint64, 1, at)[0])
            at += 8
            column.append(np.frombuffer(data, dtype, count, at))
            at += count * np.dtype(dtype).itemsize
    keys, docs, hints, titles = (np.concatenate(c) if c else np.zeros(0, d) for c, (_, d) in zip(found, Spill.FIELDS))
    order = np.argsort(keys, kind="stable") if in_order else np.lexsort((docs, keys))
    keys, docs, hints, titles = keys[order], docs[order], hints[order], titles[order].astype(bool)
    return encode_members((keys[~titles], docs[~titles], hints[~titles]), (keys[titles], docs[titles], hints[titles]),
                          np.arange(low, high), first)


@dataclass(frozen=True)
class _Taken:
    """What the search stage keeps of a document read from its page: all but its terms (spilled) and its text."""
    digest: str
    tails: list[str]
    folds: str
    blocks: int
    pinyin: str


class PageIndexer:
    """The index data of the pages the render makes, read while each page is at hand (``index_page``,
    on the render's workers) instead of from its file afterwards: each document's terms go to its
    member's ``Spill`` as they come, in archive order; the search stage (``search_files``) takes the
    rest from there. Also the search stage's own store of what it reads, with or without a render,
    and of the members' encoding, on the other cores while this process writes other files. The
    search stage closes it (``with``); a build that stops before, with ``close``.
    ``previous_record``: the published site's, which says what the published index was made from."""

    def __init__(self, archive: Archive, settings: Settings, previous_record: Path | None):
        self.buckets = bucket_count(len(archive.documents))
        self.layout = members(len(archive.documents), settings.search_segment_documents)
        self.previous = _read_record(previous_record, code_digest())
        self.taken: dict[int, _Taken] = {}
        self.problems: dict[int, str] = {}
        self._spills: dict[Member, Spill] = {}
        self._filling: Member | None = None  # whose spill the last document went to
        self._encoding: dict[Member, list[Future | dict[int, bytes]]] = {}
        self._pool: ProcessPoolExecutor | None = None
        self._temp = tempfile.TemporaryDirectory(prefix="gazette-index-")
        if self.previous is None and any(member.count >= ENCODE_ON_WORKERS for member in self.layout):
            # Its workers will be wanted as soon as the render is done: the server they start from
            # (a new interpreter importing this module) gets ready beside the render, not after it.
            _server_context()
            multiprocessing.forkserver.ensure_running()

    def __enter__(self) -> "PageIndexer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop the encoding workers and remove the spills; closing again does nothing."""
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        self._spills.clear()
        self._temp.cleanup()

    def worker(self) -> Callable[[Document, bytes], Read]:
        """``index_page`` of a rendered page, for the render's workers."""
        return functools.partial(index_page, buckets=self.buckets)

    def spill(self, member: Member) -> Spill:
        if member not in self._spills:
            directory = Path(self._temp.name) / str(member.first)
            directory.mkdir()
            self._spills[member] = Spill(directory, self.buckets)
        return self._spills[member]

    def take(self, n: int, read: Read) -> Iterator[OutputFile]:
        """Document ``n``'s Read, from its page as just rendered: its blocks' files, to write with the pages."""
        if read.problem:
            self.problems[n] = read.problem
            return
        member = next(m for m in self.layout if m.first <= n < m.end)
        if self._filling not in (None, member):  # its documents are all in: to disk, not memory
            self._spills[self._filling].flush()
        self._filling = member
        self.spill(member).add(n, read)
        self.taken[n] = _Taken(read.digest, read.tails, read.folds, read.blocks, read.pinyin)
        for j, data in enumerate(read.files):
            yield OutputFile(urls.search_block(n, j), data)

    def done(self) -> None:
        """Every page the render makes is read, and its workers are gone: where it made every page and
        the index is made anew, the members are all there is, and are encoded from now on, while
        the render finishes the site. (Otherwise the search stage reads pages or blocks on workers
        first: one set of workers at a time, for memory.)"""
        if self.previous is None and len(self.taken) == sum(member.count for member in self.layout):
            for member in self.layout:
                self.encode(member)

    def encode(self, member: Member) -> None:
        """Start encoding the member from its spill: a large one on the other cores (see ``encoded``)."""
        if member in self._encoding:
            return
        tasks = self.spill(member).groups_to_encode(member.first)
        # A few seconds' work or less is not worth starting workers; once they run, it goes to them too.
        if member.count < ENCODE_ON_WORKERS and self._pool is None:
            self._encoding[member] = [_encode_group(task) for task in tasks]
            return
        if self._pool is None:
            self._pool = ProcessPoolExecutor(min(os.cpu_count() or 1, 8), mp_context=_server_context())
        self._encoding[member] = [self._pool.submit(_encode_group, task) for task in tasks]

    def encoded(self, member: Member) -> dict[int, bytes]:
        """Each bucket's part of the member, once encoded."""
        out: dict[int, bytes] = {}
        for part in self._encoding.pop(member):
            out.update(part.result() if isinstance(part, Future) else part)
        return out


@dataclass
class Known:
    """A document as the last build recorded it: its page key, and what its text gave."""
    id: str
    key: str | None
    digest: str
    tails: list[str]
    folds: str
    blocks: int

    def row(self) -> list:
        return [self.id, self.key, self.digest, self.tails, self.folds, self.blocks]


ROW_TYPES = (str, (str, type(None)), str, list, str, int)


def _read_record(previous_record: Path | None, code: str) -> dict | None:
    """The last build's record, if made by this code and sound; else None (everything is made anew)."""
    if previous_record is None:
        return None
    try:
        record = json.loads((previous_record / RECORD).read_bytes())
        if record["code"] != code:
            return None
        record["documents"] = [Known(*(_checked(value, kind) for value, kind in zip(row, ROW_TYPES, strict=True)))
                               for row in record["documents"]]
        record["members"] = [Member(*map(int, pair)) for pair in record["members"]]
        int(record["buckets"])
        return record
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _checked(value, kind):
    if not isinstance(value, kind) or isinstance(value, bool):
        raise TypeError(value)
    return value


def search_files(archive: Archive, out_dir: Path, settings: Settings, problems: Problems,
                 previous_record: Path | None = None, record: Path | None = None,
                 indexer: PageIndexer | None = None) -> Iterator[OutputFile]:
    """Every file search needs, from the pages already in ``out_dir`` (or, for those the render
    made this build, from what ``indexer`` took of them then).

    A member of the index whose documents are those the last build recorded,
    with the same text, is kept as published; so are the blocks and rows of
    documents whose pages kept their keys (see ``render.page_keys``).
    Everything else is made from the pages, and from the published blocks of
    the unchanged documents of a member that must be made again.
    """
    with indexer or PageIndexer(archive, settings, previous_record) as spilled:
        yield from _search_files(archive, out_dir, problems, record, spilled)


def _search_files(archive: Archive, out_dir: Path, problems: Problems, record: Path | None,
                  indexer: PageIndexer) -> Iterator[OutputFile]:
    documents = archive.documents
    count = len(documents)
    keys = page_keys.read(record)  # the keys of the pages this build put in out_dir
    previous = indexer.previous
    buckets, layout = indexer.buckets, indexer.layout
    old_members = set()
    if previous and previous["buckets"] == buckets and all(out_dir.joinpath(urls.search_bucket(b)).is_file()
                                                             for b in range(buckets)):
        old_members = set(previous["members"])
    old_docs = previous["documents"] if previous else []
    known: list[Known | None] = [None] * count
    fresh: set[int] = set()  # documents read from their pages this build
    # The blocks published: one listing, not a look-up per block (47,000 at 10,000 documents).
    texts = out_dir / urls.SEARCH_BLOCKS
    published = set(os.listdir(texts)) if texts.is_dir() else set()
    pinyin: dict[int, str] = {}  # of their titles

    def recorded(n: int) -> Known | None:
        """The record of document ``n`` if its page kept its key and its blocks are still published."""
        doc = documents[n]
        if n < len(old_docs) and old_docs[n].id == doc.id and doc.id in keys and old_docs[n].key == keys[doc.id][0]:
            if all(urls.search_block(n, j).rsplit("/", 1)[1] in published for j in range(old_docs[n].blocks)):
                return old_docs[n]
        return None

    def tasks(numbers: Sequence[int], source: str) -> list[tuple]:
        return [(source, str(out_dir / urls.output_file(urls.document(documents[n].id))) if source == "page"
                 else str(out_dir), n, documents[n].id, documents[n].title, shown(documents[n]),
                 known[n].blocks if source == "blocks" else 0, buckets) for n in numbers]

    made: list[Member] = []  # members made anew, encoding while the other files are written
    for member in layout:
        numbers = range(member.first, member.end)
        unread = []
        for n in numbers:
            if n in indexer.taken or n in indexer.problems:
                continue
            if (found := recorded(n)) is not None:
                known[n] = found
            else:
                unread.append(n)
        for n, read in zip(unread, _read_all(tasks(unread, "page"))):
            yield from indexer.take(n, read)
        same = member in old_members
        for n in numbers:
            if n in indexer.problems:
                problems.error(out_dir / urls.output_file(urls.document(documents[n].id)), None, indexer.problems[n])
            elif (taken := indexer.taken.get(n)) is not None:
                same = same and n < len(old_docs) and old_docs[n].id == documents[n].id \
                    and old_docs[n].digest == taken.digest
                known[n] = Known(documents[n].id, keys.get(documents[n].id, (None,))[0], taken.digest, taken.tails,
                                 taken.folds, taken.blocks)
                fresh.add(n)
                pinyin[n] = taken.pinyin
        if same:
            continue
        spill = indexer.spill(member)
        rest = [n for n in numbers if n not in fresh and known[n] is not None]
        for n, read in zip(rest, _read_all(tasks(rest, "blocks"))):
            spill.add(n, read)
        made.append(member)
    for member in made:  # once no more is read on workers: one set of workers at a time
        indexer.encode(member)
    for n in range(count):
        if known[n] is not None and n not in fresh:
            yield from (OutputFile(urls.search_block(n, j), None) for j in range(known[n].blocks))
    yield from _rows_files(archive, out_dir, pinyin, previous is None)
    yield from _tables(archive, known, buckets, layout)
    yield from _bucket_files(out_dir, buckets, layout, {member: indexer.encoded(member) for member in made}, previous)
    record = {"code": code_digest(), "buckets": buckets, "members": [[m.first, m.count] for m in layout],
              "documents": [k.row() if k else [d.id, None, "", [], "", 0] for d, k in zip(documents, known)]}
    # bookkeeping, kept in the build's record beside the site, never published
    yield OutputFile(RECORD, json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), state=True)


def _bucket_files(out_dir: Path, buckets: int, layout: list[Member], new_parts: dict[Member, dict[int, bytes]],
                  previous: dict | None) -> Iterator[OutputFile]:
    """Each bucket file: the members kept from its published version, and the new ones."""
    if not new_parts and previous and previous["members"] == layout:
        yield from (OutputFile(urls.search_bucket(b), None) for b in range(buckets))
        return
    kept = [m for m in layout if m not in new_parts]
    old_order = {m: i for i, m in enumerate(previous["members"])} if kept else {}
    for b in range(buckets):
        old = split_bucket((out_dir / urls.search_bucket(b)).read_bytes()) if kept else []
        parts = [new_parts[m].get(b, b"") if m in new_parts else old[old_order[m]] for m in layout]
        yield OutputFile(urls.search_bucket(b), bucket_file(parts))


def _rows_files(archive: Archive, out_dir: Path, pinyin: dict[int, str], anew: bool) -> Iterator[OutputFile]:
    """The rows files: kept where none of their documents was read from its page (``pinyin``: the
    titles' pinyin of those that were)."""
    documents = archive.documents
    for start in range(0, len(documents), ROW_DOCUMENTS):
        numbers = range(start, min(start + ROW_DOCUMENTS, len(documents)))
        path = urls.search_rows(start // ROW_DOCUMENTS)
        if not anew and not pinyin.keys() & set(numbers) and (out_dir / path).is_file():
            yield OutputFile(path, None)
        else:
            yield OutputFile(path, _json([[*shown(documents[n]), pinyin.get(n) or title_syllables(documents[n].title)]
                                          for n in numbers]))


def _runs(numbers: list[int]) -> list[int]:
    """Sorted document numbers as [first, end, first, end, …]."""
    runs: list[int] = []
    for n in numbers:
        if runs and runs[-1] == n:
            runs[-1] = n + 1
        else:
            runs += [n, n + 1]
    return runs


def _tables(archive: Archive, known: list[Known | None], buckets: int, layout: list[Member]) -> Iterator[OutputFile]:
    """The directory, the filters, the issues, the sort files and the 发文字号 files: small, made anew each build."""
    documents = archive.documents
    issues, first = [], 0
    for issue in archive.issues:
        issues.append([issue.ref.key, issue_label(issue.year, issue.number), issue.year, first])
        first += len(issue.documents)
    categories: dict[str, list[int]] = {}
    issuers: dict[str, list[int]] = {}
    for n, doc in enumerate(documents):
        categories.setdefault(doc.category, []).append(n)
        for issuer in doc.issuers:
            issuers.setdefault(issuer, []).append(n)
    tails_by_doc = {n: k.tails for n, k in enumerate(known) if k and k.tails}
    numbered = {doc.doc_number: n for n, doc in enumerate(documents) if doc.doc_number}
    years = by_year(tails_by_doc, numbered)
    for year, listed in years.items():
        yield OutputFile(urls.search_numbers(year), _json(listed))
    yield OutputFile(urls.SEARCH_FILTERS, _json({"category": {k: _runs(v) for k, v in categories.items()},
                                                 "issuer": {k: _runs(v) for k, v in issuers.items()}}))
    yield OutputFile(urls.SEARCH_ISSUES, _json(issues))
    dates = sort_dates(archive)
    days = [_day(dates[doc.id]) for doc in documents]
    starts = [first for *_, first in issues]
    year_counts = [0] * (archive.issues[-1].year - archive.issues[0].year + 1 if archive.issues else 0)
    for issue in archive.issues:
        year_counts[issue.year - archive.issues[0].year] += len(issue.documents)
    for part in range(0, len(documents), SORT_DOCUMENTS):
        yield OutputFile(urls.search_sort(part // SORT_DOCUMENTS),
                         _json(_sort_part(days, starts, part, min(part + SORT_DOCUMENTS, len(documents)))))
    folds = set().union(*(k.folds for k in known if k))
    recent = max(0, len(documents) - SORT_DOCUMENTS)
    directory = {
        "documents": len(documents), "buckets": buckets, "members": [[m.first, m.count] for m in layout],
        "rows": ROW_DOCUMENTS, "block": BLOCK, "overlap": OVERLAP,
        "years": {"first": archive.issues[0].year if archive.issues else None, "documents": year_counts},
        # Each part's newest day among its documents older than those the directory holds: no
        # later than what they sort by.
        "sort": {"documents": SORT_DOCUMENTS,
                 "newest": [max(days[part:min(part + SORT_DOCUMENTS, recent)]) for part in range(0, recent, SORT_DOCUMENTS)],
                 "recent": _sort_part(days, starts, recent, len(documents))},
        "categories": list(categories), "issuers": sorted(issuers),
        # The browser reads 发文字号 in queries with the brackets docnumber knows.
        "doc_number_brackets": {"open": fold(docnumber.OPEN_BRACKETS), "close": fold(docnumber.CLOSE_BRACKETS)},
        "loose_folds": "".join(sorted(folds)), "number_years": _deltas(sorted(map(int, years))),
    }
    yield OutputFile(urls.SEARCH_DIRECTORY, _json(directory))


def _deltas(numbers: list[int]) -> list[int]:
    """Increasing numbers as the first, then each one's difference from the one before: a few bytes gzipped."""
    return [b - a for a, b in zip([0, *numbers], numbers)]


def _sort_part(days: list[int], issue_starts: list[int], first: int, end: int) -> dict:
    """What documents ``first`` to ``end`` sort by: their days, delta-coded from ``first``'s, and
    ``[number, first document]`` of each issue they are in."""
    part = days[first:end]
    held = bisect.bisect_right(issue_starts, first) - 1  # the issue of the first document
    return {"first": first, "days": _deltas(part),
            "issues": [[number, issue_starts[number]] for number in range(max(held, 0), bisect.bisect_left(issue_starts, end))]}


def _day(iso: str) -> int:
    """A date as a day number (0001-01-01 is 1), which the browser only compares."""
    return datetime.date.fromisoformat(iso).toordinal()


def index_files(archive: Archive, out_dir: Path, settings: Settings, problems: Problems,
                previous_record: Path | None = None, record: Path | None = None,
                indexer: PageIndexer | None = None) -> Iterator[OutputFile]:
    """Every file search adds to the site, from the pages already in ``out_dir``; ``previous_record``:
    the record of the published site, which says what the published index was made from; ``record``:
    this build's, with the keys of the pages in ``out_dir``; ``indexer``: what the render took of the
    pages it made (see ``PageIndexer``).

    The build writes them with the pages, so its record removes stale ones.
    """
    yield from search_files(archive, Path(out_dir), settings, problems, previous_record, record, indexer)
    yield from search_page(archive, settings, problems)
