"""What the replacements that could meet the two missed targets would cost,
measured on the seed issue's documents (BENCHMARKS.md: cold build, render only).

    python bench/alternatives.py [--copies 210]

Markdown, CPU per copy of the seed's bodies:
* as the build renders them: markdown-it-py with our rules (``render_body``);
* with markdown-it-pyrs, a compiled port of markdown-it (not a dependency:
  ``pip install markdown-it-pyrs`` first, or this part is skipped). It has no
  attribute syntax and none of our rules, so it is timed twice: straight to
  HTML, and as a tree walked once in Python, the least that our rules
  (heading ids, sanitising, 发文字号 links, attributes) would cost on top.

Search, CPU for ``--copies`` copies of the seed's documents (210: the
benchmark's 2,100), from each body's text as the page shows it:
* the words Pagefind is given now (``index_words``);
* from those, for each shard, a bitmap of its documents per word, serialised
  in word order: what an index of our own would store instead of Pagefind's.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402
from gazette_site.render.markdown import render_body  # noqa: E402
from gazette_site.search.extract import page_text  # noqa: E402
from gazette_site.search.ngrams import index_words  # noqa: E402
from gazette_site.search.normalize import fold  # noqa: E402
from gazette_site.settings import OPTIONS  # noqa: E402

SHARD_DOCUMENTS = next(option.default for option in OPTIONS if option.name == "search_shard_documents")
REPEATS = 5


def cpu_ms_per_copy(render: Callable[[str, str], object], bodies: list[tuple[str, str]]) -> float:
    """The least CPU time of ``REPEATS`` renderings of every body, in ms."""
    best = float("inf")
    for _ in range(REPEATS):
        start = time.process_time()
        for doc_id, body in bodies:
            render(doc_id, body)
        best = min(best, time.process_time() - start)
    return best * 1000


def markdown_costs(bodies: list[tuple[str, str]]) -> dict[str, float | None]:
    costs: dict[str, float | None] = {
        "markdown-it-py, as the build renders": cpu_ms_per_copy(
            lambda doc_id, body: render_body(body, doc_id, None, str), bodies)}
    try:
        from markdown_it_pyrs import MarkdownIt
    except ImportError:
        return costs | {"markdown-it-pyrs, to HTML": None, "markdown-it-pyrs, tree walked in Python": None}
    compiled = MarkdownIt("commonmark").enable("table")

    def walk(node) -> int:
        return 1 + sum(walk(child) for child in node.children)
    costs["markdown-it-pyrs, to HTML"] = cpu_ms_per_copy(lambda _, body: compiled.render(body), bodies)
    costs["markdown-it-pyrs, tree walked in Python"] = cpu_ms_per_copy(lambda _, body: walk(compiled.tree(body)), bodies)
    return costs


def folded_text(doc_id: str, body: str) -> str:
    html = render_body(body, doc_id, None, str).html
    return fold(page_text(f'<div data-search-body data-doc-id="{doc_id}">{html}</div>').text)


def shard_bitmaps(words: list[list[str]]) -> int:
    """Bytes of every shard's word → document bitmap, serialised."""
    size = 0
    for start in range(0, len(words), SHARD_DOCUMENTS):
        bitmaps: dict[str, int] = {}
        for position, document_words in enumerate(words[start:start + SHARD_DOCUMENTS]):
            bit = 1 << position
            for word in document_words:
                bitmaps[word] = bitmaps.get(word, 0) | bit
        width = (SHARD_DOCUMENTS + 7) // 8
        size += len(b"".join(word.encode() + bitmap.to_bytes(width, "little")
                             for word, bitmap in sorted(bitmaps.items())))
    return size


def search_costs(texts: list[str]) -> dict[str, float]:
    start = time.process_time()
    words = [index_words(text) for text in texts]
    words_done = time.process_time()
    size = shard_bitmaps(words)
    return {"documents": len(texts), "words per document": sum(map(len, words)) / len(words),
            "index words, CPU s": words_done - start, "shard bitmaps, CPU s": time.process_time() - words_done,
            "shard bitmaps, MB": size / 1e6}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=210, help="copies of the seed's documents for search (default 210)")
    args = parser.parse_args(argv)
    bodies = [(front["id"], body) for _, front, body in synthetic.seed_documents()]
    print(f"Markdown, CPU per copy of the seed's {len(bodies)} bodies (least of {REPEATS}):")
    for name, cost in markdown_costs(bodies).items():
        print(f"  {name}: " + ("not installed" if cost is None else f"{cost:.1f} ms"))
    texts = [folded_text(doc_id, body) for doc_id, body in bodies] * args.copies
    print(f"Search, {args.copies} copies, shards of {SHARD_DOCUMENTS}:")
    for name, value in search_costs(texts).items():
        print(f"  {name}: {value:.2f}" if isinstance(value, float) else f"  {name}: {value}")


if __name__ == "__main__":
    main()
