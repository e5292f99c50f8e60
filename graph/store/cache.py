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
from typing import Generic, TypeVar, cast

__all__ = ["AnswerCache"]

T = TypeVar("T")


class AnswerCache(Generic[T]):
    """A small thread-safe LRU of answers by key (the key includes the store generation).

    At most ``size`` answers; with ``weigh``, also at most ``budget`` in total weight (bytes
    of a response, say), an answer heavier than the whole budget not being kept at all.
    """

    def __init__(self, size: int = 64, budget: int | None = None,
                 weigh: Callable[[T], int] | None = None) -> None:
        self.size = size
        self.budget = budget
        self._weigh = weigh
        self._weight = 0
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def _weight_of(self, answer: T) -> int:
        return self._weigh(answer) if self._weigh is not None else 0

    def _find(self, key: Hashable) -> tuple[bool, T | None]:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return True, self._items[key]
            self.misses += 1
            return False, None

    def get(self, key: Hashable) -> T | None:
        """The answer kept for ``key``, or None."""
        return self._find(key)[1]

    def put(self, key: Hashable, answer: T) -> T:
        """Keep ``answer`` for ``key`` (the oldest leave beyond the size or budget); an answer
        heavier than the whole budget is not kept."""
        weight = self._weight_of(answer)
        if self.budget is not None and weight > self.budget:
            return answer
        with self._lock:
            if key in self._items:
                self._weight -= self._weight_of(self._items[key])
            self._items[key] = answer
            self._items.move_to_end(key)
            self._weight += weight
            while len(self._items) > self.size or (
                    self.budget is not None and self._weight > self.budget):
                _, dropped = self._items.popitem(last=False)
                self._weight -= self._weight_of(dropped)
        return answer

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The answer for ``key``, computed (outside the lock) when it is not kept."""
        found, kept = self._find(key)
        return cast(T, kept) if found else self.put(key, compute())
