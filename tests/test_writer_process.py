"""The embedded store's run written by a process of its own: what it writes is what one
transaction in the ingesting process writes, a writer that dies leaves the store as it was,
and rows JSON cannot carry still go (an issue found late: tests/test_streaming.py)."""

from __future__ import annotations

import datetime as dt
import io
import json
import pickle
from pathlib import Path
from typing import Any

import orjson
import pytest

from aimsgraph.graph import EmbeddedStore
from aimsgraph.graph.store.records import ChangeSet, NodeRecord
from aimsgraph.graph.store.runs import RunRecord
from aimsgraph.ingest import ingest_bundle, pipeline
from aimsgraph.ingest.ledger import Ledger
from aimsgraph.ingest.writer_process import WriterProcess
from aimsgraph.ingest.writer_serve import DONE, HEAD, READ, ROWS, read_frame, serve
from aimsgraph.ontology import StoreError
from tests.test_ingest import _changed_sample, _snapshot
from tests.test_streaming import _content, _restating


@pytest.fixture
def embedded(tmp_path: Path) -> Any:
    store = EmbeddedStore(tmp_path / "store")
    store.open()
    yield store
    store.close()


@pytest.fixture
def apart(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every bundle written by a writer process, however small."""
    monkeypatch.setattr(pipeline, "APART", 0)


def _ledgers(store: EmbeddedStore) -> list[str]:
    """Each run's ledger as text, its runs' ids and times named by their order (an
    update's entry names the run that wrote what it replaced, and when)."""
    runs = list(reversed(store.runs(10)))
    texts = [json.dumps([c.to_json() for c in store.changes(run.run_id, 0, 100_000)[1]])
             for run in runs]
    for n, run in enumerate(runs):
        stamp = run.started_at.isoformat(timespec="seconds")
        texts = [text.replace(run.run_id, f"run {n}").replace(stamp, f"time {n}")
                 for text in texts]
    return texts


@pytest.mark.parametrize("behind", [False, True], ids=["writer-plans", "ingest-plans"])
def test_a_writer_process_writes_what_one_transaction_writes(
        sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        behind: bool) -> None:
    """The sample, then the sample changed under ``--sync`` (updates, removals, a fact
    stated twice), written in the ingesting process and by a writer process sent a few
    rows at a time, its relationships planned by the writer or, as when it is behind, by
    the ingesting process: the same graph, counts and ledgers."""
    changed = _restating(_changed_sample(sample_dir, tmp_path / "changed"), tmp_path / "again")
    monkeypatch.setattr(WriterProcess, "PART", 7)  # each chunk sent in many parts
    monkeypatch.setattr(WriterProcess, "behind", lambda _: behind)
    found = []
    for size in (10 ** 12, 0):
        monkeypatch.setattr(pipeline, "APART", size)
        store = EmbeddedStore(tmp_path / f"store-{size}")
        store.open()
        try:
            reports = [ingest_bundle(store, bundle, sync="northwind").changes
                       for bundle in (sample_dir, changed)]
            found.append((_content(store), reports, _ledgers(store)))
        finally:
            store.close()
    assert found[0] == found[1]
    assert found[0][1][1]["relationships"]  # the second run changed relationships too


def test_a_writer_that_dies_part_way_leaves_the_store_as_it_was(
        embedded: EmbeddedStore, sample_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, apart: None) -> None:
    """The writer is killed once it has been sent two chunks: the ingest fails naming it,
    the store holds what it held, and the next ingest writes the bundle whole."""
    ingest_bundle(embedded, sample_dir, sync="northwind")
    before = _snapshot(embedded)
    changed = _changed_sample(sample_dir, tmp_path / "changed")
    sent = WriterProcess._send
    calls: list[bytes] = []

    def dying(writer: WriterProcess, kind: bytes, payload: bytes) -> None:
        sent(writer, kind, payload)
        calls.append(kind)
        if len(calls) == 2:
            writer._child.kill()
            writer._child.wait()
    monkeypatch.setattr(WriterProcess, "_send", dying)
    with pytest.raises(StoreError, match="writer process ended"):
        ingest_bundle(embedded, changed, sync="northwind")
    assert len(calls) >= 2
    assert _snapshot(embedded) == before
    assert embedded.running_runs() == []
    monkeypatch.setattr(WriterProcess, "_send", sent)
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
                     ledger, run.run_id)
        seen = writer.read("get_nodes", "Dataset", iter(["D-WIDE"]))
        assert seen["D-WIDE"].props["reference"] == 2 ** 70
        assert _stored(embedded) == {}  # not committed yet
        writer.commit(run)
    finally:
        writer.close()
    assert _stored(embedded)["D-WIDE"].props["reference"] == 2 ** 70
    total, changes = embedded.changes(run.run_id)
    assert total == 1 and changes[0].props["reference"] == 2 ** 70


class _CutShort(io.RawIOBase):
    """A pipe every write to which a signal interrupts part-way, as the writer's output is
    under ``python -u`` or PYTHONUNBUFFERED: it takes at most 1,000 bytes a write."""

    def __init__(self) -> None:
        self.taken = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        taken = bytes(data[:1000])
        self.taken += taken
        return len(taken)


def test_the_writer_answers_whole_when_its_writes_are_cut_short(tmp_path: Path) -> None:
    """An answer larger than one write reaches the ingesting process whole: a write cut
    short is written on (else the ingest waits for the rest for ever)."""
    store = EmbeddedStore(tmp_path / "store")
    store.open()
    store.close()
    ids = [f"S{n}" for n in range(3000)]
    rows = [("AISystem", node_id, '["AISystem"]', {"name": f"System {node_id}"})
            for node_id in ids]
    frames = io.BytesIO()
    for kind, payload in ((ROWS, orjson.dumps(["run", rows, [], [], [], True])),
                          (READ, pickle.dumps(("get_nodes", ("AISystem", ids))))):
        frames.write(HEAD.pack(kind, len(payload)) + payload)
    frames.seek(0)
    answers = _CutShort()
    serve(store.path, frames, answers)
    assert len(answers.taken) > 100_000  # a hundred writes and more
    frame = read_frame(io.BytesIO(bytes(answers.taken)))
    assert frame is not None
    status, payload = frame
    assert status == DONE
    found = pickle.loads(payload)
    assert sorted(found) == sorted(ids)
    assert found["S7"].props == {"name": "System S7"}
