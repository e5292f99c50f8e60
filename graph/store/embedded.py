"""The embedded store: SQLite on disk, the whole graph in memory for whole-graph queries.

Why SQLite underneath: it gives what the store must promise without code of our own. A write
is one SQLite transaction in WAL mode with ``synchronous=FULL``, so a crash or ``kill -9`` in
the middle of a write leaves the file readable and exactly as before or after that write.
Writers take SQLite's write lock with ``BEGIN IMMEDIATE`` and ingestion plans inside that
transaction, so an ``ingest`` running while ``serve`` writes never loses either's changes;
readers are never blocked by a writer. Rows are keyed by (label, id) and (type, from, to) with
indexes, so a batch of N upserts costs O(N log size), never a rewrite of the store.

Whole-graph work walks a view (:mod:`graph.store.view`) built from the tables on first use and
rebuilt only after the store's generation counter moves (any commit, by any process).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aimsgraph.graph.store.catalogue import ensure_catalogue
from aimsgraph.graph.store.interface import GraphStore, WriteTransaction
from aimsgraph.graph.store.jsonio import json_props, json_text, json_value
from aimsgraph.graph.store.records import (
    Change,
    ChangeSet,
    NodeKey,
    NodeRecord,
    RelKey,
    RelRecord,
    RunRecord,
    Stats,
)
from aimsgraph.graph.store.view import GraphView, LazyView
from aimsgraph.ontology import ONTOLOGY, StoreError, StoreUnavailableError, refused_text

if TYPE_CHECKING:
    from aimsgraph.graph.store.integrity import StoreIntegrity

__all__ = ["EmbeddedStore"]

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS nodes (
    label TEXT NOT NULL, id TEXT NOT NULL, labels TEXT NOT NULL, props TEXT NOT NULL,
    PRIMARY KEY (label, id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS nodes_by_id ON nodes(id);
CREATE TABLE IF NOT EXISTS rels (
    type TEXT NOT NULL, src_label TEXT NOT NULL, src_id TEXT NOT NULL,
    dst_label TEXT NOT NULL, dst_id TEXT NOT NULL, ident TEXT NOT NULL DEFAULT '',
    props TEXT NOT NULL,
    PRIMARY KEY (type, src_label, src_id, dst_label, dst_id, ident)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rels_by_src ON rels(src_label, src_id);
CREATE INDEX IF NOT EXISTS rels_by_dst ON rels(dst_label, dst_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS changes (
    run_id TEXT NOT NULL, seq INTEGER NOT NULL, record TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS runs (
    seq INTEGER PRIMARY KEY, run_id TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('generation', '0');
INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', '2');
"""

_SCHEMA_VERSION = "2"
_CHUNK = 500
_DECLARED = {n.label: {p.name: p for p in n.properties} for n in ONTOLOGY.nodes}
_REL_DECLARED = {r.type: {p.name: p for p in r.properties} for r in ONTOLOGY.relationships}


def _chunks(items: Iterable[Any], size: int = _CHUNK) -> Iterator[list[Any]]:
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


def _whole_view(conn: sqlite3.Connection) -> GraphView:
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
             f"SELECT {_REL_COLUMNS}, ident FROM rels")))


def _node(row: Sequence[Any]) -> NodeRecord:
    label, node_id, labels, props = row
    return NodeRecord(label, node_id, frozenset(json_value(labels)), node_props(label, props))


_REL_COLUMNS = "type, src_label, src_id, dst_label, dst_id, props"


def _rel(row: Sequence[Any]) -> RelRecord:
    rtype, sl, sid, dl, did, props = row
    return RelRecord(rtype, (sl, sid), (dl, did), rel_props(rtype, props))


def _migrate_from_1(conn: sqlite3.Connection) -> None:
    """Version 1 held one relationship per type between two nodes; version 2 adds the
    identity that keeps repeated facts (HOLDS periods, COMPLETED dates) apart."""
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("ALTER TABLE rels RENAME TO rels_v1")
    for index in ("rels_by_src", "rels_by_dst"):
        conn.execute(f"DROP INDEX IF EXISTS {index}")
    for statement in filter(str.strip, _SCHEMA.split(";")):
        conn.execute(statement)
    conn.executemany(
        f"INSERT INTO rels ({_REL_COLUMNS}, ident) VALUES (?, ?, ?, ?, ?, ?, ?)",
        ((*row, _rel(row).identity)
         for row in conn.execute(f"SELECT {_REL_COLUMNS} FROM rels_v1").fetchall()))
    conn.execute("DROP TABLE rels_v1")
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    conn.execute("COMMIT")


class _Tx(WriteTransaction):
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
        for chunk in _chunks(dict.fromkeys(ids)):
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT label, id, labels, props FROM nodes WHERE label = ? AND id IN ({marks})",
                [label, *chunk])
            for row in rows:
                found[row[1]] = _node(row)
        return found

    def labels_by_id(self, ids: Iterable[str],
                     among: Iterable[str] | None = None) -> dict[str, set[str]]:
        """One query per 500 ids whatever the labels (the ``nodes_by_id`` index)."""
        allowed = None if among is None else set(among)
        found: dict[str, set[str]] = {}
        for chunk in _chunks(dict.fromkeys(ids)):
            marks = ",".join("?" * len(chunk))
            for label, node_id in self._conn.execute(
                    f"SELECT label, id FROM nodes WHERE id IN ({marks})", chunk):
                if allowed is None or label in allowed:
                    found.setdefault(node_id, set()).add(label)
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
            for chunk in _chunks(sorted(ids)):
                marks = ",".join("?" * len(chunk))
                for row in self._conn.execute(
                        f"SELECT {_REL_COLUMNS}, ident FROM rels WHERE type = ? "
                        f"AND src_label = ? AND src_id IN ({marks})", [rtype, sl, *chunk]):
                    key = (row[0], (row[1], row[2]), (row[3], row[4]), row[6])
                    if key in wanted:
                        found[key] = _rel(row[:6])
        return found

    def targets(self, rel_type: str, starts: Iterable[NodeKey]) -> dict[NodeKey, set[NodeKey]]:
        found: dict[NodeKey, set[NodeKey]] = {}
        for label, node_id in dict.fromkeys(starts):
            for dst in self._conn.execute(
                    "SELECT dst_label, dst_id FROM rels WHERE src_label = ? AND src_id = ? "
                    "AND type = ?", (label, node_id, rel_type)):
                found.setdefault((label, node_id), set()).add((dst[0], dst[1]))
        return found

    def attached(self, nodes: Iterable[NodeKey]) -> list[RelRecord]:
        found: dict[RelKey, RelRecord] = {}
        for label, node_id in dict.fromkeys(nodes):
            for row in self._conn.execute(
                    f"SELECT {_REL_COLUMNS} FROM rels WHERE (src_label = ? AND src_id = ?) "
                    "OR (dst_label = ? AND dst_id = ?)", (label, node_id, label, node_id)):
                rel = _rel(row)
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
        if not self._writable:
            raise StoreError("write attempted in a read transaction")
        conn = self._conn
        conn.executemany(
            "INSERT INTO nodes (label, id, labels, props) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (label, id) DO UPDATE SET labels = excluded.labels, "
            "props = excluded.props",
            ((n.label, n.id, json_text(sorted(n.labels)), json_text(n.props))
             for n in changes.upsert_nodes))
        conn.executemany(
            f"INSERT INTO rels ({_REL_COLUMNS}, ident) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (type, src_label, src_id, dst_label, dst_id, ident) "
            "DO UPDATE SET props = excluded.props",
            ((r.type, *r.start, *r.end, json_text(r.props), r.identity)
             for r in changes.upsert_rels))
        conn.executemany(
            "DELETE FROM rels WHERE type = ? AND src_label = ? AND src_id = ? "
            "AND dst_label = ? AND dst_id = ? AND ident = ?",
            ((t, sl, sid, dl, did, ident)
             for t, (sl, sid), (dl, did), ident in changes.remove_rels))
        for label, node_id in changes.remove_nodes:
            conn.execute("DELETE FROM rels WHERE (src_label = ? AND src_id = ?) "
                         "OR (dst_label = ? AND dst_id = ?)", (label, node_id, label, node_id))
            conn.execute("DELETE FROM nodes WHERE label = ? AND id = ?", (label, node_id))
        if changes:
            conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 "
                         "WHERE key = 'generation'")

    def record_changes(self, run_id: str, changes: Sequence[Change], first: int = 0) -> None:
        if not self._writable:
            raise StoreError("write attempted in a read transaction")
        self._conn.executemany(
            "INSERT OR REPLACE INTO changes (run_id, seq, record) VALUES (?, ?, ?)",
            ((run_id, first + n, json_text(c.to_json()))
             for n, c in enumerate(changes)))

    def record_run(self, run: RunRecord) -> None:
        if not self._writable:
            raise StoreError("write attempted in a read transaction")
        self._conn.execute(
            "INSERT INTO runs (run_id, record) VALUES (?, ?) "
            "ON CONFLICT (run_id) DO UPDATE SET record = excluded.record",
            (run.run_id, json_text(run.to_json())))


class EmbeddedStore(GraphStore):
    """The default store: one SQLite file under ``data_dir``, no server needed."""

    name = "embedded"
    FILENAME = "aimsgraph.sqlite"

    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / self.FILENAME
        self._conn: sqlite3.Connection | None = None  # the one writing connection
        self._write_lock = threading.Lock()
        self._readers = threading.local()  # one reading connection per thread
        self._reader_conns: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._view_lock = threading.Lock()
        self._view: GraphView | None = None
        self._view_generation = -1

    # -- lifecycle -------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=60, isolation_level=None,
                               check_same_thread=False)
        conn.execute("PRAGMA busy_timeout=60000")
        conn.execute("PRAGMA cache_size=-65536")
        return conn

    def open(self) -> None:
        """Open the file; create the schema and install the catalogue only when missing.

        A store that is already set up is opened with reads alone, so a read-only command
        never waits for another process's write.
        """
        if self._conn is not None:
            return
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            conn = self._connect()
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            version = self._schema_version(conn)
            if version == "1":
                _migrate_from_1(conn)
                version = self._schema_version(conn)
            if version is None:
                conn.execute("BEGIN IMMEDIATE")
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    conn.execute(statement)
                conn.execute("COMMIT")
                version = self._schema_version(conn)
        except (sqlite3.Error, OSError) as exc:
            raise StoreUnavailableError(f"cannot open the embedded store at {self.path}: {exc}") \
                from exc
        if version != _SCHEMA_VERSION:
            conn.close()
            raise StoreUnavailableError(
                f"the embedded store at {self.path} has schema version {version}; this version "
                f"of aimsgraph reads version {_SCHEMA_VERSION}")
        self._conn = conn
        ensure_catalogue(self)

    @staticmethod
    def _schema_version(conn: sqlite3.Connection) -> str | None:
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.OperationalError:  # no such table: a new file
            return None
        return str(row[0]) if row else None

    def close(self) -> None:
        with self._write_lock, self._readers_lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            for conn in self._reader_conns:
                conn.close()
            self._reader_conns.clear()
            self._readers = threading.local()

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreUnavailableError("the embedded store is not open")
        return self._conn

    def _reader(self) -> sqlite3.Connection:
        """This thread's reading connection: WAL readers see the last commit and never wait
        for a writer, so reads in one thread go on while another thread or process writes."""
        self._connection()  # raises when the store is not open
        conn: sqlite3.Connection | None = getattr(self._readers, "conn", None)
        if conn is None:
            try:
                conn = self._connect()
                conn.execute("PRAGMA query_only=ON")
            except sqlite3.Error as exc:
                raise StoreUnavailableError(
                    f"cannot open the embedded store at {self.path}: {exc}") from exc
            with self._readers_lock:
                self._reader_conns.append(conn)
            self._readers.conn = conn
        return conn

    # -- transactions ----------------------------------------------------------------------
    @contextmanager
    def _transaction(self, conn: sqlite3.Connection, begin: str,
                     writable: bool) -> Iterator[_Tx]:
        try:
            conn.execute(begin)
        except sqlite3.Error as exc:
            raise StoreError(f"embedded store at {self.path}: {exc}") from exc
        try:
            yield _Tx(conn, writable)
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise StoreError(f"embedded store at {self.path}: {exc}") from exc
        except UnicodeEncodeError as exc:  # sqlite3 binding text UTF-8 cannot carry
            conn.execute("ROLLBACK")
            raise refused_text(exc.reason, writable) from exc
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            conn.execute("ROLLBACK")
            raise StoreError(f"embedded store at {self.path}: commit failed: {exc}") from exc

    @contextmanager
    def read(self) -> Iterator[_Tx]:
        """A read snapshot on this thread's connection; takes no lock."""
        with self._transaction(self._reader(), "BEGIN", writable=False) as tx:
            yield tx

    @contextmanager
    def write(self) -> Iterator[_Tx]:
        """The write transaction: this process's write lock, then SQLite's."""
        with self._write_lock, self._transaction(self._connection(), "BEGIN IMMEDIATE",
                                                 writable=True) as tx:
            yield tx

    # -- reads -----------------------------------------------------------------------------
    def stats(self) -> Stats:
        with self.read() as tx:
            conn = tx.conn
            nodes = dict(conn.execute(
                "SELECT j.value, count(*) FROM nodes, json_each(nodes.labels) AS j "
                "GROUP BY j.value ORDER BY j.value"))
            rels = dict(conn.execute("SELECT type, count(*) FROM rels GROUP BY type ORDER BY type"))
        return Stats(nodes, rels)

    def generation(self) -> str:
        """A counter that moves with every committed write, from any process."""
        with self.read() as tx:
            return str(tx.generation())

    def iter_nodes(self) -> Iterator[NodeRecord]:
        with self.read() as tx:
            yield from map(_node, tx.conn.execute("SELECT label, id, labels, props FROM nodes"))

    def iter_relationships(self) -> Iterator[RelRecord]:
        with self.read() as tx:
            yield from map(_rel, tx.conn.execute(
                f"SELECT {_REL_COLUMNS} FROM rels"))

    def view(self) -> GraphView:
        """The whole graph in memory, rebuilt only when the store has changed."""
        with self._view_lock, self.read() as tx:
            generation = tx.generation()
            if self._view is None or generation != self._view_generation:
                self._view = _whole_view(tx.conn)
                self._view_generation = generation
            return self._view

    def integrity(self) -> StoreIntegrity:
        from aimsgraph.graph.store.embedded_integrity import EmbeddedIntegrity

        return EmbeddedIntegrity(self)

    def lazy_view(self) -> LazyView:
        """Targeted reads on a connection of their own, in one read transaction."""
        from aimsgraph.graph.store.embedded_view import SqlView

        self._connection()  # raises when the store is not open
        try:
            conn = self._connect()
            conn.execute("PRAGMA query_only=ON")
        except sqlite3.Error as exc:
            raise StoreUnavailableError(f"cannot open the embedded store at {self.path}: "
                                        f"{exc}") from exc
        return SqlView(conn)

    # -- run records -----------------------------------------------------------------------
    def changes(self, run_id: str, offset: int = 0, limit: int = 100) -> tuple[int, list[Change]]:
        with self.read() as tx:
            (total,) = tx.conn.execute("SELECT count(*) FROM changes WHERE run_id = ?",
                                       (run_id,)).fetchone()
            rows = tx.conn.execute("SELECT record FROM changes WHERE run_id = ? ORDER BY seq "
                                   "LIMIT ? OFFSET ?", (run_id, limit, offset))
            return int(total), [Change.from_json(json_value(r[0])) for r in rows]

    def runs(self, limit: int = 50) -> list[RunRecord]:
        with self.read() as tx:
            rows = tx.conn.execute(
                "SELECT record FROM runs ORDER BY seq DESC LIMIT ?", (limit,))
            return [RunRecord.from_json(json_value(r[0])) for r in rows]


def default_data_dir() -> Path:
    """The per-user data folder used when ``AIMSGRAPH_DATA_DIR`` is not set."""
    import platformdirs

    return Path(os.environ.get("AIMSGRAPH_DATA_DIR") or platformdirs.user_data_dir("aimsgraph"))
