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
