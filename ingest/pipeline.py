"""One ingestion run: read -> validate -> plan -> write -> record.

Planning reads the store. A run that writes first takes the store's writer lease
(:mod:`graph.store.writer`: one ingest at a time, from any process; a second is refused with
a message naming the first), so nothing another ingest does can change what it planned
against. On the embedded store it plans and writes in one transaction. On a store whose
transactions are bounded (``GraphStore.max_transaction_changes``, Neo4j's heap) it plans in a
read transaction, then writes in one transaction when the plan fits, else in batches that
each carry their part of the run's ledger: the run is recorded as running first and as
succeeded last, a failure part-way is undone from the ledger before it is raised, and a
writer that died part-way is undone by the next command that opens the store
(:mod:`graph.store.undo`). While such a run writes, readers may see the batches it has
committed; they see the whole run, or none of it, once it has ended.

All or nothing: any issue anywhere in the bundle, and nothing is written. The run is recorded
whatever its outcome (dry runs write nothing, their record included).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aimsgraph.graph.store import writer
from aimsgraph.graph.store.interface import GraphStore, ReadTransaction, WriteTransaction
from aimsgraph.graph.store.runs import Change, RunRecord
from aimsgraph.graph.store.undo import undo_run
from aimsgraph.ingest.plan import Plan, Provenance, make_plan
from aimsgraph.ingest.readers import (
    Bundle,
    ReadLimits,
    UploadedBundle,
    printable,
    read_bundle,
)
from aimsgraph.ingest.validate import validate
from aimsgraph.ontology import BundleError, BundleIssue, IssueLog
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
    step = progress or (lambda _stage: None)
    started = _now()
    run_id = new_run_id(started)
    name = printable(path.name if isinstance(path, UploadedBundle | Bundle)
                     else Path(path).name)
    sync_problem = ill_formed(sync) if sync else None
    if sync is not None and sync_problem:
        sync = well_formed(sync)  # the run is recorded, and refused, under a name it can keep
    run = RunRecord(run_id, sync or source or name, name, started, sync=sync is not None)
    step("reading")
    bundle = path if isinstance(path, Bundle) else read_bundle(path, limits)
    if sync_problem:
        bundle.issues.append(BundleIssue("--sync", "", "sync", f"the sync source {sync_problem}"))
    rows = sum(len(table.rows) for table in bundle.tables)
    step(f"validating {rows:,} rows of {len(bundle.tables)} files")
    draft = validate(bundle, strict)
    del bundle  # the draft holds all that planning needs; a large bundle's rows can go
    prov = Provenance(run_id, started, sync)
    step(f"planning {len(draft.nodes):,} nodes and {len(draft.rels):,} relationships")

    def plan_only(tx: ReadTransaction) -> Plan:
        return make_plan(draft, tx, prov)

    def plan_and_write(tx: WriteTransaction) -> Plan:
        planned = make_plan(draft, tx, prov)
        if not planned.issues:
            step("writing")
            _write_whole(tx, run, planned)
        return planned

    if dry_run or draft.issues:
        plan = store.read_transaction(plan_only)
    else:
        writer.acquire(store, run_id, run.source)  # StoreBusyError while another writes
        try:
            if store.max_transaction_changes is None:
                plan = store.write_transaction(plan_and_write)
            else:
                plan = store.read_transaction(plan_only)  # under the lease: nothing moves
                if not plan.issues:
                    step("writing")
                    _write(store, run, plan)
        finally:
            writer.release(store, run_id)
    issues = IssueLog(draft.issues)
    issues.extend(plan.issues)
    if issues:
        error = BundleError(issues)
        if not dry_run:
            run.ended_at, run.outcome = _now(), "failed"
            run.errors = [str(i) for i in error.issues]
            if error.omitted:
                run.errors.append(error.more())
            store.record_run(run)
        raise error
    report = IngestReport(run_id, name, dry_run, sync, "dry_run" if dry_run else "succeeded",
                          plan.summary(),
                          warnings=draft.warnings[:BundleError.MAX_REPORTED],
                          warnings_total=len(draft.warnings)
                          + getattr(draft.warnings, "dropped", 0),
                          planned=list(plan.ledger) if dry_run else [])
    if not dry_run:
        log.info("ingestion run %s of %s succeeded", run_id, name)
    return report


def _write_whole(tx: WriteTransaction, run: RunRecord, plan: Plan) -> None:
    """The data, its ledger and the run's record in one transaction: all or none."""
    tx.apply(plan.changes)
    tx.record_changes(run.run_id, plan.ledger)
    _finish(run, "succeeded", plan)
    tx.record_run(run)


def _write(store: GraphStore, run: RunRecord, plan: Plan) -> None:
    """Write a planned run on a store whose transactions are bounded: in one transaction
    when it fits, else in batches that each carry their ledger, the run recorded as running
    first and as succeeded last (the marker that it is whole). A failure part-way is undone
    from the run's own ledger before it is raised (:mod:`graph.store.undo`); a writer that
    dies part-way is undone by the next command that opens the store."""
    limit = store.max_transaction_changes
    if limit is None or len(plan.changes) <= limit:
        store.write_transaction(lambda tx: _write_whole(tx, run, plan))
        return
    store.record_run(run)
    try:
        store.apply_in_batches(plan.changes, limit, run.run_id, plan.ledger,
                               after_batch=lambda: writer.refresh(store, run.run_id))
    except BaseException as exc:
        undo_run(store, run, f"the write failed part-way and what it wrote was undone: {exc}")
        raise
    _finish(run, "succeeded", plan)
    store.record_run(run)


def _finish(run: RunRecord, outcome: str, plan: Plan) -> None:
    run.ended_at, run.outcome = _now(), outcome
    run.counts = _flat_counts(plan.summary())


def _flat_counts(changes: dict[str, dict[str, dict[str, int]]]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for table in changes.values():
        for name, actions in table.items():
            counts[name] = dict(actions)
    return counts
