"""The Neo4j store's targeted reads: a :class:`~graph.view.LazyView` over Cypher.

Each fetch is one query that starts from a node looked up by its label and ``id`` (the
uniqueness constraint's index), and a relationship fetch returns the nodes at the other ends
with it; so a page or an SoA reads what it shows, never the whole database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from graph.records import NodeKey
from graph.view import Edge, LazyView, ids_by_label, primary_label
from ontology import ONTOLOGY

__all__ = ["PAGE", "CypherView", "Rows", "native", "one_record", "pages", "plain_props",
           "run_rows"]

#: A read that returns the rows of ``cypher`` (whose RETURN gives ``columns``) as dicts:
#: ``rows(cypher, columns, **params)``.
Rows = Callable[..., list[dict[str, Any]]]
_TYPES = list(ONTOLOGY.relationship_types)
_BATCH = 1000
PAGE = 20_000  # ids a paged read sends at most (:func:`pages`)


_PLAIN = frozenset({str, int, float, bool, type(None)})


def native(value: Any) -> Any:
    """A value from the driver as a Python value, at any depth: Neo4j dates as
    ``datetime.date``, nodes and relationships as their property maps.

    Exact type tests first: most values are strings and numbers, and the driver's own
    ``Record.data()`` spent half the time of a gap report testing every value against
    abstract classes.
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is list:
        return [native(v) for v in value]
    if kind is dict:
        return {k: native(v) for k, v in value.items()}
    if hasattr(value, "to_native"):
        return value.to_native()
    if hasattr(value, "element_id"):  # a node or relationship: its properties
        return {k: native(v) for k, v in value.items()}
    return value


def one_record(cypher: str, columns: Sequence[str]) -> str:
    """``cypher``, a read query whose RETURN gives ``columns``, rewritten to send all its rows
    as one record: a list of ``[value, ...]`` in the query's order.

    The Python driver reads every record as its own message, a few system calls and Python
    calls each, about 40 microseconds: 100,000 rows took 4 s of the client's time, whatever
    the server did. As one list they take 0.2-0.5 s. The server holds the list while it sends
    it, so callers keep each read to what a batch of ids or one check returns.
    """
    return f"CALL () {{\n{cypher}\n}}\nRETURN collect([{', '.join(columns)}]) AS rows"


def run_rows(tx: Any, cypher: str, columns: tuple[str, ...], params: dict[str, Any],
             converted: bool = True) -> list[dict[str, Any]]:
    """Run ``cypher`` (RETURN gives ``columns``) on a driver transaction ``tx``, its rows sent
    as one record (:func:`one_record`); values made :func:`native` unless not ``converted``
    (rows known to hold only text, numbers, lists and maps, or converted by the caller)."""
    record = tx.run(one_record(cypher, columns), params).single(strict=True)
    if not converted:
        return [dict(zip(columns, row, strict=True)) for row in record[0]]
    return [dict(zip(columns, map(native, row), strict=True)) for row in record[0]]


def pages(rows: Rows, cypher: str, columns: tuple[str, ...], key: str, size: int = PAGE,
          **params: Any) -> Iterator[list[dict[str, Any]]]:
    """The rows of ``cypher`` a page at a time, by keyset: the query takes ``$after`` and
    ``$page``, returns the rows of the ``$page`` ids after ``$after`` in id order, and names
    that id ``key``. A page with fewer than ``size`` ids is the last. Each page is an index
    range, and the server holds no more than a page."""
    after = ""
    while True:
        page = rows(cypher, columns, after=after, page=size, **params)
        yield page
        if len({row[key] for row in page}) < size:
            return
        after = page[-1][key]


def plain_props(raw: dict[str, Any]) -> dict[str, Any]:
    """Properties as Python values, ``id`` left out (it is part of the key)."""
    return {k: native(v) for k, v in raw.items() if k != "id"}


class CypherView(LazyView):
    """Targeted reads through ``rows`` (the store's read-query function, its values as the
    driver gives them: the view converts what it keeps, with :func:`plain_props`)."""

    def __init__(self, rows: Rows) -> None:
        super().__init__()
        self._rows = rows
        self._close: Callable[[], None] = lambda: None

    def close_with(self, close: Callable[[], None]) -> None:
        """What :meth:`close` releases (a transaction and its session)."""
        self._close = close

    def close(self) -> None:
        self._close()

    def _fetch_node(self, key: NodeKey) -> tuple[frozenset[str], dict[str, Any]] | None:
        if not ONTOLOGY.has_label(key[0]):
            return None
        rows = self._rows(f"MATCH (n:`{key[0]}` {{id: $id}}) "
                          "RETURN labels(n) AS labels, properties(n) AS props",
                          ("labels", "props"), id=key[1])
        if not rows:
            return None
        return frozenset(rows[0]["labels"]), plain_props(rows[0]["props"])

    def _fetch_edges(self, key: NodeKey, outgoing: bool) -> list[Edge]:
        return self._fetch_edges_many([key], outgoing)[key]

    def _batched(self, keys: list[NodeKey], match: str, columns: tuple[str, ...]
                 ) -> Iterator[tuple[str, dict[str, Any]]]:
        """(label, row) for the rows of ``match`` (its start node ``n``, relationship ``r``,
        other end ``m``) run from ``keys``: one query per label and thousand nodes, instead
        of one per node."""
        for label, ids in ids_by_label(keys).items():
            for start in range(0, len(ids), _BATCH):
                for row in self._rows(f"MATCH (n:`{label}`) WHERE n.id IN $ids {match}",
                                      columns, ids=ids[start:start + _BATCH], types=_TYPES):
                    yield label, row

    def _fetch_edges_many(self, keys: list[NodeKey], outgoing: bool
                          ) -> dict[NodeKey, list[Edge]]:
        """Each node at the other end comes once with its relationships to these nodes (two
        steps out of a control, thousands of relationships lead to one requirement)."""
        found: dict[NodeKey, list[Edge]] = {key: [] for key in keys}
        arrow = "-[r]->" if outgoing else "<-[r]-"
        for label, row in self._batched(
                keys, f"MATCH (n){arrow}(m) WHERE type(r) IN $types "
                "WITH m, collect([n.id, type(r), properties(r)]) AS edges "
                "RETURN labels(m) AS labels, m.id AS id, properties(m) AS props, edges",
                ("labels", "id", "props", "edges")):
            other_label = primary_label(row["labels"])
            if other_label is None:
                continue
            other = (other_label, row["id"])
            if not self.knows(other):
                self.remember(other, frozenset(row["labels"]), plain_props(row["props"]))
            for at, rel_type, rel in row["edges"]:
                found[(label, at)].append((rel_type, other, plain_props(rel)))
        for edges in found.values():
            edges.sort(key=lambda e: (e[0], e[1]))
        return found

    def _fetch_ends_many(self, keys: list[NodeKey]) -> dict[NodeKey, list[tuple[str, NodeKey]]]:
        found: dict[NodeKey, list[tuple[str, NodeKey]]] = {key: [] for key in keys}
        for label, row in self._batched(
                keys, "MATCH (n)-[r]->(m) WHERE type(r) IN $types "
                "RETURN n.id AS at, type(r) AS type, labels(m) AS labels, m.id AS id",
                ("at", "type", "labels", "id")):
            other_label = primary_label(row["labels"])
            if other_label is not None:
                found[(label, row["at"])].append((row["type"], (other_label, row["id"])))
        return found

    def _fetch_label(self, label: str) -> list[NodeKey]:
        if not ONTOLOGY.has_label(label) and label not in ONTOLOGY.derived_labels:
            return []
        keys: list[NodeKey] = []
        for page in pages(self._rows, f"MATCH (n:`{label}`) WHERE n.id > $after RETURN "
                          "labels(n) AS labels, n.id AS id, properties(n) AS props "
                          "ORDER BY n.id LIMIT $page", ("labels", "id", "props"), "id"):
            for row in page:  # the properties come along: lists filter and name what they list
                own = primary_label(row["labels"])
                if own is not None:
                    keys.append((own, row["id"]))
                    self.remember(keys[-1], frozenset(row["labels"]), plain_props(row["props"]))
        return keys
