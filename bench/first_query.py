"""What a resident's first search costs on a built site, measured in Chromium,
for our index and for stock Pagefind extended on Hugo's pages.

    python bench/first_query.py SITE_DIR [HUGO_SITE_DIR]

For each query, a fresh browser context (empty cache) opens the search page,
types the query and waits until the first page of results (20, with their
excerpts) is shown. Everything the page fetched after its HTML and CSS is
summed as stored on disk, by kind: scripts, the directory, postings, blocks of
text (with what a result shows), tables; page-load fetches included, since a
resident pays them with the first search. Stock Pagefind runs the same queries through its own API
(``search``, then ``data()`` of the first 20 results: their excerpts) on a
page written into Hugo's output. ``gazetteSearch('的')`` is measured alone:
every document, with the excerpts of a page. Prints one JSON object per
query. Needs Chromium and Playwright (``bash .ci/setup``).
"""
from __future__ import annotations

import json
import re
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support import launch_chromium, serve_directory  # noqa: E402

# Common characters and words, common and rare phrases, one in no document, and
# a 发文字号 the synthetic archive has (bench/synthetic.py renumbers the seed's).
QUERIES = ("的", "政府", "通知", "无废城市", "政府工作报告", "电子商务", "汪集鸡汤", "舒基元", "公报", "新政发〔1900〕1号")
PAGE = 20
QUERY_TIMEOUT_MS = 600_000
KINDS = (
    (re.compile(r"\.js$"), "scripts"),
    (re.compile(r"^search/text/|\.pf_fragment$"), "results and excerpts"),
    (re.compile(r"^search/(index|filters)\.json\.gz$|pagefind-entry\.json$|\.pf_meta$"), "directory"),
    (re.compile(r"^search/buckets/|\.pf_index$"), "postings"),
    (re.compile(r"^search/(rows/|numbers/|sort/|issues\.json\.gz$)"), "tables"),
    (re.compile(r"\.pagefind$|\.wasm$"), "webassembly"),
)
# Stock Pagefind's own API, on the page the harness writes beside Hugo's output.
STOCK_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Pagefind</title></head><body>
<script type="module">
const pagefind = await import("./pagefind/pagefind.js");
const query = new URLSearchParams(location.search).get("q");
const found = await pagefind.search(query);
const shown = await Promise.all(found.results.slice(0, %d).map((r) => r.data()));
document.body.dataset.results = found.results.length;
document.body.dataset.shown = shown.length;
document.documentElement.dataset.searchReady = "true";
</script></body></html>""" % PAGE
STOCK_NAME = "bench-pagefind-search.html"


def kind(path: str) -> str:
    return next((name for pattern, name in KINDS if pattern.search(path)), "other")


def _transfer(served, site: Path, since: int) -> dict:
    sizes: dict[str, list[int]] = {}
    for _, path, _ in served.requests[since:]:
        relative = urlsplit(path).path.lstrip("/")
        if relative.endswith((".html", ".css", "/", ".svg")):  # the page itself
            continue
        file = site / relative
        entry = sizes.setdefault(kind(relative), [0, 0])
        entry[0] += 1
        entry[1] += file.stat().st_size if file.is_file() else 0
    return {"requests": sum(n for n, _ in sizes.values()), "bytes": sum(b for _, b in sizes.values()),
            "by_kind": {name: {"requests": n, "bytes": b} for name, (n, b) in sorted(sizes.items())}}


@contextmanager
def fresh_page(browser, served, address: str):
    """A page in a new context (an empty cache), opened at ``address`` on the served site."""
    context = browser.new_context()
    # A query that checks many candidates of a large archive takes longer than Playwright's 30 s.
    context.set_default_timeout(QUERY_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(served.url + address)
        page.wait_for_selector("html[data-search-ready]")
        yield page
    finally:
        context.close()


def first_query(browser, served, site: Path, query: str) -> dict:
    before, started = len(served.requests), time.perf_counter()
    with fresh_page(browser, served, "search/?" + urlencode({"q": query})) as page:
        page.wait_for_selector('#search-results[aria-busy="false"]', state="attached")
        seconds = time.perf_counter() - started
        status = page.locator("#search-status").inner_text()
        shown = page.locator("#search-results > li").count()
    return {"query": query, "results": int(found[1]) if (found := re.search(r"(\d+) 个文件", status)) else 0,
            # Candidates left unchecked: the page needed fewer (the count is then a range).
            "unchecked": int(left[1]) if (left := re.search(r"还有 (\d+) 个候选文件", status)) else 0,
            "shown": shown, "seconds": round(seconds, 2), **_transfer(served, site, before)}


def every_result(browser, served, site: Path, query: str) -> dict:
    """``window.gazetteSearch(query)`` on a fresh search page: every result, a page of excerpts."""
    before = len(served.requests)
    with fresh_page(browser, served, "search/") as page:
        started = time.perf_counter()
        results = page.evaluate("q => window.gazetteSearch(q).then((r) => r.length)", query)
        seconds = time.perf_counter() - started
    return {"query": query, "results": results, "seconds": round(seconds, 2), **_transfer(served, site, before)}


def stock_query(browser, served, site: Path, query: str) -> dict:
    before, started = len(served.requests), time.perf_counter()
    with fresh_page(browser, served, STOCK_NAME + "?" + urlencode({"q": query})) as page:
        seconds = time.perf_counter() - started
        results = int(page.evaluate("document.body.dataset.results"))
        shown = int(page.evaluate("document.body.dataset.shown"))
    return {"query": query, "results": results, "shown": shown, "seconds": round(seconds, 2),
            **_transfer(served, site, before)}


def measure(site: Path, hugo_site: Path | None = None, queries: tuple[str, ...] = QUERIES) -> dict:
    with launch_chromium() as browser:
        with serve_directory(site) as served:
            ours = [first_query(browser, served, site, query) for query in queries]
            every = every_result(browser, served, site, "的")
        stock = []
        if hugo_site is not None:
            (hugo_site / STOCK_NAME).write_text(STOCK_PAGE, encoding="utf-8")
            with serve_directory(hugo_site) as served:
                stock = [stock_query(browser, served, hugo_site, query) for query in queries]
    return {"ours": ours, "every_result": every, "stock": stock}


def main(argv: list[str]) -> int:
    if not argv:
        sys.exit(__doc__)
    print(json.dumps(measure(Path(argv[0]), Path(argv[1]) if len(argv) > 1 else None), ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
