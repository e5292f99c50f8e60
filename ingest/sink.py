"""Where a streamed run's planned chunks go: into one transaction, into batches, or nowhere.

A run is planned chunk by chunk (a table's nodes, then its relationships a chunk at a time),
and each chunk's changes come here with their ledger entries. On a store whose transaction
holds any run (embedded), each chunk is written at once in the run's one transaction, held
by a process of its own when the bundle is large. On a store whose transactions are bounded
(Neo4j's heap), they are written in batches (:mod:`ingest.batches`). A dry run writes
nothing and keeps the ledger for its report.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TypeVar

from aimsgraph.graph.store.interface import PARTS, GraphStore, ReadTransaction, WriteTransaction
from aimsgraph.graph.store.records import ChangeSet, RelKey
from aimsgraph.graph.store.runs import RunRecord
from aimsgraph.ingest.draft import NodeDraft
from aimsgraph.ingest.ledger import Ledger
from aimsgraph.ingest.plan import Counts, Plan, Provenance, Wanted, plan_relationships
from aimsgraph.ingest.writer_process import WriterProcess

__all__ = ["Kept", "OneTransaction", "Sink", "WrittenApart"]

T = TypeVar("T")


class Sink(abc.ABC):
    """Takes a run's planned chunks, in the order they were planned."""

    #: Relationships resolved and planned at a time when this sink writes as it goes, if
    #: not the streamer's own (:data:`~ingest.stream.REL_CHUNK`).
    rel_chunk: int | None = None

    @abc.abstractmethod
    def write(self, plan: Plan) -> None:
        """Write (or gather) one planned chunk."""

    @abc.abstractmethod
    def flush(self) -> None:
        """Make every chunk taken so far visible to the run's own later reads."""

    @abc.abstractmethod
    def commit(self) -> None:
        """Record the run as it ends (succeeded, its counts set), with the last chunks."""

    def plan_nodes(self, nodes: Sequence[NodeDraft], prov: Provenance) -> bool:
        """Have ``nodes`` planned where they are written, if this sink can (what came of
        them is then asked of :meth:`planned`); False: the caller plans them."""
        return False

    def plan_relationships(self, wanted: Wanted, is_new: Callable[[RelKey], bool],
                           prov: Provenance, counted: bool) -> bool:
        """:meth:`plan_nodes` for relationships (:func:`~ingest.plan.plan_relationships`)."""
        return False

    def planned(self) -> tuple[Counts, Counts, bytes]:
        """What was given to :meth:`plan_nodes` and :meth:`plan_relationships` since last
        asked came to: the counts by label and by type, and one byte a node, in the order
        they were given: 1 if the store did not hold it."""
        return {}, {}, b""

    def settle(self) -> None:
        """Make every chunk taken so far visible to the run's later reads where that only
        means waiting for them (a sink holding the run's one transaction), so that the
        run's last checks see what it wrote; a sink that would have to commit them early
        leaves them, as they were left before :meth:`flush` too."""
        return None

    def abort(self, reason: str) -> bool:
        """Take back what was written outside the run's transaction, if anything; returns
        whether the run's record was written (as failed, with ``reason``)."""
        return False


class OneTransaction(Sink):
    """Each chunk written at once in ``tx``, the run's one transaction: all or none of it is
    committed, so nothing written here ever needs undoing."""

    def __init__(self, run: RunRecord, tx: WriteTransaction) -> None:
        self.run = run
        self.tx = tx
        self._entries = 0

    def write(self, plan: Plan) -> None:
        if not plan.changes:
            return
        self.tx.apply(plan.changes)
        self.tx.record_changes(self.run.run_id, plan.ledger, self._entries)
        self._entries += len(plan.ledger)

    def flush(self) -> None:
        """Nothing waits: each chunk was written in the transaction as it came."""

    def commit(self) -> None:
        self.tx.record_run(self.run)


class WrittenApart(Sink):
    """Each chunk sent at once to a process of its own that holds the run's one transaction
    on the store's file (:mod:`ingest.writer_process`): all or none of it is committed, so
    nothing written here ever needs undoing. The run's reads see the store as the run
    found it until :meth:`flush`, and what the run wrote from then on."""

    #: Smaller than the streamer's: the writer takes a chunk's parts while the next
    #: chunk's references are resolved, and neither waits as long for the other (10k
    #: embedded, nine runs in turns with 50,000: 0.92 of the time, median).
    rel_chunk = 20_000

    def __init__(self, run: RunRecord, store: GraphStore, path: Path) -> None:
        self.run = run
        self.store = store
        self._writer = WriterProcess(path)
        self._flushed = False
        #: What the parts planned here came to (:meth:`plan_relationships`).
        self._counts = Plan()

    def write(self, plan: Plan) -> None:
        if not plan.changes:
            return
        self._writer.write(plan.changes, plan.ledger, self.run.run_id)

    def plan_nodes(self, nodes: Sequence[NodeDraft], prov: Provenance) -> bool:
        """The writer plans them: in the run's transaction, with the core it would
        otherwise leave idle while tables are read and validated."""
        self._writer.plan_nodes(nodes, prov)
        return True

    def plan_relationships(self, wanted: Wanted, is_new: Callable[[RelKey], bool],
                           prov: Provenance, counted: bool) -> bool:
        """Each part planned by whichever process is ahead: the writer while nothing waits
        to be sent to it, else here (against the store as the run found it, as always
        until :meth:`flush`). Parts are planned and sent in order either way, so the ledger
        is the same whoever planned them; which one is ahead changes with the bundle and
        with the machine's other work."""
        items = list(wanted.items())
        for start in range(0, len(items), self._writer.PART):
            part = dict(items[start:start + self._writer.PART])
            if not self._writer.behind():
                self._writer.plan_relationships(part, is_new, prov, counted)
                continue
            plan = Plan()
            self.read(partial(plan_relationships, plan, part, prov=prov, is_new=is_new,
                              counted=counted))
            self._counts.add_counts(plan)
            self.write(plan)
        return True

    def planned(self) -> tuple[Counts, Counts, bytes]:
        nodes, relationships, new = self._writer.planned()
        here, self._counts = self._counts, Plan()
        here.add_counts(Plan(nodes=nodes, relationships=relationships))
        return here.nodes, here.relationships, new

    def read(self, work: Callable[[ReadTransaction], T]) -> T:
        """One of the run's reads: in a read transaction of the store, or once flushed in
        the writer's transaction."""
        if self._flushed:
            return work(self._writer.reads())
        return self.store.read_transaction(work)

    def flush(self) -> None:
        self._flushed = True

    def settle(self) -> None:
        self._flushed = True

    def commit(self) -> None:
        self._writer.commit(self.run)

    def close(self) -> None:
        """End the writer (what it holds is rolled back unless committed)."""
        self._writer.close()


class Kept(Sink):
    """A dry run: nothing is written; the ledger is kept for the report, and the changes
    too when asked (what a benchmark's baseline writes)."""

    def __init__(self, changes: bool = False) -> None:
        self.ledger = Ledger()
        self.changes = ChangeSet() if changes else None

    def write(self, plan: Plan) -> None:
        self.ledger.extend(plan.ledger)
        if self.changes is not None:
            for part in PARTS:
                getattr(self.changes, part).extend(getattr(plan.changes, part))

    def flush(self) -> None:
        """Nothing is written, so there is nothing to show."""

    def commit(self) -> None:
        """Nothing is recorded for a dry run."""
