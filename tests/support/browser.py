"""Debian's Chromium driven by Playwright, and axe-core accessibility checks."""
from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from typing import Iterator

from .tools import AXE_SCRIPT, CHROMIUM, CHROMIUM_ARGS, unavailable

SERIOUS_IMPACTS = {"serious", "critical"}


@contextlib.contextmanager
def launch_chromium() -> Iterator:
    """A headless Playwright ``Browser``; skips the test (fails it in CI) when
    Playwright or /usr/bin/chromium is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright is not installed (pip install -e '.[test]')")
    if not Path(CHROMIUM).is_file():
        unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@functools.cache
def _axe_source() -> str:
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_check(page, options: dict | None = None) -> list[dict]:
    """Run axe-core on the page as loaded and return its violations
    (axe's own dicts: id, impact, help, helpUrl, nodes[].target …).

    ``options`` go to ``axe.run`` as they are, e.g.
    ``{"runOnly": ["wcag2a", "wcag2aa"]}``.
    """
    if not AXE_SCRIPT.is_file():
        unavailable(f"axe-core is not installed at {AXE_SCRIPT}")
    # evaluate, not a <script> tag: the page's Content-Security-Policy may forbid those.
    if not page.evaluate("() => 'axe' in window"):
        page.evaluate(_axe_source())
    return page.evaluate("async (options) => (await axe.run(document, options)).violations", options or {})


def serious_violations(violations: list[dict]) -> list[dict]:
    return [violation for violation in violations if violation.get("impact") in SERIOUS_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    """One line per violation with the elements it concerns, for assertion messages."""
    lines = []
    for violation in violations:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    return "\n".join(lines)
