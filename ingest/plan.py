"""The plan: what writing a validated, resolved bundle would change in the store.

Properties merge: a cell left empty is "not given" and keeps what the store holds. A node or
relationship whose merged content equals what is stored is *unchanged* and is not written, so
its provenance keeps saying when the fact last changed. In sync mode everything the bundle
states is stamped with the source, and what carries the stamp but is no longer stated is
removed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, overload

from aimsgraph.graph.store.interface import ReadTransaction
from aimsgraph.graph.store.records import (
    ChangeSet,
    NodeKey,
    NodeRecord,
    RelKey,
    RelRecord,
    rel_identity,
)
from aimsgraph.graph.store.runs import Change
from aimsgraph.ingest.draft import Draft, NodeDraft, Ref
from aimsgraph.ingest.references import Resolver
from aimsgraph.ontology import ONTOLOGY, BundleIssue, IssueLog
from aimsgraph.ontology.values import encode_props

__all__ = ["ACTIONS", "Ledger", "Plan", "Provenance", "make_plan"]

ACTIONS = ("created", "updated", "unchanged", "removed")
_PROVENANCE = frozenset(p.name for p in ONTOLOGY.provenance)


@dataclass(frozen=True)
class Provenance:
    """What every write of one run is stamped with."""

    run_id: str
    updated_at: dt.datetime
    sync_source: str | None = None

    @cached_property
    def stamp_time(self) -> str:
        """``updated_at`` as it is stamped (formatted once a run, not once a row)."""
        return self.updated_at.isoformat(timespec="seconds")


#: A planned write as the ledger keeps it until read: kind, type, key (a node's id or a
#: relationship's key), the properties stored before (None when new) and those written.
_Planned = tuple[str, str, str | RelKey, dict[str, Any] | None, dict[str, Any]]


class Ledger(Sequence[Change]):
    """A run's change ledger, each entry made when it is read (written, listed).

    An entry of a planned write keeps the properties the plan writes and those the store
    held, dictionaries the plan holds anyway, not JSON-ready copies of them: an ingest of
    100,000 AI systems plans 2.4 million entries, and the copies were a fifth of its memory.
    The plan must not change those dictionaries once planned (it does not).
    """

    def __init__(self) -> None:
        self._entries: list[Change | _Planned] = []

    def planned(self, kind: str, name: str, key: str | RelKey, old: dict[str, Any] | None,
                new: dict[str, Any]) -> None:
        """The entry for writing ``new`` over ``old`` (None: created)."""
        self._entries.append((kind, name, key, old, new))

    def append(self, change: Change) -> None:
        """An entry made already (removals)."""
        self._entries.append(change)

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> Change: ...

    @overload
    def __getitem__(self, index: slice) -> list[Change]: ...

    def __getitem__(self, index: int | slice) -> Change | list[Change]:
        if isinstance(index, slice):
            return [_made(entry) for entry in self._entries[index]]
        return _made(self._entries[index])

    def __iter__(self) -> Iterator[Change]:
        return map(_made, self._entries)


def _made(entry: Change | _Planned) -> Change:
    if isinstance(entry, Change):
        return entry
    kind, name, key, old, new = entry
    ident = (key,) if isinstance(key, str) else _rel_key(key)
    if old is None:
        return Change("created", kind, name, ident, props=_ledger_props(new))
    return Change("updated", kind, name, ident, changed=_changed(old, new), prior=_prior(old))


@dataclass
class Plan:
    """The changes to write and, per label and relationship type, what happens to how many."""

    changes: ChangeSet = field(default_factory=ChangeSet)
    #: What the changes do, entry by entry: the run's change ledger.
    ledger: Ledger = field(default_factory=Ledger)
    nodes: dict[str, Counter[str]] = field(default_factory=dict)
    relationships: dict[str, Counter[str]] = field(default_factory=dict)
    issues: list[BundleIssue] = field(default_factory=IssueLog)

    def count(self, table: dict[str, Counter[str]], name: str, action: str, n: int = 1) -> None:
        counter = table.get(name)
        if counter is None:  # not setdefault: that would build a Counter on every call
            counter = table[name] = Counter()
        counter[action] += n

    def summary(self) -> dict[str, dict[str, dict[str, int]]]:
        """``{"nodes": {label: {action: n}}, "relationships": {type: {action: n}}}``."""
        def table(counts: dict[str, Counter[str]]) -> dict[str, dict[str, int]]:
            return {name: {a: counts[name][a] for a in ACTIONS} for name in sorted(counts)}
        return {"nodes": table(self.nodes), "relationships": table(self.relationships)}


def _content(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in _PROVENANCE}


#: How the SoA decisions a bundle writes on catalogue requirements are counted in a run.
SOA_COUNTED = "Requirement (SoA decision)"
_UNLEDGERED = frozenset({"run_id", "updated_at"})  # the ledger entry's own run says these


def _ledger_props(props: dict[str, Any]) -> dict[str, Any]:
    """The properties a ledger entry records: JSON-safe, without what its run says (one pass:
    an ingest records an entry for every row it writes)."""
    return encode_props(props, without=_UNLEDGERED)


def _prior(old: dict[str, Any]) -> dict[str, Any]:
    """The provenance the ledger leaves out of an updated or removed item's values (the run
    that wrote it, and when): what undoing the entry needs to put the item back as it was."""
    return encode_props({k: old[k] for k in _UNLEDGERED if old.get(k) is not None})


def _changed(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """Each property whose value differs, with its value before and after."""
    before, after = _ledger_props(old), _ledger_props(new)
    return {k: [before.get(k), after.get(k)] for k in sorted(before.keys() | after.keys())
            if before.get(k) != after.get(k)}


def _rel_key(key: RelKey) -> tuple[str, ...]:
    rel_type, (start_label, start_id), (end_label, end_id), identity = key
    return (start_label, start_id, end_label, end_id, identity)


def _stamp(stamped: dict[str, Any], source: str, prov: Provenance,
           old: dict[str, Any] | None) -> dict[str, Any]:
    """``stamped`` (a dictionary of the plan's own) with the run's provenance added."""
    stamped.update(source=source, run_id=prov.run_id, updated_at=prov.stamp_time)
    if prov.sync_source:
        stamped["sync_source"] = prov.sync_source
    elif old and "sync_source" in old:
        stamped["sync_source"] = old["sync_source"]
    return stamped


def _needs_write(old: dict[str, Any], merged: dict[str, Any], prov: Provenance) -> bool:
    if _content(old) != merged:
        return True
    return prov.sync_source is not None and old.get("sync_source") != prov.sync_source


def _plan_nodes(plan: Plan, drafts: list[NodeDraft], tx: ReadTransaction,
                prov: Provenance, stamp_sync: bool, counted: str | None = None) -> set[NodeKey]:
    """Plan the nodes' writes; returns the keys of those the store does not hold yet.
    ``counted`` names them in the run's counts when their label would mislead (the SoA
    decisions written on catalogue requirements)."""
    new: set[NodeKey] = set()
    by_label: dict[str, list[NodeDraft]] = {}
    for draft in drafts:
        by_label.setdefault(draft.label, []).append(draft)
    node_prov = prov if stamp_sync else Provenance(prov.run_id, prov.updated_at)
    for label, group in by_label.items():
        node_type = ONTOLOGY.node(label)
        stored = tx.get_nodes(label, (d.id for d in group))
        for draft in group:
            old = stored.get(draft.id)
            merged = _content(old.props) if old else dict(draft.defaults)
            merged.update(draft.props)
            if label == "Risk" and {"likelihood", "impact"} <= merged.keys():
                merged["score"] = merged["likelihood"] * merged["impact"]
            if old is not None and not _needs_write(old.props, merged, node_prov):
                plan.count(plan.nodes, counted or label, "unchanged")
                continue
            if old is None:
                new.add((label, draft.id))
            props = _stamp(merged, draft.source, node_prov, old.props if old else None)
            plan.changes.upsert_nodes.append(
                NodeRecord(label, draft.id, node_type.labels_for(props), props))
            plan.ledger.planned("node", label, draft.id, old.props if old else None, props)
            plan.count(plan.nodes, counted or label, "updated" if old else "created")
    return new


def make_plan(draft: Draft, tx: ReadTransaction, prov: Provenance) -> Plan:
    """Resolve references and diff the draft against the store as seen by ``tx``.

    Issues found here (unknown, ambiguous or wrongly typed references; relationships the
    ontology does not allow) are returned in ``Plan.issues``; the caller must not write a plan
    that has any. A draft that already has issues is only resolved (so every problem is
    reported in one run), not diffed.
    """
    plan = Plan()
    resolver = Resolver(draft, tx)
    amendments: list[NodeDraft] = []
    for ref, amendment in draft.amendments:
        if resolver.resolve(ref) is not None:
            amendments.append(amendment)
    wanted: dict[RelKey, tuple[dict[str, Any], str]] = {}
    for rel in draft.rels:
        ends = [end if not isinstance(end, Ref) else resolver.resolve(end)
                for end in (rel.start, rel.end)]
        start, end = ends
        if start is None or end is None:
            continue
        if not ONTOLOGY.relationship(rel.type).allows(start[0], end[0]):
            where = next((e for e in (rel.start, rel.end) if isinstance(e, Ref)), None)
            file, _, row = rel.source.rpartition(":")
            plan.issues.append(BundleIssue(
                where.file if where else file, where.row if where else row,
                where.column if where else "type",
                f"{rel.type} cannot join {start[0]} {start[1]} to {end[0]} {end[1]}"))
            continue
        key: RelKey = (rel.type, start, end, rel_identity(rel.type, rel.props))
        stated = wanted.get(key)  # a fact stated again: its properties merge
        wanted[key] = (rel.props if stated is None else {**stated[0], **rel.props}, rel.source)
    plan.issues.extend(resolver.issues)
    if plan.issues or draft.issues:
        return plan
    new = _plan_nodes(plan, list(draft.nodes.values()), tx, prov, stamp_sync=True)
    _plan_nodes(plan, amendments, tx, prov, stamp_sync=False, counted=SOA_COUNTED)
    _plan_relationships(plan, wanted, tx, prov, new)
    if prov.sync_source:
        _plan_removals(plan, draft, set(wanted), tx, prov.sync_source)
    _check_single_parent(plan, wanted, tx)
    return plan


def _check_single_parent(plan: Plan, wanted: dict[RelKey, tuple[dict[str, Any], str]],
                         tx: ReadTransaction) -> None:
    """A role reports to one role at most, so every owner chain is a single line.

    Counts what the graph will hold after this plan: stored reporting lines, minus those the
    plan removes, plus those the bundle states.
    """
    stated: dict[NodeKey, dict[NodeKey, str]] = {}
    for (rel_type, start, end, _), (_, source) in wanted.items():
        if rel_type == "REPORTS_TO":
            stated.setdefault(start, {})[end] = source
    if not stated:
        return
    removed = {(k[1], k[2]) for k in plan.changes.remove_rels if k[0] == "REPORTS_TO"}
    removed_nodes = set(plan.changes.remove_nodes)
    stored = tx.targets("REPORTS_TO", stated)
    for role, ends in stated.items():
        parents = {e for e in stored.get(role, set())
                   if (role, e) not in removed and e not in removed_nodes} | set(ends)
        if len(parents) > 1:
            source = min(ends.values())
            file, _, row = source.rpartition(":")
            names = " and ".join(sorted(p[1] for p in parents))
            plan.issues.append(BundleIssue(
                file, row, "reports_to", f"role {role[1]} would report to both {names}; a role "
                "reports to one role (remove the other reporting line, or ingest with --sync)"))


def _plan_relationships(plan: Plan, wanted: dict[RelKey, tuple[dict[str, Any], str]],
                        tx: ReadTransaction, prov: Provenance, new: set[NodeKey]) -> None:
    # a relationship at a node the store does not hold yet is new too: only the others are
    # looked up (a first ingest looks up none)
    stored = tx.get_relationships(k for k in wanted if k[1] not in new and k[2] not in new)
    for key, (props, source) in wanted.items():
        old = stored.get(key)
        merged = _content(old.props) if old else dict(props)
        if old:
            merged.update(props)
        if old is not None and not _needs_write(old.props, merged, prov):
            plan.count(plan.relationships, key[0], "unchanged")
            continue
        stamped = _stamp(merged, source, prov, old.props if old else None)
        plan.changes.upsert_rels.append(RelRecord(key[0], key[1], key[2], stamped))
        plan.ledger.planned("relationship", key[0], key, old.props if old else None, stamped)
        plan.count(plan.relationships, key[0], "updated" if old else "created")


def _plan_removals(plan: Plan, draft: Draft, kept_rels: set[RelKey], tx: ReadTransaction,
                   sync_source: str) -> None:
    owned_nodes, owned_rels = tx.owned_by(sync_source)
    kept_nodes: set[NodeKey] = set(draft.nodes)
    gone = [key for key in owned_nodes if key not in kept_nodes]
    held: dict[NodeKey, dict[str, Any]] = {}
    for label in {node[0] for node in gone}:
        held.update({(label, i): r.props for i, r in
                     tx.get_nodes(label, (n[1] for n in gone if n[0] == label)).items()})
    dropped = [rel for rel in owned_rels if rel not in kept_rels]
    stored = tx.get_relationships(dropped)
    # what goes with a removed node is removed (and recorded) one by one, not silently
    for record in tx.attached(gone):
        if record.key not in stored:
            stored[record.key] = record
            dropped.append(record.key)
    # the ledger follows the order changes are applied in: relationships, then nodes
    for rel in dropped:
        plan.changes.remove_rels.append(rel)
        plan.count(plan.relationships, rel[0], "removed")
        old = stored.get(rel)
        plan.ledger.append(Change("removed", "relationship", rel[0], _rel_key(rel),
                                  props=_ledger_props(old.props if old else {}),
                                  prior=_prior(old.props if old else {})))
    for node in gone:
        plan.changes.remove_nodes.append(node)
        plan.count(plan.nodes, node[0], "removed")
        plan.ledger.append(Change("removed", "node", node[0], (node[1],),
                                  props=_ledger_props(held.get(node, {})),
                                  prior=_prior(held.get(node, {}))))
