"""Views of the graph that queries walk: the whole graph in memory, or a lazy, targeted one.

Nodes are keyed by ``(label, id)`` and carry ``labels`` and ``props``; edges carry their
relationship type and ``props``. Helpers return neighbours by relationship type in either
direction, so queries read like the patterns of the ontology (docs/ontology.md).

Two kinds, one interface (:class:`View`):

- :class:`GraphView` holds the whole graph in memory. Whole-graph work (every gap check on
  the embedded store, the whole-graph overview page) reads everything anyway, and walks it
  fastest in memory.
- :class:`~graph.store.lazy_view.LazyView` reads only what a question touches: a node, or one
  node's relationships,
  fetched from the store the first time they are asked for and kept for the rest of the
  question. A trace on a graph of a million nodes then costs tens of small indexed reads, not
  a copy of the graph. Each store supplies the three fetches (SQL on the embedded store,
  Cypher on Neo4j).

Every step checks the read budget (:mod:`graph.store.budget`).
"""

from __future__ import annotations

import abc
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from aimsgraph.graph.store.budget import check_deadline
from aimsgraph.graph.store.collector import collector_paused
from aimsgraph.graph.store.matching import page_by_walking, search_by_walking
from aimsgraph.graph.store.records import NodeKey, NodeRecord, RelRecord, rel_identity
from aimsgraph.ontology import ONTOLOGY

__all__ = ["GraphView", "Neighbourhood", "View", "in_order"]

Edge = tuple[str, NodeKey, dict[str, Any]]  # (type, the node at the other end, properties)
#: For each node asked about: its first neighbours in key order, and how many it has in all.
FirstNeighbours = dict[NodeKey, tuple[list[NodeKey], int]]


@dataclass
class Neighbourhood:
    """The nodes within some steps of a node, and for each node whose neighbours were cut
    at the limit, how many of them were not followed."""

    nodes: set[NodeKey]
    left_out: dict[NodeKey, int] = field(default_factory=dict)


class View(abc.ABC):
    """What queries may ask of a graph, whatever holds it."""

    @abc.abstractmethod
    def nodes(self, label: str) -> list[NodeKey]:
        """Keys of every node carrying ``label`` (derived labels such as Leader included)."""

    def page(self, label: str, needle: str | None, status: str | None, limit: int,
             offset: int) -> tuple[int, list[NodeKey]]:
        """How many nodes of ``label`` hold ``needle`` (folded: :func:`matching.folded`) in
        their id or name and have ``status``, and ``limit`` of them from ``offset`` in
        natural id order (:mod:`graph.store.matching`)."""
        return page_by_walking(self, label, needle, status, limit, offset)

    def search(self, needle: str, limit: int) -> list[NodeKey]:
        """The first ``limit`` nodes of any label holding ``needle`` (folded), best first
        (:mod:`graph.store.matching`)."""
        return search_by_walking(self, needle, limit)

    @abc.abstractmethod
    def has(self, key: NodeKey) -> bool:
        """Whether the node exists."""

    @abc.abstractmethod
    def props(self, key: NodeKey) -> dict[str, Any]:
        """The node's properties (provenance included)."""

    @abc.abstractmethod
    def labels(self, key: NodeKey) -> frozenset[str]:
        """The node's labels: its own and the derived ones."""

    @abc.abstractmethod
    def out(self, key: NodeKey, rel_type: str) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
        """Targets of ``(key)-[:rel_type]->(target)`` with the relationship's properties."""

    @abc.abstractmethod
    def into(self, key: NodeKey, rel_type: str) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
        """Sources of ``(source)-[:rel_type]->(key)`` with the relationship's properties."""

    @abc.abstractmethod
    def outgoing(self, key: NodeKey) -> list[Edge]:
        """Every relationship leaving ``key``: (type, target, properties)."""

    @abc.abstractmethod
    def incoming(self, key: NodeKey) -> list[Edge]:
        """Every relationship reaching ``key``: (type, source, properties)."""

    @abc.abstractmethod
    def prefetch(self, keys: Iterable[NodeKey], outgoing: bool) -> None:
        """Read the relationships of many nodes at once, where the store can batch them."""

    def neighbours(self, key: NodeKey) -> set[NodeKey]:
        """Nodes one relationship away, in either direction."""
        return {other for _, other, _ in (*self.outgoing(key), *self.incoming(key))}

    def neighbourhood(self, start: NodeKey, depth: int, labels: Iterable[str] = (),
                      most: int | None = None) -> Neighbourhood:
        """Nodes within ``depth`` relationships of ``start`` (either direction), stepping only
        onto nodes of ``labels`` when some are given. Reads only what it reaches.

        With ``most``, each node's neighbours are followed only up to the first ``most`` in key
        order, and the rest are counted: two steps out of a control lead through its
        requirement to every other control that implements it, thousands of nodes that no one
        reads on a page, and whose reading would cost the answer its speed.
        """
        wanted = frozenset(labels)
        found = Neighbourhood({start})
        frontier = [start]
        for _ in range(depth):
            step = []
            for key, (first, total) in self.first_neighbours(frontier, wanted, most).items():
                if total > len(first):
                    found.left_out[key] = total - len(first)
                for other in first:
                    if other not in found.nodes:
                        found.nodes.add(other)
                        step.append(other)
            frontier = step
        return found

    def first_neighbours(self, keys: list[NodeKey], labels: frozenset[str],
                         most: int | None) -> FirstNeighbours:
        """For each of ``keys``: its neighbours (of ``labels``, when some are given) in key
        order, the first ``most`` of them when ``most`` is given, and how many there are."""
        self.prefetch(keys, outgoing=True)
        self.prefetch(keys, outgoing=False)
        found: FirstNeighbours = {}
        for key in keys:
            every = sorted(other for other in self.neighbours(key)
                           if not labels or other[0] in labels)
            found[key] = (every if most is None else every[:most], len(every))
        return found

    def edges_among(self, keys: set[NodeKey]) -> list[tuple[NodeKey, NodeKey, str]]:
        """Every relationship between two of ``keys``, as (start, end, type), sorted."""
        self.prefetch(keys, outgoing=True)
        return sorted((key, other, rel_type) for key in keys
                      for rel_type, other, _ in self.outgoing(key) if other in keys)

    def edge_types(self, start: NodeKey, end: NodeKey) -> list[str]:
        """The types of the relationships from ``start`` to ``end``, sorted."""
        return sorted(rel_type for rel_type, other, _ in self.outgoing(start) if other == end)

    def shortest_path(self, start: NodeKey, end: NodeKey) -> list[NodeKey] | None:
        """The nodes of a shortest path between the two, ignoring direction (None: none).

        Breadth-first from both ends at once, so it reads about the square root of what a
        one-sided search would; ties are broken by key, so the answer is the same on every
        store.
        """
        if start == end:
            return [start]
        parents: tuple[dict[NodeKey, NodeKey | None], dict[NodeKey, NodeKey | None]] = (
            {start: None}, {end: None})
        frontiers = ([start], [end])
        while frontiers[0] and frontiers[1]:
            side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
            mine, theirs = parents[side], parents[1 - side]
            step: list[NodeKey] = []
            meeting: list[NodeKey] = []
            for key in frontiers[side]:
                for other in sorted(self.neighbours(key)):
                    if other not in mine:
                        mine[other] = key
                        step.append(other)
                        if other in theirs:
                            meeting.append(other)
            if meeting:
                middle = min(meeting)
                return _join(parents[0], parents[1], middle)
            frontiers = (step, frontiers[1]) if side == 0 else (frontiers[0], step)
        return None


def _join(forward: dict[NodeKey, NodeKey | None], backward: dict[NodeKey, NodeKey | None],
          middle: NodeKey) -> list[NodeKey]:
    path: deque[NodeKey] = deque([middle])
    key = forward[middle]
    while key is not None:
        path.appendleft(key)
        key = forward[key]
    key = backward[middle]
    while key is not None:
        path.append(key)
        key = backward[key]
    return list(path)


def in_order(rel_type: str, pairs: Iterable[tuple[NodeKey, dict[str, Any]]]
             ) -> list[tuple[NodeKey, dict[str, Any]]]:
    """``(node, props)`` pairs of ``rel_type`` sorted by node, then by identity (the periods
    of a role held twice come in the order of their ``since``, the empty one first)."""
    return sorted(pairs, key=lambda pair: (pair[0], rel_identity(rel_type, pair[1])))


class GraphView(View):
    """The whole graph in plain dictionaries; build it with :meth:`build`.

    Each node keeps its labels and properties; each relationship is filed twice, under its
    start (outgoing) and its end (incoming), by type and then by (other end, identity), so a
    step along one type touches only the relationships of that type. Dictionaries, not a
    graph library: the checks need lookups, not graph algorithms, and a networkx graph cost
    twice as long to build and three times as long to walk. The mutators exist for the graph
    as recorded at a past point (history undoes ledger entries on a :meth:`copy`) and for
    tests that plant facts.
    """

    def __init__(self) -> None:
        self._nodes: dict[NodeKey, tuple[frozenset[str], dict[str, Any]]] = {}
        self._out: dict[NodeKey, dict[str, dict[tuple[NodeKey, str], dict[str, Any]]]] = {}
        self._in: dict[NodeKey, dict[str, dict[tuple[NodeKey, str], dict[str, Any]]]] = {}
        self._by_label: dict[str, list[NodeKey]] | None = None

    @classmethod
    def build(cls, nodes: Iterable[NodeRecord], rels: Iterable[RelRecord]) -> GraphView:
        """A view of these nodes and relationships (cost linear in their number)."""
        return cls.assemble(((n.key, n.labels, n.props) for n in nodes),
                            ((r.type, r.start, r.end, r.identity, r.props) for r in rels))

    @classmethod
    def assemble(cls, nodes: Iterable[tuple[NodeKey, frozenset[str], dict[str, Any]]],
                 rels: Iterable[tuple[str, NodeKey, NodeKey, str, dict[str, Any]]]
                 ) -> GraphView:
        """A view of ``(key, labels, props)`` nodes and ``(type, start, end, identity,
        props)`` relationships, as a store reads them without making records."""
        view = cls()
        out, into = view._out, view._in
        with collector_paused(freeze=True):
            view._nodes.update((key, (labels, props)) for key, labels, props in nodes)
            for rel_type, start, end, identity, props in rels:
                out.setdefault(start, {}).setdefault(rel_type, {})[(end, identity)] = props
                into.setdefault(end, {}).setdefault(rel_type, {})[(start, identity)] = props
        return view

    # -- reading ---------------------------------------------------------------------------
    def nodes(self, label: str) -> list[NodeKey]:
        if self._by_label is None:
            by_label: dict[str, list[NodeKey]] = {}
            for key, (labels, _) in self._nodes.items():
                for carried in labels:
                    by_label.setdefault(carried, []).append(key)
            self._by_label = by_label
        return self._by_label.get(label, [])

    def all_nodes(self) -> list[NodeKey]:
        """Every node (whole-graph work only)."""
        return list(self._nodes)

    def all_edges(self) -> list[tuple[NodeKey, NodeKey, str]]:
        """Every relationship as (start, end, type) (whole-graph work only)."""
        return [(start, end, rel_type) for start, end, rel_type, _ in self.edge_items()]

    def node_items(self) -> Iterator[tuple[NodeKey, frozenset[str], dict[str, Any]]]:
        """Every node with its labels and properties (whole-graph work only)."""
        for key, (labels, props) in self._nodes.items():
            yield key, labels, props

    def edge_items(self) -> Iterator[tuple[NodeKey, NodeKey, str, dict[str, Any]]]:
        """Every relationship as (start, end, type, properties) (whole-graph work only)."""
        for start, by_type in self._out.items():
            for rel_type, edges in by_type.items():
                for (end, _), props in edges.items():
                    yield start, end, rel_type, props

    def has(self, key: NodeKey) -> bool:
        return key in self._nodes

    def prefetch(self, keys: Iterable[NodeKey], outgoing: bool) -> None:
        """Nothing to do: the whole graph is already in memory."""

    def props(self, key: NodeKey) -> dict[str, Any]:
        return self._nodes[key][1]

    def labels(self, key: NodeKey) -> frozenset[str]:
        return self._nodes[key][0]

    def out(self, key: NodeKey, rel_type: str) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
        check_deadline()
        edges = self._out.get(key, {}).get(rel_type)
        return ((other, props) for (other, _), props in edges.items()) if edges else iter(())

    def into(self, key: NodeKey, rel_type: str) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
        check_deadline()
        edges = self._in.get(key, {}).get(rel_type)
        return ((other, props) for (other, _), props in edges.items()) if edges else iter(())

    def outgoing(self, key: NodeKey) -> list[Edge]:
        check_deadline()
        return [(rel_type, other, props) for rel_type, edges in self._out.get(key, {}).items()
                for (other, _), props in edges.items()]

    def incoming(self, key: NodeKey) -> list[Edge]:
        check_deadline()
        return [(rel_type, other, props) for rel_type, edges in self._in.get(key, {}).items()
                for (other, _), props in edges.items()]

    def edge_props(self, start: NodeKey, end: NodeKey, rel_type: str,
                   identity: str = "") -> dict[str, Any] | None:
        """The properties of one relationship (None when there is no such relationship)."""
        return self._out.get(start, {}).get(rel_type, {}).get((end, identity))

    # -- changing (history, tests) ---------------------------------------------------------
    def add_node(self, key: NodeKey, labels: frozenset[str], props: dict[str, Any]) -> None:
        """Add the node, or replace its labels and properties."""
        current = self._nodes.get(key)
        if current is None or current[0] != labels:
            self._by_label = None
        self._nodes[key] = (labels, props)

    def remove_node(self, key: NodeKey) -> None:
        """Remove the node and every relationship at it."""
        if self._nodes.pop(key, None) is None:
            return
        self._by_label = None
        for rel_type, edges in self._out.pop(key, {}).items():
            for other, identity in edges:
                self._in[other][rel_type].pop((key, identity), None)
        for rel_type, edges in self._in.pop(key, {}).items():
            for other, identity in edges:
                self._out[other][rel_type].pop((key, identity), None)

    def add_edge(self, start: NodeKey, end: NodeKey, rel_type: str, props: dict[str, Any],
                 identity: str | None = None) -> None:
        """Add the relationship, or replace its properties; ``identity`` (computed from the
        properties when None) keeps repeated facts of one type apart."""
        if identity is None:
            identity = rel_identity(rel_type, props)
        self._out.setdefault(start, {}).setdefault(rel_type, {})[(end, identity)] = props
        self._in.setdefault(end, {}).setdefault(rel_type, {})[(start, identity)] = props

    def remove_edge(self, start: NodeKey, end: NodeKey, rel_type: str,
                    identity: str = "") -> None:
        """Remove one relationship, if there is one."""
        self._out.get(start, {}).get(rel_type, {}).pop((end, identity), None)
        self._in.get(end, {}).get(rel_type, {}).pop((start, identity), None)

    def copy(self) -> GraphView:
        """A copy whose structure changes apart from this one's (properties are shared, so
        change them by replacing, never in place)."""
        twin = GraphView()
        with collector_paused(freeze=True):
            twin._nodes = dict(self._nodes)
            twin._out, twin._in = ({key: {t: dict(e) for t, e in by_type.items()}
                                    for key, by_type in index.items()}
                                   for index in (self._out, self._in))
        return twin


def primary_label(labels: Iterable[str]) -> str | None:
    """The ontology label among a node's labels (not a derived one such as Leader)."""
    return next((label for label in labels if ONTOLOGY.has_label(label)), None)
