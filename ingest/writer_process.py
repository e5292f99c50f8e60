"""An ingest's writes to the embedded store, made by a process of its own.

An embedded run is one SQLite transaction. Writing it (the SQL, the properties' JSON text,
the commit) took about half of a run's time, all of it on the one core the reading,
validating and planning were waiting for. A process of its own holds the run's transaction
instead, on the other core (:mod:`ingest.writer_serve`), and the work is shared so that
neither waits long for the other:
- a table's nodes are sent as drafts, and the writer plans them in its transaction while
  the ingesting process reads and validates the next table (the counts, and which nodes
  were new, are asked of it once, before the relationships are planned);
- the relationships are planned by whichever process is ahead, 10,000 at a time and in
  order (:meth:`~ingest.sink.WrittenApart.plan_relationships`): sent to the writer to plan
  while nothing waits to be sent to it, else planned here and sent as rows (one JSON text
  a message) with their ledger entries packed into pages here.

Until the run's last checks the ingesting process reads the store as the run found it, as
it does on Neo4j while batches are written (:mod:`ingest.batches`); reads that must see
what the run wrote (once :meth:`~ingest.sink.Sink.flush` has been called) are asked of the
writer, in its transaction. The run commits when the writer is told to; if the ingesting
process ends without telling it (an issue, an error, a kill), its input closes and it rolls
back.

    python -m aimsgraph.ingest.writer_process PATH    # what the ingest starts
"""

from __future__ import annotations

import gc
import pickle
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import orjson

from aimsgraph.graph.store.embedded_tx import node_rows, rel_rows
from aimsgraph.graph.store.interface import ReadTransaction, cut
from aimsgraph.graph.store.ledger_pages import pages
from aimsgraph.graph.store.records import ChangeSet, RelKey
from aimsgraph.graph.store.runs import RunRecord
from aimsgraph.ingest.draft import NodeDraft
from aimsgraph.ingest.ledger import Ledger
from aimsgraph.ingest.plan import Counts, Provenance, Wanted
from aimsgraph.ingest.writer_serve import (
    COMMIT,
    FAILED,
    HEAD,
    NODES,
    OBJECTS,
    PAGES,
    PLANNED,
    READ,
    READS,
    RELS,
    ROWS,
    read_frame,
    serve,
    write_all,
)
from aimsgraph.ontology import StoreError

__all__ = ["WriterProcess"]


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

    def write(self, changes: ChangeSet, ledger: Ledger, run_id: str) -> None:
        """Write ``changes`` and their ledger entries (one a change, numbered on from the
        run's entries written so far), :data:`PART` rows at a time; returns at once (what
        writing them raised is raised by the next read or the commit).

        The entries are packed into the ledger's pages here: what is planned here is
        planned while the writer is behind (:meth:`behind`)."""
        for part, entries, _ in cut(changes, self.PART, ledger):
            try:
                self._send(ROWS, orjson.dumps([
                    run_id, node_rows(part), rel_rows(part), part.remove_rels,
                    part.remove_nodes, bool(part)]))
            except orjson.JSONEncodeError:  # what only the standard library writes, or refuses
                self._send(OBJECTS, pickle.dumps((run_id, part)))
            packed = [(last - first + 1, page) for first, last, page in pages(entries, 0)]
            if packed:
                self._send(PAGES, pickle.dumps((run_id, packed)))

    def plan_nodes(self, nodes: Sequence[NodeDraft], prov: Provenance) -> None:
        """Have the writer plan and write ``nodes`` (:func:`plan_nodes`, stamped with
        ``prov``, read in its transaction), :data:`PART` at a time; returns at once. Their
        counts, and which were new, are for :meth:`planned`."""
        for start in range(0, len(nodes), self.PART):
            self._send(NODES, pickle.dumps((prov, [
                (n.label, n.id, n.props, n.source, n.defaults)
                for n in nodes[start:start + self.PART]])))

    def plan_relationships(self, wanted: Wanted, is_new: Callable[[RelKey], bool],
                           prov: Provenance, counted: bool) -> None:
        """Have the writer plan and write ``wanted`` (:func:`plan_relationships` in its
        transaction; ``is_new`` asked here, where the new nodes are known), :data:`PART` at
        a time; returns at once. Their counts are for :meth:`planned`."""
        items = list(wanted.items())
        for start in range(0, len(items), self.PART):
            self._send(RELS, pickle.dumps((prov, counted, [
                (key, props, source, is_new(key))
                for key, (props, source) in items[start:start + self.PART]])))

    def behind(self) -> bool:
        """Whether the writer is behind: what was sent waits for it to be taken in."""
        return self._queue.qsize() > 0

    def planned(self) -> tuple[Counts, Counts, bytes]:
        """What was given to :meth:`plan_nodes` and :meth:`plan_relationships` since the
        last call came to: the counts by label and by type, and one byte a node, in the
        order they were given: 1 if the store did not hold it."""
        answer: tuple[Counts, Counts, bytes] = self._ask(PLANNED, None)
        return answer

    def read(self, method: str, *args: Any) -> Any:
        """A read of the store in the run's transaction (what the run wrote included)."""
        return self._ask(READ, (method, tuple(
            list(arg) if isinstance(arg, Iterator) else arg for arg in args)))

    def reads(self) -> ReadTransaction:
        """The store's reads, each made in the run's transaction."""
        return _Reads(self)  # type: ignore[return-value]

    def commit(self, run: RunRecord) -> None:
        """Record ``run`` and commit everything written; raises what writing raised."""
        self._ask(COMMIT, run)
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
        while (data := self._queue.get()) is not None:
            if self._broken:
                continue
            try:
                write_all(stream, data)
            except OSError:
                self._broken = True

    def _send(self, kind: bytes, payload: bytes) -> None:
        if self._broken:
            raise self._gone()
        self._queue.put(HEAD.pack(kind, len(payload)) + payload)

    def _ask(self, kind: bytes, what: Any) -> Any:
        self._send(kind, pickle.dumps(what))
        stream = self._child.stdout
        assert stream is not None
        frame = read_frame(stream)
        if frame is None:
            raise self._gone()
        status, payload = frame
        answer = pickle.loads(payload)
        if status == FAILED:
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
        if name not in READS:
            raise AttributeError(name)
        return partial(self._writer.read, name)


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the ingesting process decides
    gc.disable()  # what it is sent holds no cycles, and it lives for one run
    serve(Path(sys.argv[1]), sys.stdin.buffer, sys.stdout.buffer)
