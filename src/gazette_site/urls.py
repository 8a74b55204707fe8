"""Every URL of the site, in one place.

URLs are permanent: archivists cite them for decades. They derive only from
permanent ids, years, issue numbers and the fixed slugs in ``model.CATEGORIES``
and never from titles, templates or build settings. A path here is relative to
the site root, without a leading slash; directory URLs end in ``/`` and are
written as ``index.html`` inside that directory.
"""
from __future__ import annotations

import posixpath

from .model import IssueRef, section_slug

HOME = ""
DASHIJI = "dashiji/"
DOC_NUMBERS = "doc-number/"
CATEGORY_INDEX = "category/"
ISSUER_INDEX = "issuer/"
SEARCH = "search/"
NOT_FOUND = "404.html"
STATIC = "static/"


def year(year: int) -> str:
    return f"{year}/"


def issue(ref: IssueRef) -> str:
    return f"{ref.year}/{ref.number}/"


def issue_source(ref: IssueRef) -> str:
    return f"{ref.year}/{ref.number}/source.txt"


def document(doc_id: str) -> str:
    return f"doc/{doc_id}/"


def document_json(doc_id: str) -> str:
    return f"doc/{doc_id}.json"


def category(name: str) -> str:
    return f"category/{section_slug(name)}/"


def issuer_slug(name: str) -> str:
    """Toneless pinyin of an agency name: 区发改局 -> qufagaiju (as in document ids)."""
    # Imported on first use: pypinyin's tables take a quarter of a second to load, and
    # a no-op build reads the permalink registry through this module without needing them.
    from .docnumber import agency_slug

    return agency_slug(name)


def issuer(name: str) -> str:
    return f"issuer/{issuer_slug(name)}/"


def static(name: str) -> str:
    return STATIC + name


def output_file(path: str) -> str:
    """The file a URL path is served from."""
    return path + "index.html" if path == "" or path.endswith("/") else path


def relative(from_path: str, to_path: str) -> str:
    """A link from the page at ``from_path`` to ``to_path``, both site paths.

    Relative links keep the site working from any host, under any sub-path and
    from a copied folder.
    """
    # Site paths are already normal (no "." or ".." parts, no empty ones), so the
    # common leading directories are dropped directly: posixpath.relpath makes
    # both paths absolute first, and every page makes dozens of these links.
    from_dirs = output_file(from_path).split("/")[:-1]
    to_parts = output_file(to_path).split("/")
    common = 0
    for mine, theirs in zip(from_dirs, to_parts):
        if mine != theirs:
            break
        common += 1
    target = "/".join([".."] * (len(from_dirs) - common) + to_parts[common:]) or "."
    if to_path == "" or to_path.endswith("/"):
        target = posixpath.dirname(target)
        return "./" if target in ("", ".") else target + "/"
    return target


def absolute(base_url: str, path: str) -> str:
    """The permanent address of ``path``; ``base_url`` ends with ``/``."""
    return base_url + path


# Discovery and open data, written with the pages.
FEED = "feed.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
DOCUMENTS_DATA = "data/documents.json"
ISSUES_DATA = "data/issues.json"


def category_feed(name: str) -> str:
    return f"category/{section_slug(name)}/feed.xml"


def sitemap_part(number: int) -> str:
    return f"sitemap-{number}.xml"


# The search index's files (docs/search.md); the search page hands their paths to its script.
SEARCH_DIRECTORY = SEARCH + "index.json.gz"
SEARCH_FILTERS = SEARCH + "filters.json.gz"
SEARCH_ISSUES = SEARCH + "issues.json.gz"
SEARCH_SORT = SEARCH + "sort/"
SEARCH_BUCKETS = SEARCH + "buckets/"
SEARCH_BLOCKS = SEARCH + "text/"
SEARCH_ROWS = SEARCH + "rows/"
SEARCH_NUMBERS = SEARCH + "numbers/"
# Never registered as permanent: the assets and the index change name and shape with the software.
NOT_PERMANENT = (STATIC, SEARCH_DIRECTORY, SEARCH_FILTERS, SEARCH_ISSUES, SEARCH_SORT, SEARCH_BUCKETS, SEARCH_BLOCKS,
                 SEARCH_ROWS, SEARCH_NUMBERS)


# The search files' numbers may be ``{placeholders}``: see search_paths.
def search_bucket(bucket: int | str) -> str:
    return f"{SEARCH_BUCKETS}{bucket}.bin"


def search_block(n: int | str, block: int | str) -> str:
    """Block ``block`` of the text of the archive's document ``n``."""
    return f"{SEARCH_BLOCKS}{n}.{block}.bin"


def search_rows(rows: int | str) -> str:
    return f"{SEARCH_ROWS}{rows}.json.gz"


def search_numbers(year: int | str) -> str:
    return f"{SEARCH_NUMBERS}{year}.json.gz"


def search_sort(part: int | str) -> str:
    """The dates and issues documents sort by, for part ``part`` of the archive's documents."""
    return f"{SEARCH_SORT}{part}.json.gz"


def search_paths() -> dict[str, str]:
    """What the search page's script fetches and links to, from the site root: each a pattern
    whose ``{name}`` it fills in, made by the functions above, so that no path is written twice."""
    return {
        "directory": SEARCH_DIRECTORY, "filters": SEARCH_FILTERS, "issues": SEARCH_ISSUES, "sort": search_sort("{part}"),
        "bucket": search_bucket("{bucket}"),
        "block": search_block("{document}", "{block}"), "rows": search_rows("{rows}"),
        "numbers": search_numbers("{year}"), "document": document("{id}"),
    }


def url_path(output_path: str) -> str:
    """The URL path a written file is served at (``doc/x/index.html`` → ``doc/x/``)."""
    if output_path == "index.html":
        return ""
    return output_path[: -len("index.html")] if output_path.endswith("/index.html") else output_path
