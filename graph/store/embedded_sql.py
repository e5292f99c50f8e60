"""The embedded store's tables, and how their rows become records and views.

Nodes and relationships are rows keyed by (label, id) and (type, from, to, identity), their
properties JSON text; what the ontology declares a date or an integer is typed again on the
way out, so both stores hand the same values to the questions.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from aimsgraph.graph.store.jsonio import json_props, json_value
from aimsgraph.graph.store.ledger_pages import text_pages
from aimsgraph.graph.store.records import NodeRecord, RelRecord
from aimsgraph.graph.store.view import GraphView
from aimsgraph.ontology import ONTOLOGY

__all__ = ["CHUNK", "REL_COLUMNS", "SCHEMA", "SCHEMA_VERSION", "chunks",
           "migrate_from_1", "migrate_from_2", "migrate_from_3", "node_props", "node_record",
           "rel_props", "rel_record", "whole_view"]

SCHEMA = """
CREATE TABLE IF NOT EXISTS nodes (
    label TEXT NOT NULL, id TEXT NOT NULL, labels TEXT NOT NULL, props TEXT NOT NULL,
    PRIMARY KEY (label, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nodes_by_id ON nodes(id);
CREATE TABLE IF NOT EXISTS rels (
    type TEXT NOT NULL, src_label TEXT NOT NULL, src_id TEXT NOT NULL,
    dst_label TEXT NOT NULL, dst_id TEXT NOT NULL, ident TEXT NOT NULL DEFAULT '',
    props TEXT NOT NULL,
    PRIMARY KEY (src_label, src_id, type, dst_label, dst_id, ident)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rels_by_dst ON rels(dst_label, dst_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS change_pages (
    run_id TEXT NOT NULL, seq INTEGER NOT NULL, last INTEGER NOT NULL, packed BLOB NOT NULL,
    PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
    seq INTEGER PRIMARY KEY, run_id TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('generation', '0');
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '4');
"""


SCHEMA_VERSION = "4"


CHUNK = 500


_DECLARED = {n.label: {p.name: p for p in n.properties} for n in ONTOLOGY.nodes}


_REL_DECLARED = {r.type: {p.name: p for p in r.properties} for r in ONTOLOGY.relationships}


def chunks(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _declared(kind: str) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The properties of each label, and of each relationship type, declared of ``kind``."""
    node_names, rel_names = ({name: tuple(n for n, p in declared.items() if p.type == kind)
                              for name, declared in table.items()}
                             for table in (_DECLARED, _REL_DECLARED))
    return node_names, rel_names


#: The date properties (stored as ISO text) and integer ones of each label and type.
_NODE_DATES, _REL_DATES = _declared("date")
_NODE_INTS, _REL_INTS = _declared("integer")


def _typed(dates: tuple[str, ...], integers: tuple[str, ...], stored: str) -> dict[str, Any]:
    """Properties as stored (JSON text) with the ``dates`` among them as ``datetime.date``
    (what :func:`ontology.values.decode_props` does, looking only at the declared dates)."""
    props = json_props(stored, integers)
    for date in dates:
        value = props.get(date)
        if isinstance(value, str):
            props[date] = dt.date.fromisoformat(value)
    return props


def node_props(label: str, stored: str) -> dict[str, Any]:
    """A node's properties as stored (JSON text), typed as declared (dates as dates)."""
    return _typed(_NODE_DATES.get(label, ()), _NODE_INTS.get(label, ()), stored)


def rel_props(rel_type: str, stored: str) -> dict[str, Any]:
    """A relationship's properties as stored (JSON text), typed as declared."""
    return _typed(_REL_DATES.get(rel_type, ()), _REL_INTS.get(rel_type, ()), stored)


def whole_view(conn: sqlite3.Connection) -> GraphView:
    """Every node and relationship, read straight into a view without making records: the
    labels' JSON decoded once per distinct value, each relationship's identity read from its
    column."""
    carried: dict[str, frozenset[str]] = {}

    def labels(text: str) -> frozenset[str]:
        found = carried.get(text)
        if found is None:
            found = carried[text] = frozenset(json_value(text))
        return found

    return GraphView.assemble(
        (((label, node_id), labels(stored_labels), node_props(label, props))
         for label, node_id, stored_labels, props in conn.execute(
             "SELECT label, id, labels, props FROM nodes")),
        ((rel_type, (sl, sid), (dl, did), ident, rel_props(rel_type, props))
         for rel_type, sl, sid, dl, did, props, ident in conn.execute(
             f"SELECT {REL_COLUMNS}, ident FROM rels")))


def node_record(row: Sequence[Any]) -> NodeRecord:
    label, node_id, labels, props = row
    return NodeRecord(label, node_id, frozenset(json_value(labels)), node_props(label, props))


REL_COLUMNS = "type, src_label, src_id, dst_label, dst_id, props"


def rel_record(row: Sequence[Any]) -> RelRecord:
    rtype, sl, sid, dl, did, props = row
    return RelRecord(rtype, (sl, sid), (dl, did), rel_props(rtype, props))


def migrate_from_1(conn: sqlite3.Connection) -> None:
    """Version 1 held one relationship per type between two nodes; version 2 adds the
    identity that keeps repeated facts (HOLDS periods, COMPLETED dates) apart."""
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("ALTER TABLE rels RENAME TO rels_v1")
    for index in ("rels_by_src", "rels_by_dst"):
        conn.execute(f"DROP INDEX IF EXISTS {index}")
    for statement in filter(str.strip, SCHEMA.split(";")):
        conn.execute(statement)
    conn.executemany(
        f"INSERT INTO rels ({REL_COLUMNS}, ident) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((*row, rel_record(row).identity)
         for row in conn.execute(f"SELECT {REL_COLUMNS} FROM rels_v1").fetchall()))
    conn.execute("DROP TABLE rels_v1")
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    conn.execute("COMMIT")


def migrate_from_2(conn: sqlite3.Connection) -> None:
    """Version 2 kept one ledger row per entry; version 3 keeps compressed pages of them
    (:mod:`graph.store.ledger_pages`). Entries move as they are, a run's in order."""
    conn.execute("BEGIN IMMEDIATE")
    for statement in filter(str.strip, SCHEMA.split(";")):
        conn.execute(statement)
    has_rows = conn.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' "
                            "AND name = 'changes'").fetchone()
    if has_rows:
        run_ids = [r[0] for r in conn.execute("SELECT DISTINCT run_id FROM changes")]
        for run_id in run_ids:
            texts = [r[0] for r in conn.execute(
                "SELECT record FROM changes WHERE run_id = ? ORDER BY seq", (run_id,))]
            conn.executemany(
                "INSERT OR REPLACE INTO change_pages (run_id, seq, last, packed) "
                "VALUES (?, ?, ?, ?)", ((run_id, *page) for page in text_pages(texts, 0)))
        conn.execute("DROP TABLE changes")
    conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    conn.execute("COMMIT")


def migrate_from_3(conn: sqlite3.Connection) -> None:
    """Version 3 keyed relationships by their type first, with an index by their start;
    version 4 keys them by their start first, which serves the reads by start that index
    served, and one index fewer is written with every relationship."""
    conn.execute("BEGIN IMMEDIATE")
    if conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() != ("3",):
        conn.execute("COMMIT")  # another process migrated it meanwhile
        return
    conn.execute("ALTER TABLE rels RENAME TO rels_v3")
    for index in ("rels_by_src", "rels_by_dst"):
        conn.execute(f"DROP INDEX IF EXISTS {index}")
    for statement in filter(str.strip, SCHEMA.split(";")):
        conn.execute(statement)
    conn.execute(f"INSERT INTO rels ({REL_COLUMNS}, ident) SELECT {REL_COLUMNS}, ident "
                 "FROM rels_v3 ORDER BY src_label, src_id, type, dst_label, dst_id, ident")
    conn.execute("DROP TABLE rels_v3")
    conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    conn.execute("COMMIT")
