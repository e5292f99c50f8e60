"""A read-only networkx view of the whole graph, what embedded queries walk.

Nodes are keyed by ``(label, id)`` and carry ``labels`` and ``props``; edges are keyed by their
relationship type and carry ``props``. Helpers return neighbours by relationship type in either
direction, so queries read like the patterns in ONTOLOGY.md.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import networkx as nx

from graph.budget import check_deadline
from graph.records import NodeKey, NodeRecord, RelRecord

__all__ = ["GraphView"]


class GraphView:
    """Wraps a ``networkx.MultiDiGraph``; build it with :meth:`build`."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.graph = graph
        self._by_label: dict[str, list[NodeKey]] = {}
        for key, data in graph.nodes(data=True):
            for label in data["labels"]:
                self._by_label.setdefault(label, []).append(key)

    @classmethod
    def build(cls, nodes: Iterable[NodeRecord], rels: Iterable[RelRecord]) -> GraphView:
        """A view of these nodes and relationships (cost linear in their number)."""
        graph = nx.MultiDiGraph()
        graph.add_nodes_from((n.key, {"labels": n.labels, "props": n.props}) for n in nodes)
        graph.add_edges_from((r.start, r.end, r.type, {"props": r.props}) for r in rels)
        return cls(graph)

    def nodes(self, label: str) -> list[NodeKey]:
        """Keys of every node carrying ``label`` (derived labels such as Leader included)."""
        return self._by_label.get(label, [])

    def has(self, key: NodeKey) -> bool:
        return key in self.graph

    def props(self, key: NodeKey) -> dict[str, Any]:
        return self.graph.nodes[key]["props"]  # type: ignore[no-any-return]

    def labels(self, key: NodeKey) -> frozenset[str]:
        return self.graph.nodes[key]["labels"]  # type: ignore[no-any-return]

    def out(self, key: NodeKey, rel_type: str) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
        """Targets of ``(key)-[:rel_type]->(target)`` with the relationship's properties."""
        check_deadline()
        for _, target, etype, data in self.graph.out_edges(key, keys=True, data=True):
            if etype == rel_type:
                yield target, data["props"]

    def into(self, key: NodeKey, rel_type: str) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
        """Sources of ``(source)-[:rel_type]->(key)`` with the relationship's properties."""
        check_deadline()
        for source, _, etype, data in self.graph.in_edges(key, keys=True, data=True):
            if etype == rel_type:
                yield source, data["props"]
