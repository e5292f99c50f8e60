"""The cyclic garbage collector held back while large acyclic structures are built.

Python's collector walks every container it tracks each time enough of them were made: while
a graph of 85,000 nodes is built that is 40% of the build, and while a bundle of 250,000 rows
is ingested a fifth of the run (0.6 s of an embedded 10k ingest, 0.8-1.1 s of the client's
CPU in one into Neo4j, where the client shares the machine's cores with the server), and it
finds nothing: plans, indexes and views hold no cycles, and reference counting frees them.

:func:`collector_paused` stops it for such work: a view, a report, an ingest. What cycles
the work leaves are its own (a run's streamer and transaction) or few and small (the Neo4j
driver keeps each query's result in a cycle, about 55 objects once the query's rows are
given back, :meth:`~graph.store.neo4j_tx.DriverTransaction.apply`), and the first walk once
the work ends frees them. Pauses are counted, so threads that overlap (requests of the API)
give the collector back only when the last of them is done.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]

_lock = threading.Lock()
_paused = 0
_was_enabled = True


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
