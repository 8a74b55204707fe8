"""Helpers for the ingest tests: run the parser, read what it wrote, see text as a reader would."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin

from gazette_site.ingest.issue import ParsedIssue, parse_issue
from gazette_site.problems import Problems

REPO = Path(__file__).resolve().parent.parent
SEED_CONTENT = REPO / "content" / "2023" / "1"
# The seed issue as received: the repository keeps it byte for byte beside the documents made from it.
SEED = SEED_CONTENT / "source.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"

_markdown = (
    MarkdownIt("commonmark", {"html": False})
    .enable("table")
    .use(attrs_plugin, spans=True)
    .use(attrs_block_plugin)
)


def parse_text(text: str, **overrides) -> tuple[ParsedIssue | None, Problems]:
    problems = Problems()
    return parse_issue(text.encode("utf-8"), "raw.txt", problems, **overrides), problems


def parse_bytes(raw: bytes, **overrides) -> tuple[ParsedIssue | None, Problems]:
    problems = Problems()
    return parse_issue(raw, "raw.txt", problems, **overrides), problems


def read_document(path: Path) -> tuple[dict, str]:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return yaml.safe_load(front), body


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("p", "br", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "li"):
            self.parts.append("\n")


def reader_text(markdown: str) -> str:
    """The text a reader sees once the Markdown is rendered."""
    parser = _TextOnly()
    parser.feed(_markdown.render(markdown))
    return html.unescape("".join(parser.parts))


def render_html(markdown: str) -> str:
    return _markdown.render(markdown)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)
