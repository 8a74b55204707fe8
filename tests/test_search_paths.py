"""Every path of the search index is built in urls.py, and the browser takes them from the page.

The search page hands its script the paths it fetches (``data-search-paths``):
a site whose index lies elsewhere, with a page that says so, searches the same.
"""
from __future__ import annotations

import json
import re
import shutil

import lxml.html
import pytest

from gazette_site import urls
from gazette_site.build import build
from gazette_site.problems import Problems
from render_fixtures import MINI_CONTENT, settings
from support import serve_directory

HANDED = re.compile(r"data-search-paths='([^']*)'")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    problems = Problems()
    build(MINI_CONTENT, out, settings(), problems)
    assert not problems.has_errors(), [str(p) for p in problems]
    return out


def handed_paths(site) -> dict[str, str]:
    [container] = lxml.html.parse(str(site / urls.output_file(urls.SEARCH))).xpath("//*[@data-search-paths]")
    return json.loads(container.get("data-search-paths"))


def test_the_search_page_hands_its_script_the_paths_urls_builds(site):
    assert handed_paths(site) == urls.search_paths()


def test_each_path_handed_names_a_file_of_the_site(site):
    # What the script fills in (static/search/index.js, engine.js), by placeholder.
    values = {"directory": {}, "filters": {}, "issues": {}, "sort": {"part": 0}, "bucket": {"bucket": 0},
              "block": {"document": 0, "block": 0},
              "rows": {"rows": 0}, "numbers": {"year": 2023}, "document": {"id": "xinzhengfa-2023-1"}}
    paths = handed_paths(site)
    assert set(paths) == set(values)
    for name, pattern in paths.items():
        assert set(re.findall(r"\{(\w+)\}", pattern)) == set(values[name]), name
        path = re.sub(r"\{(\w+)\}", lambda match: str(values[name][match[1]]), pattern)
        assert (site / urls.output_file(path)).is_file(), path


def search(page, site, query: str) -> list[str]:
    with serve_directory(site, "/gongbao/") as served:
        page.goto(served.url + urls.SEARCH)
        page.wait_for_selector("html[data-search-ready]")
        return [result["url"].removeprefix(served.url) for result in page.evaluate("q => window.gazetteSearch(q)", query)]


def test_the_browser_fetches_the_index_where_the_page_says_it_is(site, tmp_path, page):
    moved = shutil.copytree(site, tmp_path / "site")
    search_dir = moved / urls.SEARCH
    (moved / "elsewhere").mkdir()
    for entry in search_dir.iterdir():
        if entry.name != "index.html":
            entry.rename(moved / "elsewhere" / entry.name)
    page_file = moved / urls.output_file(urls.SEARCH)
    html = page_file.read_text(encoding="utf-8")
    handed = HANDED.search(html)[1]
    page_file.write_text(html.replace(handed, handed.replace(f'"{urls.SEARCH}', '"elsewhere/')), encoding="utf-8")
    assert [p.name for p in search_dir.iterdir()] == ["index.html"]

    found = search(page, site, "政府")
    assert found and all(url.startswith("doc/") for url in found)
    assert search(page, moved, "政府") == found
