"""The search page (``/search/``), rendered with the site's own templates.

The renderer leaves this page to the search stage: it only works with the
files :mod:`.build` writes beside it.
"""
from __future__ import annotations

import jinja2

from .. import urls
from ..model import Archive
from ..problems import Problems
from ..output import OutputFile
from ..render import TEMPLATES
from ..render.env import make_env
from ..render.pages import Page, page_globals
from ..render.site import Site
from ..settings import Settings

TEMPLATE = "search.html"


def search_page(archive: Archive, settings: Settings, problems: Problems) -> list[OutputFile]:
    """The page as the one file to write; none, with the error reported, if its template fails."""
    # The hint shows a 发文字号 this archive has: the newest one, whatever the gazette.
    example = next((doc.doc_number for doc in reversed(archive.documents) if doc.doc_number), None)
    page = Page(urls.SEARCH, TEMPLATE, {"example_doc_number": example})
    try:
        template = make_env(TEMPLATES).get_template(TEMPLATE)
        html = template.render({**page_globals(Site(archive, settings, problems), page), **page.context})
    except jinja2.TemplateError as exc:
        problems.error(getattr(exc, "filename", None) or TEMPLATES / TEMPLATE, getattr(exc, "lineno", None),
                       f"模板错误（生成 /{urls.SEARCH} 时）：{exc}")
        return []
    return [OutputFile(urls.output_file(page.path), html.encode("utf-8"))]
