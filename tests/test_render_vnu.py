"""The Nu Html Checker finds no error on any page of either built site."""
from __future__ import annotations

from render_fixtures import SEED_ISSUE
from support import vnu_check


def test_every_page_is_valid_html(mini_site, request):
    roots = [mini_site]
    if (SEED_ISSUE / "issue.yaml").is_file():
        roots.append(request.getfixturevalue("seed_site"))
    pages = [p for root in roots for p in sorted(root.rglob("*.html"))]
    assert len(pages) > 20
    errors = vnu_check(pages)  # one JVM for all pages: starting Java costs seconds
    assert [str(e) for e in errors] == []
