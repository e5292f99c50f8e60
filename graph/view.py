"""Views of the graph that queries walk: the whole graph in memory, or a lazy, targeted one.

Nodes are keyed by ``(label, id)`` and carry ``labels`` and ``props``; edges carry their
relationship type and ``props``. Helpers return neighbours by relationship type in either
direction, so queries read like the patterns of the ontology (docs/ontology.md).

Two kinds, one interface (:class:`View`):

- :class:`GraphView` holds the whole graph in networkx. Whole-graph work (every gap check on
  the embedded store, the whole-graph overview page) reads everything anyway, and walks it
  fastest in memory.
- :class:`LazyView` reads only what a question touches: a node, or one node's relationships,
  fetched from the store the first time they are asked for and kept for the rest of the
  question. A trace on a graph of a million nodes then costs tens of small indexed reads, not
  a copy of the graph. Each store supplies the three fetches (SQL on the embedded store,
  Cypher on Neo4j).

Every step checks the read budget (:mod:`graph.budget`).
"""

from __future__ import annotations

import abc
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from graph.budget import check_deadline
from graph.records import NodeKey, NodeRecord, RelRecord, rel_identity
from ontology import ONTOLOGY

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["GraphView", "LazyView", "View"]

Edge = tuple[str, NodeKey, dict[str, Any]]  # (type, the node at the other end, properties)


class View(abc.ABC):
    """What queries may ask of a graph, whatever holds it."""

    @abc.abstractmethod
    def nodes(self, label: str) -> list[NodeKey]:
        """Keys of every node carrying ``label`` (derived labels such as Leader included)."""

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

    def neighbourhood(self, start: NodeKey, depth: int,
                      labels: Iterable[str] = ()) -> set[NodeKey]:
        """Nodes within ``depth`` relationships of ``start`` (either direction), stepping only
        onto nodes of ``labels`` when some are given. Reads only what it reaches."""
        wanted = set(labels)
        seen, frontier = {start}, {start}
        for _ in range(depth):
            self.prefetch(frontier, outgoing=True)
            self.prefetch(frontier, outgoing=False)
            step = {other for key in frontier for other in self.neighbours(key)
                    if other not in seen and (not wanted or other[0] in wanted)}
            seen |= step
            frontier = step
        return seen

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


def edge_key(rel_type: str, identity: str) -> str:
    """The key of a relationship among the edges between two nodes in a ``GraphView``: its
    type, and its identity when the type keeps repeated facts (the edge data holds the type)."""
    return f"{rel_type}:{identity}" if identity else rel_type


class GraphView(View):
    """The whole graph in a ``networkx.MultiDiGraph``; build it with :meth:`build`.

    Edges are keyed by :func:`edge_key`; their data holds ``type`` and ``props`` (edges added
    by hand with the type as key and no ``type`` are read the same way)."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.graph = graph
        self._by_label: dict[str, list[NodeKey]] = {}
        for key, data in graph.nodes(data=True):
            for label in data["labels"]:
                self._by_label.setdefault(label, []).append(key)

    @classmethod
    def build(cls, nodes: Iterable[NodeRecord], rels: Iterable[RelRecord]) -> GraphView:
        """A view of these nodes and relationships (cost linear in their number)."""
        import networkx as nx  # only whole-graph work needs it; commands start without it

        graph = nx.MultiDiGraph()
        graph.add_nodes_from((n.key, {"labels": n.labels, "props": n.props}) for n in nodes)
        graph.add_edges_from((r.start, r.end, edge_key(r.type, r.identity),
                              {"type": r.type, "props": r.props}) for r in rels)
        return cls(graph)

    def nodes(self, label: str) -> list[NodeKey]:
        return self._by_label.get(label, [])

    def all_nodes(self) -> list[NodeKey]:
        """Every node (whole-graph work only)."""
        return list(self.graph.nodes)

    def all_edges(self) -> list[tuple[NodeKey, NodeKey, str]]:
        """Every relationship as (start, end, type) (whole-graph work only)."""
        return [(start, end, data.get("type", key))
                for start, end, key, data in self.graph.edges(keys=True, data=True)]

    def has(self, key: NodeKey) -> bool:
        return key in self.graph

    def prefetch(self, keys: Iterable[NodeKey], outgoing: bool) -> None:
        """Nothing to do: the whole graph is already in memory."""

    def props(self, key: NodeKey) -> dict[str, Any]:
        return self.graph.nodes[key]["props"]  # type: ignore[no-any-return]

    def labels(self, key: NodeKey) -> frozenset[str]:
        return self.graph.nodes[key]["labels"]  # type: ignore[no-any-return]

    def out(self, key: NodeKey, rel_type: str) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
        check_deadline()
        for _, target, etype, data in self.graph.out_edges(key, keys=True, data=True):
            if data.get("type", etype) == rel_type:
                yield target, data["props"]

    def into(self, key: NodeKey, rel_type: str) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
        check_deadline()
        for source, _, etype, data in self.graph.in_edges(key, keys=True, data=True):
            if data.get("type", etype) == rel_type:
                yield source, data["props"]

    def outgoing(self, key: NodeKey) -> list[Edge]:
        check_deadline()
        return [(data.get("type", etype), target, data["props"])
                for _, target, etype, data in self.graph.out_edges(key, keys=True, data=True)]

    def incoming(self, key: NodeKey) -> list[Edge]:
        check_deadline()
        return [(data.get("type", etype), source, data["props"])
                for source, _, etype, data in self.graph.in_edges(key, keys=True, data=True)]


class LazyView(View):
    """Reads nodes and relationships on first use and keeps them for the question's life.

    Subclasses fetch: one node (:meth:`_fetch_node`), one node's relationships in one
    direction (:meth:`_fetch_edges`), and the ids of one label (:meth:`_fetch_label`).
    """

    def __init__(self) -> None:
        self._nodes: dict[NodeKey, tuple[frozenset[str], dict[str, Any]] | None] = {}
        self._out: dict[NodeKey, list[Edge]] = {}
        self._in: dict[NodeKey, list[Edge]] = {}
        self._labels: dict[str, list[NodeKey]] = {}

    @abc.abstractmethod
    def _fetch_node(self, key: NodeKey) -> tuple[frozenset[str], dict[str, Any]] | None:
        """The node's labels and properties, or None when it does not exist."""

    @abc.abstractmethod
    def _fetch_edges(self, key: NodeKey, outgoing: bool) -> list[Edge]:
        """The node's relationships in one direction, in (type, other end) order."""

    @abc.abstractmethod
    def _fetch_label(self, label: str) -> list[NodeKey]:
        """The keys of every node carrying ``label``, in key order."""

    def close(self) -> None:
        """Release what the view holds in the store (a connection, a session)."""

    def _fetch_edges_many(self, keys: list[NodeKey], outgoing: bool
                          ) -> dict[NodeKey, list[Edge]]:
        """The relationships of several nodes; stores that can batch override this."""
        return {key: self._fetch_edges(key, outgoing) for key in keys}

    def prefetch(self, keys: Iterable[NodeKey], outgoing: bool) -> None:
        cache = self._out if outgoing else self._in
        missing = [key for key in dict.fromkeys(keys) if key not in cache]
        if missing:
            check_deadline()
            cache.update(self._fetch_edges_many(missing, outgoing))

    def _node(self, key: NodeKey) -> tuple[frozenset[str], dict[str, Any]] | None:
        if key not in self._nodes:
            check_deadline()
            self._nodes[key] = self._fetch_node(key)
        return self._nodes[key]

    def nodes(self, label: str) -> list[NodeKey]:
        if label not in self._labels:
            check_deadline()
            self._labels[label] = self._fetch_label(label)
        return self._labels[label]

    def has(self, key: NodeKey) -> bool:
        return self._node(key) is not None

    def props(self, key: NodeKey) -> dict[str, Any]:
        found = self._node(key)
        if found is None:
            raise KeyError(key)
        return found[1]

    def labels(self, key: NodeKey) -> frozenset[str]:
        found = self._node(key)
        if found is None:
            raise KeyError(key)
        return found[0]

    def outgoing(self, key: NodeKey) -> list[Edge]:
        if key not in self._out:
            check_deadline()
            self._out[key] = self._fetch_edges(key, outgoing=True)
        return self._out[key]

    def incoming(self, key: NodeKey) -> list[Edge]:
        if key not in self._in:
            check_deadline()
            self._in[key] = self._fetch_edges(key, outgoing=False)
        return self._in[key]

    def out(self, key: NodeKey, rel_type: str) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
        return ((other, props) for etype, other, props in self.outgoing(key)
                if etype == rel_type)

    def into(self, key: NodeKey, rel_type: str) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
        return ((other, props) for etype, other, props in self.incoming(key)
                if etype == rel_type)

    def remember(self, key: NodeKey, labels: frozenset[str], props: dict[str, Any]) -> None:
        """Keep a node read along with something else (saves fetching it again)."""
        self._nodes.setdefault(key, (labels, props))


def primary_label(labels: Iterable[str]) -> str | None:
    """The ontology label among a node's labels (not a derived one such as Leader)."""
    return next((label for label in labels if ONTOLOGY.has_label(label)), None)
