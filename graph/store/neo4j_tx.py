"""The Neo4j store's transactions: batch reads by key and the one write primitive, in Cypher
generated from the ontology (:mod:`graph.store.cypher_writes`), over a driver transaction."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import neo4j

from aimsgraph.graph.store import cypher_writes as cw
from aimsgraph.graph.store.interface import (
    WriteTransaction,
)
from aimsgraph.graph.store.jsonio import json_text
from aimsgraph.graph.store.ledger_pages import Page
from aimsgraph.graph.store.neo4j_view import (
    plain_props,
    run_rows,
)
from aimsgraph.graph.store.records import ChangeSet, NodeKey, NodeRecord, RelKey, RelRecord
from aimsgraph.graph.store.runs import RunRecord
from aimsgraph.graph.store.view import primary_label
from aimsgraph.ontology import (
    ONTOLOGY,
)

__all__ = ["ALL_LABELS", "BATCH", "LABELS", "DriverTransaction", "batches"]

BATCH = 5000


LABELS = frozenset(ONTOLOGY.labels)


ALL_LABELS = sorted(LABELS | set(ONTOLOGY.derived_labels))


class Batch(list[Any]):
    """A batch of query parameters (rows, ids) as sent: a list that names itself briefly.

    The driver spells out every query's parameters for its debug log before it knows
    whether anyone is listening: writing 10,000 AI systems spent about 0.4 s of the
    client's time on text nobody read. A debug log now shows ``<1000 rows>`` instead,
    which also keeps the graph's contents out of it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


def batches(rows: list[Any], size: int = BATCH) -> Iterator[Batch]:
    """``rows`` in batches of ``size``, as sent."""
    iterator = iter(rows)
    while chunk := Batch(islice(iterator, size)):
        yield chunk


class DriverTransaction(WriteTransaction):
    """A GraphStore transaction over a driver transaction (explicit or managed)."""

    def __init__(self, tx: neo4j.Transaction | neo4j.ManagedTransaction,
                 writes: bool = False) -> None:
        self._tx = tx
        self._writes = writes

    def _rows(self, query: str, columns: tuple[str, ...], **params: Any) -> list[dict[str, Any]]:
        """The rows of ``query`` (RETURN gives ``columns``), sent as one record; the callers
        convert the values they keep."""
        return run_rows(self._tx, query, columns, params, converted=False)

    def get_nodes(self, label: str, ids: Iterable[str]) -> dict[str, NodeRecord]:
        if not ONTOLOGY.has_label(label):
            return {}
        found = {}
        for chunk in batches(list(dict.fromkeys(ids))):
            for record in self._rows(f"MATCH (n:`{label}`) WHERE n.id IN $ids "
                                     "RETURN n.id AS id, labels(n) AS labels, "
                                     "properties(n) AS props", ("id", "labels", "props"),
                                     ids=chunk):
                found[record["id"]] = NodeRecord(label, record["id"], frozenset(record["labels"]),
                                                 plain_props(record["props"]))
        return found

    def labels_by_id(self, ids: Iterable[str],
                     among: Iterable[str] | None = None) -> dict[str, set[str]]:
        wanted = list(dict.fromkeys(ids))
        found: dict[str, set[str]] = {}
        if not wanted:
            return found
        for label in ONTOLOGY.labels if among is None else sorted(set(among)):
            if not ONTOLOGY.has_label(label):
                continue
            for chunk in batches(wanted):
                for record in self._rows(f"MATCH (n:`{label}`) WHERE n.id IN $ids "
                                         "RETURN n.id AS id", ("id",), ids=chunk):
                    found.setdefault(record["id"], set()).add(label)
        return found

    def lease(self) -> str | None:
        # In a write transaction the lease node (unique by key) is written before it is read,
        # which locks it: two writers taking the lease at once are serialised, never both
        # granted it.
        query = (f"MERGE (s:{cw.STATE_LABEL} {{key: 'writer'}}) SET s.locked_at = timestamp() "
                 "RETURN s.holder AS holder") if self._writes else (
                 f"OPTIONAL MATCH (s:{cw.STATE_LABEL} {{key: 'writer'}}) "
                 "RETURN s.holder AS holder")
        rows = self._rows(query, ("holder",))
        holder = rows[0]["holder"] if rows else None
        return str(holder) if holder else None

    def set_lease(self, text: str | None) -> None:
        self._tx.run(f"MERGE (s:{cw.STATE_LABEL} {{key: 'writer'}}) SET s.holder = $text",
                     text=text).consume()

    def forget_changes(self, run_id: str) -> None:
        self._tx.run(f"MATCH (c:{cw.CHANGE_LABEL} {{run_id: $run_id}}) DETACH DELETE c",
                     run_id=run_id).consume()

    def requirements_by_urn(self, urns: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in batches(list(dict.fromkeys(urns))):
            for record in self._rows("MATCH (n:Requirement) WHERE n.urn IN $urns "
                                     "RETURN n.urn AS urn, n.id AS id", ("urn", "id"),
                                     urns=chunk):
                found[record["urn"]] = record["id"]
        return found

    def get_relationships(self, keys: Iterable[RelKey]) -> dict[RelKey, RelRecord]:
        # One index seek per start node, then expand: cheaper than matching both ends per
        # row. Pairs that were not asked for are dropped here.
        groups: dict[tuple[str, str, str], set[tuple[str, str]]] = defaultdict(set)
        asked = set(keys)
        for key in asked:
            groups[(key[0], key[1][0], key[2][0])].add((key[1][1], key[2][1]))
        found: dict[RelKey, RelRecord] = {}
        for (rel_type, start, end), pairs in groups.items():
            if not (ONTOLOGY.has_relationship(rel_type) and ONTOLOGY.has_label(start)
                    and ONTOLOGY.has_label(end)):
                continue
            starts = sorted({s for s, _ in pairs})
            for chunk in batches(starts):
                for record in self._rows(
                        f"MATCH (a:`{start}`)-[r:`{rel_type}`]->(b:`{end}`) "
                        "WHERE a.id IN $ids "
                        "RETURN a.id AS start, b.id AS end, properties(r) AS props",
                        ("start", "end", "props"), ids=chunk):
                    rel = RelRecord(rel_type, (start, record["start"]), (end, record["end"]),
                                    plain_props(record["props"]))
                    if rel.key in asked:
                        found[rel.key] = rel
        return found

    def targets(self, rel_type: str, starts: Iterable[NodeKey]) -> dict[NodeKey, set[NodeKey]]:
        found: dict[NodeKey, set[NodeKey]] = {}
        if not ONTOLOGY.has_relationship(rel_type):
            return found
        by_label: dict[str, list[str]] = defaultdict(list)
        for label, node_id in dict.fromkeys(starts):
            by_label[label].append(node_id)
        for label, ids in by_label.items():
            if not ONTOLOGY.has_label(label):
                continue
            for chunk in batches(ids):
                for r in self._rows(f"MATCH (a:`{label}`)-[:`{rel_type}`]->(b) "
                                    "WHERE a.id IN $ids RETURN a.id AS id, labels(b) AS bl, "
                                    "b.id AS bid", ("id", "bl", "bid"), ids=chunk):
                    end = primary_label(r["bl"])
                    if end:
                        found.setdefault((label, r["id"]), set()).add((end, r["bid"]))
        return found

    def attached(self, nodes: Iterable[NodeKey]) -> list[RelRecord]:
        by_label: dict[str, list[str]] = defaultdict(list)
        for label, node_id in dict.fromkeys(nodes):
            by_label[label].append(node_id)
        found: dict[RelKey, RelRecord] = {}
        for label, ids in by_label.items():
            if not ONTOLOGY.has_label(label):
                continue
            for chunk in batches(ids):
                for r in self._rows(
                        f"MATCH (n:`{label}`)-[r]-() WHERE n.id IN $ids "
                        "RETURN DISTINCT type(r) AS type, labels(startNode(r)) AS al, "
                        "startNode(r).id AS aid, labels(endNode(r)) AS bl, endNode(r).id AS bid, "
                        "properties(r) AS props", ("type", "al", "aid", "bl", "bid", "props"),
                        ids=chunk):
                    start, end = primary_label(r["al"]), primary_label(r["bl"])
                    if start and end:
                        rel = RelRecord(r["type"], (start, r["aid"]), (end, r["bid"]),
                                        plain_props(r["props"]))
                        found[rel.key] = rel
        return list(found.values())

    def owned_by(self, sync_source: str) -> tuple[list[NodeKey], list[RelKey]]:
        nodes: list[NodeKey] = []
        for label in ONTOLOGY.labels:
            nodes += [(label, r["id"]) for r in self._rows(
                f"MATCH (n:`{label}`) WHERE n.sync_source = $source RETURN n.id AS id",
                ("id",), source=sync_source)]
        rels: list[RelKey] = []
        # streamed, not sent as one list: a source may own every relationship of the graph
        for record in self._tx.run(
                "MATCH (a)-[r]->(b) WHERE r.sync_source = $source RETURN type(r) AS type, "
                "labels(a) AS al, a.id AS aid, labels(b) AS bl, b.id AS bid, "
                "properties(r) AS props", source=sync_source):
            start, end = primary_label(record["al"]), primary_label(record["bl"])
            if start and end:
                rels.append(RelRecord(record["type"], (start, record["aid"]),
                                      (end, record["bid"]), plain_props(record["props"])).key)
        return nodes, rels

    def apply(self, changes: ChangeSet) -> None:
        # what the plan found absent is created without being looked for (see NodeRecord)
        node_groups: dict[tuple[str, frozenset[str], bool], list[dict[str, Any]]] = \
            defaultdict(list)
        for node in changes.upsert_nodes:
            node_groups[(node.label, node.labels, node.new)].append(
                {"id": node.id, "props": node.props})
        for (label, labels, new), rows in node_groups.items():
            query = (cw.create_nodes if new else cw.merge_nodes)(label, labels)
            for chunk in batches(rows):
                self._tx.run(query, {"rows": chunk}).consume()
                # the driver keeps a query's result, and its parameters with it, in a
                # reference cycle only the collector frees (and an ingest pauses it): the
                # rows are given back once sent (a retried transaction makes them again)
                chunk.clear()
        rel_groups: dict[tuple[str, str, str, bool], list[dict[str, Any]]] = defaultdict(list)
        for rel in changes.upsert_rels:
            rel_groups[(rel.type, rel.start[0], rel.end[0], rel.new)].append(
                {"start": rel.start[1], "end": rel.end[1], "ident": rel.identity,
                 "props": rel.props})
        for (rel_type, start, end, new), rows in rel_groups.items():
            query = (cw.create_relationships if new else cw.merge_relationships)(
                rel_type, start, end)
            for chunk in batches(rows):
                self._tx.run(query, {"rows": chunk}).consume()
                chunk.clear()
        removals: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for rel_type, (sl, sid), (el, eid), ident in changes.remove_rels:
            removals[(rel_type, sl, el)].append({"start": sid, "end": eid, "ident": ident})
        for (rel_type, start, end), rows in removals.items():
            for chunk in batches(rows):
                self._tx.run(cw.delete_relationships(rel_type, start, end),
                             {"rows": chunk}).consume()
        by_label: dict[str, list[str]] = defaultdict(list)
        for label, node_id in changes.remove_nodes:
            by_label[label].append(node_id)
        for label, ids in by_label.items():
            for chunk in batches(ids):
                self._tx.run(cw.delete_nodes(label), {"ids": chunk}).consume()
        if changes:
            self._tx.run(cw.BUMP_GENERATION).consume()


    def record_pages(self, run_id: str, packed_pages: Iterable[Page]) -> None:
        """One ledger node per page of entries, from ``seq`` to ``last``, compressed
        (:mod:`graph.store.ledger_pages`): a node each made the ledger cost as much to
        write as the data it describes."""
        for seq, last, packed in packed_pages:
            self._tx.run(f"MERGE (c:{cw.CHANGE_LABEL} {{run_id: $run_id, seq: $seq}}) "
                         "SET c.packed = $packed, c.last = $last REMOVE c.record, c.records",
                         run_id=run_id, seq=seq, packed=packed, last=last).consume()

    def record_run(self, run: RunRecord) -> None:
        record = run.to_json()
        self._tx.run(
            f"MERGE (r:{cw.RUN_LABEL} {{run_id: $run_id}}) "
            "SET r.seq = coalesce(r.seq, $seq), r.record = $record, r.source = $source, "
            "r.outcome = $outcome, r.started_at = $started_at, r.ended_at = $ended_at",
            run_id=run.run_id, seq=time.time_ns(), record=json_text(record),
            source=run.source, outcome=run.outcome, started_at=record["started_at"],
            ended_at=record["ended_at"]).consume()
