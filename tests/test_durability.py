"""The embedded store survives kill -9 mid-write, and concurrent writers lose nothing."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from aimsgraph.graph import EmbeddedStore
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ontology import builtin_items
from tests.bundles import write_bundle

BATCH = 3000

WRITER = textwrap.dedent(f"""
    import sys
    from aimsgraph.graph import EmbeddedStore
    from aimsgraph.graph.store.records import ChangeSet, NodeRecord
    store = EmbeddedStore(sys.argv[1])
    store.open()
    print("ready", flush=True)
    for batch in range(10_000):
        nodes = [NodeRecord("Person", f"{{sys.argv[2]}}{{batch}}-{{i}}", frozenset({{"Person"}}),
                            {{"name": "x" * 200, "batch": batch}}) for i in range({BATCH})]
        with store.write() as tx:
            tx.apply(ChangeSet(upsert_nodes=nodes))
""")


def _spawn(code: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    return subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                            text=True, env=env)


def test_kill_during_writes_leaves_whole_batches_only(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    rng = random.Random(42)
    seen_counts = set()
    for round_number in range(6):
        writer = _spawn(WRITER, str(folder), f"r{round_number}-")
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.2, 1.2))
        writer.send_signal(signal.SIGKILL)
        writer.communicate()
        check = sqlite3.connect(folder / EmbeddedStore.FILENAME)
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        check.close()
        with EmbeddedStore(folder) as store:
            stats = store.stats()
            people = stats.nodes.get("Person", 0)
            assert people % BATCH == 0, f"a partial batch is visible: {people} people"
            assert stats.nodes["Requirement"] == len(builtin_items())
            seen_counts.add(people)
    assert len(seen_counts) > 1, "the writer never committed anything; the test proved nothing"


INGESTER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from aimsgraph.graph import EmbeddedStore
    from aimsgraph.ingest import ingest_bundle
    from aimsgraph.ontology import StoreBusyError
    store = EmbeddedStore(sys.argv[1])
    store.open()
    refused = 0
    for folder in sorted(Path(sys.argv[2]).iterdir()):
        while True:  # one writer at a time: refused while the other writes, then again
            try:
                ingest_bundle(store, folder)
                break
            except StoreBusyError as exc:
                assert "another ingest is writing to this store: run " in str(exc)
                refused += 1
                time.sleep(0.01)
    print("done", refused, flush=True)
""")


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    with EmbeddedStore(store_dir):
        pass
    for side in ("a", "b"):
        for n in range(25):
            write_bundle(tmp_path / side / f"{n:03}", {
                "people.csv": f"id,name,{side}_note\nP-shared,Shared,{side}{n}\n"
                              f"P-{side}{n},Person {side}{n},\n"})
    writers = [_spawn(INGESTER, str(store_dir), str(tmp_path / side)) for side in ("a", "b")]
    for writer in writers:
        out, _ = writer.communicate(timeout=120)
        assert writer.returncode == 0 and out.startswith("done ")
    with EmbeddedStore(store_dir) as store:
        assert store.stats().nodes["Person"] == 51
        with store.read() as tx:
            shared = tx.get_nodes("Person", ["P-shared"])["P-shared"]
        assert (shared.props["a_note"], shared.props["b_note"]) == ("a24", "b24")
        assert len(store.runs(100)) == 50


LOCK_HOLDER = textwrap.dedent("""
    import sqlite3, sys
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
    conn.execute("DELETE FROM nodes WHERE label = 'Person'")
    print("holding", flush=True)
    sys.stdin.readline()
    conn.execute("COMMIT")
""")


def test_reads_answer_while_another_process_holds_a_long_write(tmp_path: Path,
                                                                sample_dir: Path) -> None:
    from aimsgraph.ingest import ingest_bundle

    with EmbeddedStore(tmp_path) as store:
        ingest_bundle(store, sample_dir)
        before = store.stats()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    database = str(tmp_path / "aimsgraph.sqlite")
    holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, database],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        started = time.monotonic()
        with EmbeddedStore(tmp_path) as store:  # opening and reading take no write lock
            during = store.stats()
            runs = store.runs()
        elapsed = time.monotonic() - started
        command = subprocess.run([sys.executable, "-m", "aimsgraph.api.cli", "stats", "-f", "json"],
                                 env={**env, "AIMSGRAPH_DATA_DIR": str(tmp_path),
                                      "AIMSGRAPH_STORE": "embedded"},
                                 capture_output=True, text=True, timeout=50)
        assert holder.poll() is None, "the writer still holds its lock while we read"
    finally:
        holder.communicate("go\n", timeout=30)
    # The reads saw the last commit, not the write in progress, and did not wait for it: the
    # write lock was held throughout (SQLite would have waited up to 60 s for it).
    assert during == before and len(runs) == 1
    assert elapsed < 1.0, f"stats took {elapsed:.2f} s while another process wrote"
    assert command.returncode == 0, command.stderr
    assert '"Person": 23' in command.stdout
    with EmbeddedStore(tmp_path) as store:
        assert "Person" not in store.stats().nodes  # the held write did commit afterwards


RUN_WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from aimsgraph.graph import EmbeddedStore
    from aimsgraph.ingest import ingest_bundle
    folder = Path(sys.argv[2])
    store = EmbeddedStore(sys.argv[1])
    store.open()
    print("ready", flush=True)
    for number in range(10_000):
        bundle = folder / f"b{number}"
        bundle.mkdir()
        rows = "".join(f"{sys.argv[3]}{number}-{i},Person {i}\\n" for i in range(2000))
        (bundle / "people.csv").write_text("id,name\\n" + rows)
        ingest_bundle(store, bundle)
""")


def test_kill_during_ingestion_leaves_data_and_run_records_together(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    rng = random.Random(7)
    for round_number in range(4):
        bundles = tmp_path / f"bundles{round_number}"
        bundles.mkdir()
        writer = _spawn(RUN_WRITER, str(folder), str(bundles), f"k{round_number}-")
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.5, 2.0))
        writer.send_signal(signal.SIGKILL)
        writer.communicate()
    check = sqlite3.connect(folder / EmbeddedStore.FILENAME)
    written = {run for (run,) in check.execute(
        "SELECT DISTINCT json_extract(props, '$.run_id') FROM nodes WHERE label = 'Person'")}
    recorded = {json.loads(record)["run_id"]: json.loads(record) for (record,) in check.execute(
        "SELECT record FROM runs")}
    check.close()
    assert written, "no ingestion ever committed; the test proved nothing"
    assert written <= set(recorded), "data was committed without the record of its run"
    assert all(r["outcome"] == "succeeded" for r in recorded.values())
    with EmbeddedStore(folder) as store:
        people = store.stats().nodes["Person"]
    assert people == 2000 * len(recorded)  # every recorded run wrote all of its rows


SYNC_INGESTER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from aimsgraph.graph import EmbeddedStore
    from aimsgraph.ingest import ingest_bundle
    store = EmbeddedStore(sys.argv[1])
    store.open()
    print("ready", flush=True)
    bundles = [Path(p) for p in sys.argv[2:]]
    for n in range(1000):
        ingest_bundle(store, bundles[n % len(bundles)], sync="hr")
""")


def test_kill_during_ingestion_leaves_runs_with_their_whole_ledgers(tmp_path: Path) -> None:
    """Data, run record and change ledger are one transaction: after kill -9 every recorded
    run has its whole ledger, no ledger is left without its run, and the graph is the state of
    the last recorded run."""
    from bench.generate import generate

    bundles = [generate(tmp_path / "a", 300, seed=1), generate(tmp_path / "b", 300, seed=2)]
    expected = {}
    for bundle in bundles:
        with EmbeddedStore(tmp_path / f"reference-{bundle.name}") as reference:
            ingest_bundle(reference, bundle, sync="hr")
            expected[bundle.name] = reference.stats()
    folder = tmp_path / "store"
    rng = random.Random(7)
    recorded_runs = 0
    for _ in range(4):
        writer = _spawn(SYNC_INGESTER, str(folder), *map(str, bundles))
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(1.0, 4.0))
        writer.send_signal(signal.SIGKILL)
        writer.communicate()
        with EmbeddedStore(folder) as store:
            runs = store.runs(10_000)
            recorded = {r.run_id for r in runs}
            with store.read() as tx:
                ledgers = dict(tx.conn.execute(
                    "SELECT run_id, sum(last - seq + 1) FROM change_pages GROUP BY run_id"
                ).fetchall())
            assert set(ledgers) <= recorded, "a ledger outlived its run"
            for run in runs:
                assert run.outcome == "succeeded"
                assert ledgers.get(run.run_id, 0) == sum(
                    n for counts in run.counts.values()
                    for action, n in counts.items() if action != "unchanged")
            if runs:
                assert store.stats() == expected[runs[0].bundle]
            recorded_runs = len(runs)
    assert recorded_runs > 2, "the writer never got far; the test proved little"
