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
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from aimsgraph.graph.store.interface import ReadTransaction
from aimsgraph.graph.store.records import (
    ChangeSet,
    NodeKey,
    NodeRecord,
    RelKey,
    RelRecord,
    rel_identity,
)
from aimsgraph.ingest.draft import NodeDraft, Ref
from aimsgraph.ingest.ledger import Ledger, removal
from aimsgraph.ontology import ONTOLOGY, BundleIssue, IssueLog

__all__ = ["ACTIONS", "SOA_COUNTED", "Counts", "Ledger", "Plan", "Provenance", "Wanted",
           "check_single_parent", "plan_nodes", "plan_relationships",
           "join_issue", "plan_removals", "reporting_lines", "state"]

ACTIONS = ("created", "updated", "unchanged", "removed")
#: What happened to how many, by label or by relationship type.
Counts = dict[str, Counter[str]]
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


@dataclass
class Plan:
    """The changes to write and, per label and relationship type, what happens to how many."""

    changes: ChangeSet = field(default_factory=ChangeSet)
    #: What the changes do, entry by entry: the run's change ledger.
    ledger: Ledger = field(default_factory=Ledger)
    nodes: Counts = field(default_factory=dict)
    relationships: Counts = field(default_factory=dict)
    issues: list[BundleIssue] = field(default_factory=IssueLog)

    def count(self, table: dict[str, Counter[str]], name: str, action: str, n: int = 1) -> None:
        counter = table.get(name)
        if counter is None:  # not setdefault: that would build a Counter on every call
            counter = table[name] = Counter()
        counter[action] += n

    def add_counts(self, other: Plan) -> None:
        """Count ``other``'s outcomes in this plan's (the chunks of one streamed run)."""
        for mine, theirs in ((self.nodes, other.nodes),
                             (self.relationships, other.relationships)):
            for name, counter in theirs.items():
                mine.setdefault(name, Counter()).update(counter)

    def summary(self) -> dict[str, dict[str, dict[str, int]]]:
        """``{"nodes": {label: {action: n}}, "relationships": {type: {action: n}}}``."""
        def table(counts: dict[str, Counter[str]]) -> dict[str, dict[str, int]]:
            return {name: {a: counts[name][a] for a in ACTIONS} for name in sorted(counts)}
        return {"nodes": table(self.nodes), "relationships": table(self.relationships)}


def _content(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in _PROVENANCE}


#: How the SoA decisions a bundle writes on catalogue requirements are counted in a run.
SOA_COUNTED = "Requirement (SoA decision)"


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


def plan_nodes(plan: Plan, drafts: Iterable[NodeDraft], tx: ReadTransaction,
               prov: Provenance, stamp_sync: bool, counted: str | None = None,
               written: Mapping[str, Container[str]] | None = None) -> set[NodeKey]:
    """Plan the nodes' writes; returns the keys of those the store does not hold yet.
    ``counted`` names them in the run's counts when their label would mislead (the SoA
    decisions written on catalogue requirements). A node the store does not hold is
    written as new (created without being looked for) unless ``written`` holds its id under
    its label: its run may have written it already, and not yet committed it."""
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
            plan.changes.upsert_nodes.append(NodeRecord(
                label, draft.id, node_type.labels_for(props), props,
                new=old is None and written is not None
                and draft.id not in written.get(label, ())))
            plan.ledger.planned("node", label, draft.id, old.props if old else None, props)
            plan.count(plan.nodes, counted or label, "updated" if old else "created")
    return new


#: The relationships a bundle states, by key, with their properties and where each was
#: stated (a fact stated again has its properties merged).
Wanted = dict[RelKey, tuple[dict[str, Any], str]]


def state(wanted: Wanted, rel_type: str, start: NodeKey, end: NodeKey,
          props: dict[str, Any], source: str) -> bool:
    """Add the relationship of ``rel_type`` from ``start`` to ``end`` to ``wanted``, its
    properties merged into those of the same fact stated before; False (nothing added) when
    the type cannot join the two, which the caller reports (:func:`join_issue`)."""
    if not ONTOLOGY.relationship(rel_type).allows(start[0], end[0]):
        return False
    key: RelKey = (rel_type, start, end, rel_identity(rel_type, props))
    stated = wanted.get(key)
    wanted[key] = (props if stated is None else {**stated[0], **props}, source)
    return True


def join_issue(rel_type: str, start: NodeKey, end: NodeKey, source: str,
               ref: Ref | None) -> BundleIssue:
    """The issue of a relationship whose type cannot join its two ends, at ``ref`` (the
    first reference written) or else at the row of ``source``."""
    file, _, row = source.rpartition(":")
    return BundleIssue(ref.file if ref else file, ref.row if ref else row,
                       ref.column if ref else "type",
                       f"{rel_type} cannot join {start[0]} {start[1]} to {end[0]} {end[1]}")


def reporting_lines(wanted: Wanted) -> dict[NodeKey, dict[NodeKey, str]]:
    """The REPORTS_TO lines ``wanted`` states: each role's stated parents, and where."""
    stated: dict[NodeKey, dict[NodeKey, str]] = {}
    for (rel_type, start, end, _), (_, source) in wanted.items():
        if rel_type == "REPORTS_TO":
            stated.setdefault(start, {})[end] = source
    return stated


#: Roles whose stored reporting lines are asked at a time (:func:`check_single_parent`):
#: what the answer holds at once, in the ingesting process and in a writer process asked for
#: it (asked for 100,000 roles at once, the embedded writer grew by 126,768 KB).
LINES_ASKED = 10_000


def check_single_parent(plan: Plan, stated: dict[NodeKey, dict[NodeKey, str]],
                        tx: ReadTransaction) -> None:
    """A role reports to one role at most, so every owner chain is a single line.

    Counts what the graph will hold after this plan: stored reporting lines, minus those the
    plan removes, plus those the bundle states (a streamed run asks once its lines are
    written: they are stored and stated then, which counts them once).
    """
    if not stated:
        return
    removed = {(k[1], k[2]) for k in plan.changes.remove_rels if k[0] == "REPORTS_TO"}
    removed_nodes = set(plan.changes.remove_nodes)
    roles = list(stated)
    for first in range(0, len(roles), LINES_ASKED):
        asked = roles[first:first + LINES_ASKED]
        stored = tx.targets("REPORTS_TO", asked)
        for role in asked:
            ends = stated[role]
            parents = {e for e in stored.get(role, set())
                       if (role, e) not in removed and e not in removed_nodes} | set(ends)
            if len(parents) > 1:
                source = min(ends.values())
                file, _, row = source.rpartition(":")
                names = " and ".join(sorted(p[1] for p in parents))
                plan.issues.append(BundleIssue(
                    file, row, "reports_to", f"role {role[1]} would report to both {names}; a "
                    "role reports to one role (remove the other reporting line, or ingest with "
                    "--sync)"))


def plan_relationships(plan: Plan, wanted: Wanted, tx: ReadTransaction, prov: Provenance,
                       is_new: Callable[[RelKey], bool], counted: bool = True) -> None:
    """Plan the writes of ``wanted``. A relationship the store cannot hold yet (``is_new``:
    one at a node it does not hold) is new: only the others are looked up (a first ingest
    looks up none).
    ``counted`` false: these facts were counted already (stated again further on in a
    streamed run), so only what they add is written, and none is written as new (created
    without being looked for)."""
    stored = tx.get_relationships(k for k in wanted if not is_new(k))
    for key, (props, source) in wanted.items():
        old = stored.get(key)
        merged = _content(old.props) if old else dict(props)
        if old:
            merged.update(props)
        if old is not None and not _needs_write(old.props, merged, prov):
            if counted:
                plan.count(plan.relationships, key[0], "unchanged")
            continue
        stamped = _stamp(merged, source, prov, old.props if old else None)
        plan.changes.upsert_rels.append(RelRecord(key[0], key[1], key[2], stamped,
                                                  new=old is None and counted))
        plan.ledger.planned("relationship", key[0], key, old.props if old else None, stamped)
        if counted:
            plan.count(plan.relationships, key[0], "updated" if old else "created")


def plan_removals(plan: Plan, kept_nodes: Container[NodeKey], kept_rels: Container[RelKey],
                  tx: ReadTransaction, sync_source: str) -> None:
    """Plan removing what carries ``sync_source`` and the bundle no longer states."""
    owned_nodes, owned_rels = tx.owned_by(sync_source)
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
        plan.ledger.append(removal("relationship", rel[0], rel, old.props if old else {}))
    for node in gone:
        plan.changes.remove_nodes.append(node)
        plan.count(plan.nodes, node[0], "removed")
        plan.ledger.append(removal("node", node[0], node[1], held.get(node, {})))
