"""The embedded store's transactions: reads and the one write primitive, in SQL on one
SQLite connection inside an open transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from aimsgraph.graph.store.embedded_sql import REL_COLUMNS, chunks, node_record, rel_record
from aimsgraph.graph.store.interface import WriteTransaction
from aimsgraph.graph.store.jsonio import json_text
from aimsgraph.graph.store.ledger_pages import Page
from aimsgraph.graph.store.records import ChangeSet, NodeKey, NodeRecord, RelKey, RelRecord
from aimsgraph.graph.store.runs import RunRecord
from aimsgraph.ontology import StoreError

__all__ = ["SqlTransaction", "node_rows", "rel_rows"]


@cache
def _labels_text(labels: frozenset[str]) -> str:
    """A node's labels as stored, made once for each set (the ontology allows few)."""
    return json_text(sorted(labels))


def node_rows(changes: ChangeSet) -> list[tuple[Any, ...]]:
    """The nodes ``changes`` upserts as :meth:`SqlTransaction.apply_rows` takes them."""
    return [(n.label, n.id, _labels_text(n.labels), n.props) for n in changes.upsert_nodes]


def rel_rows(changes: ChangeSet) -> list[tuple[Any, ...]]:
    """The relationships ``changes`` upserts as :meth:`SqlTransaction.apply_rows` takes
    them."""
    return [(r.type, *r.start, *r.end, r.props, r.identity) for r in changes.upsert_rels]


class SqlTransaction(WriteTransaction):
    """Reads and writes on one SQLite connection inside an open transaction."""

    def __init__(self, conn: sqlite3.Connection, writable: bool) -> None:
        self._conn = conn
        self._writable = writable

    @property
    def conn(self) -> sqlite3.Connection:
        """The connection this transaction runs on (for the store's own reads)."""
        return self._conn

    def generation(self) -> int:
        """The store's write counter as this transaction sees it."""
        return int(self._conn.execute(
            "SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])

    def get_nodes(self, label: str, ids: Iterable[str]) -> dict[str, NodeRecord]:
        found: dict[str, NodeRecord] = {}
        for chunk in chunks(dict.fromkeys(ids)):
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT label, id, labels, props FROM nodes WHERE label = ? AND id IN ({marks})",
                [label, *chunk])
            for row in rows:
                found[row[1]] = node_record(row)
        return found

    def labels_by_id(self, ids: Iterable[str],
                     among: Iterable[str] | None = None) -> dict[str, set[str]]:
        """One query per 500 ids whatever the labels (the ``nodes_by_id`` index)."""
        allowed = None if among is None else set(among)
        found: dict[str, set[str]] = {}
        for chunk in chunks(dict.fromkeys(ids)):
            marks = ",".join("?" * len(chunk))
            for label, node_id in self._conn.execute(
                    f"SELECT label, id FROM nodes WHERE id IN ({marks})", chunk):
                if allowed is None or label in allowed:
                    found.setdefault(node_id, set()).add(label)
        return found

    def lease(self) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'writer'").fetchone()
        return str(row[0]) if row else None

    def set_lease(self, text: str | None) -> None:
        if text is None:
            self._conn.execute("DELETE FROM meta WHERE key = 'writer'")
        else:
            self._conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('writer', ?)",
                               (text,))

    def forget_changes(self, run_id: str) -> None:
        self._conn.execute("DELETE FROM change_pages WHERE run_id = ?", (run_id,))

    def requirements_by_urn(self, urns: Iterable[str]) -> dict[str, str]:
        """One scan of the requirements (a few thousand at most), matched in SQL."""
        wanted = list(dict.fromkeys(urns))
        found: dict[str, str] = {}
        for chunk in chunks(wanted):
            marks = ",".join("?" * len(chunk))
            for node_id, urn in self._conn.execute(
                    "SELECT id, json_extract(props, '$.urn') AS urn FROM nodes "
                    f"WHERE label = 'Requirement' AND urn IN ({marks})", chunk):
                found[urn] = node_id
        return found

    def get_relationships(self, keys: Iterable[RelKey]) -> dict[RelKey, RelRecord]:
        """One query per type and start label for up to 500 start ids (the ``rels`` key's
        prefix), not one per relationship: a bundle of 150,000 relationships asks 300."""
        wanted = set(keys)
        starts: dict[tuple[str, str], set[str]] = {}
        for rtype, (sl, sid), _, _ in wanted:
            starts.setdefault((rtype, sl), set()).add(sid)
        found: dict[RelKey, RelRecord] = {}
        for (rtype, sl), ids in starts.items():
            for chunk in chunks(sorted(ids)):
                marks = ",".join("?" * len(chunk))
                for row in self._conn.execute(
                        f"SELECT {REL_COLUMNS}, ident FROM rels WHERE type = ? "
                        f"AND src_label = ? AND src_id IN ({marks})", [rtype, sl, *chunk]):
                    key = (row[0], (row[1], row[2]), (row[3], row[4]), row[6])
                    if key in wanted:
                        found[key] = rel_record(row[:6])
        return found

    def targets(self, rel_type: str, starts: Iterable[NodeKey]) -> dict[NodeKey, set[NodeKey]]:
        """One query per 500 starts of a label (a run asks for every role's reporting
        line: 10,000 at 10,000 AI systems)."""
        by_label: dict[str, list[str]] = {}
        for label, node_id in dict.fromkeys(starts):
            by_label.setdefault(label, []).append(node_id)
        found: dict[NodeKey, set[NodeKey]] = {}
        for label, ids in by_label.items():
            for chunk in chunks(ids):
                marks = ",".join("?" * len(chunk))
                for src_id, dst_label, dst_id in self._conn.execute(
                        f"SELECT src_id, dst_label, dst_id FROM rels WHERE src_label = ? "
                        f"AND src_id IN ({marks}) AND type = ?", [label, *chunk, rel_type]):
                    found.setdefault((label, src_id), set()).add((dst_label, dst_id))
        return found

    def attached(self, nodes: Iterable[NodeKey]) -> list[RelRecord]:
        found: dict[RelKey, RelRecord] = {}
        for label, node_id in dict.fromkeys(nodes):
            for row in self._conn.execute(
                    f"SELECT {REL_COLUMNS} FROM rels WHERE (src_label = ? AND src_id = ?) "
                    "OR (dst_label = ? AND dst_id = ?)", (label, node_id, label, node_id)):
                rel = rel_record(row)
                found[rel.key] = rel
        return list(found.values())

    def owned_by(self, sync_source: str) -> tuple[list[NodeKey], list[RelKey]]:
        nodes = [(label, node_id) for label, node_id in self._conn.execute(
            "SELECT label, id FROM nodes WHERE json_extract(props, '$.sync_source') = ?",
            (sync_source,))]
        rels = [(t, (sl, sid), (dl, did), ident)
                for t, sl, sid, dl, did, ident in self._conn.execute(
                    "SELECT type, src_label, src_id, dst_label, dst_id, ident FROM rels "
                    "WHERE json_extract(props, '$.sync_source') = ?", (sync_source,))]
        return nodes, rels

    def apply(self, changes: ChangeSet) -> None:
        self.apply_rows(node_rows(changes), rel_rows(changes), changes.remove_rels,
                        changes.remove_nodes, bool(changes))

    def apply_rows(self, nodes: Iterable[Sequence[Any]], rels: Iterable[Sequence[Any]],
                   remove_rels: Iterable[Sequence[Any]], remove_nodes: Iterable[Sequence[Any]],
                   changed: bool) -> None:
        """:meth:`apply` of a change set given as rows: a node as (label, id, labels as
        stored, properties), a relationship as (type, start label, start id, end label, end
        id, properties, identity), a removed relationship as its key and a removed node as
        its (label, id); the rows a writer process is sent (:mod:`ingest.writer_process`).
        ``changed``: any row at all (the store's write counter moves)."""
        if not self._writable:
            raise StoreError("write attempted in a read transaction")
        conn = self._conn
        conn.executemany(
            "INSERT INTO nodes (label, id, labels, props) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (label, id) DO UPDATE SET labels = excluded.labels, "
            "props = excluded.props",
            ((label, node_id, labels, json_text(props))
             for label, node_id, labels, props in nodes))
        conn.executemany(
            f"INSERT INTO rels ({REL_COLUMNS}, ident) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (type, src_label, src_id, dst_label, dst_id, ident) "
            "DO UPDATE SET props = excluded.props",
            ((t, sl, sid, dl, did, json_text(props), ident)
             for t, sl, sid, dl, did, props, ident in rels))
        conn.executemany(
            "DELETE FROM rels WHERE type = ? AND src_label = ? AND src_id = ? "
            "AND dst_label = ? AND dst_id = ? AND ident = ?",
            ((t, sl, sid, dl, did, ident)
             for t, (sl, sid), (dl, did), ident in remove_rels))
        for label, node_id in remove_nodes:
            conn.execute("DELETE FROM rels WHERE (src_label = ? AND src_id = ?) "
                         "OR (dst_label = ? AND dst_id = ?)", (label, node_id, label, node_id))
            conn.execute("DELETE FROM nodes WHERE label = ? AND id = ?", (label, node_id))
        if changed:
            conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 "
                         "WHERE key = 'generation'")

    def record_pages(self, run_id: str, packed: Iterable[Page]) -> None:
        if not self._writable:
            raise StoreError("write attempted in a read transaction")
        self._conn.executemany(
            "INSERT OR REPLACE INTO change_pages (run_id, seq, last, packed) VALUES (?, ?, ?, ?)",
            ((run_id, *page) for page in packed))

    def record_run(self, run: RunRecord) -> None:
        if not self._writable:
            raise StoreError("write attempted in a read transaction")
        self._conn.execute(
            "INSERT INTO runs (run_id, record) VALUES (?, ?) "
            "ON CONFLICT (run_id) DO UPDATE SET record = excluded.record",
            (run.run_id, json_text(run.to_json())))
