"""Render stage: the archive in, the files of the site out (as bytes, not yet written)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import jinja2

from .. import urls
from ..model import Archive
from ..problems import Problems
from ..settings import Settings
from .env import make_env
from .pages import Page, all_pages, document_records, page_globals
from .site import Site

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"
STATIC_DIR = "static"


@dataclass(frozen=True)
class OutputFile:
    path: str  # relative to the output directory, "/"-separated
    data: bytes


def render_site(archive: Archive, settings: Settings, problems: Problems,
                templates: Path = TEMPLATES, cache_dir: Path | None = None) -> Iterator[OutputFile]:
    """Every generated file of the site; template errors are reported, not raised."""
    site = Site(archive, settings, problems)
    env = make_env(templates, cache_dir)
    for page in all_pages(site):
        output = render_page(env, site, page)
        if output is not None:
            yield output
    for path, text in document_records(site):
        yield OutputFile(path, text.encode("utf-8"))
    yield from copied_files(archive, templates)


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
