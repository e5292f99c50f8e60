"""Answers kept per store generation: a repeated question costs a lookup until a write.

The gap checks read the whole graph; an API asked ``/gaps`` a hundred times a minute would
recompute them a hundred times. Keyed by the store's generation (which moves with every
committed write, from any process) the cached answer is exactly as current as a recomputed
one, and any write makes every older entry unreachable; old entries leave as the cache fills.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["AnswerCache"]

T = TypeVar("T")


class AnswerCache(Generic[T]):
    """A small thread-safe LRU of answers by key (the key includes the store generation)."""

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The answer for ``key``, computed (outside the lock) when it is not kept."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
        answer = compute()
        with self._lock:
            self._items[key] = answer
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return answer
