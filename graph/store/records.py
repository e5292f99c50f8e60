"""Store-neutral records: what a store holds and what a write changes.

A node is identified by its primary label and id (``NodeKey``); a relationship by its type, the
keys of its two ends and its identity (``RelKey``): the identity is '' for most types, which
hold at most one relationship between two nodes, and the value of the identity property for
types that keep repeated facts (HOLDS by ``since``, COMPLETED by ``on``). That identity is what
makes ingestion idempotent (MERGE semantics).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aimsgraph.ontology import ONTOLOGY
from aimsgraph.ontology.values import natural_key

__all__ = ["ChangeSet", "NodeKey", "NodeRecord", "RelKey", "RelRecord", "Stats", "natural_order",
           "rel_identity"]

NodeKey = tuple[str, str]
RelKey = tuple[str, NodeKey, NodeKey, str]


@dataclass(slots=True)
class NodeRecord:
    """A node: primary ``label``, ``id``, all its labels, and its properties (provenance too).

    Records are not changed once made, but not frozen either: an ingest makes one per node
    and relationship it writes, and a frozen dataclass takes five times as long to make.

    ``new``: the writer planned it against a store that does not hold it (and nothing else
    in its run writes it first), so a store may create it without looking for it.
    """

    label: str
    id: str
    labels: frozenset[str]
    props: dict[str, Any]
    new: bool = field(default=False, compare=False)

    @property
    def key(self) -> NodeKey:
        return (self.label, self.id)


@dataclass(slots=True)
class RelRecord:
    """A relationship of ``type`` from ``start`` to ``end`` with its properties (``new`` as
    for :class:`NodeRecord`)."""

    type: str
    start: NodeKey
    end: NodeKey
    props: dict[str, Any]
    new: bool = field(default=False, compare=False)

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


#: The types that keep repeated facts apart, by name.
_KEEPING = {rel.type: rel for rel in ONTOLOGY.relationships if rel.identity is not None}


def rel_identity(rel_type: str, props: Mapping[str, Any]) -> str:
    """The identity of a relationship of ``rel_type`` with ``props`` ('' for most types)."""
    keeping = _KEEPING.get(rel_type)
    return "" if keeping is None else keeping.identity_of(props)


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
