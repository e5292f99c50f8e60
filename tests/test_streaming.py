"""Ingestion streamed a table and a chunk at a time: the same graph and counts as planning the
bundle at once, the bundle never held whole, and an issue found late leaving nothing behind."""

from __future__ import annotations

import shutil
import weakref
from pathlib import Path
from typing import Any

import pytest

from aimsgraph.graph import EmbeddedStore, GraphStore
from aimsgraph.ingest import ingest_bundle, pipeline, stream
from aimsgraph.ingest.batches import Batches
from aimsgraph.ingest.readers import read_bundle
from aimsgraph.ingest.tables import Bundle, Table
from aimsgraph.ontology import BundleError
from tests.test_ingest import _changed_sample, _snapshot

_RUN_STAMPS = ("run_id", "updated_at")


def _content(store: GraphStore) -> tuple[set[str], set[str]]:
    """Every node and relationship with its properties, without what differs run to run."""
    nodes = {f"{n.key}|{sorted(n.labels)}|"
             f"{sorted((k, repr(v)) for k, v in n.props.items() if k not in _RUN_STAMPS)}"
             for n in store.iter_nodes()}
    rels = {f"{r.key}|{sorted((k, repr(v)) for k, v in r.props.items() if k not in _RUN_STAMPS)}"
            for r in store.iter_relationships()}
    return nodes, rels


def _restating(sample_dir: Path, folder: Path) -> Path:
    """The sample with one fact stated again far from its first statement: a relationships
    file (read after most tables) restating an AI system's accountable role, with a note."""
    shutil.copytree(sample_dir, folder)
    (folder / "relationships.csv").write_text(
        "from,type,to,note\nRole:R-MO-CLM,ACCOUNTABLE_FOR,AISystem:SYS-CLAIMS,restated\n",
        encoding="utf-8")
    return folder


def _runs(store: GraphStore, bundles: list[Path]) -> list[dict[str, Any]]:
    return [ingest_bundle(store, bundle, sync="northwind").changes for bundle in bundles]


def test_chunks_write_what_one_pass_writes(store: GraphStore, sample_dir: Path,
                                           tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Relationships seven at a time (the sample has hundreds), a fact stated again in a
    later chunk, then a changed bundle under --sync (updates and removals): the graph and
    the run counts equal those of the same runs planned in one pass."""
    bundles = [_restating(sample_dir, tmp_path / "first"),
               _changed_sample(sample_dir, tmp_path / "changed")]
    with EmbeddedStore(tmp_path / "reference") as reference:
        monkeypatch.setattr(stream, "REL_CHUNK", 10**9)
        expected = _runs(reference, bundles[:1]), _content(reference)
        expected_second = _runs(reference, bundles[1:]), _content(reference)
    monkeypatch.setattr(stream, "REL_CHUNK", 7)
    assert (_runs(store, bundles[:1]), _content(store)) == expected
    restated = [r for r in store.iter_relationships() if r.type == "ACCOUNTABLE_FOR"
                and r.start == ("Role", "R-MO-CLM") and r.end == ("AISystem", "SYS-CLAIMS")]
    assert [(r.props["note"], r.props["source"]) for r in restated] == [
        ("restated", "relationships.csv:2")]  # merged into the first statement's write
    assert (_runs(store, bundles[1:]), _content(store)) == expected_second
    assert expected_second[0][0]["nodes"]["Person"]["removed"] == 1


def test_the_bundle_is_never_held_whole(store: GraphStore, sample_dir: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """When a table is validated, the rows of every table read before it are gone."""
    earlier: list[weakref.ref[Table]] = []
    held: list[int] = []
    validate_table = stream.validate_table

    def watching(table: Table, draft: Any) -> None:
        held.append(sum(1 for ref in earlier if (t := ref()) is not None and t.rows))
        earlier.append(weakref.ref(table))
        validate_table(table, draft)

    monkeypatch.setattr(stream, "validate_table", watching)
    ingest_bundle(store, sample_dir)
    assert len(held) == len(list(sample_dir.glob("*.csv"))) and set(held) == {0}


def test_a_consumer_takes_each_table_as_it_is_read(sample_dir: Path) -> None:
    taken: list[str] = []
    bundle = read_bundle(sample_dir, consumer=lambda _b, table: taken.append(table.stem))
    assert isinstance(bundle, Bundle) and bundle.tables == []
    assert bundle.read == len(taken) == len(list(sample_dir.glob("*.csv")))


@pytest.mark.parametrize("late", ["validation", "reference"])
@pytest.mark.parametrize("way", ["own-limit", "batches", "apart"])
def test_an_issue_found_late_leaves_the_graph_as_it_was(
        store: GraphStore, sample_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, late: str, way: str) -> None:
    """An issue in the last table read, or a reference only the end resolves, after the
    earlier tables' nodes were written (in the one transaction, by a writer process, or in
    batches already committed): nothing stays, and the run is recorded as failed with the
    issue."""
    batched = way == "batches"
    if way == "apart":
        monkeypatch.setattr(pipeline, "APART", 0)  # a writer process, on the embedded store
    ingest_bundle(store, sample_dir, sync="northwind")
    before = _snapshot(store)
    changed = _changed_sample(sample_dir, tmp_path / "changed")
    records = changed / "training_records.csv"
    lines = records.read_text(encoding="utf-8").splitlines()
    fields = lines[1].split(",")
    if late == "validation":
        fields[lines[0].split(",").index("completed_on")] = "2024-13-45"
    else:
        fields[lines[0].split(",").index("person")] = "P-NOBODY"
    records.write_text("\n".join([*lines, ",".join(fields)]) + "\n", encoding="utf-8")
    if batched:
        store.max_transaction_changes = 1  # every change planned is written at once
        monkeypatch.setattr(Batches, "GATHERED", 1)
    with pytest.raises(BundleError) as caught:
        ingest_bundle(store, changed, sync="northwind")
    assert any(i.file == "training_records.csv" for i in caught.value.issues)
    after = _snapshot(store)
    assert after == before
    run = store.runs(1)[0]
    assert run.outcome == "failed" and any("training_records.csv" in e for e in run.errors)
    if batched:
        assert "undone" in run.errors[-1]
    assert store.running_runs() == []


def test_a_bounded_store_writes_the_first_chunks_while_the_rest_is_planned(
        store: GraphStore, sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a store whose transactions are bounded, the first chunks are written in a
    transaction held open while the run is planned, not once the whole run is planned; a
    run that fits still ends as that one transaction (never recorded as running)."""
    import threading

    from aimsgraph.graph.store.embedded_tx import SqlTransaction
    from aimsgraph.graph.store.neo4j_tx import DriverTransaction

    store.max_transaction_changes = 100_000
    applied = threading.Event()
    recorded: list[str] = []
    for kind in (SqlTransaction, DriverTransaction):
        def apply(tx: Any, changes: Any, _apply: Any = kind.apply) -> None:
            _apply(tx, changes)
            applied.set()

        def record_run(tx: Any, run: Any, _record: Any = kind.record_run) -> None:
            recorded.append(run.outcome)
            _record(tx, run)
        monkeypatch.setattr(kind, "apply", apply)
        monkeypatch.setattr(kind, "record_run", record_run)
    written_before_the_end: list[bool] = []
    finish = stream.Streamer.finish

    def finishing(streamer: stream.Streamer, *args: Any) -> None:
        # every table read and its nodes planned: the server has been writing meanwhile
        written_before_the_end.append(applied.wait(timeout=20))
        finish(streamer, *args)
    monkeypatch.setattr(stream.Streamer, "finish", finishing)
    report = ingest_bundle(store, sample_dir)
    assert written_before_the_end == [True]
    assert report.changed > 0 and recorded == ["succeeded"]
    assert store.running_runs() == [] and store.runs(1)[0].outcome == "succeeded"
