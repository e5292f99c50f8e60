"""Store-neutral records: what a store holds and what a write changes.

A node is identified by its primary label and id (``NodeKey``); a relationship by its type, the
keys of its two ends and its identity (``RelKey``): the identity is '' for most types, which
hold at most one relationship between two nodes, and the value of the identity property for
types that keep repeated facts (HOLDS by ``since``, COMPLETED by ``on``). That identity is what
makes ingestion idempotent (MERGE semantics).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aimsgraph.ontology import ONTOLOGY
from aimsgraph.ontology.values import natural_key

__all__ = ["Change", "ChangeSet", "NodeKey", "NodeRecord", "RelKey", "RelRecord", "RunRecord",
           "Stats", "natural_order", "rel_identity"]

NodeKey = tuple[str, str]
RelKey = tuple[str, NodeKey, NodeKey, str]


@dataclass(frozen=True, slots=True)
class NodeRecord:
    """A node: primary ``label``, ``id``, all its labels, and its properties (provenance too)."""

    label: str
    id: str
    labels: frozenset[str]
    props: dict[str, Any]

    @property
    def key(self) -> NodeKey:
        return (self.label, self.id)


@dataclass(frozen=True, slots=True)
class RelRecord:
    """A relationship of ``type`` from ``start`` to ``end`` with its properties."""

    type: str
    start: NodeKey
    end: NodeKey
    props: dict[str, Any]

    @property
    def identity(self) -> str:
        """What tells this relationship apart from others of its type between the same nodes."""
        return rel_identity(self.type, self.props)

    @property
    def key(self) -> RelKey:
        return (self.type, self.start, self.end, self.identity)


def natural_order(keys: Iterable[NodeKey]) -> list[NodeKey]:
    """Node keys by label, then by id as people read it (``A.2.2`` before ``A.10.2``)."""
    return sorted(keys, key=lambda k: (k[0], natural_key(k[1])))


def rel_identity(rel_type: str, props: Mapping[str, Any]) -> str:
    """The identity of a relationship of ``rel_type`` with ``props`` ('' for most types)."""
    if not ONTOLOGY.has_relationship(rel_type):
        return ""
    return ONTOLOGY.relationship(rel_type).identity_of(props)


@dataclass
class ChangeSet:
    """Everything one write transaction does. Upserts replace the stored properties whole."""

    upsert_nodes: list[NodeRecord] = field(default_factory=list)
    upsert_rels: list[RelRecord] = field(default_factory=list)
    remove_rels: list[RelKey] = field(default_factory=list)
    remove_nodes: list[NodeKey] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.upsert_nodes or self.upsert_rels or self.remove_rels or self.remove_nodes)

    def __len__(self) -> int:
        return (len(self.upsert_nodes) + len(self.upsert_rels) + len(self.remove_rels)
                + len(self.remove_nodes))


@dataclass(frozen=True)
class Stats:
    """Node counts per label (derived labels such as Leader included) and per relationship type."""

    nodes: dict[str, int]
    relationships: dict[str, int]


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of a run's change ledger: a node or relationship created, updated or removed.

    ``key`` is ``[id]`` for a node and ``[start label, start id, end label, end id,
    identity]`` for a relationship. ``props`` are what was written (created) or what was held
    (removed); ``changed`` maps each updated property to ``[before, after]``. Values are
    JSON-ready (dates as ISO text), so the ledger reads the same from every store.
    """

    action: str
    kind: str
    type: str
    key: tuple[str, ...]
    props: dict[str, Any] = field(default_factory=dict)
    changed: dict[str, list[Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"action": self.action, "kind": self.kind, "type": self.type}
        if self.kind == "node":
            entry["id"] = self.key[0]
        else:
            entry.update(start={"type": self.key[0], "id": self.key[1]},
                         end={"type": self.key[2], "id": self.key[3]}, identity=self.key[4])
        if self.props:
            entry["props"] = self.props
        if self.changed:
            entry["changed"] = {k: {"before": v[0], "after": v[1]} for k, v in self.changed.items()}
        return entry

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Change:
        """The inverse of :meth:`to_json`."""
        if data["kind"] == "node":
            key: tuple[str, ...] = (data["id"],)
        else:
            key = (data["start"]["type"], data["start"]["id"], data["end"]["type"],
                   data["end"]["id"], data["identity"])
        return cls(data["action"], data["kind"], data["type"], key, data.get("props") or {},
                   {k: [v["before"], v["after"]] for k, v in (data.get("changed") or {}).items()})


@dataclass
class RunRecord:
    """The record of one ingestion run, kept for every run, failed ones included."""

    run_id: str
    source: str
    bundle: str
    started_at: dt.datetime
    ended_at: dt.datetime | None = None
    outcome: str = "running"
    sync: bool = False
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "source": self.source,
            "bundle": self.bundle,
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "outcome": self.outcome,
            "sync": self.sync,
            "counts": self.counts,
            "errors": self.errors,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunRecord:
        """The inverse of :meth:`to_json`."""
        ended = data.get("ended_at")
        return cls(
            run_id=data["run_id"], source=data["source"], bundle=data["bundle"],
            started_at=dt.datetime.fromisoformat(data["started_at"]),
            ended_at=dt.datetime.fromisoformat(ended) if ended else None,
            outcome=data["outcome"], sync=bool(data.get("sync")),
            counts=data.get("counts") or {}, errors=list(data.get("errors") or []))
