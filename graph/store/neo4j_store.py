"""The Neo4j store: the same GraphStore contract on a Neo4j 5 server, cluster or Aura.

Speaks Cypher through the official ``neo4j`` driver: managed transactions (with the driver's
retries) for ingestion, the database always named, every value a parameter, writes generated
from the ontology (:mod:`graph.store.cypher_writes`). Plain Cypher only, so any Neo4j 5 serves.
Driver errors are translated at one boundary (:func:`_translated`) into the project's errors,
each naming the URI.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as neo4j_errors

from aimsgraph.graph.store import cypher_writes as cw
from aimsgraph.graph.store.budget import remaining_seconds
from aimsgraph.graph.store.catalogue import ensure_catalogue
from aimsgraph.graph.store.integrity import StoreIntegrity
from aimsgraph.graph.store.interface import (
    CypherReader,
    GraphStore,
    ReadTransaction,
    WriteTransaction,
)
from aimsgraph.graph.store.jsonio import json_value
from aimsgraph.graph.store.lazy_view import LazyView
from aimsgraph.graph.store.ledger_pages import held_texts, window
from aimsgraph.graph.store.neo4j_integrity import Neo4jIntegrity
from aimsgraph.graph.store.neo4j_tx import ALL_LABELS, DriverTransaction, batches
from aimsgraph.graph.store.neo4j_view import (
    PAGE,
    CypherView,
    native,
    pages,
    plain_props,
    run_rows,
)
from aimsgraph.graph.store.records import NodeRecord, RelRecord, Stats
from aimsgraph.graph.store.runs import Change, RunRecord
from aimsgraph.graph.store.view import GraphView, primary_label
from aimsgraph.graph.store.writer import recover
from aimsgraph.ontology import (
    ONTOLOGY,
    ConfigError,
    ReadTimeoutError,
    StoreError,
    StoreUnavailableError,
    refused_text,
)

__all__ = ["Neo4jStore"]

log = logging.getLogger(__name__)
T = TypeVar("T")

_SCHEMA_DONE: set[tuple[str, str]] = set()  # (uri, database) whose schema this process made
_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def _timed(work: Callable[[neo4j.ManagedTransaction], T],
           ) -> Callable[[neo4j.ManagedTransaction], T]:
    """``work`` with what is left of the read budget as its server-side timeout."""
    left = remaining_seconds()
    return neo4j.unit_of_work(timeout=left)(work) if left is not None else work


class Neo4jStore(GraphStore):
    """A Neo4j 5 database reached over Bolt (``bolt://``, ``neo4j://``, ``neo4j+s://``)."""

    name = "neo4j"
    #: Changes per write transaction for a large run. A server keeps a transaction's changes
    #: in its heap, and by default may give all transactions together about 70% of it: 200,000
    #: changes (a tenth of a 100,000-system bundle) overflowed the 693 MiB of a 1 GB heap. At
    #: 20,000 a transaction needs tens of MiB.
    max_transaction_changes = 20_000

    def __init__(self, uri: str, username: str | None = None, password: str | None = None,
                 database: str | None = None, retry_seconds: float = 10.0,
                 parallel_reads: int = 2, parallel_writes: int = 2) -> None:
        self.uri = uri
        #: How many reads (gap checks) the server is given at once, each its own transaction.
        self.parallel_reads = parallel_reads
        #: How many batches of nodes alone a large run writes at once (GraphStore's).
        self.parallel_writes = parallel_writes
        self.retry_seconds = retry_seconds
        self.username = username
        self.password = password
        self.database = database or "neo4j"
        self._driver: neo4j.Driver | None = None

    @contextmanager
    def _translated(self, writing: bool = False) -> Iterator[None]:
        """The one place driver errors become project errors naming the URI."""
        try:
            yield
        except neo4j_errors.AuthError as exc:
            raise StoreUnavailableError(
                f"Neo4j at {self.uri} rejected the credentials of user "
                f"'{self.username or '(none)'}': check NEO4J_USERNAME and NEO4J_PASSWORD") from exc
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as exc:
            raise StoreUnavailableError(f"cannot reach Neo4j at {self.uri}: {exc}") from exc
        except neo4j_errors.ClientError as exc:
            if exc.code and "TransactionTimedOut" in exc.code:
                raise ReadTimeoutError("the read took longer than its time budget; ask a "
                                       "narrower question or try again later") from exc
            if exc.code and "DatabaseNotFound" in exc.code:
                raise StoreUnavailableError(
                    f"Neo4j at {self.uri} has no database '{self.database}': check "
                    "NEO4J_DATABASE") from exc
            raise StoreError(f"Neo4j at {self.uri}: {exc.message}") from exc
        except (neo4j_errors.Neo4jError, neo4j_errors.DriverError) as exc:
            raise StoreError(f"Neo4j at {self.uri}: {exc}") from exc
        except UnicodeEncodeError as exc:  # the driver packing text UTF-8 cannot carry
            raise refused_text(exc.reason, writing) from exc

    def open(self) -> None:
        if self._driver is not None:
            return
        scheme = self.uri.partition("://")[0].lower()
        if scheme not in _SCHEMES:
            raise ConfigError(f"NEO4J_URI '{self.uri}' cannot be used: the scheme must be one "
                              f"of {', '.join(s + '://' for s in _SCHEMES)}")
        auth = (self.username or "neo4j", self.password) if self.password else None
        try:
            driver = neo4j.GraphDatabase.driver(
                self.uri, auth=auth, notifications_min_severity="OFF",
                user_agent="aimsgraph", connection_timeout=5.0,
                max_transaction_retry_time=self.retry_seconds)
        except (neo4j_errors.ConfigurationError, ValueError) as exc:
            raise ConfigError(f"NEO4J_URI '{self.uri}' cannot be used: {exc}") from exc
        try:
            with self._translated():
                driver.verify_connectivity()
                if (self.uri, self.database) not in _SCHEMA_DONE:
                    # one read says what exists; only what is missing is created (each
                    # statement is a schema transaction of its own, 60 of them a command)
                    wanted = cw.schema_statements()
                    existing = driver.execute_query(
                        "SHOW INDEXES YIELD name WHERE name IN $names RETURN collect(name)",
                        names=sorted(wanted), database_=self.database).records[0][0]
                    for name, statement in wanted.items():
                        if name not in existing:
                            driver.execute_query(statement, database_=self.database)
                    _SCHEMA_DONE.add((self.uri, self.database))
                else:  # the database is still there to be read
                    driver.execute_query("RETURN 1", database_=self.database)
        except BaseException:
            driver.close()
            raise
        self._driver = driver
        ensure_catalogue(self)
        # An ingest written in several transactions whose writer died part-way is undone
        # before this command reads anything (graph.store.undo).
        recover(self)

    def close(self) -> None:
        if self._driver is not None:
            self._driver.close()
            self._driver = None

    def _session(self, write: bool) -> neo4j.Session:
        if self._driver is None:
            raise StoreUnavailableError(f"the Neo4j store at {self.uri} is not open")
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        return self._driver.session(database=self.database, default_access_mode=mode)

    @contextmanager
    def _explicit(self, write: bool) -> Iterator[DriverTransaction]:
        with self._translated(write), self._session(write) as session:
            tx = session.begin_transaction()
            try:
                yield DriverTransaction(tx, writes=write)
            except BaseException:
                tx.rollback()
                raise
            tx.commit()

    def read(self) -> Any:
        return self._explicit(write=False)

    def write(self) -> Any:
        return self._explicit(write=True)

    def read_transaction(self, work: Callable[[ReadTransaction], T]) -> T:
        with self._translated(), self._session(write=False) as session:
            return session.execute_read(_timed(lambda tx: work(DriverTransaction(tx))))

    def write_transaction(self, work: Callable[[WriteTransaction], T]) -> T:
        with self._translated(writing=True), self._session(write=True) as session:
            return session.execute_write(lambda tx: work(DriverTransaction(tx, writes=True)))

    def query(self, cypher: str, **params: Any) -> list[dict[str, Any]]:
        """Run a read query (gap checks, traces) and return its records as dicts."""
        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            result = tx.run(cypher, params)
            keys = result.keys()
            return [dict(zip(keys, map(native, record.values()), strict=True))
                    for record in result]
        with self._translated(), self._session(write=False) as session:
            return session.execute_read(_timed(work))

    def rows(self, cypher: str, columns: tuple[str, ...], **params: Any
             ) -> list[dict[str, Any]]:
        """:meth:`query` for a read that may return many rows: they come as one record
        (:func:`graph.store.neo4j_view.one_record`), ``columns`` naming what its RETURN gives."""
        return self._collected(cypher, columns, params, converted=True)

    def plain_rows(self, cypher: str, columns: tuple[str, ...], **params: Any
                   ) -> list[dict[str, Any]]:
        return self._collected(cypher, columns, params, converted=False)

    def _collected(self, cypher: str, columns: tuple[str, ...], params: dict[str, Any],
                   converted: bool) -> list[dict[str, Any]]:
        """:meth:`rows`; without ``converted`` the values stay as the driver gives them
        (for rows known to hold only strings, numbers, lists and maps)."""
        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            return run_rows(tx, cypher, columns, params, converted)
        with self._translated(), self._session(write=False) as session:
            return session.execute_read(_timed(work))

    def stats(self) -> Stats:
        """Counts from the server's count store, one label or type at a time (each answer
        costs the same on an empty graph and on a million nodes; a scan grew with them)."""
        def work(tx: neo4j.ManagedTransaction) -> Stats:
            def count(query: str) -> int:
                return int(tx.run(query).single(strict=True)[0])

            nodes = {label: count(f"MATCH (n:`{label}`) RETURN count(n)")
                     for label in ALL_LABELS}
            rels = {rel_type: count(f"MATCH ()-[r:`{rel_type}`]->() RETURN count(r)")
                    for rel_type in sorted(ONTOLOGY.relationship_types)}
            return Stats({k: v for k, v in nodes.items() if v},
                         {k: v for k, v in rels.items() if v})

        with self._translated(), self._session(write=False) as session:
            return session.execute_read(_timed(work))

    def changes(self, run_id: str, offset: int = 0, limit: int = 100) -> tuple[int, list[Change]]:
        """A page of the ledger from the nodes whose entries it overlaps (nodes written by
        earlier versions hold their entries uncompressed: a list as ``records``, or one
        entry as ``record``)."""
        (total,) = [r["n"] for r in self.query(
            f"MATCH (c:{cw.CHANGE_LABEL} {{run_id: $run_id}}) "
            "RETURN coalesce(sum(CASE WHEN c.packed IS NULL THEN "
            "size(coalesce(c.records, [c.record])) ELSE c.last - c.seq + 1 END), 0) AS n",
            run_id=run_id)]
        end = offset + limit
        rows = self.query(
            f"MATCH (c:{cw.CHANGE_LABEL} {{run_id: $run_id}}) "
            "WHERE c.seq < $end AND coalesce(c.last, c.seq) >= $offset "
            "RETURN c.seq AS seq, coalesce(c.records, [c.record]) AS records, "
            "c.packed AS packed "
            "ORDER BY c.seq", run_id=run_id, offset=offset, end=end)
        page = window(((row["seq"], held_texts(f"{run_id} {row['seq']}", row["packed"],
                                                 row["records"])) for row in rows),
                      offset, end)
        return int(total), [Change.from_json(json_value(r)) for r in page]

    def sent_reminders(self, keys: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for chunk in batches(list(dict.fromkeys(keys))):
            rows = self.query(f"MATCH (r:{cw.REMINDER_LABEL}) WHERE r.key IN $keys "
                              "RETURN r.key AS key", keys=chunk)
            found.update(str(r["key"]) for r in rows)
        return found

    def record_reminders(self, keys: Iterable[str], sent_at: str) -> None:
        query = (f"UNWIND $keys AS key MERGE (r:{cw.REMINDER_LABEL} {{key: key}}) "
                 "SET r.sent_at = $sent_at")

        def write(tx: neo4j.ManagedTransaction, chunk: list[str]) -> None:
            tx.run(query, keys=chunk, sent_at=sent_at).consume()
        with self._translated(writing=True), self._session(write=True) as session:
            for chunk in batches(list(dict.fromkeys(keys))):
                session.execute_write(write, chunk)

    def run(self, run_id: str) -> RunRecord | None:
        rows = self.query(f"MATCH (r:{cw.RUN_LABEL} {{run_id: $run_id}}) "
                          "RETURN r.record AS record", run_id=run_id)
        return RunRecord.from_json(json_value(rows[0]["record"])) if rows else None

    def running_runs(self) -> list[RunRecord]:
        rows = self.query(f"MATCH (r:{cw.RUN_LABEL}) WHERE r.outcome = 'running' "
                          "RETURN r.record AS record ORDER BY r.seq")
        return [RunRecord.from_json(json_value(r["record"])) for r in rows]

    def runs(self, limit: int = 50) -> list[RunRecord]:
        rows = self.query(f"MATCH (r:{cw.RUN_LABEL}) RETURN r.record AS record "
                          "ORDER BY r.seq DESC LIMIT $limit", limit=limit)
        return [RunRecord.from_json(json_value(r["record"])) for r in rows]

    # The whole graph is read a page of ids at a time (:func:`graph.store.neo4j_view.pages`), each
    # page one record: 850,000 nodes do not cost 850,000 records.
    PAGE = PAGE

    def iter_nodes(self) -> Iterator[NodeRecord]:
        for label in ONTOLOGY.labels:
            for page in pages(self.rows, f"MATCH (n:`{label}`) WHERE n.id > $after RETURN "
                              "n.id AS id, labels(n) AS labels, properties(n) AS props "
                              "ORDER BY n.id LIMIT $page", ("id", "labels", "props"), "id",
                              self.PAGE):
                for r in page:
                    yield NodeRecord(label, r["id"], frozenset(r["labels"]),
                                     plain_props(r["props"]))

    def iter_relationships(self) -> Iterator[RelRecord]:
        """Per type and start label, the relationships of a page of start nodes at a time
        (every start node of the page comes back, with or without one, so the next page
        starts after the last)."""
        for rel_type in ONTOLOGY.relationship_types:
            for start in sorted({a for a, _ in ONTOLOGY.relationship(rel_type).endpoints}):
                for page in pages(
                        self.rows, f"MATCH (a:`{start}`) WHERE a.id > $after WITH a "
                        f"ORDER BY a.id LIMIT $page OPTIONAL MATCH (a)-[r:`{rel_type}`]->(b) "
                        "RETURN a.id AS aid, labels(b) AS bl, b.id AS bid, "
                        "properties(r) AS props ORDER BY aid", ("aid", "bl", "bid", "props"),
                        "aid", self.PAGE):
                    for r in page:
                        end = primary_label(r["bl"]) if r["bl"] is not None else None
                        if end:
                            yield RelRecord(rel_type, (start, r["aid"]), (end, r["bid"]),
                                            plain_props(r["props"]))

    def view(self) -> GraphView:
        return GraphView.build(self.iter_nodes(), self.iter_relationships())

    def generation(self) -> str:
        """The write counter, with a random epoch set when the counter was created (so a
        database emptied and filled again never repeats an earlier generation)."""
        rows = self.query(cw.READ_GENERATION)
        return f"{rows[0]['epoch']}:{rows[0]['value']}" if rows else "0"

    def cypher(self) -> CypherReader:
        return self

    def integrity(self) -> StoreIntegrity:
        return Neo4jIntegrity(self)

    def raw_write(self, work: Callable[[Any], None]) -> None:
        """``work`` on the driver's transaction, committed when it returns (for mending)."""
        with self._explicit(write=True) as tx:
            work(tx._tx)

    def lazy_view(self) -> LazyView:
        # One read transaction for the question's life: a question reads in many small steps
        # (a frontier, a label, a batch), and each on a session and transaction of its own
        # cost 4 ms instead of 1.4.
        with self._translated():
            session = self._session(write=False)
            try:
                left = remaining_seconds()
                tx = session.begin_transaction(timeout=left)
            except BaseException:
                session.close()
                raise

        def rows(cypher: str, columns: tuple[str, ...], **params: Any) -> list[dict[str, Any]]:
            with self._translated():  # the view converts what it keeps (plain_props)
                return run_rows(tx, cypher, columns, params, converted=False)

        def close() -> None:  # a read: nothing is lost if the server has gone already
            try:
                tx.close()
                session.close()
            except (neo4j_errors.Neo4jError, neo4j_errors.DriverError, OSError) as exc:
                log.debug("closing a read at %s: %s", self.uri, exc)

        view = CypherView(rows)
        # closed when the question closes it, or else when the view is dropped
        view.close_with(weakref.finalize(view, close))
        return view
