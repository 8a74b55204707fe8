"""The measurement of the alternatives times what it says it times."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import alternatives  # noqa: E402
import synthetic  # noqa: E402

from gazette_site.search.ngrams import index_words  # noqa: E402
from gazette_site.search.normalize import fold  # noqa: E402


def test_shard_bitmaps_hold_one_bitmap_per_word_and_shard():
    width = (alternatives.SHARD_DOCUMENTS + 7) // 8
    assert alternatives.shard_bitmaps([["a", "b"], ["b"]]) == 2 * (1 + width)
    # A second shard repeats its words.
    words = [["a"]] * (alternatives.SHARD_DOCUMENTS + 1)
    assert alternatives.shard_bitmaps(words) == 2 * (1 + width)


def test_search_costs_are_of_the_index_words_of_each_text():
    _, front, body = synthetic.seed_documents()[0]
    text = alternatives.folded_text(front["id"], body)
    assert fold("新洲区人民政府") in text and "<" not in text
    costs = alternatives.search_costs([text, text])
    assert costs["documents"] == 2
    assert costs["words per document"] == len(index_words(text))
    assert costs["shard bitmaps, MB"] * 1e6 == alternatives.shard_bitmaps([index_words(text)])


def test_markdown_costs_time_the_build_and_skip_what_is_not_installed(monkeypatch):
    bodies = [(front["id"], body) for _, front, body in synthetic.seed_documents()[:2]]
    monkeypatch.setitem(sys.modules, "markdown_it_pyrs", None)  # import fails, as when not installed
    costs = alternatives.markdown_costs(bodies)
    assert costs["markdown-it-py, as the build renders"] > 0
    assert costs["markdown-it-pyrs, to HTML"] is None
