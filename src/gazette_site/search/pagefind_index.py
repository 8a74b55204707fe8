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

from pagefind.index import IndexConfig
from pagefind.service import PagefindService

# "No linguistic content" (ISO 639-2): the records hold codes, not words, and
# no Pagefind build stems or segments this language. The browser falls back
# to the only index whatever the page's own language.
LANGUAGE = "zxx"
FRAGMENT_SIGNATURE = b"pagefind_dcd"


# Pagefind answers "files written" while it may still be writing them, and its
# service is then stopped with SIGTERM: seen here as an empty wasm file and a
# truncated pagefind.js under load. So wait until every file is whole.
_SETTLE_POLL = 0.05
_SETTLE_LIMIT = 60.0


def _whole(path: Path) -> bool:
    data = path.read_bytes()
    if not data:
        return False
    try:
        if data[:2] == b"\x1f\x8b":
            gzip.decompress(data)
        elif path.suffix == ".json":
            json.loads(data)
    except (OSError, EOFError, ValueError):
        return False
    return True


async def _settled(output: Path) -> None:
    previous = None
    deadline = asyncio.get_running_loop().time() + _SETTLE_LIMIT
    while asyncio.get_running_loop().time() < deadline:
        files = sorted(p for p in output.rglob("*") if p.is_file())
        state = [(p, p.stat().st_size) for p in files]
        if state == previous and (output / "pagefind-entry.json").is_file() and all(_whole(p) for p in files):
            return
        previous = state
        await asyncio.sleep(_SETTLE_POLL)
    raise RuntimeError(f"Pagefind did not finish writing {output}")


async def _write(records: dict[str, str], output: Path) -> None:
    async with PagefindService() as service:
        index = await service.create_index(IndexConfig(output_path=str(output)))
        for url, content in records.items():
            await index.add_custom_record(url=url, content=content, language=LANGUAGE)
        await index.write_files()
        await _settled(output)


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
