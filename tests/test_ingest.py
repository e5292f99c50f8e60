"""Ingestion as a whole: forms, idempotence, dry runs, sync mode, provenance, run records."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from aimsgraph.graph import EmbeddedStore, GraphStore
from aimsgraph.graph.store import writer
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ontology import BundleError, StoreError, builtin_items
from tests.bundles import folder_to_xlsx, folder_to_zip, write_bundle


def _stats(path: Path, tmp_path: Path, name: str) -> tuple[dict[str, int], dict[str, int]]:
    with EmbeddedStore(tmp_path / name) as store:
        ingest_bundle(store, path)
        stats = store.stats()
    return stats.nodes, stats.relationships


def test_folder_zip_and_xlsx_give_identical_stats(sample_dir: Path, tmp_path: Path) -> None:
    as_folder = _stats(sample_dir, tmp_path, "folder")
    as_zip = _stats(folder_to_zip(sample_dir, tmp_path / "org.zip"), tmp_path, "zip")
    as_xlsx = _stats(folder_to_xlsx(sample_dir, tmp_path / "org.xlsx"), tmp_path, "xlsx")
    assert as_folder == as_zip == as_xlsx
    nodes, rels = as_folder
    assert nodes["Person"] >= 20 and nodes["Role"] >= 15 and nodes["AISystem"] >= 10
    assert nodes["Control"] >= 20 and nodes["Leader"] == 5
    assert nodes["Requirement"] == len(builtin_items())


def test_ingesting_twice_changes_nothing(store: GraphStore, sample_dir: Path) -> None:
    first = ingest_bundle(store, sample_dir)
    stats = store.stats()
    second = ingest_bundle(store, sample_dir)
    assert store.stats() == stats
    for kind in ("nodes", "relationships"):
        for name, actions in second.changes[kind].items():
            created = first.changes[kind][name]["created"] + first.changes[kind][name]["updated"]
            assert actions == {"created": 0, "updated": 0, "unchanged": created, "removed": 0}


def test_dry_run_reports_without_writing(store: GraphStore, sample_dir: Path) -> None:
    before = store.stats()
    report = ingest_bundle(store, sample_dir, dry_run=True)
    assert store.stats() == before
    assert store.runs() == []
    assert report.outcome == "dry_run"
    assert report.changes["nodes"]["AISystem"] == {
        "created": 12, "updated": 0, "unchanged": 0, "removed": 0}
    assert report.changes["nodes"]["Requirement (SoA decision)"]["updated"] == 37
    assert "Requirement" not in report.changes["nodes"]  # the catalogue is not the bundle's


def test_provenance_is_written_and_kept_while_unchanged(store: GraphStore, tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {"people.csv": "id,name\nP-1,Ada\nP-2,Alan\n"})
    first = ingest_bundle(store, folder)
    ada = _person(store, "P-1")
    assert ada.props["source"] == "people.csv:2"
    assert ada.props["run_id"] == first.run_id
    assert ada.props["updated_at"].startswith(first.run_id[:4])
    assert ada.props["active"] is True  # the default when not given
    write_bundle(folder, {"people.csv": "id,name,email\nP-2,Alan,alan@example.org\nP-1,Ada,\n"})
    second = ingest_bundle(store, folder)
    assert _person(store, "P-1").props["run_id"] == first.run_id
    alan = _person(store, "P-2")
    assert (alan.props["run_id"], alan.props["source"]) == (second.run_id, "people.csv:2")
    assert alan.props["email"] == "alan@example.org"


def _person(store: GraphStore, person_id: str):  # type: ignore[no-untyped-def]
    with store.read() as tx:
        return tx.get_nodes("Person", [person_id])[person_id]


def test_empty_cells_keep_stored_values_and_derived_values_follow(
        store: GraphStore, tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {
        "people.csv": "id,name,seniority,team\nP-1,Ada,executive,Risk\n",
        "risks.csv": "id,title,likelihood,impact\nK-1,Bias,4,3\n"})
    ingest_bundle(store, folder)
    write_bundle(folder, {"people.csv": "id,name,seniority,team\nP-1,Ada,staff,\n",
                          "risks.csv": "id,title,likelihood,impact\nK-1,Bias,,5\n"})
    ingest_bundle(store, folder)
    ada = _person(store, "P-1")
    assert ada.labels == {"Person"} and ada.props["team"] == "Risk"
    with store.read() as tx:
        assert tx.get_nodes("Risk", ["K-1"])["K-1"].props["score"] == 20


def test_frequencies_are_stored_normalised_and_others_kept_with_a_warning(
        store: GraphStore, tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {
        "controls.csv": "id,name,frequency\nC-1,a,Semi-Annually\nC-2,b,continuous\nC-3,c,\n"
                        "C-4,d,On Event\n"})
    report = ingest_bundle(store, folder)
    assert [str(w) for w in report.warnings] == [
        "controls.csv:3: frequency 'continuous' is not recognised and is kept as written "
        "(recognised: daily, weekly, monthly, quarterly, semiannually, annually, on_event)"]
    assert report.to_json()["warnings"][0]["column"] == "frequency"
    with store.read() as tx:
        controls = tx.get_nodes("Control", ["C-1", "C-2", "C-3", "C-4"])
    assert {k: v.props.get("frequency") for k, v in controls.items()} == {
        "C-1": "semiannually", "C-2": "continuous", "C-3": None, "C-4": "on_event"}


def test_sync_removes_what_the_source_no_longer_holds(store: GraphStore, tmp_path: Path) -> None:
    hr = write_bundle(tmp_path / "hr", {
        "people.csv": "id,name\nP-1,Ada\nP-2,Alan\nP-3,Grace\n",
        "roles.csv": "id,name\nR-1,Chief\n",
        "role_assignments.csv": "person,role\nP-1,R-1\nP-2,R-1\n"})
    other = write_bundle(tmp_path / "other", {"people.csv": "id,name\nP-9,Contractor\n"})
    ingest_bundle(store, hr, sync="hr")
    ingest_bundle(store, other)
    write_bundle(hr, {"people.csv": "id,name\nP-1,Ada\nP-3,Grace\n",
                      "role_assignments.csv": "person,role\nP-3,R-1\n"})
    (hr / "roles.csv").unlink()
    (hr / "roles.csv").write_text("id,name\nR-1,Chief\n")
    report = ingest_bundle(store, hr, sync="hr")
    assert report.changes["nodes"]["Person"]["removed"] == 1
    assert report.changes["relationships"]["HOLDS"] == {  # P-1's, and P-2's with P-2
        "created": 1, "updated": 0, "unchanged": 0, "removed": 2}
    with store.read() as tx:
        assert set(tx.get_nodes("Person", ["P-1", "P-2", "P-3", "P-9"])) == {"P-1", "P-3", "P-9"}
    assert store.stats().relationships["HOLDS"] == 1


def test_sync_never_removes_catalogue_requirements(store: GraphStore, tmp_path: Path) -> None:
    soa = write_bundle(tmp_path / "soa", {"soa.csv": "requirement,applicable\nA.2.2,yes\n"})
    ingest_bundle(store, soa, sync="soa")
    (soa / "soa.csv").write_text("requirement,applicable\n")
    ingest_bundle(store, soa, sync="soa")
    assert store.stats().nodes["Requirement"] == len(builtin_items())


def test_a_bundle_full_of_errors_reports_all_and_writes_nothing(
        store: GraphStore, sample_dir: Path, tmp_path: Path) -> None:
    ingest_bundle(store, sample_dir)
    before = store.stats()
    bad = tmp_path / "bad"
    shutil.copytree(sample_dir, bad)
    planted = {
        "controls.csv": ("C-03,Speak-up channel for AI concerns,operating,R-LEGAL",
                         "C-03,Speak-up channel for AI concerns,operatin,R-NOPE"),
        "evidence.csv": (",2025-06-30,2026-06-30,", ",2025-06-31,2026-06-30,"),
        "risks.csv": ("SYS-CLAIMS,R-MO-CLM,4,4", "SYS-CLAIMZ,R-MO-CLM,4,9"),
        "people.csv": ("P-02,Rafael Ortiz", "P-01,Rafael Ortiz"),
        "soa.csv": ("A.2.4,yes", "A.2.4,sometimes"),
    }
    for name, (old, new) in planted.items():
        text = (bad / name).read_text()
        assert old in text
        (bad / name).write_text(text.replace(old, new, 1))
    with pytest.raises(BundleError) as caught:
        ingest_bundle(store, bad)
    assert [str(i) for i in caught.value.issues] == [
        "controls.csv:4: owner_role 'R-NOPE' is not a known Role id",
        "controls.csv:4: status 'operatin' is not one of: planned, implemented, operating, retired",
        "evidence.csv:6: collected_on '2025-06-31' is not a date (expected YYYY-MM-DD)",
        "people.csv:3: id 'P-01' is duplicated (first on row 2)",
        "risks.csv:2: impact 9 is outside the allowed range 1-5",
        "risks.csv:2: systems 'SYS-CLAIMZ' is not a known AISystem id (did you mean "
        "'SYS-CLAIMS'?)",
        "soa.csv:4: applicable 'sometimes' is not a boolean (expected true/false, yes/no or 1/0)",
    ]
    assert store.stats() == before
    failed = store.runs()[0]
    assert failed.outcome == "failed" and len(failed.errors) == 7


def test_every_run_is_recorded(store: GraphStore, tmp_path: Path) -> None:
    good = write_bundle(tmp_path / "good", {"people.csv": "id,name\nP-1,Ada\n"})
    bad = write_bundle(tmp_path / "bad", {"people.csv": "id,name\nP-1,\n"})
    ok = ingest_bundle(store, good, sync="hr")
    with pytest.raises(BundleError):
        ingest_bundle(store, bad)
    runs = {r.run_id: r for r in store.runs()}
    assert len(runs) == 2
    record = runs[ok.run_id]
    assert (record.source, record.outcome, record.sync) == ("hr", "succeeded", True)
    assert record.counts["Person"]["created"] == 1
    assert record.ended_at is not None and record.ended_at >= record.started_at
    (failed,) = [r for r in runs.values() if r.run_id != ok.run_id]
    assert failed.errors == ["people.csv:2: name is required"]


def test_relationship_file_adds_any_declared_relationship(store: GraphStore,
                                                          tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {
        "roles.csv": "id,name\nR-1,Chief\nR-2,Deputy\n",
        "ai_systems.csv": "id,name,owner_role\nS-1,Model,R-1\n",
        "relationships.csv": "from,type,to,note\nRole:R-2,accountable_for,S-1,backup owner\n"})
    ingest_bundle(store, folder)
    with store.read() as tx:
        rels = tx.get_relationships([("ACCOUNTABLE_FOR", ("Role", "R-2"), ("AISystem", "S-1"),
                                      "")])
    (rel,) = rels.values()
    assert rel.props["note"] == "backup owner"
    assert rel.props["source"] == "relationships.csv:2"


def test_runs_too_big_for_one_transaction_are_written_in_batches(
        store: GraphStore, sample_dir: Path, tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "reference") as reference:
        ingest_bundle(reference, sample_dir)
        expected = reference.stats()
    store.max_transaction_changes = 25
    report = ingest_bundle(store, sample_dir)
    assert report.outcome == "succeeded"
    assert store.stats() == expected
    total, page = store.changes(report.run_id, 0, 1000)
    assert total == len(page) == sum(a["created"] + a["updated"] + a["removed"]
                                     for table in report.changes.values()
                                     for a in table.values())
    again = ingest_bundle(store, sample_dir)
    assert all(a["created"] == 0 and a["updated"] == 0
               for table in again.changes.values() for a in table.values())


def _snapshot(store: GraphStore) -> tuple[set[str], set[str]]:
    """Every node and relationship with its properties (typed), to compare two states
    exactly."""
    nodes = {f"{n.key}|{sorted(n.labels)}|{sorted((k, repr(v)) for k, v in n.props.items())}"
             for n in store.iter_nodes()}
    rels = {f"{r.key}|{sorted((k, repr(v)) for k, v in r.props.items())}"
            for r in store.iter_relationships()}
    return nodes, rels


def _changed_sample(sample_dir: Path, folder: Path) -> Path:
    """The sample with names changed (updates), a person and a role assignment gone
    (removals under --sync) and a new AI system (creations)."""
    shutil.copytree(sample_dir, folder)
    systems = folder / "ai_systems.csv"
    systems.write_text(systems.read_text(encoding="utf-8").replace(
        "Claims triage model", "Claims triage model v2") +
        "SYS-NEW,New model,Drafts letters,development,limited,R-MO-CLM,U-CLAIMS,deployer\n",
        encoding="utf-8")
    for name in ("people.csv", "role_assignments.csv", "acknowledgements.csv"):
        lines = (folder / name).read_text(encoding="utf-8").splitlines(keepends=True)
        (folder / name).write_text("".join(line for line in lines
                                           if not line.startswith("P-12,")), encoding="utf-8")
    evidence = folder / "evidence.csv"  # P-12 provided one piece of evidence
    evidence.write_text(evidence.read_text(encoding="utf-8").replace(",P-12\n", ",\n"),
                        encoding="utf-8")
    return folder


#: Changes per transaction in the batched tests: small, so the sample's few changes take
#: several batches.
SIZE = 2


@pytest.mark.parametrize("fail_after", [2, -1], ids=["early-batch", "last-batch"])
def test_a_batched_run_that_fails_part_way_leaves_the_graph_as_it_was(
        store: GraphStore, sample_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, fail_after: int) -> None:
    """Written in batches of two changes (a run of several transactions on either store),
    a failure on a batch undoes what the earlier batches wrote, node by node and
    relationship by relationship, removals and updates included; a rerun succeeds."""
    ingest_bundle(store, sample_dir, sync="northwind")
    before = _snapshot(store)
    changed = _changed_sample(sample_dir, tmp_path / "changed")
    store.max_transaction_changes = SIZE
    planned = ingest_bundle(store, changed, sync="northwind", dry_run=True).planned
    assert {(c.kind, c.action) for c in planned} >= {("node", "created"), ("node", "updated"),
                                                      ("node", "removed")}
    groups = Counter((c.kind, c.action == "removed") for c in planned)
    total = sum(-(-n // SIZE) for n in groups.values())  # as apply_in_batches cuts them
    batches: list[str] = []
    written_before_failure = total - 1 if fail_after < 0 else fail_after
    refresh, write = writer.refresh, store.write_transaction
    failed: list[bool] = []

    def counting_refresh(target: GraphStore, run_id: str) -> None:
        batches.append(run_id)
        refresh(target, run_id)

    def failing(work: Any) -> Any:
        if len(batches) == written_before_failure and not failed:
            failed.append(True)
            raise StoreError("the connection was lost")
        return write(work)

    monkeypatch.setattr(writer, "refresh", counting_refresh)
    monkeypatch.setattr(store, "write_transaction", failing)
    with pytest.raises(StoreError, match="the connection was lost"):
        ingest_bundle(store, changed, sync="northwind")
    monkeypatch.undo()
    assert failed and len(batches) == written_before_failure > 0
    after = _snapshot(store)
    assert after[0] ^ before[0] == set() and after[1] ^ before[1] == set(), (
        sorted(after[0] ^ before[0])[:6], sorted(after[1] ^ before[1])[:6])
    run = store.runs(1)[0]
    assert run.outcome == "failed" and "was undone" in run.errors[-1]
    assert store.changes(run.run_id, 0, 10)[0] == 0  # its ledger went with what it wrote
    assert store.read_transaction(lambda tx: tx.lease()) is None  # the lease is given back
    assert ingest_bundle(store, changed, sync="northwind").outcome == "succeeded"
    assert ("AISystem", "SYS-NEW") in {n.key for n in store.iter_nodes()}


def test_every_built_in_framework_is_installed_with_its_hierarchy(store: GraphStore) -> None:
    from aimsgraph.graph.queries import Queries

    view = Queries(store).semantics().view
    article = ("Requirement", "EU_AI_ACT:Art.14")
    assert view.props(article)["framework"] == "EU_AI_ACT"
    assert view.props(article)["source"] == "catalogue:eu-ai-act.yaml"
    assert [p for p, _ in view.out(article, "PART_OF")] == [
        ("Requirement", "EU_AI_ACT:Chapter III Section 2")]
    subcategory = ("Requirement", "NIST_AI_RMF:MAP 1.1")
    assert [p for p, _ in view.out(subcategory, "PART_OF")] == [
        ("Requirement", "NIST_AI_RMF:MAP 1")]
    assert store.stats().nodes["Requirement"] == 92 + 155 + 95
