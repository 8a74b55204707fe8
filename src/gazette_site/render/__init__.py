"""Render stage: the archive in, the files of the site out (as bytes, not yet written)."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

import jinja2

from .. import TEMPLATES, urls
from ..model import Archive
from ..output import OutputFile
from ..problems import Problems
from ..progress import Progress
from ..publish import discovery, feeds, opendata
from ..settings import Settings
from .env import make_env
from . import metadata
from .pages import Page, all_pages, document_records, page_globals
from .site import Site

STATIC_DIR = "static"
TEMPLATE_CACHE = "templates"  # inside the build's cache directory
BODY_CACHE = "bodies"


def render_site(archive: Archive, settings: Settings, problems: Problems,
                templates: Path = TEMPLATES, cache_dir: Path | None = None,
                progress: Progress | None = None) -> Iterator[OutputFile]:
    """Every generated file of the site; template errors are reported, not raised."""
    progress = progress or Progress.quiet()
    site = Site(archive, settings, problems, cache_dir / BODY_CACHE if cache_dir else None)
    env = make_env(templates, cache_dir / TEMPLATE_CACHE if cache_dir else None)
    pages = list(all_pages(site))
    page_paths = []
    for done, page in enumerate(pages, start=1):
        output = render_page(env, site, page)
        progress.step(done, len(pages))
        if output is not None:
            page_paths.append(page.path)
            yield output
    records = []
    for path, record in document_records(site):
        records.append(record)
        yield OutputFile(path, metadata.dumps(record).encode("utf-8") + b"\n")
    yield from discovery_files(site, page_paths, records)
    yield from copied_files(archive, templates)


def discovery_files(site: Site, page_paths: list[str], records: list[dict]) -> Iterator[OutputFile]:
    """Feeds, sitemap, robots.txt and the open data files."""
    settings = site.settings
    texts = [
        *feeds.feed_files(site.archive, settings, site.gazette),
        *discovery.sitemap_files(settings.base_url, [p for p in page_paths if p != urls.NOT_FOUND]),
        (urls.ROBOTS, discovery.robots(settings.base_url)),
        (urls.DOCUMENTS_DATA, opendata.documents_json(records, settings)),
        (opendata.ISSUES_DATA, opendata.issues_json(site.archive, settings)),
    ]
    for path, text in texts:
        yield OutputFile(path, text.encode("utf-8"))


def render_page(env: jinja2.Environment, site: Site, page: Page) -> OutputFile | None:
    """One page as a file; None, with the error reported, if its template fails."""
    try:
        html = env.get_template(page.template).render({**page_globals(site, page), **page.context})
    except jinja2.TemplateError as exc:
        name = getattr(exc, "filename", None) or page.template
        site.problems.error(name, getattr(exc, "lineno", None), f"模板错误（生成 /{page.path} 时）：{exc}")
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
