"""Every run keeps its change ledger beside its run record: what it created (with the
properties written), updated (each property before and after) and removed (with what it held);
a dry run lists the same entries before writing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aimsgraph.graph import GraphStore
from aimsgraph.graph.store.jsonio import json_text
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ontology import BundleError
from tests.bundles import write_bundle

FIRST = {
    "people.csv": "id,name,seniority\nP-1,Ada,executive\nP-2,Bo,staff\n",
    "roles.csv": "id,name\nR-1,Owner\n",
    "role_assignments.csv": "person,role,since\nP-1,R-1,2024-01-01\n",
    "controls.csv": "id,name,status,owner_role\nC-1,Gate,planned,R-1\nC-2,Log,implemented,R-1\n",
}


def _ledger(store: GraphStore, run_id: str) -> list[dict[str, Any]]:
    total, page = store.changes(run_id, 0, 1000)
    assert total == len(page)
    return [c.to_json() for c in page]


def _brief(entries: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(c["action"], c["type"], c.get("id") or f"{c['start']['id']}>{c['end']['id']}")
            for c in entries}


def test_three_runs_record_what_each_changed(store: GraphStore, tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", FIRST)
    first = ingest_bundle(store, folder, sync="hr")
    created = _ledger(store, first.run_id)
    assert _brief(created) == {
        ("created", "Person", "P-1"), ("created", "Person", "P-2"), ("created", "Role", "R-1"),
        ("created", "Control", "C-1"), ("created", "Control", "C-2"),
        ("created", "HOLDS", "P-1>R-1"), ("created", "OWNS", "R-1>C-1"),
        ("created", "OWNS", "R-1>C-2")}
    holds = next(c for c in created if c["type"] == "HOLDS")
    assert holds["identity"] == "2024-01-01"
    assert holds["props"] == {"since": "2024-01-01", "source": "role_assignments.csv:2",
                              "sync_source": "hr"}

    write_bundle(folder, {"controls.csv": "id,name,status,owner_role\n"
                                          "C-1,Gate,implemented,R-1\nC-2,Log,implemented,R-1\n"})
    planned = ingest_bundle(store, folder, sync="hr", dry_run=True)
    update = ingest_bundle(store, folder, sync="hr")
    updated = _ledger(store, update.run_id)
    assert [c.to_json() for c in planned.planned] == updated
    assert updated == [{"action": "updated", "kind": "node", "type": "Control", "id": "C-1",
                        "changed": {"status": {"before": "planned", "after": "implemented"}},
                        # the provenance it had: what undoing the entry puts back
                        "prior": {"run_id": first.run_id, "updated_at": updated[0]["prior"][
                            "updated_at"]}}]

    write_bundle(folder, {"people.csv": "id,name,seniority\nP-1,Ada,executive\n",
                          "controls.csv": "id,name,status,owner_role\nC-1,Gate,implemented,R-1\n"
                                          "C-2,Log,implemented,\n"})
    removal = ingest_bundle(store, folder, sync="hr")
    removed = _ledger(store, removal.run_id)
    assert _brief(removed) == {("removed", "Person", "P-2"), ("removed", "OWNS", "R-1>C-2")}
    person = next(c for c in removed if c["kind"] == "node")
    assert person["props"]["name"] == "Bo" and person["props"]["source"] == "people.csv:3"
    assert person["prior"]["run_id"] == first.run_id


def test_unchanged_and_rejected_runs_record_no_changes(store: GraphStore, tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", FIRST)
    ingest_bundle(store, folder)
    again = ingest_bundle(store, folder)
    assert _ledger(store, again.run_id) == []
    write_bundle(folder, {"controls.csv": "id,name,status\nC-9,,planned\n"})
    with pytest.raises(BundleError):
        ingest_bundle(store, folder)
    failed = store.runs(1)[0]
    assert failed.outcome == "failed"
    assert store.changes(failed.run_id) == (0, [])


def test_the_ledger_is_paged(store: GraphStore, tmp_path: Path) -> None:
    report = ingest_bundle(store, write_bundle(tmp_path / "b", FIRST))
    total, first = store.changes(report.run_id, 0, 3)
    _, rest = store.changes(report.run_id, 3, 100)
    assert total == 8 and len(first) == 3 and len(rest) == 5
    assert [c.to_json() for c in first + rest] == _ledger(store, report.run_id)


def test_a_ledger_written_in_several_transactions_pages_across_them(store: GraphStore) -> None:
    from aimsgraph.graph.store.records import ChangeSet, NodeRecord
    from aimsgraph.graph.store.runs import Change

    nodes = [NodeRecord("Role", f"R-{n:02}", frozenset({"Role"}), {"name": f"Role {n}"})
             for n in range(12)]
    ledger = [Change("created", "node", "Role", (n.id,), props={"name": n.props["name"]})
              for n in nodes]
    store.apply_in_batches(ChangeSet(upsert_nodes=nodes), 5, "run-x", ledger)  # 5 + 5 + 2
    total, everything = store.changes("run-x", 0, 100)
    assert total == 12 and [c.key[0] for c in everything] == [n.id for n in nodes]
    for offset, limit in ((3, 5), (4, 2), (5, 5), (9, 10), (11, 1), (12, 5), (0, 12)):
        _, page = store.changes("run-x", offset, limit)
        assert page == everything[offset:offset + limit], (offset, limit)


def test_a_plans_ledger_reads_the_same_by_index_slice_and_in_order(tmp_path: Path) -> None:
    """The plan makes each entry when it is read: every way of reading gives the same ones."""
    import datetime as dt

    from aimsgraph.graph import EmbeddedStore
    from aimsgraph.ingest.plan import Provenance
    from aimsgraph.ingest.stream import Streamer, plan_whole

    with EmbeddedStore(tmp_path / "s") as embedded:
        ingest_bundle(embedded, write_bundle(tmp_path / "b1", FIRST))
        second = {**FIRST, "controls.csv": "id,name,status,owner_role\n"
                  "C-1,Gate,implemented,R-1\nC-3,New,planned,R-1\n"}
        folder = write_bundle(tmp_path / "b2", second)
        streamer = Streamer(Provenance("r", dt.datetime(2026, 1, 1, tzinfo=dt.UTC)), False,
                            False, lambda _: None)
        ledger = embedded.read_transaction(
            lambda tx: plan_whole(streamer, folder, None, tx)).ledger
        assert not streamer.issues()
    in_order = [c.to_json() for c in ledger]
    assert [ledger[i].to_json() for i in range(len(ledger))] == in_order
    assert [c.to_json() for c in ledger[1:]] + [ledger[0].to_json()] == in_order[1:] + in_order[:1]
    # the texts written to the store, made without Change objects for what was created
    assert any(c.action == "created" for c in ledger) and any(c.action == "updated"
                                                              for c in ledger)
    texts = [json_text(entry) for entry in in_order]
    assert ledger.texts() == texts and ledger[2:].texts() == texts[2:]
    assert ledger.texts(1, 3) == texts[1:3]
    assert _brief(in_order) == {("updated", "Control", "C-1"), ("created", "Control", "C-3"),
                                ("created", "OWNS", "R-1>C-3")}
    assert [c["changed"] for c in in_order if c["action"] == "updated"] == [
        {"status": {"before": "planned", "after": "implemented"}}]
    with EmbeddedStore(tmp_path / "empty") as empty:  # a first load: dates among the values
        streamer = Streamer(Provenance("r", dt.datetime(2026, 1, 1, tzinfo=dt.UTC)), False,
                            False, lambda _: None)
        first = empty.read_transaction(
            lambda tx: plan_whole(streamer, write_bundle(tmp_path / "b3", FIRST), None,
                                  tx)).ledger
    entries = [c.to_json() for c in first]
    assert "2024-01-01" in [e.get("props", {}).get("since") for e in entries]
    assert first.texts() == [json_text(entry) for entry in entries]


def test_one_run_is_read_by_id_with_its_counts(
        store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from aimsgraph.api.cli import app
    from tests.stores import point_cli_at

    first = ingest_bundle(store, write_bundle(tmp_path / "b", FIRST))
    assert store.run(first.run_id) is not None and store.run("no-such-run") is None
    point_cli_at(store, monkeypatch)
    runner = CliRunner()
    one = runner.invoke(app, ["runs", "--id", first.run_id, "-f", "json"])
    assert one.exit_code == 0, one.output
    assert [r["run_id"] for r in json.loads(one.stdout)] == [first.run_id]
    table = runner.invoke(app, ["runs", "-f", "csv"]).stdout.splitlines()
    assert table[0] == "run,source,started,outcome,created,updated,removed,errors"
    assert table[1].endswith(",succeeded,8,0,0,0")  # 5 nodes and 3 relationships
    missing = runner.invoke(app, ["runs", "--id", "no-such-run"])
    assert missing.exit_code == 1 and "no ingestion run 'no-such-run'" in missing.stderr
