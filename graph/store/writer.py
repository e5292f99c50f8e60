"""One writer at a time per store: a lease recorded in the store itself, so that every
process (the CLI, the API server, a job runner) on any machine sees who is writing.

An ingest takes the lease before it plans and gives it back when its run is recorded as
succeeded or failed; a second writer meanwhile is refused with a message naming the running
ingest and when it started. A lease whose holder is gone (a process of this host that no
longer runs, or a heartbeat older than :data:`LEASE_SECONDS` from any host) is stale: the
next writer takes it over, and the store first undoes what the dead writer left half done
(:mod:`graph.store.undo`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from aimsgraph.graph.store.undo import undo_run
from aimsgraph.ontology import StoreBusyError

if TYPE_CHECKING:
    from aimsgraph.graph.store.interface import GraphStore, WriteTransaction

__all__ = ["LEASE_SECONDS", "Lease", "acquire", "busy_message", "new_lease", "recover",
           "refresh", "release"]

#: How long a lease lives without a heartbeat before another host may take it over (a
#: writer refreshes it with every batch it writes).
LEASE_SECONDS = 600


@dataclass(frozen=True)
class Lease:
    """Who holds the writer lease: the run, when it started, which process on which host,
    and when it last said it was alive."""

    run_id: str
    source: str
    started_at: str
    host: str
    pid: int
    heartbeat: str

    def to_text(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_text(cls, text: str | None) -> Lease | None:
        """The lease stored as ``text``; None for none, or for text no lease wrote."""
        if not text:
            return None
        try:
            data: dict[str, Any] = json.loads(text)
            return cls(str(data["run_id"]), str(data.get("source", "")),
                       str(data["started_at"]), str(data["host"]), int(data["pid"]),
                       str(data["heartbeat"]))
        except (ValueError, KeyError, TypeError):
            return None

    def stale(self, now: dt.datetime) -> bool:
        """Whether the holder is gone: its process has ended (on this host), or it has not
        beaten for :data:`LEASE_SECONDS`."""
        if self.host == socket.gethostname() and not _alive(self.pid):
            return True
        try:
            beaten = dt.datetime.fromisoformat(self.heartbeat)
        except ValueError:
            return True
        return (now - beaten).total_seconds() > LEASE_SECONDS

    def beaten(self, now: dt.datetime) -> Lease:
        return Lease(self.run_id, self.source, self.started_at, self.host, self.pid,
                     now.isoformat())


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it exists
    return True


def new_lease(run_id: str, source: str, now: dt.datetime) -> Lease:
    """The lease this process takes for ``run_id``."""
    now = now.replace(microsecond=0)
    return Lease(run_id, source, now.isoformat(), socket.gethostname(), os.getpid(),
                 now.isoformat())


def busy_message(holder: Lease) -> str:
    """What a writer refused because ``holder`` is writing is told."""
    return (f"another ingest is writing to this store: run {holder.run_id} of "
            f"{holder.source or 'a bundle'}, started at {holder.started_at} by process "
            f"{holder.pid} on {holder.host}; try again when it has finished")


def refuse(holder: Lease) -> StoreBusyError:
    return StoreBusyError(busy_message(holder))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def acquire(store: GraphStore, run_id: str, source: str) -> None:
    """Take the writer lease of ``store`` for ``run_id``; StoreBusyError naming the holder
    while a live writer holds it. A stale lease is taken over, and the dead writer's
    unfinished run undone, before this one goes on."""
    now = _now()
    mine = new_lease(run_id, source, now)

    def take(tx: WriteTransaction) -> tuple[bool, Lease | None]:
        """(taken, the lease found): a live writer's lease is left as it is."""
        current = Lease.from_text(tx.lease())
        if current is not None and current.run_id != run_id and not current.stale(now):
            return False, current
        tx.set_lease(mine.to_text())
        return True, current
    taken, found = store.write_transaction(take)
    if not taken and found is not None:
        raise refuse(found)
    if found is not None and found.run_id != run_id:  # a stale lease, taken over
        recover(store, f"undone: its writer (process {found.pid} on {found.host}) stopped "
                       f"part-way; run {run_id} took over the store")


def refresh(store: GraphStore, run_id: str) -> None:
    """Say the holder of the lease is still at work (a heartbeat)."""
    def beat(tx: WriteTransaction) -> None:
        current = Lease.from_text(tx.lease())
        if current is not None and current.run_id == run_id:
            tx.set_lease(current.beaten(_now()).to_text())
    store.write_transaction(beat)


def release(store: GraphStore, run_id: str) -> None:
    """Give the lease back (only if ``run_id`` still holds it)."""
    def give(tx: WriteTransaction) -> None:
        current = Lease.from_text(tx.lease())
        if current is not None and current.run_id == run_id:
            tx.set_lease(None)
    store.write_transaction(give)


def recover(store: GraphStore, reason: str = "undone: its writer stopped part-way"
            ) -> list[str]:
    """Undo every run left running by a writer that is gone (no lease, a stale one, or one
    held by another run), so the graph is as it was before it; the ids undone."""
    running = store.running_runs()
    if not running:
        return []
    holder = store.read_transaction(lambda tx: Lease.from_text(tx.lease()))
    live = holder is not None and not holder.stale(_now())
    undone = []
    for run in running:
        if live and holder is not None and holder.run_id == run.run_id:
            continue  # its writer is at work
        undo_run(store, run, reason)
        undone.append(run.run_id)
    return undone
