"""The cyclic garbage collector held back while large acyclic structures are built.

Python's collector walks every container it tracks each time enough of them were made: while
a graph of 85,000 nodes is built that is 40% of the build, and while a bundle of 250,000
rows is ingested a fifth of the run, and it finds nothing (plans, indexes and views hold no
cycles; reference counting frees them). Two ways to hold it back:

- :func:`collector_paused` stops it for work that leaves no cycles but its own, freed when
  it ends: a view, a report, an ingest into the embedded store (one transaction);
- :func:`collector_spaced` makes its youngest walk wait for :data:`SPACED` new containers
  rather than 700, for an ingest into a server, batch after batch: what few cycles the
  drivers leave are still collected, so memory stays bounded, while the walks over what the
  run holds become rare.

Both are counted, so threads that overlap (requests of the API) restore the collector only
when the last of them is done.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["SPACED", "collector_paused", "collector_spaced"]

#: New containers between the youngest walks while an ingest runs (the default is 700).
SPACED = 50_000

_lock = threading.Lock()
_paused = 0
_was_enabled = True
_spaced = 0
_thresholds = gc.get_threshold()


@contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """The collector off until the last overlapping pause ends; ``freeze``: what was built
    is left out of its later walks."""
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
        if freeze:
            gc.freeze()
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()


@contextmanager
def collector_spaced() -> Iterator[None]:
    """The collector's youngest walk spaced to :data:`SPACED` new containers until the last
    overlapping holder ends (a threshold set higher already is kept)."""
    global _spaced, _thresholds
    with _lock:
        if _spaced == 0:
            _thresholds = gc.get_threshold()
            gc.set_threshold(max(_thresholds[0], SPACED), *_thresholds[1:])
        _spaced += 1
    try:
        yield
    finally:
        with _lock:
            _spaced -= 1
            if _spaced == 0:
                gc.set_threshold(*_thresholds)
