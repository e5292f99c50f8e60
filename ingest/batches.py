"""A run written in batches, on a store whose transactions are bounded (Neo4j's heap).

The first chunks are written as they are planned, in a transaction held open while the rest
is read; a run that fits is committed as that transaction. A larger run is recorded as
running, written in batches of at most a transaction each, by threads of their own while
the next chunks are planned, each batch carrying its part of the run's ledger, and recorded
as succeeded last: a run that fails is undone from that ledger
(:func:`graph.store.undo.undo_run`), and one whose writer dies by the next command that opens
the store.
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from aimsgraph.graph.store import writer
from aimsgraph.graph.store.interface import PARTS, GraphStore, WriteTransaction, cut
from aimsgraph.graph.store.ledger_pages import Page, pages
from aimsgraph.graph.store.records import ChangeSet, NodeKey
from aimsgraph.graph.store.runs import RunRecord
from aimsgraph.graph.store.undo import undo_run
from aimsgraph.ingest.ledger import Ledger
from aimsgraph.ingest.plan import Plan
from aimsgraph.ingest.sink import Sink

__all__ = ["Batches", "Claim", "claim"]


class Batches(Sink):
    """Chunks gathered and written in transactions of at most the store's bound, by
    threads of their own while the next chunks are read and planned.

    The run is recorded as running before its first batch and as succeeded after its last
    (the marker that it is whole); a run that fails is undone from its own ledger
    (:func:`graph.store.undo.undo_run`), and one whose writer dies is undone by the next
    command that opens the store. A run that fits in one transaction is written in one.
    Each batch's ledger pages are packed here, while earlier batches are being written;
    batches of nodes alone, or of relationships alone, are written at once, up to the
    store's ``parallel_writes`` (:class:`Claim` says which may go together).

    The first chunks are written as they are planned, in a transaction held open while the
    run is planned (:class:`_Opening`): the server starts at once, not once a transaction's
    worth has been planned. It ends as the whole run when the run fits, else as its first
    batch, holding as many changes as one.
    """

    #: Changes gathered before they are cut into batches and handed on, once the first
    #: transaction has ended: what bounds the memory a run's pending writes take, with
    #: :data:`QUEUED` batches waiting to be written.
    GATHERED = 20_000
    QUEUED = 2

    def __init__(self, run: RunRecord, store: GraphStore) -> None:
        self.run = run
        self.store = store
        self.limit = store.max_transaction_changes or self.GATHERED
        self._pending: list[Plan] = []
        self._changes = 0
        self._entries = 0
        self._thread: _Writing | None = None
        self._opening: _Opening | None = None

    def write(self, plan: Plan) -> None:
        if self._thread is not None:
            self._thread.check()
        if not plan.changes:
            return
        if self._thread is None:
            if self._changes + len(plan.changes) <= self.limit:
                if self._opening is None:
                    self._opening = _Opening(self.store)
                self._opening.put(plan.changes, partial(
                    _record, self.run.run_id, plan.ledger, self._entries))
                self._entries += len(plan.ledger)
                self._changes += len(plan.changes)
                return
            self._start()
        self._pending.append(plan)
        self._changes += len(plan.changes)
        if self._changes >= max(self.GATHERED, self.limit):
            self._hand_on()

    def _hand_on(self) -> None:
        """The pending chunks, cut into batches, to the writing threads (started, and the
        run recorded as running, with the first)."""
        if not self._pending:
            return
        if self._thread is None:
            self._start()
        assert self._thread is not None
        for changes, ledger in _joined(self._pending):
            for part, entries, at in cut(changes, self.limit, ledger, self._entries):
                packed = list(pages(entries, at))
                self._thread.put(partial(self._write, part, packed), claim(part))
            self._entries += len(ledger)
        self._pending, self._changes = [], 0

    def _start(self) -> None:
        """Batches from now on: the run is recorded as running (undone if it never ends;
        the run itself may say how it is to end) with the first transaction's chunks, or
        before any batch when none were written, and that transaction ends before any
        batch is written."""
        self._thread = _Writing(self.store.parallel_writes, self.QUEUED)
        running = replace(self.run, outcome="running", ended_at=None, counts={})
        if self._opening is None:
            self.store.record_run(running)
        else:
            self._opening.end(running)
            self._thread.put(self._opened, None)
        self._changes = 0

    def _opened(self) -> None:
        """Wait for the first transaction to commit (batches follow it), then beat."""
        assert self._opening is not None
        self._opening.wait()
        writer.refresh(self.store, self.run.run_id)

    def _write(self, part: ChangeSet, packed: list[Page]) -> None:
        """One batch, and the writer's heartbeat once it is committed."""
        self.store.write_batch(part, self.run.run_id, packed)
        writer.refresh(self.store, self.run.run_id)

    def flush(self) -> None:
        if self._thread is None and self._opening is not None:
            self._start()  # its chunks are seen once it has committed
        self._hand_on()
        if self._thread is not None:
            self._thread.drain()

    def commit(self) -> None:
        if self._thread is None:  # the run fitted in its first transaction
            if self._opening is None:
                self.store.record_run(self.run)
            else:
                self._opening.end(self.run)
                self._opening.wait()
            return
        self.flush()
        self._thread.stop()
        self.store.record_run(self.run)

    def abort(self, reason: str) -> bool:
        self._pending = []
        if self._thread is None:
            if self._opening is not None:
                self._opening.end(None)
                self._opening.wait(raising=False)
            return False
        self._thread.stop()
        if self._opening is not None:  # what it wrote is undone with the rest
            self._opening.wait(raising=False)
        undo_run(self.store, self.run, reason)
        return True


def _record(run_id: str, ledger: Ledger, first: int, tx: WriteTransaction) -> None:
    """A chunk's ledger entries, numbered from ``first``, recorded in ``tx``."""
    tx.record_changes(run_id, ledger, first)


class _Opening:
    """A run's first transaction, held open by a thread of its own while the run is planned:
    each chunk is written as soon as it comes, and the transaction ends as the caller says
    (committed with a record of the run, or rolled back). A retried transaction writes the
    chunks again from the start."""

    _ROLLBACK = object()

    def __init__(self, store: GraphStore) -> None:
        self._store = store
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._taken: list[tuple[ChangeSet, Callable[[WriteTransaction], None]]] = []
        self._ending: Any = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="aimsgraph-writer-first",
                                        daemon=True)
        self._thread.start()

    def put(self, changes: ChangeSet, record: Callable[[WriteTransaction], None]) -> None:
        """Write ``changes`` and then ``record`` their ledger entries, in the transaction."""
        if self._error is not None:
            self.wait()
        self._queue.put((changes, record))

    def end(self, run: RunRecord | None) -> None:
        """Commit with ``run`` recorded as it stands (None: roll back); returns at once."""
        self._queue.put(self._ROLLBACK if run is None else run)

    def wait(self, raising: bool = True) -> None:
        """Wait until the transaction has ended; raise what ending it raised, if it was
        to be committed."""
        self._thread.join()
        if raising and self._error is not None:
            raise self._error

    def _run(self) -> None:
        try:
            self._store.write_transaction(self._work)
        except _RolledBack:
            pass
        except BaseException as exc:  # raised to the planning thread by put or wait
            self._error = exc

    def _work(self, tx: WriteTransaction) -> None:
        for changes, record in self._taken:
            tx.apply(changes)
            record(tx)
        while self._ending is None:
            item = self._queue.get()
            if isinstance(item, tuple):
                self._taken.append(item)
                tx.apply(item[0])
                item[1](tx)
            else:
                self._ending = item
        if self._ending is self._ROLLBACK:
            raise _RolledBack
        tx.record_run(self._ending)


class _RolledBack(Exception):
    """Raised in the first transaction to roll it back."""


@dataclass(frozen=True)
class Claim:
    """What a batch touches, which decides what may be written beside it: the ``nodes`` it
    writes, or (``joins``) those its relationships join. Batches of relationships alone
    may be written beside each other: their keys are the run's own, each written once, so
    they only contend for locks, which the server arbitrates (a deadlock is retried).
    Anything else beside a batch must not touch its nodes: a relationship waits until the
    batch writing its ends has committed."""

    nodes: frozenset[NodeKey]
    joins: bool = False

    def beside(self, other: Claim) -> bool:
        """Whether this batch may be written while ``other`` is."""
        return (self.joins and other.joins) or self.nodes.isdisjoint(other.nodes)


def claim(part: ChangeSet) -> Claim | None:
    """What a batch of nodes alone, or of relationships alone, touches; None for one that
    removes anything or mixes the two, which is written by itself."""
    if part.remove_rels or part.remove_nodes or (part.upsert_nodes and part.upsert_rels):
        return None
    if part.upsert_rels:
        return Claim(frozenset(end for rel in part.upsert_rels for end in (rel.start, rel.end)),
                     joins=True)
    return Claim(frozenset(node.key for node in part.upsert_nodes))


class _Writing:
    """Threads writing the batches handed to them in the order handed, except that a batch
    may start while earlier ones are being written when its :class:`Claim` allows it beside
    each of them: a batch starts when nothing in flight is written by itself and each batch
    in flight may be written beside it.
    Once one fails, or the run is stopped, nothing more is written; what it raised is
    raised again (once) by the next call that hands work on or waits for it."""

    def __init__(self, workers: int, queued: int) -> None:
        self._ready = threading.Condition()
        self._waiting: deque[tuple[Callable[[], Any], Claim | None]] = deque()
        self._flying: list[Claim | None] = []
        self._queued = queued
        self._error: BaseException | None = None
        self._raised = False
        self._stopped = False
        self._threads = [threading.Thread(target=self._run, name=f"aimsgraph-writer-{n}",
                                          daemon=True) for n in range(max(1, workers))]
        for thread in self._threads:
            thread.start()

    def _may_start(self, claimed: Claim | None) -> bool:
        if not self._flying:
            return True
        return claimed is not None and all(other is not None and claimed.beside(other)
                                           for other in self._flying)

    def _run(self) -> None:
        while True:
            with self._ready:
                while not self._stopped and not (
                        self._waiting and self._may_start(self._waiting[0][1])):
                    self._ready.wait()
                if self._stopped:
                    return
                work, claimed = self._waiting.popleft()
                self._flying.append(claimed)
                self._ready.notify_all()
            try:
                work()
            except BaseException as exc:  # handed to the thread that waits for it
                with self._ready:
                    self._error = self._error or exc
                    self._waiting.clear()
            finally:
                with self._ready:
                    self._flying.pop(next(i for i, k in enumerate(self._flying) if k is claimed))
                    self._ready.notify_all()

    def check(self) -> None:
        if self._error is not None and not self._raised:
            self._raised = True
            raise self._error

    def put(self, work: Callable[[], Any], claimed: Claim | None) -> None:
        """Hand on a batch (``claimed``: what it touches, as :func:`claim` gives it); waits
        while :data:`Batches.QUEUED` are waiting already."""
        self.check()
        with self._ready:
            while len(self._waiting) >= self._queued and self._error is None:
                self._ready.wait()
            if self._error is None:
                self._waiting.append((work, claimed))
                self._ready.notify_all()
        self.check()

    def drain(self) -> None:
        """Wait until every batch handed on is written; raise what writing one raised."""
        with self._ready:
            while self._waiting or self._flying:
                self._ready.wait()
        self.check()

    def stop(self) -> None:
        """Write nothing more and wait for the threads to end (once the batches being
        written are)."""
        with self._ready:
            self._stopped = True
            self._waiting.clear()
            self._ready.notify_all()
        for thread in self._threads:
            thread.join()


def _joined(plans: list[Plan]) -> list[tuple[ChangeSet, Ledger]]:
    """``plans`` joined into as few change sets as keep each ledger in the order its
    changes are applied (nodes, relationships, removals)."""
    joined: list[tuple[ChangeSet, Ledger]] = []
    last = len(PARTS)
    for plan in plans:
        ranks = [i for i, part in enumerate(PARTS) if getattr(plan.changes, part)]
        if not ranks:
            continue
        if not joined or ranks[0] < last:
            joined.append((ChangeSet(), Ledger()))
        changes, ledger = joined[-1]
        for part in PARTS:
            getattr(changes, part).extend(getattr(plan.changes, part))
        ledger.extend(plan.ledger)
        last = ranks[-1]
    return joined
