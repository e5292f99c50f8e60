"""An ingest's writes to the embedded store, made by a process of its own.

An embedded run is one SQLite transaction. Writing it (the SQL, the properties' and the
ledger's JSON text, the ledger's compression, the commit) took about half of a run's time,
all of it on the one core the reading, validating and planning were waiting for. A process
of its own holds the run's transaction instead, on the other core: the run's planned chunks
are sent to it as they come, as one JSON text each (properties and ledger entries as they
stand, which it writes as the store keeps them), and nothing waits for it until the end.

The planning reads the store as the run found it, as it does on Neo4j while batches are
written (:mod:`ingest.batches`); reads that must see what the run wrote (once
:meth:`~ingest.sink.Sink.flush` has been called) are asked of the writer, in its
transaction. The run commits when the writer is told to; if the ingesting process ends
without telling it (an issue, an error, a kill), its input closes and it rolls back.

    python -m aimsgraph.ingest.writer_process PATH    # what the ingest starts
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import queue
import signal
import sqlite3
import struct
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import IO, Any

import orjson

from aimsgraph.graph.store.embedded import connect
from aimsgraph.graph.store.embedded_tx import SqlTransaction, node_rows, rel_rows
from aimsgraph.graph.store.interface import ReadTransaction, cut
from aimsgraph.graph.store.jsonio import json_text
from aimsgraph.graph.store.ledger_pages import text_pages
from aimsgraph.graph.store.records import ChangeSet
from aimsgraph.graph.store.runs import RunRecord
from aimsgraph.ingest.ledger import Ledger, created_text, portable_texts
from aimsgraph.ontology import AimsgraphError, StoreError, refused_text

__all__ = ["WriterProcess", "serve"]

#: A frame: its kind and the length of what follows.
_HEAD = struct.Struct(">cQ")
_ROWS, _OBJECTS, _READ, _COMMIT = b"J", b"P", b"R", b"C"  # what the writer is sent
_DONE, _FAILED = b"O", b"E"  # what it answers
#: What the writer may be asked to read: the store's reads, nothing else.
_READS = frozenset(name for name in dir(ReadTransaction) if not name.startswith("_"))


class WriterProcess:
    """The ingesting side: starts the writer for the store file at ``path`` and sends it
    the run's chunks, its reads once they must see the run, and the word to commit.

    A thread of its own feeds the writer, so planning goes on while the writer takes in a
    chunk (one write to its input, made without holding the interpreter); at most
    :data:`QUEUED` chunks wait to be sent, which bounds what the run holds for it."""

    QUEUED = 4
    #: Rows sent at a time: what the writer holds of a run at once, besides SQLite's cache.
    PART = 10_000

    def __init__(self, path: Path) -> None:
        self._child = subprocess.Popen(
            [sys.executable, "-m", "aimsgraph.ingest.writer_process", str(path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            bufsize=0)
        self._queue: queue.Queue[bytes | None] = queue.Queue(self.QUEUED)
        self._broken = False
        self._committed = False
        self._feeding = threading.Thread(target=self._feed, name="aimsgraph-writer-feed",
                                         daemon=True)
        self._feeding.start()

    def write(self, changes: ChangeSet, ledger: Ledger, run_id: str, first: int) -> None:
        """Write ``changes`` and their ledger entries (one a change, numbered from
        ``first``), :data:`PART` rows at a time; returns at once (what writing them raised
        is raised by the next read or the commit)."""
        for part, entries, at in cut(changes, self.PART, ledger, first):
            nodes, rels = node_rows(part), rel_rows(part)
            try:
                self._send(_ROWS, orjson.dumps([
                    run_id, at, nodes, rels, part.remove_rels, part.remove_nodes, bool(part),
                    _sent_entries(entries, nodes, rels)]))
            except orjson.JSONEncodeError:  # what only the standard library writes, or refuses
                self._send(_OBJECTS, pickle.dumps((run_id, at, part, list(entries))))

    def read(self, method: str, *args: Any) -> Any:
        """A read of the store in the run's transaction (what the run wrote included)."""
        return self._ask(_READ, (method, tuple(
            list(arg) if isinstance(arg, Iterator) else arg for arg in args)))

    def reads(self) -> ReadTransaction:
        """The store's reads, each made in the run's transaction."""
        return _Reads(self)  # type: ignore[return-value]

    def commit(self, run: RunRecord) -> None:
        """Record ``run`` and commit everything written; raises what writing raised."""
        self._ask(_COMMIT, run)
        self._committed = True
        self.close()

    def close(self) -> None:
        """End the writer. A run not committed is rolled back: the writer is stopped, and
        SQLite keeps nothing of a transaction that did not commit."""
        if not self._committed and self._child.poll() is None:
            self._child.kill()
        self._queue.put(None)
        self._feeding.join()
        self._child.wait()
        for stream in (self._child.stdin, self._child.stdout):
            if stream is not None:
                stream.close()

    def _feed(self) -> None:
        """Send what is queued, each in one write (the writer closing its end drops the
        rest: the reason is then answered by :meth:`_gone`)."""
        stream = self._child.stdin
        assert stream is not None
        descriptor = stream.fileno()
        while (data := self._queue.get()) is not None:
            if self._broken:
                continue
            view = memoryview(data)
            try:
                while view:
                    view = view[os.write(descriptor, view):]
            except OSError:
                self._broken = True

    def _send(self, kind: bytes, payload: bytes) -> None:
        if self._broken:
            raise self._gone()
        self._queue.put(_HEAD.pack(kind, len(payload)) + payload)

    def _ask(self, kind: bytes, what: Any) -> Any:
        self._send(kind, pickle.dumps(what))
        stream = self._child.stdout
        assert stream is not None
        frame = _frame(stream)
        if frame is None:
            raise self._gone()
        status, payload = frame
        answer = pickle.loads(payload)
        if status == _FAILED:
            raise answer
        return answer

    def _gone(self) -> StoreError:
        code = self._child.wait()
        return StoreError(f"the embedded store's writer process ended before the run was "
                          f"written (exit status {code}); nothing of the run was kept")


class _Reads:
    """Reads asked of the writer, as a :class:`ReadTransaction` is asked them."""

    def __init__(self, writer: WriterProcess) -> None:
        self._writer = writer

    def __getattr__(self, name: str) -> Callable[..., Any]:
        if name not in _READS:
            raise AttributeError(name)
        return partial(self._writer.read, name)


def _sent_entries(ledger: Sequence[Any], nodes: list[tuple[Any, ...]],
                  rels: list[tuple[Any, ...]]) -> list[Any]:
    """``ledger``'s entries (a :class:`Ledger`'s part) as sent. A part's entries are one a
    change, in the order of its rows (nodes, then relationships: :func:`cut`), so the entry
    of the row at its own place is sent as the properties before alone (None: created):
    a row's properties are sent once, not twice. Any other planned write is sent as its
    tuple, an entry made already as its JSON text."""
    rows = len(nodes)
    sent: list[Any] = []
    for at, entry in enumerate(ledger.entries() if isinstance(ledger, Ledger) else ledger):
        if not isinstance(entry, tuple):
            sent.append(json_text(entry.to_json()))
            continue
        kind, name, key, old, new = entry
        if at < rows:
            node = nodes[at]
            if kind == "node" and node[3] is new and node[0] == name and node[1] == key:
                sent.append(old)
                continue
        elif at - rows < len(rels):
            rel = rels[at - rows]
            if kind == "relationship" and rel[5] is new and _rel_key(rel) == key:
                sent.append(old)
                continue
        sent.append(entry)
    return sent


def _ledger_texts(sent: list[Any], nodes: list[list[Any]], rels: list[list[Any]]
                  ) -> list[str]:
    """The JSON texts of the entries :func:`_sent_entries` sent; each row's properties
    are turned into their JSON text on the way (as the store keeps them), and a created
    row's entry is made from that text (:func:`created_text`), not from them again. Rows
    sent as JSON hold what orjson writes (what it refuses is sent pickled), so that text
    is orjson's, as :func:`created_text` needs."""
    rows = len(nodes)
    props = [_as_text(row, 3) for row in nodes] + [_as_text(row, 5) for row in rels]
    texts: list[str] = []
    for at, entry in enumerate(sent):
        if isinstance(entry, str):
            texts.append(entry)
            continue
        if isinstance(entry, list):
            texts.append(portable_texts([entry])[0])
            continue
        if at < rows:
            kind, name, key, text = "node", nodes[at][0], nodes[at][1], nodes[at][3]
        else:
            rel = rels[at - rows]
            kind, name, key, text = "relationship", rel[0], _rel_key(rel), rel[5]
        made = None if entry is not None else created_text(kind, name, key, props[at], text)
        texts.append(made or portable_texts([(kind, name, key, entry, props[at])])[0])
    return texts


def _as_text(row: list[Any], place: int) -> dict[str, Any]:
    """The properties at ``place`` of ``row``, left there as their JSON text."""
    props: dict[str, Any] = row[place]
    row[place] = json_text(props)
    return props


def _rel_key(row: Sequence[Any]) -> tuple[Any, ...]:
    """The key of the relationship a row sends."""
    rel_type, start_label, start_id, end_label, end_id, _, identity = row
    return (rel_type, (start_label, start_id), (end_label, end_id), identity)


def _frame(stream: IO[bytes]) -> tuple[bytes, bytes] | None:
    """The next frame of ``stream`` (None at its end)."""
    head = _exactly(stream, _HEAD.size)
    if head is None:
        return None
    kind, size = _HEAD.unpack(head)
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


# -- the writer's side -----------------------------------------------------------------------
def serve(path: Path, source: IO[bytes], answers: IO[bytes]) -> None:
    """Hold the run's transaction on the store file at ``path``: write what ``source``
    sends, answer its reads and its commit on ``answers``; roll back if it ends first."""
    conn = connect(path)
    conn.execute("PRAGMA synchronous=FULL")
    tx = SqlTransaction(conn, writable=True)
    failed: BaseException | None = None
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        failed = _portable(exc, path)
    committed = False
    while (frame := _frame(source)) is not None:
        kind, payload = frame
        if kind in (_ROWS, _OBJECTS):
            if failed is None:
                try:
                    _write(tx, kind, payload)
                except BaseException as exc:  # answered at the next read or the commit
                    failed = _portable(exc, path)
            continue
        try:
            if failed is not None:
                raise failed
            if kind == _READ:
                method, args = pickle.loads(payload)
                if method not in _READS:
                    raise StoreError(f"the writer process cannot read {method!r}")
                answer = getattr(tx, method)(*args)
            else:
                tx.record_run(pickle.loads(payload))
                conn.execute("COMMIT")
                committed, answer = True, None
        except BaseException as exc:
            failed = _portable(exc, path)
            _answer(answers, _FAILED, failed)
            continue
        _answer(answers, _DONE, answer)
        if committed:
            break
    if not committed:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
    conn.close()


def _write(tx: SqlTransaction, kind: bytes, payload: bytes) -> None:
    if kind == _OBJECTS:
        run_id, first, changes, entries = pickle.loads(payload)
        tx.apply(changes)
        tx.record_changes(run_id, entries, first)
        return
    run_id, first, nodes, rels, remove_rels, remove_nodes, changed, entries = \
        orjson.loads(payload)
    texts = _ledger_texts(entries, nodes, rels)
    tx.apply_rows(nodes, rels, remove_rels, remove_nodes, changed)
    tx.record_pages(run_id, text_pages(texts, first))


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
        status, payload = _FAILED, pickle.dumps(StoreError(str(what)))
    answers.write(_HEAD.pack(status, len(payload)))
    answers.write(payload)
    answers.flush()


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the ingesting process decides
    gc.disable()  # what it is sent holds no cycles, and it lives for one run
    serve(Path(sys.argv[1]), sys.stdin.buffer, sys.stdout.buffer)
