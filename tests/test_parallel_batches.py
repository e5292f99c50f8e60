"""Batches written at once: which batches may overlap, what a first load creates without
looking, and a ledger with a gap (batches that committed out of order before their writer
died) undone whole, on both stores."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest

from aimsgraph.graph import GraphStore
from aimsgraph.graph.store.ledger_pages import pages
from aimsgraph.graph.store.records import ChangeSet, NodeRecord
from aimsgraph.graph.store.runs import Change, RunRecord
from aimsgraph.graph.store.undo import undo_run
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ingest.batches import Claim, _Writing
from aimsgraph.ingest.plan import Provenance
from aimsgraph.ingest.stream import Streamer, plan_whole
from tests.test_ledger import FIRST, write_bundle


class _Log:
    """What ran, and which batches were being written at the same moment."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.flying: set[str] = set()
        self.together: list[frozenset[str]] = []
        self.order: list[str] = []

    def work(self, name: str, seconds: float = 0.05):  # type: ignore[no-untyped-def]
        def run() -> None:
            with self.lock:
                self.flying.add(name)
                self.order.append(name)
                self.together.append(frozenset(self.flying))
            time.sleep(seconds)
            with self.lock:
                self.flying.discard(name)
        return run


def _keys(*ids: str, joins: bool = False) -> Claim:
    return Claim(frozenset(("Person", i) for i in ids), joins)


def test_batches_of_other_nodes_overlap_and_the_rest_are_written_alone() -> None:
    log = _Log()
    writing = _Writing(workers=2, queued=2)
    writing.put(log.work("n1"), _keys("a", "b"))
    writing.put(log.work("n2"), _keys("c"))          # other nodes: alongside n1
    writing.put(log.work("n3"), _keys("b"))          # shares b with n1: after it
    writing.put(log.work("rels"), None)              # by itself, after every node batch
    writing.put(log.work("n4"), _keys("d"))          # after the relationships
    writing.drain()
    writing.stop()
    assert log.order.index("rels") == 3 and log.order[-1] == "n4"
    assert any({"n1", "n2"} <= seen for seen in log.together)
    for seen in log.together:
        assert not {"n1", "n3"} <= seen
        assert "rels" not in seen or seen == {"rels"}
        assert "n4" not in seen or seen == {"n4"}


def test_batches_of_relationships_overlap_once_the_nodes_they_join_are_written() -> None:
    log = _Log()
    writing = _Writing(workers=2, queued=3)
    writing.put(log.work("n1", 0.1), _keys("a", "b"))
    writing.put(log.work("r1"), _keys("a", "c", joins=True))  # joins a: after n1
    writing.put(log.work("r2"), _keys("a", "d", joins=True))  # shares a with r1: beside it
    writing.put(log.work("n2"), _keys("a"))                   # writes a: after both
    writing.drain()
    writing.stop()
    assert log.order == ["n1", "r1", "r2", "n2"]
    assert any({"r1", "r2"} <= seen for seen in log.together)
    for seen in log.together:
        assert not {"n1", "r1"} <= seen and not {"n2", "r2"} <= seen


def test_a_failed_batch_stops_the_rest_and_is_raised_once() -> None:
    log = _Log()
    writing = _Writing(workers=2, queued=1)

    def fail() -> None:
        raise RuntimeError("the server went away")
    writing.put(fail, None)
    with pytest.raises(RuntimeError, match="went away"):
        writing.drain()
    writing.put(log.work("late"), None)  # refused quietly: the run is being undone
    writing.drain()
    writing.stop()
    assert log.order == []


def test_a_first_load_creates_what_the_store_does_not_hold(store: GraphStore,
                                                          tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", FIRST)

    def planned() -> ChangeSet:
        now = dt.datetime.now(dt.UTC)
        streamer = Streamer(Provenance("r", now), False, False, lambda _: None)
        kept = store.read_transaction(lambda tx: plan_whole(streamer, folder, None, tx, True))
        assert kept.changes is not None and not streamer.issues()
        return kept.changes
    first = planned()
    assert first.upsert_nodes and all(n.new for n in first.upsert_nodes)
    assert first.upsert_rels and all(r.new for r in first.upsert_rels)
    ingest_bundle(store, folder)
    changed = {**FIRST, "controls.csv": FIRST["controls.csv"].replace("Gate", "Gate kept")}
    folder = write_bundle(tmp_path / "b2", changed)
    again = planned()
    assert again.upsert_nodes and not any(n.new for n in again.upsert_nodes)


def test_a_ledger_with_a_gap_is_undone_whole(store: GraphStore,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches 1 and 3 committed, batch 2 not (it was being written when the writer died):
    every node the committed batches wrote is taken back."""
    monkeypatch.setattr("aimsgraph.graph.store.undo._PAGE", 4)
    store.max_transaction_changes = 4
    nodes = [NodeRecord("Role", f"R-{n:02}", frozenset({"Role"}), {"name": f"Role {n}"},
                        new=True) for n in range(12)]
    run = RunRecord("run-gapped", "gapped", "", dt.datetime.now(dt.UTC))
    store.record_run(run)
    for first in (0, 8):  # entries 4 to 7 never committed
        part = nodes[first:first + 4]
        ledger = [Change("created", "node", "Role", (n.id,), props=n.props) for n in part]
        store.write_batch(ChangeSet(upsert_nodes=part), run.run_id,
                          list(pages(ledger, first)))
    assert {n.id for n in store.iter_nodes() if n.label == "Role"} >= {"R-00", "R-11"}
    assert store.changes(run.run_id, 0, 100)[0] == 8
    assert undo_run(store, run, "undone: its writer stopped part-way") == 8
    assert not {n.id for n in store.iter_nodes() if n.label == "Role"} & {
        n.id for n in nodes}
    assert store.changes(run.run_id, 0, 100) == (0, [])
    assert store.runs(1)[0].outcome == "failed"


def test_a_node_another_writer_made_meanwhile_is_refused_and_the_run_undone(
        request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
        ) -> None:
    """Neo4j: a node the plan found absent is created without being looked for. A writer
    that does not hold the lease (a hand-written Cypher load, say) making the same node
    between the plan and the write gets it refused by the uniqueness constraint: the run
    fails and is undone, and the other writer's node is left as it wrote it."""
    import neo4j

    from aimsgraph.graph.store.neo4j_tx import DriverTransaction
    from aimsgraph.ingest.batches import Batches
    from aimsgraph.ontology import StoreError
    from tests.conftest import open_store
    from tests.test_ingest import _snapshot

    store = open_store("neo4j", request, tmp_path / "store")
    uri = request.getfixturevalue("neo4j_uri")
    try:
        store.max_transaction_changes = 2
        monkeypatch.setattr(Batches, "GATHERED", 1)
        ingest_bundle(store, write_bundle(tmp_path / "b1", {"people.csv": FIRST["people.csv"]}))
        before = _snapshot(store)
        applied = DriverTransaction.apply

        def meanwhile(tx: DriverTransaction, changes: ChangeSet) -> None:
            if any(n.key == ("Control", "C-2") and n.new for n in changes.upsert_nodes):
                with neo4j.GraphDatabase.driver(uri) as driver:
                    driver.execute_query("CREATE (:Control {id: 'C-2', name: 'Theirs'})",
                                         database_="neo4j")
            applied(tx, changes)
        monkeypatch.setattr(DriverTransaction, "apply", meanwhile)
        with pytest.raises(StoreError, match="C-2|already exists|constraint"):
            ingest_bundle(store, write_bundle(tmp_path / "b2", FIRST))
        theirs = {f"{n.key}|{n.props.get('name')}" for n in store.iter_nodes()
                  if n.label == "Control"}
        assert theirs == {"('Control', 'C-2')|Theirs"}
        nodes, rels = _snapshot(store)
        assert (nodes - {n for n in nodes if n.startswith("('Control', 'C-2')")}, rels) == \
            before
        assert store.runs(1)[0].outcome == "failed"
    finally:
        store.close()
