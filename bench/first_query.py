"""What a resident's first search costs on a built site, measured in Chromium.

    python bench/first_query.py SITE_DIR [QUERY ...]

For each query, a fresh browser context (empty cache) opens the search page,
types the query in the search box and presses Enter, as a resident does, and
waits until the first page of results is shown; the files requested after the
page was ready are summed by kind (Pagefind scripts, index chunks, shard
metadata, the table, document texts) as stored on disk. Prints one JSON
object per query. Needs Chromium and Playwright (``bash .ci/setup``).
"""
from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support import launch_chromium, serve_directory  # noqa: E402

# 汪集鸡汤: one document; 无废城市: one document per copy of the seed issue;
# 政府: nearly every document; 发文字号 as residents type them: one that the
# seed's documents cite (as does every copy), and the first copy's own
# 新政发〔2023〕1号, renumbered (bench/synthetic.py), in every synthetic archive.
QUERIES = ("汪集鸡汤", "无废城市", "政府", "新政办〔2023〕1号", "新政发〔1900〕1号")
QUERY_TIMEOUT_MS = 600_000
KINDS = (
    (re.compile(r"^pagefind/[^/]+/(pagefind\.js|pagefind-worker\.js|wasm\.[^/]+)$"), "pagefind scripts"),
    (re.compile(r"^pagefind/[^/]+/index/"), "index chunks"),
    (re.compile(r"^pagefind/[^/]+/"), "shard entry and meta"),
    (re.compile(r"^search/text/"), "document texts"),
    (re.compile(r"^search/docs\.json\.gz$"), "table"),
    (re.compile(r"^search/numbers/"), "发文字号 tails"),
)


def kind(path: str) -> str:
    return next((name for pattern, name in KINDS if pattern.search(path)), "other")


def first_query(browser, served, site: Path, query: str) -> dict:
    context = browser.new_context()
    # A query that checks every candidate of a large archive takes longer than Playwright's 30 s.
    context.set_default_timeout(QUERY_TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(served.url + "search/")
        page.wait_for_selector("html[data-search-ready]")
        before = len(served.requests)
        started = time.perf_counter()
        page.fill("#search-q", query)
        page.press("#search-q", "Enter")
        page.wait_for_selector('#search-results[aria-busy="false"]', state="attached")
        seconds = time.perf_counter() - started
        status = page.locator("#search-status").inner_text()
        shown = page.locator("#search-results > li").count()
    finally:
        context.close()
    sizes: dict[str, list[int]] = {}
    for _, path, _ in served.requests[before:]:
        relative = urlsplit(path).path.lstrip("/")
        file = site / relative
        entry = sizes.setdefault(kind(relative), [0, 0])
        entry[0] += 1
        entry[1] += file.stat().st_size if file.is_file() else 0
    return {
        "query": query, "results": int(found[1]) if (found := re.search(r"(\d+) 个文件", status)) else 0,
        # Candidates left unchecked: the page needed fewer (the count is then a range).
        "unchecked": int(left[1]) if (left := re.search(r"还有 (\d+) 个候选文件", status)) else 0,
        "shown": shown, "seconds": round(seconds, 2),
        "requests": sum(n for n, _ in sizes.values()), "bytes": sum(b for _, b in sizes.values()),
        "by_kind": {name: {"requests": n, "bytes": b} for name, (n, b) in sorted(sizes.items())},
    }


def measure(site: Path, queries: tuple[str, ...] = QUERIES) -> list[dict]:
    with serve_directory(site) as served, launch_chromium() as browser:
        return [first_query(browser, served, site, query) for query in queries]


def main(argv: list[str]) -> int:
    if not argv:
        sys.exit(__doc__)
    site = Path(argv[0])
    for row in measure(site, tuple(argv[1:]) or QUERIES):
        print(json.dumps(row, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
