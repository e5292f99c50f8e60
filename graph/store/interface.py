"""The ``GraphStore`` interface that both stores implement.

Storage only: batch reads by key (what ingestion needs to plan), one write primitive
(:meth:`WriteTransaction.apply` of a :class:`ChangeSet`), counts, the run records and their
change ledger, whole and lazy views, raw access for the doctor, and (where the store speaks
it) a Cypher reader. The questions asked of a store live above it
(:mod:`graph.questions`). Constructors do no I/O; :meth:`GraphStore.open` connects.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from aimsgraph.graph.store.lazy_view import LazyView
from aimsgraph.graph.store.ledger_pages import Page, pages
from aimsgraph.graph.store.records import ChangeSet, NodeKey, NodeRecord, RelKey, RelRecord, Stats
from aimsgraph.graph.store.runs import Change, RunRecord
from aimsgraph.graph.store.view import GraphView
from aimsgraph.ontology import NotFoundError, StoreError

if TYPE_CHECKING:
    from aimsgraph.graph.store.integrity import StoreIntegrity

__all__ = ["PARTS", "CypherReader", "GraphStore", "ReadTransaction", "WriteTransaction", "cut"]

T = TypeVar("T")


#: The order :func:`cut` writes a change set's parts in (and the order a plan's ledger
#: lists them in).
PARTS = ("upsert_nodes", "upsert_rels", "remove_rels", "remove_nodes")


def cut(changes: ChangeSet, size: int, ledger: Sequence[Change] = (), first: int = 0
        ) -> Iterator[tuple[ChangeSet, Sequence[Change], int]]:
    """``changes`` as batches of at most ``size``, each with its entries of ``ledger`` (one
    per change, in this order) and the number of its first: nodes first, then
    relationships, then removals, so every batch finds the nodes it joins."""
    done = 0
    for name in PARTS:
        items = getattr(changes, name)
        for start in range(0, len(items), size):
            part = ChangeSet()
            getattr(part, name).extend(items[start:start + size])
            yield part, ledger[done:done + len(part)] if ledger else (), first + done
            done += len(part)


class CypherReader(Protocol):
    """Read queries in Cypher, offered by a store that speaks it (:meth:`GraphStore.cypher`).

    Values are parameters, never text in the query; the answers are plain Python values.
    """

    #: How many reads the server is given at once when the caller has several to ask.
    parallel_reads: int

    def query(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        """The records of a read, a dict each (a few rows: traces, counts)."""

    def rows(self, cypher: str, columns: tuple[str, ...], **params: Any
             ) -> list[dict[str, Any]]:
        """:meth:`query` for a read that may return many rows, ``columns`` naming what its
        RETURN gives."""

    def plain_rows(self, cypher: str, columns: tuple[str, ...], **params: Any
                   ) -> list[dict[str, Any]]:
        """:meth:`rows` for rows known to hold only text, numbers, lists and maps (the
        values are not converted: a gap run's hundred thousand findings read faster)."""


class ReadTransaction(abc.ABC):
    """Consistent reads inside one store transaction."""

    @abc.abstractmethod
    def get_nodes(self, label: str, ids: Iterable[str]) -> dict[str, NodeRecord]:
        """The stored nodes of ``label`` among ``ids``, by id (missing ids are absent)."""

    @abc.abstractmethod
    def labels_by_id(self, ids: Iterable[str],
                     among: Iterable[str] | None = None) -> dict[str, set[str]]:
        """For each id that exists under any label (any of ``among``, when given), the
        primary labels it exists under."""

    @abc.abstractmethod
    def lease(self) -> str | None:
        """The writer lease as stored (:mod:`graph.store.writer`), None when no writer holds
        it; in a write transaction, read holding what makes concurrent lease changes wait."""

    @abc.abstractmethod
    def requirements_by_urn(self, urns: Iterable[str]) -> dict[str, str]:
        """The id of each stored Requirement whose ``urn`` is among ``urns``, by urn: how a
        library's mapping set names the requirements of a framework read in an earlier run."""

    @abc.abstractmethod
    def get_relationships(self, keys: Iterable[RelKey]) -> dict[RelKey, RelRecord]:
        """The stored relationships among ``keys`` (missing keys are absent)."""

    @abc.abstractmethod
    def targets(self, rel_type: str, starts: Iterable[NodeKey]) -> dict[NodeKey, set[NodeKey]]:
        """For each of ``starts``, the nodes its ``rel_type`` relationships lead to."""

    @abc.abstractmethod
    def owned_by(self, sync_source: str) -> tuple[list[NodeKey], list[RelKey]]:
        """Keys of the nodes and relationships whose ``sync_source`` is ``sync_source``."""

    @abc.abstractmethod
    def attached(self, nodes: Iterable[NodeKey]) -> list[RelRecord]:
        """Every relationship that starts or ends at one of ``nodes`` (what removing them
        removes with them)."""


class WriteTransaction(ReadTransaction):
    """Reads plus the one write primitive; committed on clean exit, rolled back on error."""

    @abc.abstractmethod
    def apply(self, changes: ChangeSet) -> None:
        """Apply ``changes``: upserts first, then relationship and (detaching) node removals."""

    @abc.abstractmethod
    def record_run(self, run: RunRecord) -> None:
        """Insert or replace the record of an ingestion run in this transaction, so that data
        and the record of the run that wrote it are committed together or not at all."""

    def record_changes(self, run_id: str, changes: Sequence[Change], first: int = 0) -> None:
        """Add entries to a run's change ledger, numbered from ``first``, in this transaction
        (with the data they describe)."""
        self.record_pages(run_id, pages(changes, first))

    @abc.abstractmethod
    def record_pages(self, run_id: str, packed: Iterable[Page]) -> None:
        """Add pages of a run's change ledger (:mod:`graph.store.ledger_pages`), packed
        already: a writer packs them while the previous batch is being written."""

    @abc.abstractmethod
    def forget_changes(self, run_id: str) -> None:
        """Delete a run's change ledger (once what it describes is undone)."""

    @abc.abstractmethod
    def set_lease(self, text: str | None) -> None:
        """Store the writer lease (None: release it)."""


class GraphStore(abc.ABC):
    """A place the governance graph is kept. Use as a context manager, or open()/close()."""

    name: str = "store"
    #: Above this many changes a write is split into several transactions (None: never).
    max_transaction_changes: int | None = None
    #: How many such transactions may be written at once, each in a session of its own:
    #: those writing nodes alone when no two write the same node, those writing
    #: relationships alone beside each other (:class:`ingest.batches.Claim`).
    parallel_writes: int = 1
    #: The one file the store is kept in, if it is: an ingest then writes it from a
    #: process of its own (:mod:`ingest.writer_process`).
    path: Path | None = None

    @abc.abstractmethod
    def open(self) -> None:
        """Connect, create the schema if needed and install the requirement catalogue."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release connections; safe to call twice."""

    @abc.abstractmethod
    def read(self) -> AbstractContextManager[ReadTransaction]:
        """A read transaction."""

    @abc.abstractmethod
    def write(self) -> AbstractContextManager[WriteTransaction]:
        """A write transaction holding the store's write lock until it ends."""

    def read_transaction(self, work: Callable[[ReadTransaction], T]) -> T:
        """Run ``work`` in a read transaction (a store may retry it on transient errors)."""
        with self.read() as tx:
            return work(tx)

    def write_transaction(self, work: Callable[[WriteTransaction], T]) -> T:
        """Run ``work`` in a write transaction, committed when it returns.

        A store may run ``work`` again after a transient failure (the Neo4j driver's managed
        transactions do), so ``work`` must read what it needs inside the transaction.
        """
        with self.write() as tx:
            return work(tx)

    def write_batch(self, changes: ChangeSet, run_id: str, packed: Sequence[Page]) -> None:
        """One transaction of a run written in several: ``changes`` and the ledger pages
        that describe them."""
        def write(tx: WriteTransaction) -> None:
            tx.apply(changes)
            if packed:
                tx.record_pages(run_id, packed)
        self.write_transaction(write)

    def apply_in_batches(self, changes: ChangeSet, size: int, run_id: str = "",
                         ledger: Sequence[Change] = (), first: int = 0) -> None:
        """Apply ``changes`` in several write transactions of at most ``size`` changes each
        (:func:`cut`). Not atomic by itself: ``ledger`` (one entry per change, in that
        order) is recorded for ``run_id`` with the batch it describes, so a run that fails
        part-way has the ledger of what it wrote, and :func:`graph.store.undo.undo_run`
        takes it back. ``first`` numbers the first entry (a run written in several calls).
        """
        if ledger and len(ledger) != len(changes):
            raise StoreError("a ledger must have one entry per change")
        for part, entries, at in cut(changes, size, ledger, first):
            self.write_batch(part, run_id, list(pages(entries, at)))

    @abc.abstractmethod
    def sent_reminders(self, keys: Iterable[str]) -> set[str]:
        """Those of ``keys`` recorded as sent (a reminder of one item at one stage to one
        person by one channel): kept in the store, so a restart sends nothing twice."""

    @abc.abstractmethod
    def record_reminders(self, keys: Iterable[str], sent_at: str) -> None:
        """Record reminders as sent."""

    def running_runs(self) -> list[RunRecord]:
        """Runs recorded as running: at work now, or stopped part-way."""
        return [r for r in self.runs(1_000_000) if r.outcome == "running"]

    @abc.abstractmethod
    def stats(self) -> Stats:
        """Node counts per label and relationship counts per type."""

    @abc.abstractmethod
    def generation(self) -> str:
        """A token that changes with every committed data write, from any process: answers
        computed at one generation stay right until it changes."""

    def record_run(self, run: RunRecord) -> None:
        """Insert or replace the record of an ingestion run, in a transaction of its own."""
        self.write_transaction(lambda tx: tx.record_run(run))

    @abc.abstractmethod
    def runs(self, limit: int = 50) -> list[RunRecord]:
        """The most recent run records, newest first."""

    @abc.abstractmethod
    def changes(self, run_id: str, offset: int = 0, limit: int = 100) -> tuple[int, list[Change]]:
        """A page of a run's change ledger in the order it was planned, and its whole size."""

    def run(self, run_id: str) -> RunRecord | None:
        """The record of one run, None when it was never recorded."""
        return next((r for r in self.runs(1_000_000) if r.run_id == run_id), None)

    def run_changes(self, run_id: str, offset: int = 0,
                    limit: int = 100) -> tuple[int, list[Change]]:
        """:meth:`changes`, with NotFoundError for a run that was never recorded (a run that
        changed nothing has an empty ledger)."""
        total, page = self.changes(run_id, offset, limit)
        if not total and self.run(run_id) is None:
            raise NotFoundError(f"no ingestion run '{run_id}'")
        return total, page

    @abc.abstractmethod
    def iter_nodes(self) -> Iterator[NodeRecord]:
        """Every node (for whole-graph views and exports)."""

    @abc.abstractmethod
    def iter_relationships(self) -> Iterator[RelRecord]:
        """Every relationship."""

    @abc.abstractmethod
    def view(self) -> GraphView:
        """The whole graph in memory, for whole-graph work (every gap check, the overview)."""

    def cypher(self) -> CypherReader | None:
        """The store's Cypher, for questions that have a Cypher twin; None for a store that
        answers by walking its views (the question layer then walks them in Python)."""
        return None

    @abc.abstractmethod
    def integrity(self) -> StoreIntegrity:
        """Raw access to the stored texts and keys, for examining and mending the store
        (``aimsgraph doctor``)."""

    @abc.abstractmethod
    def lazy_view(self) -> LazyView:
        """A view that reads only what is asked of it (traces, entities, pages, the SoA).

        The caller closes it (:meth:`LazyView.close`) when its question is answered.
        """

    def __enter__(self) -> GraphStore:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
