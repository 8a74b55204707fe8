"""Write everything search needs into the built site.

``out_dir/search/index.html``: the search page (see :mod:`.page`);
``out_dir/pagefind/<shard>/``: one Pagefind index per shard of the archive
(see :mod:`.shards`) over characters and bigrams (see :mod:`.ngrams`), which
proposes candidates; the first shard's also carries Pagefind's scripts. Each
shard's ``build.json`` (what it was built from, its page hashes and table
rows) is kept in the build's record of what was published, not in the site
(see :mod:`..output`), so an unchanged shard is not indexed again;
``out_dir/search/docs.json.gz``: one row per document (what results show,
filters, title pinyin, the Pagefind hash), the shards, the brackets of 发文字号,
and the characters loose folding makes of others (see ``normalize.loose_folds``:
a short query without them needs no check against the texts);
``out_dir/search/numbers/<year>.json.gz``: the documents having each
发文字号 tail of that year (see :mod:`.numbers`), listed in the table;
``out_dir/search/text/<id>.txt.gz``: each document's text as its page shows
it, fetched by the browser for the candidates it must verify and excerpt: the
preface (see :mod:`.extract`), a line break, the rest (whitespace inside each
is collapsed to single spaces, so the line break is unambiguous).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from .. import docnumber, urls
from ..code_digest import code_digest as shared_code_digest
from ..model import Archive, Document
from ..problems import Problems
from ..output import OutputFile
from ..render import page_keys
from ..render.env import cn_date, issue_label
from ..settings import Settings
from .extract import PageText, page_text
from .ngrams import index_words
from .normalize import fold, loose_folds
from .numbers import by_year, tails
from .page import search_page
from .pagefind_index import MEMORY_PER_WORD, PagefindError, PagefindRun, bundle_paths
from .pinyin import title_syllables
from .shards import Shard, partition

PAGEFIND_DIR = "pagefind"
DATA_DIR = "search"
TABLE = "docs.json.gz"
TEXT_DIR = "text"
NUMBERS_DIR = "numbers"
SHARD_RECORD = "build.json"
# In a shard's record: what it was made from, by page keys and by text; its
# table rows; the characters loose folding makes of others (also in the table);
# each page's 发文字号 tails, by document id; the names of its Pagefind files.
KEYS_INPUT, TEXT_INPUT, ROWS, LOOSE_FOLDS, TAILS = "page_keys", "input", "rows", "loose_folds", "number_tails"
BUNDLE = "files"
# Pagefind runs on one core: with more, shards are indexed side by side, as
# long as their estimated memory together stays within this.
PAGEFIND_MEMORY_BUDGET = 400 * 2**20


def _url(doc: Document) -> str:
    """As Pagefind knows the document's record."""
    return "/" + urls.document(doc.id)


@dataclass(frozen=True)
class Entry:
    doc: Document
    page: PageText
    folded: str  # the page's text as the index has it (see normalize)

    @property
    def url(self) -> str:
        return _url(self.doc)


def _page_path(out_dir: Path, doc: Document) -> Path:
    return out_dir / urls.output_file(urls.document(doc.id))


def read_entries(documents: Sequence[Document], out_dir: Path, problems: Problems) -> list[Entry]:
    entries = []
    for doc in documents:
        path = _page_path(out_dir, doc)
        try:
            found = page_text(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            problems.error(path, None, f"检索索引：找不到文件 “{doc.id}” 的页面（应先生成页面）")
            continue
        if found is None or found.doc_id != doc.id:
            problems.error(path, None, f"检索索引：页面中应有且只有一个 data-search-body 元素，其 data-doc-id 为 “{doc.id}”")
            continue
        folded = fold(found.text)
        if not folded:
            problems.error(path, None, "检索索引：data-search-body 元素中没有文字")
            continue
        entries.append(Entry(doc, found, folded))
    return entries


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


def table_row(doc: Document, page_hash: str, sort_date: str) -> dict:
    return {
        "hash": page_hash,
        "id": doc.id,
        "url": urls.document(doc.id),
        "title": doc.title,
        "doc_number": doc.doc_number,
        "date": doc.date.isoformat() if doc.date else None,
        "date_label": cn_date(doc.date),
        "sort_date": sort_date,
        "year": doc.issue.year,
        "issue": doc.issue.key,
        "issue_label": issue_label(doc.issue.year, doc.issue.number),
        "order": doc.order,
        "category": doc.category,
        "issuers": doc.issuers,
        "pinyin": title_syllables(doc.title),
    }


def _gzip(text: str) -> bytes:
    # mtime=0: the same content gives the same bytes, build after build.
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def code_digest() -> str:
    """Pagefind, lxml, pypinyin and the code that turns a page into its words and row: a change to any re-indexes."""
    return shared_code_digest((Path(__file__).parent,), ("pagefind", "lxml", "pypinyin"))


def text_input(entries: list[Entry], first: bool) -> str:
    """What a shard's index is made from: its pages' text, whether it is first, the code."""
    material = [code_digest(), first, [(e.url, e.page.preface, e.page.rest) for e in entries]]
    return hashlib.sha256(json.dumps(material, ensure_ascii=False).encode("utf-8")).hexdigest()


def key_input(documents: Sequence[Document], keys: dict[str, tuple[str, bool]], first: bool) -> str | None:
    """The same from the keys of the pages (see ``render.page_keys``), which
    digest all a page and its table row show, and cost nothing to check; None
    if a page has none."""
    digest = hashlib.sha256(f"{code_digest()}\0{first}".encode())
    for doc in documents:
        if doc.id not in keys:
            return None
        digest.update(f"{doc.id} {keys[doc.id][0]}\n".encode())
    return digest.hexdigest()


def text_path(doc: Document) -> str:
    return f"{DATA_DIR}/{TEXT_DIR}/{doc.id}.txt.gz"


@dataclass
class ShardIndex:
    """A shard's files (texts, Pagefind bundle), page hashes and table rows: published ones reused, or being built."""
    name: str
    documents: list[Document]
    record: dict  # what its build.json says it was built from
    first: bool
    files: list[OutputFile]
    hashes: dict[str, str] | None = None
    words: dict[str, list[str]] | None = None  # by record URL: what Pagefind is to index, until started
    pagefind_memory: int = 0  # bytes its Pagefind run is estimated to hold at most
    run: PagefindRun | None = None

    def start(self) -> None:
        """Start indexing, if it must."""
        if self.words is not None:
            self.run = PagefindRun({url: " ".join(words) for url, words in self.words.items()})
            self.words = None

    @property
    def directory(self) -> str:
        return f"{PAGEFIND_DIR}/{self.name}"

    @property
    def record_path(self) -> str:
        """Where its build.json lies in the record of what was published."""
        return f"{self.directory}/{SHARD_RECORD}"

    def finish(self, dates: dict[str, str], problems: Problems) -> Iterator[OutputFile]:
        if self.run is not None:
            try:
                bundle, self.hashes = self.run.collect(self.first)
            except PagefindError as exc:
                problems.error(self.directory, None, f"检索索引：{exc}")
                self.hashes = {}
                return
            self.files += [OutputFile(f"{self.directory}/{name}", data) for name, data in bundle.items()]
            self.record[BUNDLE] = sorted(bundle)
        if ROWS not in self.record:
            self.record[ROWS] = [table_row(doc, self.hashes[url], dates[doc.id])
                                 for doc in self.documents if (url := _url(doc)) in self.hashes]
        yield from self.files
        record = {**self.record, "pages": self.hashes}
        yield OutputFile(self.record_path, json.dumps(record, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8"),
                         state=True)

    def reuse(self, out_dir: Path, previous_record: Path | None, key: str) -> bool:
        """Take the published shard if it was built from the same ``key`` input, as ``previous_record`` says;
        False when not, damaged or missing a file (the build drops from its copy of the site the files
        changed since published).

        Its table rows are kept only when the pages' keys are the same: the
        same text may come with another title, date or 栏目.
        """
        if previous_record is None:
            return False
        directory = out_dir / self.directory
        try:
            published = json.loads((previous_record / self.record_path).read_bytes())
            if (published[key] != self.record[key] or not isinstance(published[LOOSE_FOLDS], str)
                    or not _is_tails(published[TAILS])
                    or not isinstance(published[ROWS], list)
                    or sorted(published["pages"]) != sorted(_url(d) for d in self.documents)):
                return False
            if not all((out_dir / text_path(doc)).is_file() for doc in self.documents):
                return False
            bundle = sorted(bundle_paths(directory, self.first))
            if published[BUNDLE] != bundle:
                return False
        except (OSError, ValueError, KeyError, TypeError):
            return False
        # Kept as published (no data): a rebuild after a new issue reuses every
        # shard but the last, and reading their files held them all in memory.
        self.files = [OutputFile(text_path(doc), None) for doc in self.documents] + [
            OutputFile(f"{self.directory}/{name}", None) for name in bundle]
        kept = {KEYS_INPUT, LOOSE_FOLDS, TAILS, TEXT_INPUT, BUNDLE} | ({ROWS} if key == KEYS_INPUT else set())
        self.hashes = published["pages"]
        self.record = {**{k: v for k, v in published.items() if k in kept}, KEYS_INPUT: self.record[KEYS_INPUT]}
        return True


def _is_tails(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(found, list) and all(isinstance(tail, str) for tail in found) for found in value.values())


def shard_index(shard: Shard, first: bool, out_dir: Path, previous_record: Path | None,
                keys: dict[str, tuple[str, bool]], problems: Problems) -> ShardIndex | None:
    """The published index when the pages are the same, or show the same text; else one ready to start Pagefind.

    ``keys``: the page keys of this build. None when no page of the shard can
    be indexed (each problem is reported).
    """
    by_keys = key_input(shard.documents, keys, first)
    index = ShardIndex(shard.name, list(shard.documents), {KEYS_INPUT: by_keys}, first, [])
    if by_keys is not None and index.reuse(out_dir, previous_record, KEYS_INPUT):
        return index
    entries = read_entries(shard.documents, out_dir, problems)
    if not entries:
        return None
    index = ShardIndex(shard.name, [e.doc for e in entries], {KEYS_INPUT: by_keys, TEXT_INPUT: text_input(entries, first)},
                       first, [])
    if index.reuse(out_dir, previous_record, TEXT_INPUT):
        return index
    index.files = [OutputFile(text_path(e.doc), _gzip(f"{e.page.preface}\n{e.page.rest}")) for e in entries]
    index.record[LOOSE_FOLDS] = "".join(sorted(set().union(*(loose_folds(e.page.text) for e in entries))))
    index.record[TAILS] = {e.doc.id: found for e in entries if (found := tails(e.folded))}
    index.words = {e.url: index_words(e.folded) for e in entries}
    index.pagefind_memory = MEMORY_PER_WORD * sum(map(len, index.words.values()))
    return index


def search_files(archive: Archive, out_dir: Path, settings: Settings, problems: Problems,
                 previous_record: Path | None = None, record: Path | None = None) -> Iterator[OutputFile]:
    """Every file search needs, from the pages already in ``out_dir``, shard by shard.

    A shard whose pages are the same, or show the same text, as when it was
    indexed is reused as published. Otherwise Pagefind indexes it while the
    next shards' pages are read; Pagefind runs side by side on as many cores
    as their estimated memory allows within ``PAGEFIND_MEMORY_BUDGET`` (one
    at least), and shards are finished in order.
    """
    dates = sort_dates(archive)
    keys = page_keys.read(record)
    rows, names, folds, tails_by_doc = [], [], set(), {}
    cores = os.cpu_count() or 1
    under_way: deque[ShardIndex] = deque()  # started, finished in this order

    def finish(index: ShardIndex) -> Iterator[OutputFile]:
        yield from index.finish(dates, problems)
        names.append(index.name)
        folds.update(index.record[LOOSE_FOLDS])
        tails_by_doc.update(index.record[TAILS])
        rows.extend(index.record.get(ROWS, ()))

    def room_for(index: ShardIndex) -> bool:
        running = [i for i in under_way if i.run is not None]
        return (index.words is None or not running
                or (len(running) < cores and sum(i.pagefind_memory for i in [*running, index]) <= PAGEFIND_MEMORY_BUDGET))

    try:
        for shard in partition(archive.documents, settings.search_shard_documents):
            # Pagefind's scripts go with the first index, which the browser loads first.
            index = shard_index(shard, not names and not under_way, out_dir, previous_record, keys, problems)
            if index is None:
                continue
            while not room_for(index):
                yield from finish(under_way.popleft())
            index.start()
            under_way.append(index)
        while under_way:
            yield from finish(under_way.popleft())
    finally:
        for index in under_way:
            if index.run is not None:
                index.run.cancel()  # abandoned mid-way: an error, or the consumer stopped
    # The browser reads 发文字号 in queries with the brackets docnumber knows.
    brackets = {"open": fold(docnumber.OPEN_BRACKETS), "close": fold(docnumber.CLOSE_BRACKETS)}
    years = by_year(tails_by_doc)
    for year, listed in years.items():
        yield OutputFile(f"{DATA_DIR}/{NUMBERS_DIR}/{year}.json.gz",
                         _gzip(json.dumps(listed, ensure_ascii=False, sort_keys=True)))
    table = {"docs": rows, "doc_number_brackets": brackets, "indexes": names, LOOSE_FOLDS: "".join(sorted(folds)),
             "number_years": sorted(years)}
    yield OutputFile(f"{DATA_DIR}/{TABLE}", _gzip(json.dumps(table, ensure_ascii=False, sort_keys=True)))


def index_files(archive: Archive, out_dir: Path, settings: Settings, problems: Problems,
                previous_record: Path | None = None, record: Path | None = None) -> Iterator[OutputFile]:
    """Every file search adds to the site, from the pages already in ``out_dir``; ``previous_record``:
    the record of the published site, whose unchanged shards are reused; ``record``: this build's,
    with the keys of the pages in ``out_dir``.

    The build writes them with the pages, so its record removes stale ones.
    """
    yield from search_files(archive, Path(out_dir), settings, problems, previous_record, record)
    yield from search_page(archive, settings, problems)
