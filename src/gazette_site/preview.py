"""A local preview that rebuilds on change and reloads the open page (``python build.py serve``).

Only for editors on their own machine: it listens on 127.0.0.1. The reload
script is added to pages as they are served; built files never contain it.
"""
from __future__ import annotations

import http.server
import threading
from pathlib import Path
from typing import Callable

from . import urls

RELOAD_SCRIPT_PATH = "/__reload.js"
RELOAD_EVENTS_PATH = "/__reload"
_RELOAD_SCRIPT = b"""(function () {
  var source = new EventSource("/__reload");
  source.onmessage = function () { window.location.reload(); };
})();
"""


class Generation:
    """Counts successful rebuilds; the event stream waits on it."""

    def __init__(self) -> None:
        self._value = 0
        self._changed = threading.Condition()

    @property
    def value(self) -> int:
        return self._value

    def advance(self) -> None:
        with self._changed:
            self._value += 1
            self._changed.notify_all()

    def wait_past(self, value: int, timeout: float) -> int:
        with self._changed:
            self._changed.wait_for(lambda: self._value != value, timeout=timeout)
            return self._value


def make_handler(root: Path, generation: Generation, stopping: threading.Event):
    class PreviewHandler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, format, *args):  # keep the editor's terminal for build reports
            pass

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            if path == RELOAD_SCRIPT_PATH:
                return self._send(200, "text/javascript; charset=utf-8", _RELOAD_SCRIPT)
            if path == RELOAD_EVENTS_PATH:
                return self._events()
            target = Path(self.translate_path(path))
            if target.is_dir() and path.endswith("/"):
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                html = target.read_bytes().replace(
                    b"</body>", f'<script src="{RELOAD_SCRIPT_PATH}"></script></body>'.encode(), 1
                )
                return self._send(200, "text/html; charset=utf-8", html)
            if not target.exists() and (root / urls.NOT_FOUND).is_file():
                return self._send(404, "text/html; charset=utf-8", (root / urls.NOT_FOUND).read_bytes())
            return super().do_GET()

        def _send(self, status: int, content_type: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = generation.value
            try:
                while not stopping.is_set():
                    current = generation.wait_past(seen, timeout=15)
                    if current != seen:
                        seen = current
                        self.wfile.write(f"data: {current}\n\n".encode())
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass

    return PreviewHandler


def watch_and_rebuild(paths: list[Path], rebuild: Callable[[], bool], generation: Generation,
                      stopping: threading.Event, watching: threading.Event) -> None:
    from watchfiles import watch

    existing = [str(p) for p in paths if p.exists()]
    # yield_on_timeout: the first (empty) yield says the watcher is running, so
    # no change made after the address is shown can be missed.
    for changes in watch(*existing, stop_event=stopping, debounce=300, rust_timeout=300, yield_on_timeout=True):
        watching.set()
        if changes and rebuild():
            generation.advance()


def serve(root: Path, port: int, watched: list[Path], rebuild: Callable[[], bool]) -> None:
    """Serve ``root`` on 127.0.0.1 until interrupted, rebuilding when ``watched`` change."""
    generation, stopping, watching = Generation(), threading.Event(), threading.Event()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), make_handler(root, generation, stopping))
    server.daemon_threads = True
    watcher = threading.Thread(target=watch_and_rebuild, args=(watched, rebuild, generation, stopping, watching),
                               daemon=True)
    watcher.start()
    if not watching.wait(timeout=30):
        print("警告：无法监视文件变化，预览不会自动重建（请检查 watchfiles 是否已安装）", flush=True)
    print(f"预览地址：http://127.0.0.1:{server.server_address[1]}/ （修改内容或模板后自动重建并刷新；Ctrl+C 退出）", flush=True)
    try:
        server.serve_forever()
    finally:
        stopping.set()
        server.server_close()
