"""Find broken internal links and anchors in a built site, offline."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

URL_ATTRIBUTES = {"href", "src", "poster", "action", "data"}
# Links that leave the site: not checked, since tests have no network.
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel", "data"}


@dataclass(frozen=True)
class BrokenLink:
    source: str  # page path relative to the site directory
    line: int
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.url} — {self.reason}"


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.anchors: set[str] = set()
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.anchors.add(value)
            elif name in URL_ATTRIBUTES:
                self.links.append((line, value.strip()))
            elif name == "srcset":
                self.links.extend((line, candidate.split()[0]) for candidate in value.split(",") if candidate.strip())


@lru_cache(maxsize=None)
def _parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def check_links(site_dir: str | Path, base_path: str = "/") -> list[BrokenLink]:
    """Check every internal href/src/srcset of every .html file below ``site_dir``.

    The site is taken as hosted at ``base_path`` (e.g. ``/archive/``): a
    root-relative link that leaves it is broken. A target directory means its
    index.html; ``#fragment`` must name an id (or ``<a name>``) in the target
    page. ``javascript:`` URLs are reported; http(s), mailto, tel and data
    URLs are not followed.
    """
    site = Path(site_dir).resolve()
    pages = sorted(site.rglob("*.html"))
    if not pages:
        raise ValueError(f"no .html files below {site}: nothing to check")
    base = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    _parse.cache_clear()  # a site rebuilt in place must be read again
    broken = []
    for page in pages:
        source = page.relative_to(site).as_posix()
        for line, url in _parse(page).links:
            reason = _problem(site, base, base + source, url)
            if reason:
                broken.append(BrokenLink(source, line, url, reason))
    return broken


def _problem(site: Path, base: str, page_url: str, url: str) -> str | None:
    if not url:
        return "empty URL"
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "javascript":
        return "javascript: URL"
    if scheme in EXTERNAL_SCHEMES or (not scheme and parts.netloc):
        return None
    if scheme:
        return f"unexpected URL scheme {scheme}:"
    target_url = urlsplit(urljoin(page_url, url))
    path = unquote(target_url.path)
    if not path.startswith(base):
        return f"outside the site's base path {base}"
    target = site / path[len(base):]
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return f"no such file {target.relative_to(site).as_posix()}"
    fragment = unquote(target_url.fragment)
    if fragment and target.suffix == ".html" and fragment not in _parse(target).anchors:
        return f"no id {fragment!r} in {target.relative_to(site).as_posix()}"
    return None
