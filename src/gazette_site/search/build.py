"""Write everything search needs into the built site.

``out_dir/search/index.html``: the search page (see :mod:`.page`);
``out_dir/pagefind/``: Pagefind's bundle over characters and bigrams (see
:mod:`.ngrams`), which proposes candidates;
``out_dir/search/docs.json.gz``: one row per document (what results show,
filters, title pinyin, the Pagefind hash), and the brackets of 发文字号;
``out_dir/search/text/<id>.txt.gz``: each document's text as its page shows
it, fetched by the browser for the candidates it must verify and excerpt: the
preface (see :mod:`.extract`), a line break, the rest (whitespace inside each
is collapsed to single spaces, so the line break is unambiguous).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import tempfile
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .. import docnumber, urls
from ..model import Archive, Document
from ..problems import Problems
from ..output import OutputFile
from ..parallel import parallel_map
from ..render.env import cn_date, issue_label
from ..settings import Settings
from .extract import PageText, page_text
from .ngrams import index_words
from .normalize import fold
from .page import search_page
from .pagefind_index import page_hashes, write_index
from .pinyin import title_syllables

PAGEFIND_DIR = "pagefind"
DATA_DIR = "search"
TABLE = "docs.json.gz"
TEXT_DIR = "text"
# Pagefind's ready-made interfaces: the search page has its own, so the
# site does not ship these (some 430 KB).
PAGEFIND_UI = ("pagefind-ui.*", "pagefind-*-ui.*", "pagefind-highlight.js")
INPUT_DIGEST = "input.sha256"  # what the bundle was built from


@dataclass(frozen=True)
class Entry:
    doc: Document
    page: PageText
    words: str  # what Pagefind indexes for it (see .ngrams)


def _read_page(path: Path) -> tuple[PageText | None, str]:
    """A page's searchable text and its index words (run in worker processes)."""
    if not path.is_file():
        return None, ""
    found = page_text(path.read_text(encoding="utf-8"))
    return found, " ".join(index_words(fold(found.text))) if found else ""


def read_entries(archive: Archive, out_dir: Path, problems: Problems) -> list[Entry]:
    entries = []
    paths = [out_dir / urls.output_file(urls.document(doc.id)) for doc in archive.documents]
    for doc, path, (found, words) in zip(archive.documents, paths, parallel_map(_read_page, paths)):
        if not path.is_file():
            problems.error(path, None, f"检索索引：找不到文件 “{doc.id}” 的页面（应先生成页面）")
            continue
        if found is None or found.doc_id != doc.id:
            problems.error(path, None, f"检索索引：页面中应有且只有一个 data-search-body 元素，其 data-doc-id 为 “{doc.id}”")
            continue
        if not fold(found.text):
            problems.error(path, None, "检索索引：data-search-body 元素中没有文字")
            continue
        entries.append(Entry(doc, found, words))
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


def table_row(entry: Entry, page_hash: str, sort_date: str) -> dict:
    doc = entry.doc
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


def _bundle_files(directory: Path) -> list[OutputFile]:
    return [OutputFile(f"{PAGEFIND_DIR}/{path.relative_to(directory).as_posix()}", path.read_bytes())
            for path in sorted(directory.rglob("*"))
            if path.is_file() and not any(path.match(name) for name in (*PAGEFIND_UI, INPUT_DIGEST))]


def pagefind_bundle(records: dict[str, str], published: Path) -> tuple[list[OutputFile], dict[str, str]]:
    """Pagefind's files and page hashes; the published bundle is reused when its input is the same.

    Pagefind re-indexes everything on every run, so an unchanged index is the
    difference between a rebuild in seconds and one in minutes.
    """
    digest = hashlib.sha256(
        (metadata.version("pagefind") + json.dumps(records, ensure_ascii=False, sort_keys=True)).encode()
    ).hexdigest()
    marker = OutputFile(f"{PAGEFIND_DIR}/{INPUT_DIGEST}", digest.encode())
    recorded = published / INPUT_DIGEST
    if recorded.is_file() and recorded.read_bytes() == marker.data:
        return _bundle_files(published) + [marker], page_hashes(published)
    with tempfile.TemporaryDirectory() as temp:
        hashes = write_index(records, Path(temp))
        return _bundle_files(Path(temp)) + [marker], hashes


def search_files(archive: Archive, out_dir: Path, problems: Problems) -> list[OutputFile]:
    """Every file search needs, from the pages already in ``out_dir``."""
    entries = read_entries(archive, out_dir, problems)
    records = {"/" + urls.document(e.doc.id): e.words for e in entries}
    files, hashes = pagefind_bundle(records, out_dir / PAGEFIND_DIR)
    dates = sort_dates(archive)
    rows = [table_row(e, hashes["/" + urls.document(e.doc.id)], dates[e.doc.id]) for e in entries]
    # The browser reads 发文字号 in queries with the brackets docnumber knows.
    brackets = {"open": fold(docnumber.OPEN_BRACKETS), "close": fold(docnumber.CLOSE_BRACKETS)}
    table = {"docs": rows, "doc_number_brackets": brackets}
    files.append(OutputFile(f"{DATA_DIR}/{TABLE}", _gzip(json.dumps(table, ensure_ascii=False, sort_keys=True))))
    files.extend(OutputFile(f"{DATA_DIR}/{TEXT_DIR}/{e.doc.id}.txt.gz", _gzip(f"{e.page.preface}\n{e.page.rest}"))
                 for e in entries)
    return files


def index_files(archive: Archive, out_dir: Path, settings: Settings, problems: Problems) -> list[OutputFile]:
    """Every file search adds to the site, from the pages already in ``out_dir``.

    The build writes them with the pages, so its manifest removes stale ones.
    """
    return search_files(archive, Path(out_dir), problems) + search_page(archive, settings, problems)
