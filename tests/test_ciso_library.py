"""CISO Assistant libraries ingest as they are: a framework library becomes a framework of
requirements, a mapping library becomes mappings, each relationship a SKOS predicate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aimsgraph.api.cli import app
from aimsgraph.graph import GraphStore
from aimsgraph.graph.queries import Queries
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ontology import BundleError
from tests.stores import point_cli_at

LIBRARIES = Path(__file__).parent / "data" / "ciso"
FRAMEWORK_FILE = LIBRARIES / "acme-ai.yaml"
MAPPING_FILE = LIBRARIES / "mapping-acme-ai-to-iso42001.yaml"


def _maps(store: GraphStore) -> dict[tuple[str, str, str], dict[str, object]]:
    return {(r.start[1], str(r.props["predicate"]), r.end[1]): r.props
            for r in store.iter_relationships() if r.type == "MAPS_TO"}


def _requirements(store: GraphStore, framework: str) -> dict[str, dict[str, object]]:
    return {n.id: n.props for n in store.iter_nodes()
            if n.label == "Requirement" and n.props.get("framework") == framework}


def test_a_framework_library_becomes_a_framework(store: GraphStore) -> None:
    ingest_bundle(store, FRAMEWORK_FILE)
    found = _requirements(store, "ACME_AI")
    assert set(found) == {"ACME_AI:gov", "ACME_AI:GOV-1", "ACME_AI:GOV-2", "ACME_AI:note"}
    oversight = found["ACME_AI:GOV-1"]
    assert (oversight["title"], oversight["kind"], oversight["source"]) == (
        "Oversight", "requirement", "acme-ai.yaml:line 17")
    assert oversight["description"] == "A person oversees each high-risk model."
    assert oversight["urn"] == "urn:acme:risk:req_node:acme-ai:gov.1"
    assert found["ACME_AI:GOV-2"]["title"] == "GOV-2"  # no name: its ref_id
    assert found["ACME_AI:gov"]["kind"] == "group"  # not assessable, and without a ref_id
    parts = {(r.start[1], r.end[1]) for r in store.iter_relationships()
             if r.type == "PART_OF" and r.start[1].startswith("ACME_AI:")}
    assert parts == {(f"ACME_AI:{x}", "ACME_AI:gov") for x in ("GOV-1", "GOV-2", "note")}
    listed = next(f for f in Queries(store).frameworks() if f["id"] == "ACME_AI")
    # the informative note is a leaf but not assessable
    assert (listed["name"], listed["requirements"], listed["assessable"], listed["licence"]) \
        == ("ACME AI rules", 4, 2, "ACME Corp, all rights reserved")


def test_a_mapping_library_maps_through_urns_and_the_built_in_catalogue(
        store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_bundle(store, FRAMEWORK_FILE)
    ingest_bundle(store, MAPPING_FILE)  # a later run: its urns are found in the store
    maps = _maps(store)
    assert set(maps) == {("ACME_AI:GOV-1", "skos:broadMatch", "ISO42001:A.9.2"),
                         ("ACME_AI:GOV-2", "skos:exactMatch", "ISO42001:5.3"),
                         ("ACME_AI:GOV-2", "skos:relatedMatch", "ISO42001:A.3.2")}
    subset = maps[("ACME_AI:GOV-1", "skos:broadMatch", "ISO42001:A.9.2")]
    assert subset["confidence"] == 0.7
    assert subset["comment"] == "CISO Assistant relationship: subset; rationale: semantic"
    assert subset["mapping_set"] == "urn:acme:risk:req_mapping_set:acme-ai-iso42001"
    assert subset["licence"] == "ACME Corp"
    assert subset["source"] == "mapping-acme-ai-to-iso42001.yaml:line 18"
    point_cli_at(store, monkeypatch)
    result = CliRunner().invoke(app, ["report", "coverage", "--framework", "ACME AI",
                                      "-f", "json"])
    assert result.exit_code == 0, result.output
    levels = {r["id"]: r for r in json.loads(result.stdout)["requirements"]}
    assert levels["ACME_AI:GOV-2"]["level"] == "none"  # mapped (exactly), not covered
    assert [r["id"] for r in levels["ACME_AI:GOV-2"]["related"]] == ["ISO42001:A.3.2"]


def test_both_libraries_in_one_folder_ingest_together(
        store: GraphStore, tmp_path: Path) -> None:
    folder = tmp_path / "libraries"
    folder.mkdir()
    for source in (FRAMEWORK_FILE, MAPPING_FILE):
        (folder / source.name).write_bytes(source.read_bytes())
    (folder / "notes.yaml").write_text("- just: a list\n", encoding="utf-8")
    report = ingest_bundle(store, folder)
    assert len(_maps(store)) == 3
    assert any("notes.yaml" in str(w) and "skipped" in str(w) for w in report.warnings)


@pytest.mark.parametrize(("old", "new", "error"), [
    ("relationship: equal", "relationship: same",
     "mapping-acme-ai-to-iso42001.yaml:line 23: relationship 'same' is not one of: equal, "
     "subset, superset, intersect, not_related"),
    ("iso42001-2023:5.3", "iso42001-2023:5.99",
     "mapping-acme-ai-to-iso42001.yaml:line 23: object_id 'ISO42001:5.99' is not a known "
     "Requirement id"),
    ("acme-ai:gov.2\n      target_requirement_urn: urn:intuitem:risk:req_node:iso42001-2023:5.3",
     "acme-ai:gov.9\n      target_requirement_urn: urn:intuitem:risk:req_node:iso42001-2023:5.3",
     "mapping-acme-ai-to-iso42001.yaml:line 23: subject_id "
     "'urn:acme:risk:req_node:acme-ai:gov.9' is not the urn of a known requirement (ingest "
     "its framework's library first)"),
    ("strength_of_relationship: 7", "strength_of_relationship: 12",
     "mapping-acme-ai-to-iso42001.yaml:line 18: strength_of_relationship '12' is not a "
     "number from 0 to 10"),
])
def test_a_bad_mapping_library_names_file_and_line_and_writes_nothing(
        store: GraphStore, tmp_path: Path, old: str, new: str, error: str) -> None:
    ingest_bundle(store, FRAMEWORK_FILE)
    text = MAPPING_FILE.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / MAPPING_FILE.name
    bad.write_text(text.replace(old, new), encoding="utf-8")
    before = store.stats()
    with pytest.raises(BundleError) as caught:
        ingest_bundle(store, bad)
    assert store.stats() == before
    assert [str(i) for i in caught.value.issues] == [error]
