"""The view a question walks when it should cost what it touches: nodes and relationships
fetched on first use (by the store's SQL or Cypher) and remembered for the question's life.

A store's lazy view (:class:`~graph.store.embedded_view.SqlView`,
:class:`~graph.store.neo4j_view.CypherView`) implements the ``_fetch_*`` methods; everything
else, the walking included, is :class:`~graph.store.view.View`'s.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Iterator
from typing import Any

from aimsgraph.graph.store.budget import check_deadline
from aimsgraph.graph.store.collector import collector_paused
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.graph.store.view import Edge, FirstNeighbours, View
from aimsgraph.ontology import ONTOLOGY

# SQLite and Cypher count in signed 64-bit integers; a limit or offset past any graph's size
# (their sum included) is held to this, so an absurd one pages like a large one, not an error.
LARGEST_COUNT = 2**40

__all__ = ["LazyView", "ids_by_label"]


class LazyView(View):
    """Reads nodes and relationships on first use and keeps them for the question's life.

    Subclasses fetch: one node (:meth:`_fetch_node`), one node's relationships in one
    direction (:meth:`_fetch_edges`), the ids of one label (:meth:`_fetch_label`), and a
    page or a search of matching nodes (:meth:`_fetch_page`, :meth:`_fetch_search`).
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

    @abc.abstractmethod
    def _fetch_page(self, label: str, needle: str | None, status: str | None, limit: int,
                    offset: int) -> tuple[int, list[NodeKey]]:
        """:meth:`View.page` asked of the database (filtered, ordered and paged there), the
        page's nodes remembered with their properties."""

    @abc.abstractmethod
    def _fetch_search(self, needle: str, limit: int) -> list[NodeKey]:
        """:meth:`View.search` asked of the database, the nodes found remembered."""

    def page(self, label: str, needle: str | None, status: str | None, limit: int,
             offset: int) -> tuple[int, list[NodeKey]]:
        check_deadline()
        with collector_paused():
            return self._fetch_page(label, needle, status, min(limit, LARGEST_COUNT),
                                    min(offset, LARGEST_COUNT))

    def search(self, needle: str, limit: int) -> list[NodeKey]:
        check_deadline()
        with collector_paused():
            return self._fetch_search(needle, min(limit, LARGEST_COUNT))

    def close(self) -> None:
        """Release what the view holds in the store (a connection, a session)."""

    def _fetch_edges_many(self, keys: list[NodeKey], outgoing: bool
                          ) -> dict[NodeKey, list[Edge]]:
        """The relationships of several nodes; stores that can batch override this."""
        return {key: self._fetch_edges(key, outgoing) for key in keys}

    def _fetch_first_neighbours(self, keys: list[NodeKey], labels: frozenset[str],
                                most: int) -> FirstNeighbours:
        """:meth:`first_neighbours` of keys not read yet, each neighbour it returns
        remembered with its labels and properties; stores that can stop at ``most``
        override this (here every relationship of each node is read)."""
        return View.first_neighbours(self, keys, labels, most)

    def first_neighbours(self, keys: list[NodeKey], labels: frozenset[str],
                         most: int | None) -> FirstNeighbours:
        """Nodes whose relationships were read already answer from them; the others are
        asked of the store, which reads only the first ``most`` neighbours' properties."""
        if most is None:
            return super().first_neighbours(keys, labels, most)
        known = [key for key in keys if key in self._out and key in self._in]
        found = super().first_neighbours(known, labels, most) if known else {}
        missing = [key for key in dict.fromkeys(keys) if key not in found]
        if missing:
            check_deadline()
            with collector_paused():
                found.update(self._fetch_first_neighbours(missing, labels, most))
        return found

    def _fetch_ends_many(self, keys: list[NodeKey]) -> dict[NodeKey, list[tuple[str, NodeKey]]]:
        """(type, other end) of each node's outgoing relationships, without their properties
        or the other ends' (what :meth:`edges_among` needs); stores that can read less
        override this."""
        self.prefetch(keys, outgoing=True)
        return {key: [(rel_type, other) for rel_type, other, _ in self._out[key]]
                for key in keys}

    def edges_among(self, keys: set[NodeKey]) -> list[tuple[NodeKey, NodeKey, str]]:
        """Every relationship between two of ``keys``, as (start, end, type), sorted. Reads
        only the ends of the relationships it has not read already: the keys of a control's
        neighbourhood hold thousands of nodes, whose properties the caller has."""
        missing = [key for key in keys if key not in self._out]
        if missing:
            check_deadline()
        with collector_paused():
            ends = self._fetch_ends_many(missing) if missing else {}
        found = []
        for key in keys:
            known = self._out.get(key)
            for rel_type, other in (ends[key] if known is None else
                                    [(rel_type, other) for rel_type, other, _ in known]):
                if other in keys:
                    found.append((key, other, rel_type))
        return sorted(found)

    def prefetch(self, keys: Iterable[NodeKey], outgoing: bool) -> None:
        cache = self._out if outgoing else self._in
        missing = [key for key in dict.fromkeys(keys) if key not in cache]
        if missing:
            check_deadline()
            # A Statement of Applicability reads 100,000s of relationships into a growing
            # cache: each collection the reads set off walked all of it, for nothing to free.
            with collector_paused():
                cache.update(self._fetch_edges_many(missing, outgoing))

    def _node(self, key: NodeKey) -> tuple[frozenset[str], dict[str, Any]] | None:
        if key not in self._nodes:
            check_deadline()
            self._nodes[key] = self._fetch_node(key)
        return self._nodes[key]

    def nodes(self, label: str) -> list[NodeKey]:
        if label not in self._labels:
            check_deadline()
            with collector_paused():
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

    def knows(self, key: NodeKey) -> bool:
        """Whether the node has been read already: a fetcher that meets it again need not
        decode its properties (a neighbourhood meets a requirement once per control)."""
        return key in self._nodes


def ids_by_label(keys: Iterable[NodeKey]) -> dict[str, list[str]]:
    """The ids of ``keys`` under each ontology label: a store reads one label's index at a
    time."""
    by_label: dict[str, list[str]] = {}
    for label, node_id in keys:
        if ONTOLOGY.has_label(label):
            by_label.setdefault(label, []).append(node_id)
    return by_label
