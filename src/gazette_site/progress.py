"""Progress on long work: a live counter on a terminal, plain stage lines elsewhere (CI, logs)."""
from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO | None, live: bool) -> None:
        self.stream = stream
        self.live = live
        self._stage = ""

    @classmethod
    def for_terminal(cls) -> "Progress":
        return cls(sys.stderr, live=sys.stderr.isatty())

    @classmethod
    def quiet(cls) -> "Progress":
        return cls(None, live=False)

    def stage(self, name: str) -> None:
        if self.stream is None:
            return
        self._end_line()
        self._stage = name
        if not self.live:
            print(f"· {name}", file=self.stream, flush=True)

    def step(self, done: int, total: int) -> None:
        """Called often; draws only on a terminal, and only every so often."""
        if self.live and self.stream is not None and (done == total or done % 50 == 0):
            print(f"\r· {self._stage} {done}/{total}", end="", file=self.stream, flush=True)

    def _end_line(self) -> None:
        if self.live and self._stage and self.stream is not None:
            print(file=self.stream, flush=True)
