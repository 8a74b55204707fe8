"""Render stage: the archive in, the files of the site out (as bytes, not yet written)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol

import jinja2

from .. import TEMPLATES, parallel, urls
from ..content import BodyChanged
from ..model import Archive, Document
from ..output import OutputFile
from ..problems import Problems
from ..progress import Progress
from ..settings import Settings
from . import discovery, feeds, metadata, opendata, page_keys
from .body_cache import BodyCache
from .env import make_env
from .markdown import ChronicleEntry
from .page_keys import PageKeys
from .pages import BUILDERS, Page, dashiji, document, document_record, page_globals
from .site import Site

STATIC_DIR = "static"
TEMPLATE_CACHE = "templates"  # inside the build's cache directory
BODY_CACHE = "bodies"


# Documents handed to a worker at a time: small, so that the pages in flight
# between the workers and the writer stay a few megabytes at any archive size.
DOCUMENTS_PER_TASK = 16


class PageReader(Protocol):
    """What reads each document page the render makes, while the page is at hand (the search index)."""

    def worker(self) -> Callable[[Document, bytes], Any]:
        """What to make of a document's page, on the workers (it must pickle)."""

    def take(self, n: int, made: Any) -> Iterable[OutputFile]:
        """Document ``n``'s, here: files to write with the pages."""

    def done(self) -> None:
        """Every page is rendered, and the workers are gone."""


def render_site(archive: Archive, settings: Settings, problems: Problems,
                templates: Path = TEMPLATES, cache_dir: Path | None = None,
                progress: Progress | None = None, previous: Path | None = None,
                previous_record: Path | None = None, reader: PageReader | None = None) -> Iterator[OutputFile]:
    """Every generated file of the site, one at a time; template errors are reported, not raised.

    Document pages are rendered on every core and handed out as they are
    done, so the caller can write each file and let it go: memory holds a few
    pages, not the site. ``previous``: the output of the previous build, whose
    document pages are kept (``OutputFile.data`` None) where nothing they show
    changed, as its record in ``previous_record`` tells. ``reader``: reads each
    page rendered (not those kept), on the worker that made it.
    """
    progress = progress or Progress.quiet()
    site = Site(archive, settings, problems)
    site.cited_by  # derived once here, before the workers start, instead of once in each of them
    env = make_env(templates, cache_dir / TEMPLATE_CACHE if cache_dir else None)
    context = _Shared(site, PageKeys(site, templates), page_keys.read(previous_record), previous, templates, cache_dir,
                      reader.worker() if reader else None)
    slots: list[tuple[int, int] | _Listed] = [(i, n) for i, issue in enumerate(archive.issues)
                                              for n in range(len(issue.documents))]
    documents = len(slots)
    # The other pages too, after the documents: their builders need only the site, which the workers
    # hold. This process, which writes every file, would otherwise render them alone at the end.
    slots += [_Listed(b, k) for b, builder in enumerate(BUILDERS) if builder is not dashiji
              for k in range(sum(1 for _ in builder(site)))]
    page_paths, records, keys = [], [], {}
    # This process writes every file the workers render: it leaves all rendering to them.
    # Workers pay for themselves by the documents: the other pages are few and quick.
    worth_workers = parallel.PARALLEL_FROM + len(slots) - documents
    for n, result in enumerate(parallel.parallel_imap(_render_slot, slots, initializer=_start_worker, initargs=(context,),
                                                      chunk_size=DOCUMENTS_PER_TASK, caller_works=False,
                                                      parallel_from=worth_workers)):
        problems.extend(result.problems)
        progress.step(n + 1, len(slots))
        if n >= documents:
            if result.page is not None:
                page_paths.append(result.path)
                yield result.page
            continue
        doc_id = result.record["id"]
        records.append(result.record)
        keys[doc_id] = (result.key, bool(result.chronicle))
        if result.chronicle:
            site.chronicles[doc_id] = result.chronicle
        if result.page is not None:
            page_paths.append(urls.document(doc_id))
            yield result.page
        if result.record_file is not None:
            yield result.record_file
        if result.read is not None:
            yield from reader.take(n, result.read)
    if reader:
        reader.done()
    yield OutputFile(page_keys.RECORD, page_keys.dumps(keys), state=True)
    for page in dashiji(site):  # its entries are the bodies' 大事记, which only this process has all of
        output = render_page(env, site, page, problems)
        if output is not None:
            page_paths.append(page.path)
            yield output
    yield from discovery_files(site, page_paths, records)
    yield from copied_files(archive, templates)


@dataclass(frozen=True)
class _Shared:
    """What every worker reads: the site and the previous build's page keys."""
    site: Site
    keys: PageKeys
    previous_keys: dict[str, tuple[str, bool]]
    previous: Path | None
    templates: Path
    cache_dir: Path | None
    read: Callable[[Document, bytes], Any] | None  # PageReader.worker()


@dataclass(frozen=True)
class _Document:
    page: OutputFile | None  # None: its template failed or its body could not be read again (reported)
    record_file: OutputFile | None  # None: its body could not be read again (reported)
    record: dict
    chronicle: tuple[ChronicleEntry, ...]
    key: str
    problems: Problems
    read: Any = None  # what the PageReader made of the page rendered


@dataclass(frozen=True)
class _Listed:
    """Page ``index`` of builder ``builder`` (in ``BUILDERS``)."""
    builder: int
    index: int


@dataclass(frozen=True)
class _ListedPage:
    path: str
    page: OutputFile | None  # None: its template failed (reported)
    problems: Problems


# Set once when a worker starts (inherited, not copied, where processes fork).
_shared: _Shared | None = None
_env: jinja2.Environment | None = None
_listed: dict[int, list[Page]] = {}  # each builder's pages, made once in each worker


def _start_worker(shared: _Shared) -> None:
    global _shared, _env
    _shared = shared
    _env = make_env(shared.templates, shared.cache_dir / TEMPLATE_CACHE if shared.cache_dir else None)
    _listed.clear()


def _render_slot(slot: tuple[int, int] | _Listed) -> _Document | _ListedPage:
    if not isinstance(slot, _Listed):
        return _render_document(slot)
    if slot.builder not in _listed:
        _listed[slot.builder] = list(BUILDERS[slot.builder](_shared.site))
    page = _listed[slot.builder][slot.index]
    problems = Problems()
    return _ListedPage(page.path, render_page(_env, _shared.site, page, problems), problems)


def _render_document(slot: tuple[int, int]) -> _Document:
    """One document's page and record: kept from the previous build when its key is unchanged."""
    site = _shared.site
    issue_index, position = slot
    issue = site.archive.issues[issue_index]
    documents = issue.documents
    doc = documents[position]
    previous = documents[position - 1] if position else None
    following = documents[position + 1] if position + 1 < len(documents) else None
    key = _shared.keys.document(issue, previous, doc, following)
    problems = Problems()
    bodies = BodyCache(_shared.cache_dir / BODY_CACHE if _shared.cache_dir else None, problems)
    page_path, record_path = urls.output_file(urls.document(doc.id)), urls.document_json(doc.id)
    try:
        recorded, had_chronicle = _shared.previous_keys.get(doc.id, ("", False))
        if recorded == key and all((_shared.previous / path).is_file() for path in (page_path, record_path)):
            try:
                record = json.loads((_shared.previous / record_path).read_bytes())
            except ValueError:  # damaged since: render it again below
                record = None
            if isinstance(record, dict) and record.get("id") == doc.id:
                # Only a page with 大事记 entries needs its body again, for the 大事记 page.
                chronicle = () if not had_chronicle else bodies.body(doc, site.mentioned[doc.id], site.resolver).chronicle
                return _Document(OutputFile(page_path, None), OutputFile(record_path, None), record, chronicle, key,
                                 problems)
        body = bodies.body(doc, site.mentioned[doc.id], site.resolver)
    except BodyChanged as exc:
        # Reported, and the build stops before publishing: nothing of this document is written.
        problems.error(doc.path, doc.body_line, str(exc))
        return _Document(None, None, {"id": doc.id}, (), key, problems)
    page = render_page(_env, site, document(site, issue, previous, doc, following, body), problems)
    record = document_record(site, issue, doc, body)
    record_file = OutputFile(record_path, metadata.dumps(record).encode("utf-8") + b"\n")
    read = _shared.read(doc, page.data) if _shared.read and page is not None else None
    return _Document(page, record_file, record, body.chronicle, key, problems, read)


def discovery_files(site: Site, page_paths: list[str], records: list[dict]) -> Iterator[OutputFile]:
    """Feeds, sitemap, robots.txt and the open data files."""
    settings = site.settings
    texts = [
        *feeds.feed_files(site.archive, settings, site.gazette),
        *discovery.sitemap_files(settings.base_url, [p for p in page_paths if p != urls.NOT_FOUND]),
        (urls.ROBOTS, discovery.robots(settings.base_url)),
        (urls.DOCUMENTS_DATA, opendata.documents_json(records, settings)),
        (urls.ISSUES_DATA, opendata.issues_json(site.archive, settings)),
    ]
    for path, text in texts:
        yield OutputFile(path, text.encode("utf-8"))


def render_page(env: jinja2.Environment, site: Site, page: Page, problems: Problems) -> OutputFile | None:
    """One page as a file; None, with the error reported, if its template fails."""
    try:
        html = env.get_template(page.template).render({**page_globals(site, page), **page.context})
    except jinja2.TemplateError as exc:
        name = getattr(exc, "filename", None) or page.template
        problems.error(name, getattr(exc, "lineno", None), f"模板错误（生成 /{page.path} 时）：{exc}")
        return None
    return OutputFile(urls.output_file(page.path), html.encode("utf-8"))


def copied_files(archive: Archive, templates: Path) -> Iterator[OutputFile]:
    """Static assets and each issue's raw source, byte for byte."""
    static = templates / STATIC_DIR
    for path in sorted(p for p in static.rglob("*") if p.is_file()):
        yield OutputFile(urls.static(path.relative_to(static).as_posix()), path.read_bytes())
    for issue in archive.issues:
        if issue.source is not None and issue.path is not None:
            source = issue.path / issue.source.stored_as
            if source.is_file():
                yield OutputFile(urls.issue_source(issue.ref), source.read_bytes())
