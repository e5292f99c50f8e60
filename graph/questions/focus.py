"""A view that shows a check only the subjects it is asked about.

A local check (:attr:`GapCheck.local`) visits the nodes of its subject labels one at a time and
reads each one's finding from that node's surroundings. Run over a :class:`FocusedView`, it
visits only the subjects in focus while every walk from them reads the graph underneath as it
is: the findings are those the whole run gives for those subjects, at the cost of their
neighbourhoods (a system page or an executive trace on a graph of a million nodes then reads
what it shows, not the graph).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from aimsgraph.graph.store.records import NodeKey
from aimsgraph.graph.store.view import Edge, View
from aimsgraph.ontology import ONTOLOGY

__all__ = ["FocusedView"]


class FocusedView(View):
    """``inner`` with the nodes of each label in ``narrowed`` (every label by default) cut
    down to those of ``focus`` that exist and carry it; every other read passes through, so a
    check still sees every node of the labels it only walks to."""

    def __init__(self, inner: View, focus: Iterable[NodeKey],
                 narrowed: Iterable[str] = ONTOLOGY.labels):
        self.inner = inner
        self.keys = sorted(key for key in set(focus) if inner.has(key))
        self.narrowed = frozenset(narrowed)

    def nodes(self, label: str) -> list[NodeKey]:
        if label in self.narrowed:
            return [key for key in self.keys if label in self.inner.labels(key)]
        return self.inner.nodes(label)

    def has(self, key: NodeKey) -> bool:
        return self.inner.has(key)

    def props(self, key: NodeKey) -> dict[str, Any]:
        return self.inner.props(key)

    def labels(self, key: NodeKey) -> frozenset[str]:
        return self.inner.labels(key)

    def out(self, key: NodeKey, rel_type: str) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
        return self.inner.out(key, rel_type)

    def into(self, key: NodeKey, rel_type: str) -> Iterator[tuple[NodeKey, dict[str, Any]]]:
        return self.inner.into(key, rel_type)

    def outgoing(self, key: NodeKey) -> list[Edge]:
        return self.inner.outgoing(key)

    def incoming(self, key: NodeKey) -> list[Edge]:
        return self.inner.incoming(key)

    def prefetch(self, keys: Iterable[NodeKey], outgoing: bool) -> None:
        self.inner.prefetch(keys, outgoing)
