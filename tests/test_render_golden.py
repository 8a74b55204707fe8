"""Golden snapshots of key pages (normalised HTML), for the mini archive and the seed issue.

After an intended change, regenerate and review the diff:
    GAZETTE_UPDATE_GOLDEN=1 python -m pytest tests/test_render_golden.py
"""
from __future__ import annotations

import difflib

import pytest

from render_fixtures import GOLDEN, UPDATE_GOLDEN


PAGES = {
    "mini": {
        "home": "index.html",
        "issue": "2023/1/index.html",
        "document-with-table": "doc/xinzhengban-2023-5/index.html",
        "document-with-glossary": "doc/xinzhengfa-2023-1/index.html",
        "dashiji": "dashiji/index.html",
    },
    "seed": {
        "home": "index.html",
        "issue": "2023/1/index.html",
        "document-with-table": "doc/xinzhengfa-2023-2/index.html",
        "dashiji": "dashiji/index.html",
    },
}


def normalise(html: str) -> str:
    """Indentation and blank lines carry no meaning: drop them so diffs show content."""
    return "".join(line.strip() + "\n" for line in html.splitlines() if line.strip())


def check_golden(archive: str, name: str, html: str) -> None:
    path = GOLDEN / archive / f"{name}.html"
    actual = normalise(html)
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    if not path.is_file():
        pytest.fail(f"no golden file {path}; create it with GAZETTE_UPDATE_GOLDEN=1")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(list(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                                 str(path), "built"))[:80])
        pytest.fail(f"page differs from {path} (if intended: GAZETTE_UPDATE_GOLDEN=1):\n{diff}")


@pytest.mark.parametrize("name", PAGES["mini"])
def test_mini_archive_pages_match_their_snapshots(mini_site, name):
    check_golden("mini", name, (mini_site / PAGES["mini"][name]).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", PAGES["seed"])
def test_seed_issue_pages_match_their_snapshots(seed_site, name):
    check_golden("seed", name, (seed_site / PAGES["seed"][name]).read_text(encoding="utf-8"))
