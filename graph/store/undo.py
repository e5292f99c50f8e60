"""Undoing a run from its own change ledger: what makes an ingest written in several
transactions all or nothing.

Each batch of a large ingest writes its data and the ledger entries that describe it in one
transaction, and the run is marked succeeded only at the end. When a run fails part-way, or
its writer dies (:mod:`graph.store.writer`), its ledger is read back and applied in reverse:
what it created is removed, what it removed is put back, what it updated gets its earlier
values. Each step reads the graph as it is and is idempotent, so an undo that is itself
stopped is simply run again; the last step deletes the ledger and records the run as failed,
in one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from aimsgraph.graph.store.records import ChangeSet, NodeRecord, RelKey, RelRecord
from aimsgraph.graph.store.runs import Change, RunRecord
from aimsgraph.ontology import ONTOLOGY
from aimsgraph.ontology.values import decode_props

if TYPE_CHECKING:
    from aimsgraph.graph.store.interface import GraphStore, WriteTransaction

__all__ = ["NODE_PROPS", "REL_PROPS", "before", "held", "labels_of", "ledger_of", "undo_run",
           "unfinished_runs"]

NODE_PROPS = {n.label: {p.name: p for p in n.properties} for n in ONTOLOGY.nodes}
REL_PROPS = {r.type: {p.name: p for p in r.properties} for r in ONTOLOGY.relationships}
#: Ledger entries read, and undone, at a time.
_PAGE = 5000


def labels_of(label: str, props: dict[str, Any]) -> frozenset[str]:
    """The labels a node of ``label`` with ``props`` carries (Leader for a leader...)."""
    return (ONTOLOGY.node(label).labels_for(props) if ONTOLOGY.has_label(label)
            else frozenset({label}))


def before(props: dict[str, Any], change: Change) -> dict[str, Any]:
    """``props`` with the values ``change`` replaced, and the provenance it had, put back (a
    new dict)."""
    earlier = dict(props)
    for name, (was, _) in change.changed.items():
        if was is None:
            earlier.pop(name, None)
        else:
            earlier[name] = was
    earlier.update(change.prior)
    return earlier


def held(change: Change) -> dict[str, Any]:
    """What a removed item held, its provenance included."""
    return {**change.props, **change.prior}


def ledger_of(store: GraphStore, run_id: str) -> list[Change]:
    """A run's whole change ledger, in the order it was planned. A run whose writer died
    may have gaps in it (batches written at once commit in any order): the entries are
    read window by window until every one recorded is found, or past the most a gap can
    hide (the batches that were being written at once)."""
    total, entries = store.changes(run_id, 0, _PAGE)
    offset = _PAGE
    most = total + store.parallel_writes * (store.max_transaction_changes or 0)
    while len(entries) < total and offset <= most:
        _, more = store.changes(run_id, offset, _PAGE)
        entries += more
        offset += _PAGE
    return entries


def _inverse(tx: WriteTransaction, entries: Sequence[Change]) -> ChangeSet:
    """What undoes ``entries`` (given newest first) on the graph as ``tx`` reads it."""
    undo = ChangeSet()
    updated_nodes = [c for c in entries if c.kind == "node" and c.action == "updated"]
    current_nodes: dict[tuple[str, str], NodeRecord] = {}
    for label in {c.type for c in updated_nodes}:
        ids = [c.key[0] for c in updated_nodes if c.type == label]
        current_nodes.update({(label, i): n for i, n in tx.get_nodes(label, ids).items()})
    rel_keys = [_rel_key(c) for c in entries if c.kind != "node" and c.action == "updated"]
    current_rels = tx.get_relationships(rel_keys)
    for change in entries:
        if change.kind == "node":
            key = (change.type, change.key[0])
            declared = NODE_PROPS.get(change.type, {})
            if change.action == "created":
                undo.remove_nodes.append(key)
            elif change.action == "removed":
                props = decode_props(held(change), declared)
                undo.upsert_nodes.append(NodeRecord(key[0], key[1], labels_of(key[0], props),
                                                    props))
            elif key in current_nodes:
                props = decode_props(before(current_nodes[key].props, change), declared)
                undo.upsert_nodes.append(NodeRecord(key[0], key[1], labels_of(key[0], props),
                                                    props))
            continue
        rel_key = _rel_key(change)
        declared = REL_PROPS.get(change.type, {})
        if change.action == "created":
            undo.remove_rels.append(rel_key)
        elif change.action == "removed":
            undo.upsert_rels.append(RelRecord(change.type, rel_key[1], rel_key[2],
                                              decode_props(held(change), declared)))
        elif rel_key in current_rels:
            props = decode_props(before(current_rels[rel_key].props, change), declared)
            undo.upsert_rels.append(RelRecord(change.type, rel_key[1], rel_key[2], props))
    return undo


def _rel_key(change: Change) -> RelKey:
    start_label, start_id, end_label, end_id, identity = change.key
    return (change.type, (start_label, start_id), (end_label, end_id), identity)


def undo_run(store: GraphStore, run: RunRecord, reason: str) -> int:
    """Undo what ``run`` wrote, newest first, a page of its ledger per transaction; then, in
    one transaction, forget its ledger and record it as failed with ``reason``. Returns how
    many ledger entries were undone."""
    entries = ledger_of(store, run.run_id)
    newest_first = list(reversed(entries))
    for start in range(0, len(newest_first), _PAGE):
        page = newest_first[start:start + _PAGE]

        def step(tx: WriteTransaction, page: list[Change] = page) -> None:
            tx.apply(_inverse(tx, page))
        store.write_transaction(step)
    run.outcome = "failed"
    run.ended_at = run.ended_at or dt.datetime.now(dt.UTC)
    run.errors = [*run.errors, reason]

    def close(tx: WriteTransaction) -> None:
        tx.forget_changes(run.run_id)
        tx.record_run(run)
    store.write_transaction(close)
    return len(entries)


def unfinished_runs(store: GraphStore) -> list[RunRecord]:
    """Runs recorded as running: a writer is at work, or died part-way."""
    return [r for r in store.runs(1_000_000) if r.outcome == "running"]
