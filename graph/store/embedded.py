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

import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from aimsgraph.graph.store.catalogue import ensure_catalogue
from aimsgraph.graph.store.embedded_integrity import EmbeddedIntegrity
from aimsgraph.graph.store.embedded_sql import (
    REL_COLUMNS,
    SCHEMA,
    SCHEMA_VERSION,
    chunks,
    migrate_from_1,
    migrate_from_2,
    migrate_from_3,
    node_record,
    rel_record,
    whole_view,
)
from aimsgraph.graph.store.embedded_tx import SqlTransaction
from aimsgraph.graph.store.embedded_view import SqlView
from aimsgraph.graph.store.integrity import StoreIntegrity
from aimsgraph.graph.store.interface import GraphStore
from aimsgraph.graph.store.jsonio import json_value
from aimsgraph.graph.store.lazy_view import LazyView
from aimsgraph.graph.store.ledger_pages import unpack, window
from aimsgraph.graph.store.records import NodeRecord, RelRecord, Stats
from aimsgraph.graph.store.runs import Change, RunRecord
from aimsgraph.graph.store.view import GraphView
from aimsgraph.graph.store.writer import recover
from aimsgraph.ontology import StoreError, StoreUnavailableError, refused_text

__all__ = ["EmbeddedStore"]

log = logging.getLogger(__name__)


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the store's file as every connection to it is made (a writer
    process's included): transactions begun explicitly, waits for the write lock."""
    conn = sqlite3.connect(path, timeout=60, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout=60000")
    conn.execute("PRAGMA cache_size=-65536")
    return conn


class EmbeddedStore(GraphStore):
    """The default store: one SQLite file under ``data_dir``, no server needed."""

    name = "embedded"
    FILENAME = "aimsgraph.sqlite"

    def __init__(self, data_dir: Path | str) -> None:
        self.data_dir = Path(data_dir)
        self.path: Path = self.data_dir / self.FILENAME
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
        return connect(self.path)

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
                migrate_from_1(conn)
                version = self._schema_version(conn)
            if version == "2":
                migrate_from_2(conn)
                version = self._schema_version(conn)
            if version == "3":
                migrate_from_3(conn)
                version = self._schema_version(conn)
            if version is None:
                conn.execute("BEGIN IMMEDIATE")
                for statement in filter(str.strip, SCHEMA.split(";")):
                    conn.execute(statement)
                conn.execute("COMMIT")
                version = self._schema_version(conn)
        except (sqlite3.Error, OSError) as exc:
            raise StoreUnavailableError(f"cannot open the embedded store at {self.path}: {exc}") \
                from exc
        if version != SCHEMA_VERSION:
            conn.close()
            raise StoreUnavailableError(
                f"the embedded store at {self.path} has schema version {version}; this version "
                f"of aimsgraph reads version {SCHEMA_VERSION}")
        self._conn = conn
        ensure_catalogue(self)
        recover(self)  # a run written in batches whose writer died part-way

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
                     writable: bool) -> Iterator[SqlTransaction]:
        try:
            conn.execute(begin)
        except sqlite3.Error as exc:
            raise StoreError(f"embedded store at {self.path}: {exc}") from exc
        try:
            yield SqlTransaction(conn, writable)
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
    def read(self) -> Iterator[SqlTransaction]:
        """A read snapshot on this thread's connection; takes no lock."""
        with self._transaction(self._reader(), "BEGIN", writable=False) as tx:
            yield tx

    @contextmanager
    def write(self) -> Iterator[SqlTransaction]:
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
            yield from map(node_record,
                           tx.conn.execute("SELECT label, id, labels, props FROM nodes"))

    def iter_relationships(self) -> Iterator[RelRecord]:
        with self.read() as tx:
            yield from map(rel_record, tx.conn.execute(
                f"SELECT {REL_COLUMNS} FROM rels"))

    def view(self) -> GraphView:
        """The whole graph in memory, rebuilt only when the store has changed."""
        with self._view_lock, self.read() as tx:
            generation = tx.generation()
            if self._view is None or generation != self._view_generation:
                self._view = whole_view(tx.conn)
                self._view_generation = generation
            return self._view

    def integrity(self) -> StoreIntegrity:
        return EmbeddedIntegrity(self)

    def lazy_view(self) -> LazyView:
        """Targeted reads on a connection of their own, in one read transaction."""
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
        """A page of the ledger, from the stored pages it overlaps."""
        end = offset + limit
        with self.read() as tx:
            (total,) = tx.conn.execute("SELECT coalesce(sum(last - seq + 1), 0) FROM "
                                       "change_pages WHERE run_id = ?", (run_id,)).fetchone()
            rows = tx.conn.execute("SELECT seq, packed FROM change_pages WHERE run_id = ? "
                                   "AND seq < ? AND last >= ? ORDER BY seq",
                                   (run_id, end, offset)).fetchall()
        page = window(((seq, unpack(packed, f"{run_id} {seq}")) for seq, packed in rows),
                      offset, end)
        return int(total), [Change.from_json(json_value(text)) for text in page]

    def sent_reminders(self, keys: Iterable[str]) -> set[str]:
        found: set[str] = set()
        with self.read() as tx:
            for chunk in chunks(list(dict.fromkeys(keys))):
                marks = ",".join("?" * len(chunk))
                try:
                    rows = tx.conn.execute(f"SELECT key FROM reminders WHERE key IN ({marks})",
                                           chunk).fetchall()
                except sqlite3.OperationalError:  # no reminder was ever sent: no table yet
                    return set()
                found.update(str(r[0]) for r in rows)
        return found

    def record_reminders(self, keys: Iterable[str], sent_at: str) -> None:
        with self.write() as tx:
            tx.conn.execute("CREATE TABLE IF NOT EXISTS reminders (key TEXT PRIMARY KEY, "
                            "sent_at TEXT NOT NULL) WITHOUT ROWID")
            tx.conn.executemany("INSERT OR REPLACE INTO reminders (key, sent_at) VALUES (?, ?)",
                                [(key, sent_at) for key in keys])

    def run(self, run_id: str) -> RunRecord | None:
        with self.read() as tx:
            row = tx.conn.execute("SELECT record FROM runs WHERE run_id = ?",
                                  (run_id,)).fetchone()
            return RunRecord.from_json(json_value(row[0])) if row else None

    def running_runs(self) -> list[RunRecord]:
        with self.read() as tx:
            rows = tx.conn.execute("SELECT record FROM runs WHERE json_extract(record, "
                                   "'$.outcome') = 'running' ORDER BY seq")
            return [RunRecord.from_json(json_value(r[0])) for r in rows]

    def runs(self, limit: int = 50) -> list[RunRecord]:
        with self.read() as tx:
            rows = tx.conn.execute(
                "SELECT record FROM runs ORDER BY seq DESC LIMIT ?", (limit,))
            return [RunRecord.from_json(json_value(r[0])) for r in rows]


def default_data_dir() -> Path:
    """The per-user data folder used when ``AIMSGRAPH_DATA_DIR`` is not set."""
    import platformdirs  # only when no data folder is configured

    return Path(os.environ.get("AIMSGRAPH_DATA_DIR") or platformdirs.user_data_dir("aimsgraph"))
