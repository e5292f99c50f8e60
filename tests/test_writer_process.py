"""The embedded store's run written by a process of its own: what it writes is what the run
planned, a writer that dies leaves the store as it was, and rows JSON cannot carry still go."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from aimsgraph.graph import EmbeddedStore
from aimsgraph.graph.store.records import ChangeSet, NodeRecord
from aimsgraph.graph.store.runs import RunRecord
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ingest.ledger import Ledger
from aimsgraph.ingest.writer_process import WriterProcess
from aimsgraph.ontology import StoreError
from tests.test_ingest import _changed_sample, _snapshot


@pytest.fixture
def embedded(tmp_path: Path) -> Any:
    store = EmbeddedStore(tmp_path / "store")
    store.open()
    yield store
    store.close()


def test_a_writer_that_dies_part_way_leaves_the_store_as_it_was(
        embedded: EmbeddedStore, sample_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer is killed once it has taken two chunks: the ingest fails naming it, the
    store holds what it held, and the next ingest writes the bundle whole."""
    ingest_bundle(embedded, sample_dir, sync="northwind")
    before = _snapshot(embedded)
    changed = _changed_sample(sample_dir, tmp_path / "changed")
    sent = WriterProcess.write
    calls: list[int] = []

    def dying(writer: WriterProcess, *args: Any) -> None:
        sent(writer, *args)
        calls.append(1)
        if len(calls) == 2:
            writer._child.kill()
            writer._child.wait()
    monkeypatch.setattr(WriterProcess, "write", dying)
    with pytest.raises(StoreError, match="writer process ended"):
        ingest_bundle(embedded, changed, sync="northwind")
    assert len(calls) >= 2
    assert _snapshot(embedded) == before
    assert embedded.running_runs() == []
    monkeypatch.setattr(WriterProcess, "write", sent)
    report = ingest_bundle(embedded, changed, sync="northwind")
    assert report.outcome == "succeeded" and report.changed > 0
    assert _snapshot(embedded) != before


def _stored(store: EmbeddedStore) -> dict[str, Any]:
    return store.read_transaction(lambda tx: tx.get_nodes("Dataset", ["D-WIDE"]))


def test_rows_json_cannot_carry_are_written_as_they_stand(embedded: EmbeddedStore) -> None:
    """An integer past 64 bits is sent as Python objects, not as JSON, and is kept exactly;
    nothing is kept before the commit, and all of it after."""
    now = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
    run = RunRecord("20261207T000000Z-00000000", "test", "test", now, outcome="succeeded")
    ledger = Ledger()
    props = {"name": "Wide", "reference": 2 ** 70, "since": dt.date(2024, 1, 1)}
    ledger.planned("node", "Dataset", "D-WIDE", None, props)
    writer = WriterProcess(embedded.path)
    try:
        writer.write(ChangeSet(upsert_nodes=[NodeRecord("Dataset", "D-WIDE",
                                                        frozenset({"Dataset"}), props)]),
                     ledger, run.run_id, 0)
        seen = writer.read("get_nodes", "Dataset", iter(["D-WIDE"]))
        assert seen["D-WIDE"].props["reference"] == 2 ** 70
        assert _stored(embedded) == {}  # not committed yet
        writer.commit(run)
    finally:
        writer.close()
    assert _stored(embedded)["D-WIDE"].props["reference"] == 2 ** 70
    total, changes = embedded.changes(run.run_id)
    assert total == 1 and changes[0].props["reference"] == 2 ** 70
