import pytest

from support import axe_check, describe_violations, serious_violations, unavailable

ACCESSIBLE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>新洲区人民政府公报</title></head>
<body><main><h1>新洲区人民政府公报</h1><p>正文</p><img src="seal.png" alt="印章"></main></body></html>
"""


@pytest.fixture
def served(tmp_path, site_server):
    (tmp_path / "index.html").write_text(ACCESSIBLE, encoding="utf-8")
    (tmp_path / "seal.png").write_bytes(b"")
    (tmp_path / "no-alt.html").write_text(ACCESSIBLE.replace(' alt="印章"', ""), encoding="utf-8")
    return site_server(tmp_path, prefix="/archive/")


def test_browser_loads_a_served_page(page, served):
    response = page.goto(served.url)
    assert response.status == 200
    assert page.locator("h1").inner_text() == "新洲区人民政府公报"
    assert ("GET", "/archive/seal.png", 200) in served.requests


def test_accessible_page_has_no_violations(page, served):
    page.goto(served.url)
    violations = axe_check(page)
    assert violations == [], describe_violations(violations)


def test_image_without_alt_is_a_serious_violation(page, served):
    page.goto(served.url + "no-alt.html")
    violations = serious_violations(axe_check(page))
    assert [violation["id"] for violation in violations] == ["image-alt"]
    assert describe_violations(violations).startswith("image-alt (critical): ")


def test_axe_options_reach_axe_run(page, served):
    page.goto(served.url + "no-alt.html")
    assert axe_check(page, {"runOnly": ["color-contrast"]}) == []


def test_missing_tool_skips_locally(monkeypatch):
    monkeypatch.delenv("GAZETTE_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no chromium"):
        unavailable("no chromium")


def test_missing_tool_fails_when_required(monkeypatch):
    monkeypatch.setenv("GAZETTE_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="no chromium.*GAZETTE_REQUIRE_BROWSER=1"):
        unavailable("no chromium")
