"""One writer at a time, and all or nothing across processes, on both stores: a second
ingest is refused while one writes, naming it; an ingest killed (SIGKILL) part-way is undone
by the next command that opens the store; a lease left by a dead writer is taken over."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aimsgraph.api.cli import app
from aimsgraph.graph import GraphStore
from aimsgraph.graph.store.writer import LEASE_SECONDS, Lease
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ontology import StoreBusyError
from tests.stores import point_cli_at
from tests.test_ingest import _changed_sample, _snapshot

#: A writer in its own process: ingests the bundle in batches of SIZE changes and, after
#: batch PAUSE, says so (a file) and waits for the gate file before going on.
CHILD = """
import sys, time
from pathlib import Path
from aimsgraph.api.cli.base import open_store
from aimsgraph.graph.store import writer
from aimsgraph.ingest import ingest_bundle

bundle, gate, size, pause = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
refresh, written = writer.refresh, []

def pausing(store, run_id):
    refresh(store, run_id)
    written.append(run_id)
    if len(written) == pause:
        gate.with_suffix(".paused").write_text(run_id)
        while not gate.exists():
            time.sleep(0.05)

writer.refresh = pausing
with open_store() as store:
    store.max_transaction_changes = size
    ingest_bundle(store, bundle, sync="northwind")
"""


def _writer(tmp_path: Path, bundle: Path, pause: int) -> tuple[subprocess.Popen[str], Path]:
    gate = tmp_path / "gate"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(bundle), str(gate), "2",
                              str(pause)], env=os.environ.copy(), text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    paused = gate.with_suffix(".paused")
    deadline = time.monotonic() + 60
    while not paused.exists():
        if child.poll() is not None or time.monotonic() > deadline:
            child.kill()
            raise AssertionError(f"the writer did not pause: {child.communicate()}")
        time.sleep(0.05)
    return child, gate


@pytest.fixture
def before(store: GraphStore, sample_dir: Path, monkeypatch: pytest.MonkeyPatch
           ) -> tuple[set[str], set[str]]:
    ingest_bundle(store, sample_dir, sync="northwind")
    point_cli_at(store, monkeypatch)  # the child process and the CLI open this store
    return _snapshot(store)


def test_a_second_ingest_is_refused_while_one_writes(
        store: GraphStore, before: tuple[set[str], set[str]], sample_dir: Path,
        tmp_path: Path) -> None:
    changed = _changed_sample(sample_dir, tmp_path / "changed")
    child, gate = _writer(tmp_path, changed, pause=1)
    try:
        second = CliRunner().invoke(app, ["ingest", str(sample_dir)])
        assert second.exit_code == 1
        running = gate.with_suffix(".paused").read_text()
        assert f"another ingest is writing to this store: run {running} of northwind, " \
               "started at " in second.stderr
        assert "try again when it has finished" in second.stderr
    finally:
        gate.touch()
        out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert [r.outcome for r in store.runs(2)] == ["succeeded", "succeeded"]
    assert ("AISystem", "SYS-NEW") in {n.key for n in store.iter_nodes()}


@pytest.mark.parametrize("pause", [1, 4])
def test_an_ingest_killed_part_way_is_undone_by_the_next_command(
        store: GraphStore, before: tuple[set[str], set[str]], sample_dir: Path,
        tmp_path: Path, pause: int) -> None:
    changed = _changed_sample(sample_dir, tmp_path / "changed")
    child, _ = _writer(tmp_path, changed, pause=pause)
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=60)
    assert store.running_runs(), "the killed run is left recorded as running"
    stats = CliRunner().invoke(app, ["stats"])  # any command: it opens the store first
    assert stats.exit_code == 0, stats.output
    assert _snapshot(store) == before
    run = store.runs(1)[0]
    assert run.outcome == "failed" and "stopped part-way" in run.errors[-1]
    assert not store.running_runs()
    assert ingest_bundle(store, changed, sync="northwind").outcome == "succeeded"


def _lease(store: GraphStore, host: str, pid: int, beaten: dt.datetime) -> None:
    lease = Lease("RUN-OLD", "old.zip", beaten.isoformat(), host, pid, beaten.isoformat())
    store.write_transaction(lambda tx: tx.set_lease(lease.to_text()))


def test_a_lease_left_by_a_dead_writer_is_taken_over(
        store: GraphStore, before: tuple[set[str], set[str]], sample_dir: Path) -> None:
    import socket

    now = dt.datetime.now(dt.UTC)
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    _lease(store, socket.gethostname(), int(gone.stdout), now)  # a process that has ended
    assert ingest_bundle(store, sample_dir).outcome == "succeeded"
    _lease(store, "elsewhere", 1, now - dt.timedelta(seconds=LEASE_SECONDS + 1))  # silent
    assert ingest_bundle(store, sample_dir).outcome == "succeeded"
    _lease(store, "elsewhere", 1, now)  # another host, beating: it is at work
    with pytest.raises(StoreBusyError, match="run RUN-OLD of old.zip"):
        ingest_bundle(store, sample_dir)
    assert store.read_transaction(lambda tx: tx.lease()) is not None
