"""The Neo4j store's targeted reads: a :class:`~graph.store.view.LazyView` over Cypher.

Each fetch is one query that starts from a node looked up by its label and ``id`` (the
uniqueness constraint's index), or by the element id it was read with, and a relationship
fetch returns the nodes at the other ends with it; so a page or an SoA reads what it shows,
never the whole database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from aimsgraph.graph.store.budget import check_deadline
from aimsgraph.graph.store.lazy_view import LazyView, ids_by_label
from aimsgraph.graph.store.neo4j_matching import (
    MATCH_PARAMS,
    count_cypher,
    page_cypher,
    search_cypher,
)
from aimsgraph.graph.store.records import NodeKey, rel_identity
from aimsgraph.graph.store.view import Edge, FirstNeighbours, primary_label
from aimsgraph.ontology import ONTOLOGY

__all__ = ["PAGE", "CypherView", "Rows", "native", "one_record", "pages", "plain_props",
           "run_rows"]

#: A read that returns the rows of ``cypher`` (whose RETURN gives ``columns``) as dicts:
#: ``rows(cypher, columns, **params)``.
Rows = Callable[..., list[dict[str, Any]]]
_TYPES = list(ONTOLOGY.relationship_types)
_BATCH = 1000
PAGE = 20_000  # ids a paged read sends at most (:func:`pages`)
#: Relationships one read of nodes' edges returns at most, as one record (``_fetch_edges_many``).
EDGES = 20_000


_PLAIN = frozenset({str, int, float, bool, type(None)})


def TYPE(v: str, among: Sequence[str] = ()) -> str:  # noqa: N802
    """The ontology label of node ``v`` (not a derived one such as Leader). Given the labels
    ``v`` may have (``among``), a test of each, which costs the server far less than
    filtering the node's label list."""
    if among:
        return f"CASE {' '.join(f'WHEN {v}:{label} THEN {label!r}' for label in among)} END"
    labels = ", ".join(f"'{known}'" for known in ONTOLOGY.labels)
    return f"head([l IN labels({v}) WHERE l IN [{labels}]])"


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
        # Every node read is noted with its element id (valid for the view's transaction): a
        # frontier of many labels is then read in one query by element id, not one per label.
        self._element_ids: dict[NodeKey, str] = {}
        self._keys: dict[str, NodeKey] = {}

    def close_with(self, close: Callable[[], None]) -> None:
        """What :meth:`close` releases (a transaction and its session)."""
        self._close = close

    def close(self) -> None:
        self._close()

    def _note(self, key: NodeKey, element_id: str) -> None:
        self._element_ids[key] = element_id
        self._keys[element_id] = key

    def _met(self, labels: list[str], node_id: str, props: dict[str, Any],
             element_id: str) -> NodeKey | None:
        """The key of a node a read returned, noted and remembered with its labels and
        properties (converted only the first time), or None when it carries no label of the
        ontology."""
        label = primary_label(labels)
        if label is None:
            return None
        key = (label, node_id)
        self._note(key, element_id)
        if not self.knows(key):
            self.remember(key, frozenset(labels), plain_props(props))
        return key

    def _fetch_node(self, key: NodeKey) -> tuple[frozenset[str], dict[str, Any]] | None:
        if not ONTOLOGY.has_label(key[0]):
            return None
        rows = self._rows(f"MATCH (n:`{key[0]}` {{id: $id}}) RETURN labels(n) AS labels, "
                          "properties(n) AS props, elementId(n) AS eid",
                          ("labels", "props", "eid"), id=key[1])
        if not rows:
            return None
        self._note(key, rows[0]["eid"])
        return frozenset(rows[0]["labels"]), plain_props(rows[0]["props"])

    def _fetch_edges(self, key: NodeKey, outgoing: bool) -> list[Edge]:
        return self._fetch_edges_many([key], outgoing)[key]

    def _found_element_ids(self, keys: list[NodeKey]) -> list[str]:
        """The element ids of those of ``keys`` that exist; the ones not read yet are looked
        up by label and id (a query a label and thousand ids)."""
        for label, ids in ids_by_label(k for k in keys if k not in self._element_ids).items():
            for start in range(0, len(ids), _BATCH):
                for row in self._rows(f"MATCH (n:`{label}`) WHERE n.id IN $ids "
                                      "RETURN n.id AS id, elementId(n) AS eid", ("id", "eid"),
                                      ids=ids[start:start + _BATCH]):
                    self._note((label, row["id"]), row["eid"])
        return [self._element_ids[k] for k in dict.fromkeys(keys) if k in self._element_ids]

    def _batched(self, keys: list[NodeKey], match: str, columns: tuple[str, ...],
                 **params: Any) -> Iterator[dict[str, Any]]:
        """The rows of ``match`` (its start node ``n``, relationship ``r``, other end ``m``)
        run from ``keys``, found by element id: one query a thousand nodes, whatever their
        labels, instead of one a node. The rows name ``n`` by its element id (:meth:`_key`)."""
        return self._batched_ids(self._found_element_ids(keys), match, columns, **params)

    def _batched_ids(self, element_ids: list[str], match: str, columns: tuple[str, ...],
                     **params: Any) -> Iterator[dict[str, Any]]:
        for start in range(0, len(element_ids), _BATCH):
            yield from self._rows(f"MATCH (n) WHERE elementId(n) IN $eids {match}", columns,
                                  eids=element_ids[start:start + _BATCH], types=_TYPES,
                                  **params)

    def _key(self, element_id: str) -> NodeKey:
        return self._keys[element_id]

    def _by_degree(self, element_ids: list[str], arrow: str
                   ) -> tuple[list[list[str]], list[str]]:
        """``element_ids`` in groups of at most :data:`EDGES` relationships along ``arrow``
        (and at most a batch of ids), and the nodes with more than that, each alone."""
        together: list[list[str]] = [[]]
        alone: list[str] = []
        held = 0
        for row in self._batched_ids(
                element_ids, f"RETURN elementId(n) AS at, "
                f"COUNT {{ (n){arrow}() WHERE type(r) IN $types }} AS degree", ("at", "degree")):
            degree = int(row["degree"])
            if degree > EDGES:
                alone.append(row["at"])
                continue
            if together[-1] and (held + degree > EDGES or len(together[-1]) >= _BATCH):
                together.append([])
                held = 0
            together[-1].append(row["at"])
            held += degree
        return [eids for eids in together if eids], alone

    def _edges_of(self, row: dict[str, Any], found: dict[NodeKey, list[Edge]]
                  ) -> tuple[int, str]:
        """Add a row's relationships to ``found``; how many it held, and the greatest of
        their element ids (where a page of one node's relationships ends)."""
        other = self._met(row["labels"], row["id"], row["props"], row["eid"])
        if other is not None:
            for at, rel_type, rel, _ in row["edges"]:
                found[self._key(at)].append((rel_type, other, plain_props(rel)))
        return len(row["edges"]), max((e[3] for e in row["edges"]), default="")

    def _fetch_first_neighbours(self, keys: list[NodeKey], labels: frozenset[str],
                                most: int) -> FirstNeighbours:
        """The server orders each node's neighbours by (label, id) and sends the properties
        of the first ``most`` only, with the count of all."""
        found: FirstNeighbours = {key: ([], 0) for key in keys}
        for row in self._batched(
                keys, "CALL (n) { MATCH (n)-[r]-(m) WHERE type(r) IN $types "
                f"WITH DISTINCT m WITH m, {TYPE('m')} AS label "
                "WHERE size($wanted) = 0 OR label IN $wanted "
                "WITH m, label ORDER BY label, m.id "
                "WITH collect(m) AS ms, count(*) AS total RETURN total, "
                "[m IN ms[..$most] | [labels(m), m.id, properties(m), elementId(m)]] AS first "
                "} RETURN elementId(n) AS at, total, first", ("at", "total", "first"),
                wanted=sorted(labels), most=most):
            first = []
            for carried, node_id, props, element_id in row["first"]:
                other = self._met(carried, node_id, props, element_id)
                if other is not None:
                    first.append(other)
            found[self._key(row["at"])] = (first, row["total"])
        return found

    def _fetch_edges_many(self, keys: list[NodeKey], outgoing: bool
                          ) -> dict[NodeKey, list[Edge]]:
        """Each node at the other end comes once with its relationships to these nodes (two
        steps out of a control, thousands of relationships lead to one requirement).

        The server holds a read's one record while it sends it, inside its transaction
        memory (by default 70% of the heap): nodes are read together up to :data:`EDGES`
        relationships, and a node with more (an Annex A control that 300,000 controls
        implement) a page of relationships at a time."""
        found: dict[NodeKey, list[Edge]] = {key: [] for key in keys}
        arrow = "-[r]->" if outgoing else "<-[r]-"
        group = ("WITH m, collect([elementId(n), type(r), properties(r), elementId(r)]) AS "
                 "edges RETURN labels(m) AS labels, m.id AS id, properties(m) AS props, "
                 "elementId(m) AS eid, edges")
        columns = ("labels", "id", "props", "eid", "edges")
        element_ids = self._found_element_ids(keys)
        # one node is read by pages at once: a page is one read when it has few relationships
        together, alone = (([], element_ids) if len(element_ids) == 1
                           else self._by_degree(element_ids, arrow))
        for eids in together:
            for row in self._batched_ids(eids, f"MATCH (n){arrow}(m) WHERE type(r) IN $types "
                                               f"{group}", columns):
                self._edges_of(row, found)
        for eid in alone:
            after = ""
            while True:
                rows = self._rows(
                    f"MATCH (n) WHERE elementId(n) = $eid MATCH (n){arrow}(m) "
                    "WHERE type(r) IN $types AND elementId(r) > $after "
                    f"WITH n, r, m ORDER BY elementId(r) LIMIT $page {group}",
                    columns, eid=eid, types=_TYPES, after=after, page=EDGES)
                last = [self._edges_of(row, found) for row in rows]
                if sum(n for n, _ in last) < EDGES:
                    break
                after = max(at for _, at in last)
        for edges in found.values():  # repeated facts by identity, as the embedded store
            edges.sort(key=lambda e: (e[0], e[1], rel_identity(e[0], e[2])))
        return found

    def edges_among(self, keys: set[NodeKey]) -> list[tuple[NodeKey, NodeKey, str]]:
        """One query for the relationships among ``keys``, whatever was read before: the
        server keeps only those whose other end is among them (two steps out of a control,
        fewer than a third of what leaves its nodes). The walk goes out of each node: left to
        itself the planner may start from the other ends instead, and a requirement among
        them has thousands of relationships coming in."""
        check_deadline()
        among = self._found_element_ids(list(keys))
        found = [(self._key(row["at"]), self._key(row["other"]), row["type"])
                 for row in self._batched_ids(
                     among, "CALL (n) { MATCH (n)-[r]->(m) WHERE type(r) IN $types RETURN r, m } "
                     "WITH n, r, m WHERE elementId(m) IN $among "
                     "RETURN elementId(n) AS at, type(r) AS type, elementId(m) AS other",
                     ("at", "type", "other"), among=among)]
        return sorted(found)

    def _fetch_label(self, label: str) -> list[NodeKey]:
        if not ONTOLOGY.has_label(label) and label not in ONTOLOGY.derived_labels:
            return []
        keys: list[NodeKey] = []
        for page in pages(self._rows, f"MATCH (n:`{label}`) WHERE n.id > $after RETURN "
                          "labels(n) AS labels, n.id AS id, properties(n) AS props, "
                          "elementId(n) AS eid ORDER BY n.id LIMIT $page",
                          ("labels", "id", "props", "eid"), "id"):
            for row in page:  # the properties come along: lists filter and name what they list
                own = self._met(row["labels"], row["id"], row["props"], row["eid"])
                if own is not None:
                    keys.append(own)
        return keys

    def _fetch_page(self, label: str, needle: str | None, status: str | None, limit: int,
                    offset: int) -> tuple[int, list[NodeKey]]:
        owner = next((n.label for n in ONTOLOGY.nodes
                      if label in {d.label for d in n.derived_labels}), label)
        if not ONTOLOGY.has_label(owner):
            return 0, []
        shape = (label, owner, bool(needle), bool(status))
        asked = {"needle": needle, "status": status}
        total = self._rows(count_cypher(*shape), ("total",), **asked)[0]["total"]
        return total, self._met_rows(self._rows(
            page_cypher(*shape), ("labels", "id", "props", "eid"), **asked, **MATCH_PARAMS,
            offset=offset, limit=limit))

    def _fetch_search(self, needle: str, limit: int) -> list[NodeKey]:
        return self._met_rows(self._rows(search_cypher, ("labels", "id", "props", "eid"),
                                         needle=needle, limit=limit, **MATCH_PARAMS))

    def _met_rows(self, rows: list[dict[str, Any]]) -> list[NodeKey]:
        keys = []
        for row in rows:
            key = self._met(row["labels"], row["id"], row["props"], row["eid"])
            if key is not None:
                keys.append(key)
        return keys
