"""The writer process's side (:mod:`ingest.writer_process`): the run's one transaction on
the store file, what it is sent written in it, its reads and its commit answered.

It writes rows as they were planned (their properties as JSON text) and the ledger's pages
as they were packed, numbering the entries in the order they come; or it plans nodes and
relationships itself, in its transaction, from what it is sent (a table's node drafts while
the ingesting process reads and validates the next table; relationships while it keeps up).
"""

from __future__ import annotations

import contextlib
import pickle
import sqlite3
import struct
from pathlib import Path
from typing import IO, Any

import orjson

from aimsgraph.graph.store.embedded import connect
from aimsgraph.graph.store.embedded_tx import SqlTransaction
from aimsgraph.graph.store.interface import ReadTransaction
from aimsgraph.graph.store.ledger_pages import pages
from aimsgraph.ingest.draft import NodeDraft
from aimsgraph.ingest.plan import Counts, Plan, plan_nodes, plan_relationships
from aimsgraph.ontology import AimsgraphError, StoreError, refused_text

__all__ = ["COMMIT", "DONE", "FAILED", "HEAD", "NODES", "OBJECTS", "PAGES", "PLANNED", "READ",
           "READS", "RELS", "ROWS", "read_frame", "serve", "write_all"]

#: A frame: its kind and the length of what follows.
HEAD = struct.Struct(">cQ")
#: What the writer is sent to write: rows (JSON, or pickled), the ledger's pages, nodes and
#: relationships to plan first.
ROWS, OBJECTS, PAGES, NODES, RELS = b"J", b"P", b"L", b"N", b"G"
READ, PLANNED, COMMIT = b"R", b"W", b"C"  # and what it is asked
DONE, FAILED = b"O", b"E"  # what it answers
#: What the writer may be asked to read: the store's reads, nothing else.
READS = frozenset(name for name in dir(ReadTransaction) if not name.startswith("_"))


def serve(path: Path, source: IO[bytes], answers: IO[bytes]) -> None:
    """Hold the run's transaction on the store file at ``path``: write what ``source``
    sends, answer its reads and its commit on ``answers``; roll back if it ends first."""
    conn = connect(path)
    conn.execute("PRAGMA synchronous=FULL")
    tx = SqlTransaction(conn, writable=True)
    run = _Run(tx)
    failed: BaseException | None = None
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        failed = _portable(exc, path)
    committed = False
    while (frame := read_frame(source)) is not None:
        kind, payload = frame
        if kind in (ROWS, OBJECTS, PAGES, NODES, RELS):
            if failed is None:
                try:
                    run.write(kind, payload)
                except BaseException as exc:  # answered at the next read or the commit
                    failed = _portable(exc, path)
            continue
        try:
            if failed is not None:
                raise failed
            if kind == READ:
                method, args = pickle.loads(payload)
                if method not in READS:
                    raise StoreError(f"the writer process cannot read {method!r}")
                answer = getattr(tx, method)(*args)
            elif kind == PLANNED:
                answer = run.planned()
            else:
                tx.record_run(pickle.loads(payload))
                conn.execute("COMMIT")
                committed, answer = True, None
        except BaseException as exc:
            failed = _portable(exc, path)
            _answer(answers, FAILED, failed)
            continue
        _answer(answers, DONE, answer)
        if committed:
            break
    if not committed:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
    conn.close()


class _Run:
    """What the writer keeps of the run besides its transaction: the number of the next
    ledger entry, and what came of the nodes and relationships it planned."""

    def __init__(self, tx: SqlTransaction) -> None:
        self.tx = tx
        self.entries = 0
        self._counts = Plan()
        #: One byte a node planned here, in the order they came: 1 if the store did not
        #: hold it (a byte, not its key: the ingesting process holds the keys already).
        self._new = bytearray()

    def write(self, kind: bytes, payload: bytes) -> None:
        """Write one frame: nodes to plan first, rows planned already (as JSON, or pickled
        when JSON cannot carry them), or their ledger entries packed into pages."""
        if kind == NODES:
            prov, drafts = pickle.loads(payload)
            plan = Plan()
            # what the store does not hold is an upsert here like any other write, so the
            # nodes written earlier in the run (plan_nodes' written) need not be told apart
            new = plan_nodes(plan, [NodeDraft(*draft) for draft in drafts], self.tx, prov,
                             stamp_sync=True)
            self._new.extend((label, node_id) in new for label, node_id, *_ in drafts)
            self._write_plan(prov.run_id, plan)
        elif kind == RELS:
            prov, counted, items = pickle.loads(payload)
            fresh = {key for key, _, _, is_new in items if is_new}
            plan = Plan()
            plan_relationships(plan, {key: (props, source) for key, props, source, _ in items},
                               self.tx, prov, fresh.__contains__, counted)
            self._write_plan(prov.run_id, plan)
        elif kind == PAGES:
            run_id, packed = pickle.loads(payload)
            numbered = []
            for count, page in packed:
                numbered.append((self.entries, self.entries + count - 1, page))
                self.entries += count
            self.tx.record_pages(run_id, numbered)
        elif kind == OBJECTS:
            self.tx.apply(pickle.loads(payload)[1])
        else:
            self.tx.apply_rows(*orjson.loads(payload)[1:])

    def _write_plan(self, run_id: str, plan: Plan) -> None:
        """Write what was planned here, its entries numbered on from the run's last."""
        self._counts.add_counts(plan)
        self.tx.apply(plan.changes)
        self.tx.record_pages(run_id, pages(plan.ledger, self.entries))
        self.entries += len(plan.ledger)

    def planned(self) -> tuple[Counts, Counts, bytes]:
        """The counts, and the new nodes' flags, of what was planned here since asked."""
        answer = self._counts.nodes, self._counts.relationships, bytes(self._new)
        self._counts, self._new = Plan(), bytearray()
        return answer


def _portable(exc: BaseException, path: Path) -> BaseException:
    """``exc`` as the ingesting process is to raise it: a project error as it is, SQLite's
    and text UTF-8 cannot carry as the embedded store reports them."""
    if isinstance(exc, sqlite3.Error):
        return StoreError(f"embedded store at {path}: {exc}")
    if isinstance(exc, UnicodeEncodeError):
        return refused_text(exc.reason, True)
    if isinstance(exc, AimsgraphError):
        return exc
    return StoreError(f"the embedded store's writer process failed: {exc!r}")


def _answer(answers: IO[bytes], status: bytes, what: Any) -> None:
    try:
        payload = pickle.dumps(what)
    except (pickle.PicklingError, TypeError, AttributeError):
        status, payload = FAILED, pickle.dumps(StoreError(str(what)))
    write_all(answers, HEAD.pack(status, len(payload)))
    write_all(answers, payload)
    answers.flush()


def write_all(stream: IO[bytes], data: bytes) -> None:
    """Write all of ``data`` to ``stream``. A raw stream (the writer's output under
    ``python -u`` or PYTHONUNBUFFERED, the ingesting process's pipe to the writer) takes
    only part of a write that a signal interrupts, and says how much: the rest is written
    on, not dropped, or the other side would wait for it for ever."""
    view = memoryview(data)
    while view:
        view = view[stream.write(view) or 0:]


def read_frame(stream: IO[bytes]) -> tuple[bytes, bytes] | None:
    """The next frame of ``stream`` (None at its end)."""
    head = _exactly(stream, HEAD.size)
    if head is None:
        return None
    kind, size = HEAD.unpack(head)
    payload = _exactly(stream, size)
    return None if payload is None else (kind, payload)


def _exactly(stream: IO[bytes], size: int) -> bytes | None:
    """``size`` bytes of ``stream`` (a pipe gives what it holds at a time); None at its end."""
    parts, wanted = [], size
    while wanted:
        part = stream.read(wanted)
        if not part:
            return None
        parts.append(part)
        wanted -= len(part)
    return b"".join(parts)
