"""What a compiled Markdown parser would save render, measured on the seed
issue's documents.

    python bench/alternatives.py

Markdown, CPU per copy of the seed's bodies:
* as the build renders them: markdown-it-py with our rules (``render_body``);
* with markdown-it-pyrs, a compiled port of markdown-it (not a dependency:
  ``pip install markdown-it-pyrs`` first, or this part is skipped). It has no
  attribute syntax and none of our rules, so it is timed twice: straight to
  HTML, and as a tree walked once in Python, the least that our rules
  (heading ids, sanitising, 发文字号 links, attributes) would cost on top.
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


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    bodies = [(front["id"], body) for _, front, body in synthetic.seed_documents()]
    print(f"Markdown, CPU per copy of the seed's {len(bodies)} bodies (least of {REPEATS}):")
    for name, cost in markdown_costs(bodies).items():
        print(f"  {name}: " + ("not installed" if cost is None else f"{cost:.1f} ms"))


if __name__ == "__main__":
    main()
