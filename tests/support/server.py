"""Serve a built site over HTTP on loopback, the way a static host would."""
from __future__ import annotations

import contextlib
import functools
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

# Explicit so that tests do not depend on this machine's /etc/mime.types.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".wasm": "application/wasm",
    # Pagefind's index shards and its wasm.<lang>.pagefind files.
    ".pagefind": "application/octet-stream",
    ".pf_fragment": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
}


@dataclass
class ServedSite:
    url: str
    """Base URL of the site, ending in the prefix, e.g. ``http://127.0.0.1:41234/archive/``."""
    requests: list[tuple[str, str, int]] = field(default_factory=list)
    """(method, path, status) of every request answered so far."""


class _SiteHandler(SimpleHTTPRequestHandler):
    extensions_map = CONTENT_TYPES

    def __init__(self, *args, root: str, site: ServedSite, **kwargs):
        self.root = root  # the prefix without its trailing slash, "" for "/"
        self.site = site
        super().__init__(*args, **kwargs)

    def _inside_root(self) -> bool:
        path = urlsplit(self.path).path
        return path == self.root or path.startswith(self.root + "/")

    def send_head(self):
        if not self._inside_root():
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        return super().send_head()

    def translate_path(self, path: str) -> str:
        return super().translate_path(path[len(self.root):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory, "404.html")
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", CONTENT_TYPES[".html"])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_request(self, code="-", size="-"):
        self.site.requests.append((self.command, self.path, int(code)))

    def log_message(self, format, *args):
        pass  # keep test output clean; requests are recorded in ServedSite


class _Server(ThreadingHTTPServer):
    request_queue_size = 128  # socketserver's 5 refuses a browser's burst of requests


@contextlib.contextmanager
def serve_directory(path: str | Path, prefix: str = "/") -> Iterator[ServedSite]:
    """Serve ``path`` at ``http://127.0.0.1:<free port><prefix>`` until the block ends.

    Directory URLs serve index.html (without a trailing slash they redirect),
    a missing file serves the site's 404.html with status 404, and anything
    outside ``prefix`` is 404 — as on a host that puts the site in a sub-path.
    """
    directory = Path(path)
    if not directory.is_dir():
        raise FileNotFoundError(f"no site directory at {directory}")
    root = "/" + prefix.strip("/") if prefix.strip("/") else ""
    site = ServedSite(url="")
    handler = functools.partial(_SiteHandler, directory=str(directory), root=root, site=site)
    server = _Server(("127.0.0.1", 0), handler)
    site.url = f"http://127.0.0.1:{server.server_port}{root}/"
    # shutdown() waits for the next poll: the default 0.5 s adds up over many tests.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
