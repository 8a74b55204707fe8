"""The measurement of the alternatives times what it says it times."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import alternatives  # noqa: E402
import synthetic  # noqa: E402



def test_markdown_costs_time_the_build_and_skip_what_is_not_installed(monkeypatch):
    bodies = [(front["id"], body) for _, front, body in synthetic.seed_documents()[:2]]
    monkeypatch.setitem(sys.modules, "markdown_it_pyrs", None)  # import fails, as when not installed
    costs = alternatives.markdown_costs(bodies)
    assert costs["markdown-it-py, as the build renders"] > 0
    assert costs["markdown-it-pyrs, to HTML"] is None
