"""The embedded store's targeted reads: a :class:`~graph.store.view.LazyView` over SQLite.

Each fetch is one indexed query (nodes by their primary key, relationships by theirs, which
starts with their start node, or by the ``rels_by_dst`` index), and a relationship fetch
brings the nodes at its other ends in the same query, so a walk costs one query per node it
steps from (one per 500 when a whole frontier is fetched at once, as neighbourhoods do). The
view reads from its own connection inside one read transaction: every answer comes from one
committed state, and no writer waits for it (WAL).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from aimsgraph.graph.store.embedded_sql import node_props, rel_props
from aimsgraph.graph.store.jsonio import json_value
from aimsgraph.graph.store.lazy_view import LazyView, ids_by_label
from aimsgraph.graph.store.matching import NAME_PROPERTIES
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.graph.store.view import Edge, FirstNeighbours
from aimsgraph.ontology import ONTOLOGY
from aimsgraph.ontology.values import natural_text

__all__ = ["SqlView"]

#: Ids a query asks for at once (well inside SQLite's limit on parameters).
_CHUNK = 500

#: For each derived label (Leader), the label of the nodes that may carry it (Person).
_DERIVED_OWNER = {d.label: n.label for n in ONTOLOGY.nodes for d in n.derived_labels}


#: A node's display name: its label's name property (the JSON path as a parameter).
_NAME = "json_extract(props, CASE label {} ELSE '$.name' END)".format(
    " ".join("WHEN ? THEN ?" for _ in NAME_PROPERTIES))
_NAME_PARAMS = [v for label, prop in NAME_PROPERTIES.items() for v in (label, f"$.{prop}")]
_HOLDS = f"(instr(aimsgraph_fold(id), ?) > 0 OR instr(aimsgraph_fold({_NAME}), ?) > 0)"


def _fold(value: object) -> str | None:
    return None if value is None else str(value).lower()


def _holds_params(needle: str) -> list[Any]:
    return [needle, *_NAME_PARAMS, needle]


class SqlView(LazyView):
    """Targeted reads on one SQLite connection, in one read transaction until :meth:`close`."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        super().__init__()
        self._conn = conn
        # matching and ordering as graph.store.matching does, inside the query
        conn.create_function("aimsgraph_fold", 1, _fold, deterministic=True)
        conn.create_function("aimsgraph_natural", 1, natural_text, deterministic=True)
        self._conn.execute("BEGIN")

    def close(self) -> None:
        try:
            self._conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass
        self._conn.close()

    def _fetch_node(self, key: NodeKey) -> tuple[frozenset[str], dict[str, Any]] | None:
        row = self._conn.execute("SELECT labels, props FROM nodes WHERE label = ? AND id = ?",
                                 key).fetchone()
        if row is None:
            return None
        return frozenset(json_value(row[0])), node_props(key[0], row[1])

    def _fetch_edges(self, key: NodeKey, outgoing: bool) -> list[Edge]:
        return self._fetch_edges_many([key], outgoing)[key]

    def _batched(self, keys: list[NodeKey], sql: str,
                 params: Callable[[str, list[str]], list[Any]] = lambda label, ids: [label, *ids]
                 ) -> Iterator[tuple[str, Any]]:
        """(label, row) for the rows of ``sql`` run from ``keys``, one query per label and 500
        ids: ``{ids}`` in it stands for the ids' placeholders, and its parameters are
        ``params(label, ids)`` (the label, then the ids, unless given)."""
        for label, ids in ids_by_label(keys).items():
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start:start + _CHUNK]
                for row in self._conn.execute(sql.format(ids=",".join("?" * len(chunk))),
                                              params(label, chunk)):
                    yield label, row

    def _fetch_edges_many(self, keys: list[NodeKey], outgoing: bool
                          ) -> dict[NodeKey, list[Edge]]:
        """The relationships of many nodes at once (a neighbourhood two steps out of a
        requirement reaches thousands of nodes)."""
        near, far = ("src", "dst") if outgoing else ("dst", "src")
        found: dict[NodeKey, list[Edge]] = {key: [] for key in keys}
        for label, row in self._batched(
                keys, f"SELECT r.{near}_id, r.type, r.{far}_label, r.{far}_id, r.props, "
                f"n.labels, n.props FROM rels r LEFT JOIN nodes n "
                f"ON n.label = r.{far}_label AND n.id = r.{far}_id "
                f"WHERE r.{near}_label = ? AND r.{near}_id IN ({{ids}}) "
                f"ORDER BY r.{near}_id, r.type, r.{far}_label, r.{far}_id"):
            node_id, rel_type, other_label, other_id, props, labels, other_props = row
            other = (other_label, other_id)
            if labels is not None and not self.knows(other):
                self.remember(other, frozenset(json_value(labels)),
                              node_props(other_label, other_props))
            found[(label, node_id)].append((rel_type, other, rel_props(rel_type, props)))
        return found

    def _fetch_first_neighbours(self, keys: list[NodeKey], labels: frozenset[str],
                                most: int) -> FirstNeighbours:
        """SQLite ranks each node's neighbours by (label, id) from the two indexes of
        relationships and reads the first ``most`` nodes only, with the count of all."""
        wanted = sorted(labels)
        only = f"WHERE l IN ({','.join('?' * len(wanted))})" if wanted else ""
        found: FirstNeighbours = {key: ([], 0) for key in keys}
        for label, (at, other_label, other_id, total, labels_text, props) in self._batched(
                keys, "WITH hits AS (SELECT src_id AS at, dst_label AS l, dst_id AS i "
                "FROM rels WHERE src_label = ? AND src_id IN ({ids}) UNION "
                "SELECT dst_id, src_label, src_id FROM rels "
                "WHERE dst_label = ? AND dst_id IN ({ids})), "
                "ranked AS (SELECT at, l, i, ROW_NUMBER() OVER (PARTITION BY at "
                "ORDER BY l, i) AS place, COUNT(*) OVER (PARTITION BY at) AS total "
                f"FROM hits {only}) "
                "SELECT at, l, i, total, n.labels, n.props FROM ranked "
                "LEFT JOIN nodes n ON n.label = l AND n.id = i "
                "WHERE place <= ? ORDER BY at, place",
                lambda label, ids: [label, *ids, label, *ids, *wanted, most]):
            other = (other_label, other_id)
            if labels_text is not None and not self.knows(other):
                self.remember(other, frozenset(json_value(labels_text)),
                              node_props(other_label, props))
            first, _ = found[(label, at)]
            first.append(other)
            found[(label, at)] = (first, total)
        return found

    def _fetch_ends_many(self, keys: list[NodeKey]) -> dict[NodeKey, list[tuple[str, NodeKey]]]:
        found: dict[NodeKey, list[tuple[str, NodeKey]]] = {key: [] for key in keys}
        for label, (node_id, rel_type, other_label, other_id) in self._batched(
                keys, "SELECT src_id, type, dst_label, dst_id FROM rels "
                "WHERE src_label = ? AND src_id IN ({ids})"):
            found[(label, node_id)].append((rel_type, (other_label, other_id)))
        return found

    def _fetch_label(self, label: str) -> list[NodeKey]:
        owner = _DERIVED_OWNER.get(label, label)
        keys = []
        for node_id, labels, props in self._conn.execute(
                "SELECT id, labels, props FROM nodes WHERE label = ? ORDER BY id", (owner,)):
            carried = frozenset(json_value(labels))
            if label in carried:  # the properties come along: lists filter and name them
                keys.append((owner, node_id))
                self.remember(keys[-1], carried, node_props(owner, props))
        return keys

    def _fetch_page(self, label: str, needle: str | None, status: str | None, limit: int,
                    offset: int) -> tuple[int, list[NodeKey]]:
        owner = _DERIVED_OWNER.get(label, label)
        where, params = ["label = ?"], [owner]
        if owner != label:
            where.append("EXISTS (SELECT 1 FROM json_each(labels) WHERE value = ?)")
            params.append(label)
        if needle:
            where.append(_HOLDS)
            params += _holds_params(needle)
        if status:
            where.append("json_extract(props, '$.status') = ?")
            params.append(status)
        condition = " AND ".join(where)
        total = self._conn.execute(f"SELECT COUNT(*) FROM nodes WHERE {condition}",
                                   params).fetchone()[0]
        return total, self._remembered(self._conn.execute(
            f"SELECT label, id, labels, props FROM nodes WHERE {condition} "
            "ORDER BY aimsgraph_natural(id), id LIMIT ? OFFSET ?", [*params, limit, offset]))

    def _fetch_search(self, needle: str, limit: int) -> list[NodeKey]:
        return self._remembered(self._conn.execute(
            f"SELECT label, id, labels, props FROM nodes WHERE {_HOLDS} ORDER BY "
            "CASE WHEN aimsgraph_fold(id) = ? THEN 0 WHEN substr(aimsgraph_fold(id), 1, ?) = ? "
            "THEN 1 ELSE 2 END, label, aimsgraph_natural(id), id LIMIT ?",
            [*_holds_params(needle), needle, len(needle), needle, limit]))

    def _remembered(self, rows: Iterator[tuple[str, str, str, str]]) -> list[NodeKey]:
        keys = []
        for label, node_id, labels, props in rows:
            keys.append((label, node_id))
            self.remember(keys[-1], frozenset(json_value(labels)), node_props(label, props))
        return keys
