"""Fixtures shared by all tests; the helpers behind them are in tests/support."""
from __future__ import annotations

import contextlib
import os

import pytest
from hypothesis import settings

from support import launch_chromium, serve_directory

# The built sites the render tests share (mini_site, seed_site).
pytest_plugins = ["render_fixtures"]

# CI's 2 cores are slower and busier than a developer's machine: a per-example
# deadline there only produces flaky failures.
settings.register_profile("ci", deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def browser():
    """A headless Chromium (Playwright ``Browser``) shared by the whole session."""
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture
def page(browser):
    """A fresh Playwright ``Page`` in its own context (no cookies, cache or storage shared)."""
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def site_server():
    """``site_server(path, prefix="/") -> ServedSite``: serve a built site until the test ends."""
    with contextlib.ExitStack() as stack:
        yield lambda path, prefix="/": stack.enter_context(serve_directory(path, prefix))


def pytest_sessionfinish(session, exitstatus):
    """In CI (GAZETTE_REQUIRE_BROWSER=1) a skipped test fails the run: CI installs
    every tool and has the seed issue, so a skip there is a gate that checked nothing."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if os.environ.get("GAZETTE_REQUIRE_BROWSER") != "1" or reporter is None:
        return
    skipped = reporter.stats.get("skipped", [])
    if skipped:
        reporter.write_line(f"GAZETTE_REQUIRE_BROWSER=1: {len(skipped)} 个测试被跳过，CI 不允许跳过：", red=True)
        for report in skipped:
            reporter.write_line(f"  {report.nodeid}: {report.longrepr[-1] if isinstance(report.longrepr, tuple) else ''}")
        if exitstatus == 0:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
