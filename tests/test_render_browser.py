"""The built site in headless Chromium: no sideways page overflow, a document's
title on a phone's first screen, tables scroll in their own box and keep
their alignment, pages work under a sub-path and without JavaScript."""
from __future__ import annotations

import pytest

from support import axe_check, describe_violations

WIDTHS = (360, 1280)
PREFIX = "/archive/"
PHONE = {"width": 360, "height": 800}

OVERFLOW = """() => ({
  page: document.documentElement.scrollWidth, viewport: window.innerWidth,
  tables: [...document.querySelectorAll('.table-scroll')].map(box => ({
    scrolls: box.scrollWidth > box.clientWidth, overflowX: getComputedStyle(box).overflowX,
    right: box.getBoundingClientRect().right,
  })),
})"""


def measure(page, url: str, width: int) -> dict:
    page.set_viewport_size({"width": width, "height": 900})
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    return page.evaluate(OVERFLOW)


def assert_no_page_overflow(result: dict, width: int) -> None:
    assert result["page"] <= result["viewport"], f"page is {result['page']} px wide at {width} px"
    for table in result["tables"]:
        assert table["overflowX"] == "auto" and table["right"] <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_the_47_row_table_scrolls_inside_its_box_not_the_page(seed_site, site_server, page, width):
    site = site_server(seed_site, PREFIX)
    rows = page.goto(site.url + "doc/xinzhengfa-2023-2/") and page.evaluate(
        "document.querySelectorAll('.table-scroll tbody tr').length")
    assert rows == 47
    result = measure(page, site.url + "doc/xinzhengfa-2023-2/", width)
    assert_no_page_overflow(result, width)
    if width == 360:
        assert result["tables"][0]["scrolls"], "at 360 px the wide table should scroll in its box"


def test_no_page_of_either_site_overflows_at_360_px(mini_site, seed_site, site_server, page):
    for root in (mini_site, seed_site):
        site = site_server(root, PREFIX)
        for path in sorted(root.rglob("*.html")):
            relative = path.relative_to(root).as_posix()
            if relative.startswith("search/"):
                continue
            url = site.url + relative.removesuffix("index.html")
            assert_no_page_overflow(measure(page, url, 360), 360)


def test_on_a_phone_every_document_opens_with_its_whole_title_in_view(mini_site, seed_site, site_server, page):
    page.set_viewport_size(PHONE)
    for root in (mini_site, seed_site):
        site = site_server(root, PREFIX)
        for path in sorted((root / "doc").glob("*/index.html")):
            page.goto(site.url + path.parent.relative_to(root).as_posix() + "/")
            title = page.locator("h1")
            box = title.bounding_box()
            assert title.is_visible() and box is not None, path
            assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], f"{path}: title at {box}"
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"{path}: title at {box}"


def test_a_column_the_table_centres_is_centred_without_inline_style(mini_site, site_server, page):
    site = site_server(mini_site, PREFIX)
    page.goto(site.url + "doc/xinzhengban-2023-5/")
    aligned = page.evaluate("[...document.querySelector('.table-scroll tbody tr').cells]"
                            ".map(cell => getComputedStyle(cell).textAlign)")
    assert aligned[:2] == ["center", "left"]  # 序号 centred by its delimiter row (:-:), the rest as usual
    assert page.evaluate("document.querySelectorAll('[style]').length") == 0  # the CSP allows none


def test_pages_work_under_a_sub_path_without_javascript(mini_site, site_server, browser):
    site = site_server(mini_site, PREFIX)
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site.url)
        page.click("text=区人民政府办公室关于做好2023年重点工作责任分解工作的通知")
        assert page.url == site.url + "doc/xinzhengban-2023-5/"
        assert page.locator("h1").inner_text() == "区人民政府办公室关于做好2023年重点工作责任分解工作的通知"
        assert page.evaluate("getComputedStyle(document.body).lineHeight") != "normal"  # the stylesheet loaded
        page.click("a.xref >> nth=0")
        assert page.url == site.url + "doc/xinzhengfa-2023-1/"
        page.click("nav.breadcrumb >> text=第1期")
        assert page.url == site.url + "2023/1/"
        missing = page.goto(site.url + "no/such/page/")
        assert missing.status == 404 and page.locator("h1").inner_text() == "页面不存在"
        assert page.evaluate("getComputedStyle(document.body).lineHeight") != "normal"
        page.click("text=返回首页")
        assert page.url == site.url
        failed = [r for r in site.requests if r[2] >= 400 and r[1] != PREFIX + "no/such/page/"]
        assert failed == []
    finally:
        context.close()


def test_copy_button_copies_the_permanent_url(mini_site, site_server, browser):
    site = site_server(mini_site, PREFIX)
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(site.url + "doc/xinzhengfa-2023-1/")
        page.click("#permalink + button")
        assert page.evaluate("navigator.clipboard.readText()") == \
            "https://gongbao.example.gov.cn/archive/doc/xinzhengfa-2023-1/"
    finally:
        context.close()


def test_key_pages_have_no_accessibility_violations(seed_site, mini_site, site_server, page):
    for root, paths in [(seed_site, ["", "2023/1/", "doc/xinzhengfa-2023-2/", "doc/xinzhengban-2023-5/", "dashiji/"]),
                        (mini_site, ["doc/xinzhengfa-2023-1/", "issuer/", "doc-number/", "category/", "404.html"])]:
        site = site_server(root, PREFIX)
        for path in paths:
            page.goto(site.url + path)
            violations = axe_check(page, {"runOnly": ["wcag2a", "wcag2aa", "best-practice"]})
            assert violations == [], f"{path}: {describe_violations(violations)}"


def test_print_shows_the_permanent_url_under_the_title_and_no_navigation(mini_site, site_server, page):
    site = site_server(mini_site, PREFIX)
    page.goto(site.url + "doc/xinzhengfa-2023-1/")
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden() and page.locator("nav.breadcrumb").is_hidden()
    printed = page.evaluate("getComputedStyle(document.querySelector('h1'), '::after').content")
    assert printed == '"https://gongbao.example.gov.cn/archive/doc/xinzhengfa-2023-1/"'
