"""Run Pagefind over one record per document and learn each record's page hash.

The browser asks Pagefind for candidates and gets page hashes; it maps them
to documents with the table written beside the index, so it never has to load
Pagefind's fragments (which hold only the index words here).
"""
from __future__ import annotations

import gzip
import json
import subprocess
import tempfile
from pathlib import Path

from pagefind.service import get_executable

# "No linguistic content" (ISO 639-2): the records hold codes, not words, and
# no Pagefind build stems or segments this language. The browser falls back
# to the only index whatever the page's own language.
LANGUAGE = "zxx"
FRAGMENT_SIGNATURE = b"pagefind_dcd"


# One small page per record, indexed by the Pagefind command: its Python API
# waits 0.1 s per reply, which capped indexing at ten documents a second.
_RECORD_PAGE = (
    '<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8"><title>{url}</title></head>'
    "<body><main data-pagefind-body>{content}</main></body></html>"
)


def _record_path(url: str) -> str:
    return url.strip("/") + "/index.html"


def _run_pagefind(records: dict[str, str], output: Path) -> None:
    with tempfile.TemporaryDirectory() as site:
        for url, content in records.items():
            page = Path(site) / _record_path(url)
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(_RECORD_PAGE.format(language=LANGUAGE, url=url, content=content), encoding="utf-8")
        subprocess.run(
            [str(get_executable()), "--site", site, "--output-path", str(output), "--force-language", LANGUAGE,
             "--silent"],
            check=True, capture_output=True, timeout=3600,
        )


def write_index(records: dict[str, str], output: Path) -> dict[str, str]:
    """Index ``{url: words}`` into ``output``; returns ``{url: page hash}``."""
    _run_pagefind(records, output)
    return page_hashes(output)


def page_hashes(output: Path) -> dict[str, str]:
    """``{url: page hash}`` of an index Pagefind wrote into ``output``."""
    hashes = {}
    for fragment in sorted((output / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(FRAGMENT_SIGNATURE)
        hashes[json.loads(data)["url"]] = fragment.stem
    return hashes
