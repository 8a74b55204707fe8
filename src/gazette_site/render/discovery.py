"""sitemap.xml (an index past 50,000 URLs) and robots.txt."""
from __future__ import annotations

from xml.sax.saxutils import escape

from .. import urls

SITEMAP_LIMIT = 50_000
_URLSET = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
_INDEX = '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'


def _urlset(base_url: str, paths: list[str]) -> str:
    rows = "".join(f"  <url><loc>{escape(urls.absolute(base_url, p))}</loc></url>\n" for p in paths)
    return f'<?xml version="1.0" encoding="utf-8"?>\n{_URLSET}\n{rows}</urlset>\n'


def sitemap_files(base_url: str, page_paths: list[str], limit: int = SITEMAP_LIMIT) -> list[tuple[str, str]]:
    """The sitemap of every HTML page; split into parts behind an index when large."""
    paths = sorted(page_paths)
    if len(paths) <= limit:
        return [(urls.SITEMAP, _urlset(base_url, paths))]
    parts = [paths[i : i + limit] for i in range(0, len(paths), limit)]
    files = [(urls.sitemap_part(n), _urlset(base_url, part)) for n, part in enumerate(parts, start=1)]
    rows = "".join(
        f"  <sitemap><loc>{escape(urls.absolute(base_url, urls.sitemap_part(n)))}</loc></sitemap>\n"
        for n in range(1, len(parts) + 1)
    )
    return [(urls.SITEMAP, f'<?xml version="1.0" encoding="utf-8"?>\n{_INDEX}\n{rows}</sitemapindex>\n'), *files]


def robots(base_url: str) -> str:
    return f"User-agent: *\nAllow: /\nSitemap: {urls.absolute(base_url, urls.SITEMAP)}\n"
