"""One ingestion run: read -> validate -> plan -> write -> record, streamed table by table.

The bundle streams through (:mod:`ingest.stream`): each table is validated as it is read and
its nodes planned and written; relationships follow a chunk at a time once every table is
read. Planning reads the store. A run that writes first takes the store's writer lease
(:mod:`graph.store.writer`: one ingest at a time, from any process; a second is refused with
a message naming the first), so nothing another ingest does can change what it planned
against. On the embedded store the whole run is one transaction, held for a large bundle by
a process of its own that writes while the rest is read and planned
(:mod:`ingest.writer_process`). On a
store whose transactions are bounded (``GraphStore.max_transaction_changes``, Neo4j's heap)
it plans in read transactions and writes as it plans, in one transaction while the run fits
in one, then in batches that each carry their part of the run's ledger (:mod:`ingest.batches`),
that first transaction the first of them: the run is recorded as running first and as
succeeded last, a failure part-way (an issue found in a later table included) is undone
from the ledger, and a writer that died part-way is undone by the next
command that opens the store (:mod:`graph.store.undo`). While such a run writes, readers may
see the batches it has committed; they see the whole run, or none of it, once it has ended.

All or nothing: any issue anywhere in the bundle, and nothing is written. The run is recorded
whatever its outcome (dry runs write nothing, their record included).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aimsgraph.graph.store import writer
from aimsgraph.graph.store.collector import collector_paused
from aimsgraph.graph.store.interface import GraphStore, ReadTransaction, WriteTransaction
from aimsgraph.graph.store.runs import Change, RunRecord
from aimsgraph.ingest.batches import Batches
from aimsgraph.ingest.plan import Provenance
from aimsgraph.ingest.readers import Bundle, ReadLimits, UploadedBundle, printable
from aimsgraph.ingest.sink import Kept, OneTransaction, Sink, WrittenApart
from aimsgraph.ingest.stream import Reading, Streamer, plan_whole
from aimsgraph.ontology import BundleError, BundleIssue
from aimsgraph.ontology.values import ill_formed, well_formed

__all__ = ["IngestReport", "Progress", "ingest_bundle", "new_run_id"]

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass
class IngestReport:
    """What a run did (or, for a dry run, would do)."""

    run_id: str
    bundle: str
    dry_run: bool
    sync: str | None
    outcome: str
    changes: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    errors: list[BundleIssue] = field(default_factory=list)
    warnings: list[BundleIssue] = field(default_factory=list)
    #: How many warnings there were: at most BundleError.MAX_REPORTED are listed, as errors.
    warnings_total: int = 0
    #: A dry run's change ledger: what the run would create, update and remove.
    planned: list[Change] = field(default_factory=list)

    @property
    def changed(self) -> int:
        """How many nodes and relationships the run created, updated or removed (0: the
        graph already held the bundle as it is)."""
        return sum(counts.get(action, 0) for table in self.changes.values()
                   for counts in table.values() for action in ("created", "updated", "removed"))

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id, "bundle": self.bundle, "dry_run": self.dry_run,
            "sync": self.sync, "outcome": self.outcome, "changes": self.changes,
            "changed": self.changed,
            "planned": [c.to_json() for c in self.planned],
            "errors": [e.to_json() for e in self.errors],
            "warnings": [w.to_json() for w in self.warnings],
            "warnings_total": max(self.warnings_total, len(self.warnings)),
        }



#: Bundles of at least this many bytes are written by a process of their own on a store kept
#: in one file (:mod:`ingest.writer_process`): starting one, a Python interpreter, takes about
#: 0.1 s, more than a smaller bundle's writing would save.
APART = 1_000_000


def _size(source: Path | str | UploadedBundle | Bundle) -> int:
    """About how many bytes ``source`` holds (0 when it cannot tell at once)."""
    if isinstance(source, Bundle):
        return sum(len(table.rows) for table in source.tables) * 100  # a row's bytes, about
    if isinstance(source, UploadedBundle):
        try:
            return os.fstat(source.file.fileno()).st_size
        except (AttributeError, OSError, ValueError):
            return 0
    try:
        root = Path(source)
        if root.is_dir():
            return sum(member.stat().st_size for member in root.rglob("*") if member.is_file())
        return root.stat().st_size
    except OSError:
        return 0  # reading it says what is wrong


def new_run_id(now: dt.datetime) -> str:
    """Sortable and unique: the UTC start time plus random hex."""
    return f"{now:%Y%m%dT%H%M%SZ}-{secrets.token_hex(4)}"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def ingest_bundle(store: GraphStore, path: Path | str | UploadedBundle | Bundle, *,
                  dry_run: bool = False, sync: str | None = None,
                  limits: ReadLimits | None = None, progress: Progress | None = None,
                  strict: bool = False, source: str | None = None) -> IngestReport:
    """Ingest the bundle at ``path`` (or uploaded as a stream, or already read into tables
    by an ingestion job's source) into ``store``; ``strict`` rejects a bundle that would
    only draw warnings (a skipped file, an undeclared column); ``source`` names the run's
    source (a job's name) instead of the bundle's.

    Raises :class:`BundleError` listing every issue when the bundle is rejected (after
    recording the failed run); store errors propagate as :class:`StoreError`.
    """
    with collector_paused():  # a run's indexes and plans hold no cycles to look for
        return _ingest(store, path, dry_run, sync, limits, progress, strict, source)


def _ingest(store: GraphStore, path: Path | str | UploadedBundle | Bundle, dry_run: bool,
            sync: str | None, limits: ReadLimits | None, progress: Progress | None,
            strict: bool, source: str | None) -> IngestReport:
    step = progress or (lambda _stage: None)
    started = _now()
    run_id = new_run_id(started)
    name = printable(path.name if isinstance(path, UploadedBundle | Bundle)
                     else Path(path).name)
    sync_problem = ill_formed(sync) if sync else None
    if sync is not None and sync_problem:
        sync = well_formed(sync)  # the run is recorded, and refused, under a name it can keep
    run = RunRecord(run_id, sync or source or name, name, started, sync=sync is not None)
    prov = Provenance(run_id, started, sync)

    def streamer() -> Streamer:
        """A new streamer for each attempt (a store may run a transaction's work again)."""
        made = Streamer(prov, strict, not dry_run, step)
        if sync_problem:
            made.draft.issues.append(BundleIssue("--sync", "", "sync",
                                                 f"the sync source {sync_problem}"))
        return made

    step("reading")
    if dry_run:
        def plan_only(tx: ReadTransaction) -> tuple[Streamer, Kept]:
            made = streamer()
            return made, plan_whole(made, path, limits, tx)
        streamed, kept = store.read_transaction(plan_only)
        planned = list(kept.ledger)
    else:
        writer.acquire(store, run_id, run.source)  # StoreBusyError while another writes
        try:
            if store.max_transaction_changes is not None:
                streamed = _in_batches(store, run, streamer(), path, limits)
            elif store.path is not None and _size(path) >= APART:
                streamed = _written_apart(store, store.path, run, streamer(), path, limits)
            else:
                streamed = _in_one_transaction(store, run, streamer, path, limits)
        finally:
            writer.release(store, run_id)
        planned = []
    issues = streamed.issues()
    if issues:
        error = BundleError(issues)
        if not dry_run and run.outcome != "failed":
            _record_failure(store, run, error)
        raise error
    warnings, total = streamed.warnings()
    report = IngestReport(run_id, name, dry_run, sync, "dry_run" if dry_run else "succeeded",
                          streamed.totals.summary(),
                          warnings=warnings[:BundleError.MAX_REPORTED],
                          warnings_total=total, planned=planned)
    if not dry_run:
        log.info("ingestion run %s of %s succeeded", run_id, name)
    return report


class _Rejected(Exception):
    """Raised inside the run's transaction to roll it back: the bundle has issues."""

    def __init__(self, streamed: Streamer) -> None:
        super().__init__("the bundle has issues")
        self.streamed = streamed


def _within(tx: ReadTransaction) -> Reading[Any]:
    """Every read of a run in its one transaction ``tx``."""
    return lambda work: work(tx)


def _in_one_transaction(store: GraphStore, run: RunRecord, streamer: Callable[[], Streamer],
                        path: Path | str | UploadedBundle | Bundle,
                        limits: ReadLimits | None) -> Streamer:
    """The whole run in one write transaction, committed only when it has no issue."""
    def whole(tx: WriteTransaction) -> Streamer:
        streamed = streamer()
        sink = OneTransaction(run, tx)
        streamed.stream(path, limits, _within(tx), sink)
        if streamed.failed():
            raise _Rejected(streamed)
        streamed.step("writing")
        _finish(run, "succeeded", streamed)
        sink.commit()
        return streamed
    try:
        return store.write_transaction(whole)
    except _Rejected as rejected:
        return rejected.streamed


def _written_apart(store: GraphStore, file: Path, run: RunRecord, streamed: Streamer,
                   path: Path | str | UploadedBundle | Bundle,
                   limits: ReadLimits | None) -> Streamer:
    """The whole run in one transaction on the store's file at ``file``, held by a writer
    process (:class:`WrittenApart`) and committed only when the run has no issue."""
    sink = WrittenApart(run, store, file)
    try:
        streamed.stream(path, limits, sink.read, sink)
        if streamed.failed():
            return streamed
        streamed.step("writing")
        _finish(run, "succeeded", streamed)
        sink.commit()
    finally:
        sink.close()
    return streamed


def _in_batches(store: GraphStore, run: RunRecord, streamed: Streamer,
                path: Path | str | UploadedBundle | Bundle,
                limits: ReadLimits | None) -> Streamer:
    """The run planned in read transactions and written in batches (:class:`Batches`);
    a failure part-way, or an issue found after batches were written, is undone."""
    sink = Batches(run, store)
    try:
        streamed.stream(path, limits, store.read_transaction, sink)
    except BaseException as exc:
        _undo(sink, run, f"the write failed part-way and what it wrote was undone: {exc}")
        raise
    if streamed.failed():  # recorded as failed here if batches were written and undone
        _undo(sink, run, "the bundle has issues; what its first batches wrote was undone",
              BundleError(streamed.issues()))
        return streamed
    streamed.step("writing")
    _finish(run, "succeeded", streamed)
    try:
        sink.commit()
    except BaseException as exc:
        _undo(sink, run, f"the write failed part-way and what it wrote was undone: {exc}")
        raise
    return streamed


def _undo(sink: Sink, run: RunRecord, reason: str, error: BundleError | None = None) -> bool:
    """Take back what ``sink`` wrote; returns whether the run was recorded as failed."""
    if error is not None:
        run.errors = _errors(error)
    run.ended_at = _now()
    return sink.abort(reason)


def _errors(error: BundleError) -> list[str]:
    errors = [str(i) for i in error.issues]
    if error.omitted:
        errors.append(error.more())
    return errors


def _record_failure(store: GraphStore, run: RunRecord, error: BundleError) -> None:
    run.ended_at, run.outcome = _now(), "failed"
    run.errors = _errors(error)
    store.record_run(run)


def _finish(run: RunRecord, outcome: str, streamed: Streamer) -> None:
    run.ended_at, run.outcome = _now(), outcome
    run.counts = _flat_counts(streamed.totals.summary())


def _flat_counts(changes: dict[str, dict[str, dict[str, int]]]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for table in changes.values():
        for name, actions in table.items():
            counts[name] = dict(actions)
    return counts
