"""Work spread over every core: markdown-it is pure Python."""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items, starting worker processes costs more than it saves.
PARALLEL_FROM = 40


def parallel_map(func: Callable[[T], R], items: Sequence[T], initializer: Callable[..., None] | None = None,
                 initargs: tuple = ()) -> list[R]:
    """``[func(item) for item in items]`` in order; ``func`` and items must pickle."""
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < PARALLEL_FROM or workers < 2:
        if initializer is not None:
            initializer(*initargs)
        return [func(item) for item in items]
    with ProcessPoolExecutor(workers, initializer=initializer, initargs=initargs) as pool:
        return list(pool.map(func, items, chunksize=max(1, len(items) // (workers * 8))))
