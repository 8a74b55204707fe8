"""Quality gates over the full seed archive built with search, as published.

The render tests check the sites built without search; here the search page
and Pagefind's files are part of every gate: byte-identical rebuilds, the Nu
Html Checker, internal links, the Content-Security-Policy in Chromium and
axe-core at a desktop and a phone width.
"""
from __future__ import annotations

import re

import pytest

from gazette_site import urls
from gazette_site.build import build
from gazette_site.problems import Problems
from render_fixtures import settings as site_settings
from render_fixtures import SEED_CONTENT, require_seed
from support import (axe_check, check_links, compare_trees, describe_violations, serious_violations, serve_directory,
                     vnu_check)

PREFIX = "/gongbao/"
KEY_PAGES = ["", "2023/1/", "doc/xinzhengfa-2023-2/", "search/?q=无废城市"]


def build_with_search(out):
    problems = Problems()
    settings = site_settings(base_url=f"https://example.org{PREFIX}")
    build(SEED_CONTENT, out, settings, problems)
    assert not problems.errors, [str(p) for p in problems]
    return out


@pytest.fixture(scope="module")
def full_site(tmp_path_factory):
    require_seed()
    return build_with_search(tmp_path_factory.mktemp("first") / "site")


@pytest.fixture(scope="module")
def served_site(full_site):
    with serve_directory(full_site, PREFIX) as site:
        yield site


def test_two_clean_builds_in_different_directories_are_byte_identical(full_site, tmp_path):
    second = build_with_search(tmp_path / "elsewhere" / "public")
    assert compare_trees(full_site, second) == []


def test_every_page_with_the_search_page_is_valid_html(full_site):
    pages = sorted(full_site.rglob("*.html"))
    assert (full_site / "search" / "index.html") in pages and len(pages) > 20
    assert [str(e) for e in vnu_check(pages)] == []  # one JVM for all pages


def test_every_internal_link_and_anchor_resolves(full_site):
    assert [str(b) for b in check_links(full_site, PREFIX)] == []


def open_page(page, site, path):
    page.goto(site.url + path)
    if path.startswith("search/"):
        page.wait_for_selector("#search-results > li")


def test_no_page_breaks_the_content_security_policy_and_search_works(browser, served_site):
    context = browser.new_context()
    page = context.new_page()
    reports = []
    page.on("console", lambda m: reports.append(m.text) if "Content Security Policy" in m.text else None)
    # Violations reach the page as events even when the console stays silent.
    page.add_init_script("document.addEventListener('securitypolicyviolation',"
                         " (e) => console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))")
    try:
        for path in KEY_PAGES:
            open_page(page, served_site, path)
            policy = page.locator("meta[http-equiv='Content-Security-Policy']").get_attribute("content")
            assert "script-src 'self';" in policy and "style-src 'self';" in policy  # the site's own scripts only, no WebAssembly
        assert page.locator("#search-results > li").count() > 0
        assert reports == []
    finally:
        context.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_key_pages_have_no_serious_accessibility_violations(browser, served_site, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        for path in KEY_PAGES:
            open_page(page, served_site, path)
            violations = serious_violations(axe_check(page))
            assert violations == [], f"{width}px {path or urls.HOME}: {describe_violations(violations)}"
    finally:
        context.close()


def test_on_a_phone_the_first_result_is_on_the_first_screen_and_opens_at_the_marked_match(browser, served_site):
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    try:
        open_page(page, served_site, "search/?q=无废城市")
        first = page.locator("#search-results > li").first
        assert first.bounding_box()["y"] + 60 <= 800, first.bounding_box()  # its title and facts, at least
        first.locator("h2 a").click()
        page.wait_for_url(re.compile(r"/doc/[a-z0-9-]+/\?hl="))
        match = page.locator("mark.hl-current").first
        box = match.bounding_box()
        assert match.inner_text().replace("\n", "") == "无废城市" and 0 <= box["y"] <= 800 - box["height"], box
    finally:
        context.close()
