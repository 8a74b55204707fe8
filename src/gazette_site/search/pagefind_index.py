"""Run Pagefind over one record per document and learn each record's page hash.

The browser asks Pagefind for candidates and gets page hashes; it maps them
to documents with the table written beside the index, so it never has to load
Pagefind's fragments (which hold only the index words here).
"""
from __future__ import annotations

import asyncio
import gzip
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pagefind.index import IndexConfig, PagefindIndex

# "No linguistic content" (ISO 639-2): the records hold codes, not words, and
# no Pagefind build stems or segments this language. The browser falls back
# to the only index whatever the page's own language.
LANGUAGE = "zxx"
FRAGMENT_SIGNATURE = b"pagefind_dcd"


async def _write(records: dict[str, str], output: Path) -> None:
    async with PagefindIndex(IndexConfig(output_path=str(output))) as index:
        for url, content in records.items():
            await index.add_custom_record(url=url, content=content, language=LANGUAGE)


def write_index(records: dict[str, str], output: Path) -> dict[str, str]:
    """Index ``{url: words}`` into ``output``; returns ``{url: page hash}``."""
    # A thread of its own: the caller may already run an event loop (a test
    # driving Playwright's sync API does), and asyncio.run refuses to nest.
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(asyncio.run, _write(records, output)).result()
    return page_hashes(output)


def page_hashes(output: Path) -> dict[str, str]:
    """``{url: page hash}`` of an index Pagefind wrote into ``output``."""
    hashes = {}
    for fragment in sorted((output / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(FRAGMENT_SIGNATURE)
        hashes[json.loads(data)["url"]] = fragment.stem
    return hashes
