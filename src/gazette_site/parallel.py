"""Work spread over every core: markdown-it is pure Python."""
from __future__ import annotations

import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items, starting worker processes costs more than it saves.
PARALLEL_FROM = 40
# Chunks under way per process: enough to keep every core busy, few enough
# that results waiting for the consumer stay a small, fixed amount of memory.
_IN_FLIGHT_PER_PROCESS = 2


def _apply(func: Callable[[T], R], chunk: Sequence[T]) -> list[R]:
    return [func(item) for item in chunk]


def parallel_imap(func: Callable[[T], R], items: Sequence[T], initializer: Callable[..., None] | None = None,
                  initargs: tuple = (), chunk_size: int | None = None, caller_works: bool = True,
                  context: BaseContext | None = None, parallel_from: int | None = None,
                  all_at_once: bool = False) -> Iterator[R]:
    """``func(item)`` for each item, in order, yielded as soon as it is ready; ``func`` and items must pickle.

    The workers start at once, on the first chunks, before the first result
    is asked for. Only a few chunks are handed out ahead of the consumer, so
    memory stays bounded by the chunk size, not by the number of items. With
    ``caller_works`` this process takes every n-th chunk itself: forked
    workers start as copies of it, so one worker fewer is one copy fewer of
    everything they share. A caller with work of its own for each result
    (writing it) passes False, and leaves every chunk to the workers, one per core.
    ``context``: how workers start (default: forked from this process);
    ``parallel_from``: the fewest items worth workers (default ``PARALLEL_FROM``);
    ``all_at_once``: every item is handed out at the start, in as few chunks as keep
    every worker busy, for a caller with work of its own to do before it reads the results.
    """
    results = _imap(func, items, initializer, initargs, chunk_size, caller_works, context, parallel_from,
                    all_at_once)
    next(results)  # up to the first results: the workers are at work
    return results


def _imap(func: Callable[[T], R], items: Sequence[T], initializer: Callable[..., None] | None, initargs: tuple,
          chunk_size: int | None, caller_works: bool, context: BaseContext | None, parallel_from: int | None,
          all_at_once: bool) -> Iterator:
    """``parallel_imap``'s results, after one None once the first chunks are handed out."""
    processes = min(os.cpu_count() or 1, 8)
    if initializer is not None:
        initializer(*initargs)
    if len(items) < (PARALLEL_FROM if parallel_from is None else parallel_from) or processes < 2:
        yield None
        yield from map(func, items)
        return
    workers = processes - 1 if caller_works else processes
    window = processes * _IN_FLIGHT_PER_PROCESS
    if all_at_once:
        size = max(1, -(-len(items) // window))
    else:
        size = chunk_size or max(1, len(items) // (processes * 8))
    starts = range(0, len(items), size)
    with ProcessPoolExecutor(workers, mp_context=context, initializer=initializer, initargs=initargs) as pool:
        def hand_out(number: int) -> Future | Sequence[T]:
            chunk = items[starts[number]:starts[number] + size]
            mine = caller_works and number % processes == processes - 1
            return chunk if mine else pool.submit(_apply, func, chunk)

        pending = deque(map(hand_out, range(min(window, len(starts)))))
        yield None
        for number in range(window, len(starts)):
            yield from _done(pending.popleft(), func)
            pending.append(hand_out(number))
        while pending:
            yield from _done(pending.popleft(), func)


def _done(entry: Future | Sequence, func: Callable[[T], R]) -> list[R]:
    """A worker's chunk when it is done, or one this process does now."""
    return entry.result() if isinstance(entry, Future) else _apply(func, entry)

