"""Run Pagefind over one record per document and learn each record's page hash.

The browser asks Pagefind for candidates and gets page hashes; it maps them
to documents with the table written beside the index, so it never loads
Pagefind's fragments (which hold only the index words here): they are read
for the hashes and not published.
"""
from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from pagefind.service import get_executable

# "No linguistic content" (ISO 639-2): the records hold codes, not words, and
# no Pagefind build stems or segments this language. The browser falls back
# to the only index whatever the page's own language.
LANGUAGE = "zxx"
FRAGMENT_SIGNATURE = b"pagefind_dcd"
FRAGMENTS = "fragment"
# Pagefind's ready-made interfaces: the search page has its own, so the
# site does not ship these (some 430 KB).
UI_FILES = ("pagefind-ui.*", "pagefind-*-ui.*", "pagefind-highlight.js")
# What only the index the browser loads first needs; merged indexes use its copy.
RUNTIME_FILES = ("pagefind.js", "pagefind-worker.js", "wasm.*.pagefind")
TIMEOUT = 3600  # seconds; a run this long means something is wrong
# Peak memory of a run per word of its records (measured with Pagefind 1.5.2:
# 46, 94 and 181 MB for 50, 118 and 236 thousand words), rounded up.
MEMORY_PER_WORD = 800

# One small page per record, indexed by the Pagefind command: its Python API
# waits a fixed interval for every reply, which bounds indexing whatever
# Pagefind's own speed. No title: Pagefind indexes its words beside the
# content's, and a URL's (doc, 2023 …) could begin a query's word and so
# answer it (see ngrams).
_RECORD_PAGE = (
    '<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8"><title></title></head>'
    "<body><main data-pagefind-body>{content}</main></body></html>"
)


class PagefindError(Exception):
    """Pagefind did not produce an index; the message says why, in Chinese."""


class PagefindRun:
    """One Pagefind process indexing ``{url: words}``, started at once, collected later.

    Pagefind uses about one core: while it runs the caller prepares the next
    shard, and may start another run beside it.
    """

    def __init__(self, records: dict[str, str]):
        """``records``: the words of each document, by its URL."""
        self._work = Path(tempfile.mkdtemp(prefix="gazette-pagefind-"))
        self._output = self._work / "bundle"
        site = self._work / "site"
        # /doc/<id>/ as doc/<id>.html: a directory per record cost more than
        # indexing a small shard. The names must differ across shards, whose
        # results the browser merges: Pagefind's page hash depends on them.
        self._urls = {}
        for url, content in records.items():
            name = url.strip("/") + ".html"
            page = site / name
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(_RECORD_PAGE.format(language=LANGUAGE, content=content), encoding="utf-8")
            self._urls["/" + name] = url
        self._process = subprocess.Popen(
            [str(get_executable()), "--site", str(site), "--output-path", str(self._output),
             "--force-language", LANGUAGE, "--silent"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )

    def collect(self, runtime: bool) -> tuple[dict[str, bytes], dict[str, str]]:
        """The bundle's files (relative path → bytes) and ``{url: page hash}``.

        ``runtime``: whether to keep Pagefind's scripts and WebAssembly.
        """
        try:
            try:
                _, stderr = self._process.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                raise PagefindError(f"Pagefind 运行超过 {TIMEOUT} 秒，已中止") from None
            if self._process.returncode != 0:
                detail = stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
                raise PagefindError(f"Pagefind 退出码 {self._process.returncode}：{' '.join(detail)}")
            hashes = {self._urls[page]: page_hash for page, page_hash in page_hashes(self._output).items()}
            return bundle_files(self._output, runtime), hashes
        finally:
            self.cancel()

    def cancel(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        shutil.rmtree(self._work, ignore_errors=True)


def bundle_paths(directory: Path, runtime: bool) -> list[str]:
    """The files of a Pagefind bundle the site publishes, relative to ``directory``."""
    skipped = UI_FILES if runtime else UI_FILES + RUNTIME_FILES
    return [path.relative_to(directory).as_posix() for path in sorted(directory.rglob("*"))
            if path.is_file() and path.parent.name != FRAGMENTS and not any(path.match(name) for name in skipped)]


def bundle_files(directory: Path, runtime: bool) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in bundle_paths(directory, runtime)}


def page_hashes(output: Path) -> dict[str, str]:
    """``{url: page hash}`` of an index Pagefind wrote into ``output``."""
    hashes = {}
    for fragment in sorted((output / FRAGMENTS).glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes()).removeprefix(FRAGMENT_SIGNATURE)
        hashes[json.loads(data)["url"]] = fragment.stem
    return hashes
