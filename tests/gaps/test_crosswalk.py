"""Coverage of another framework through its mappings to ISO/IEC 42001: every level and
every boundary the definition names, on both stores."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aimsgraph.api.cli import app
from aimsgraph.api.render import render
from aimsgraph.graph import GraphStore
from aimsgraph.graph.queries import Queries
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ontology import NotFoundError
from tests.bundles import write_bundle
from tests.stores import point_cli_at

D = dt.date(2026, 6, 15)

#: A.6.2.7 covered (an implemented control), A.6.2.8 partial (a planned one), A.8.4 none,
#: A.2.3 excluded in the SoA although implemented, 9.2.1 covered and 9.2.2 not (9.2 partial).
BUNDLE = {
    "controls.csv": """
        id,name,status,implements
        C-DOC,Technical file,implemented,A.6.2.7;9.2.1
        C-LOG,Event logging,planned,A.6.2.8
        C-ALIGN,Alignment,implemented,A.2.3
    """,
    "soa.csv": "requirement,applicable,justification\nA.2.3,no,not relevant\n",
    "mappings.csv": """
        subject_id,predicate_id,object_id
        ISO42001:A.6.2.7,skos:exactMatch,EU_AI_ACT:Art.11
        ISO42001:A.6.2.7,skos:broadMatch,EU_AI_ACT:Art.12
        ISO42001:A.6.2.7,skos:relatedMatch,EU_AI_ACT:Art.13
        ISO42001:A.8.4,skos:exactMatch,EU_AI_ACT:Art.73
        ISO42001:A.6.2.8,skos:closeMatch,EU_AI_ACT:Art.14
        ISO42001:A.6.2.8,skos:narrowMatch,EU_AI_ACT:Art.15
        ISO42001:A.8.4,skos:narrowMatch,EU_AI_ACT:Art.26
        EU_AI_ACT:Art.27,skos:exactMatch,ISO42001:A.6.2.7
        ISO42001:9.2,skos:closeMatch,EU_AI_ACT:Art.17
        ISO42001:A.2.3,skos:exactMatch,EU_AI_ACT:Art.50
        EU_AI_ACT:Art.72,skos:exactMatch,NIST_AI_RMF:MANAGE 4.1
    """,
}
EXPECTED = {
    "Art.11": "covered",    # full mapping to a covered requirement
    "Art.12": "partial",    # partial mapping to a covered one
    "Art.13": "unmapped",   # related only: shown, never counted
    "Art.73": "none",       # full mapping to a requirement nothing covers
    "Art.14": "partial",    # full mapping to a partial one
    "Art.15": "partial",    # partial mapping to a partial one
    "Art.26": "none",       # partial mapping to one nothing covers
    "Art.27": "covered",    # written from the other side
    "Art.17": "partial",    # to a parent clause: 9.2.1 covered, 9.2.2 not
    "Art.50": "none",       # an Annex A control excluded in the SoA counts as none
    "Art.72": "unmapped",   # a mapping to another framework counts for nothing here
}


@pytest.fixture
def mapped(store: GraphStore, tmp_path: Path) -> Queries:
    ingest_bundle(store, write_bundle(tmp_path / "b", BUNDLE))
    return Queries(store)


def test_each_level_at_each_boundary(mapped: Queries) -> None:
    report = mapped.report("coverage", D, framework="eu_ai_act")  # any case
    data = report.data
    assert data["framework"] == "EU_AI_ACT"
    levels = {r["id"].removeprefix("EU_AI_ACT:"): r["level"] for r in data["requirements"]}
    assert {ref: levels[ref] for ref in EXPECTED} == EXPECTED
    entries = {r["id"]: r for r in data["requirements"]}
    art11 = entries["EU_AI_ACT:Art.11"]
    assert [(t["id"], t["predicate"], t["level"]) for t in art11["through"]] == [
        ("ISO42001:A.6.2.7", "skos:exactMatch", "covered")]
    assert [c["id"] for c in art11["through"][0]["controls"]] == ["C-DOC"]
    assert [r["id"] for r in entries["EU_AI_ACT:Art.13"]["related"]] == ["ISO42001:A.6.2.7"]
    assert [r["id"] for r in entries["EU_AI_ACT:Art.72"]["other_mappings"]] == [
        "NIST_AI_RMF:MANAGE 4.1"]
    assessable = [r for r in data["requirements"] if r["assessable"]]
    assert len(assessable) == 126 and data["summary"]["assessable"] == 126
    assert data["summary"]["covered"] == 2 and data["summary"]["unmapped"] == 126 - 11 + 2
    section = entries["EU_AI_ACT:Chapter III Section 2"]  # Art. 8-15: parents summarise
    assert not section["assessable"] and section["level"] == "partial"
    assert section["counts"] == {"covered": 1, "partial": 3, "none": 0, "unmapped": 4}
    assert "EU_AI_ACT" in render(report, "markdown")


def test_the_command_and_unknown_frameworks(mapped: Queries, store: GraphStore,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    point_cli_at(store, monkeypatch)
    result = CliRunner().invoke(app, ["report", "coverage", "--framework", "EU_AI_ACT",
                                      "--as-of", D.isoformat(), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == json.loads(json.dumps(
        mapped.report("coverage", D, framework="EU_AI_ACT").data, default=str))
    with pytest.raises(NotFoundError, match="unknown framework 'NOPE'; frameworks: EU_AI_ACT"):
        mapped.report("coverage", D, framework="NOPE")
    with pytest.raises(NotFoundError, match="only the coverage report"):
        mapped.report("soa", D, framework="EU_AI_ACT")


def test_the_starter_crosswalks_ingest_and_cover_the_sample(store: GraphStore,
                                                            sample_dir: Path) -> None:
    """The shipped mapping sets are ordinary bundles; on the sample organisation they give
    the EU AI Act coverage the docs show, the FINOS pairs counting for nothing."""
    ingest_bundle(store, sample_dir)
    starters = sample_dir.parent / "crosswalks"
    for name in ("iso42001-eu-ai-act", "iso42001-nist-ai-rmf", "finos-related"):
        ingest_bundle(store, starters / name)
    maps = [r for r in store.iter_relationships() if r.type == "MAPS_TO"]
    assert len(maps) == 24 + 18 + 29
    assert all(r.props["predicate"] == "skos:relatedMatch" for r in maps
               if r.props.get("mapping_set") == "urn:aimsgraph:crosswalks:finos-related")
    data = Queries(store).report("coverage", dt.date(2026, 11, 27), framework="EU_AI_ACT").data
    assert data["summary"] == {"assessable": 126, "covered": 5, "partial": 7, "none": 1,
                               "unmapped": 113}
    levels = {r["id"]: r["level"] for r in data["requirements"]}
    assert levels["EU_AI_ACT:Art.11"] == "covered" and levels["EU_AI_ACT:Art.17"] == "none"
    nist = Queries(store).report("coverage", dt.date(2026, 11, 27), framework="nist_ai_rmf")
    assert nist.data["summary"]["assessable"] == 72
    assert sum(nist.data["summary"][k] for k in ("covered", "partial", "none")) == 16


def test_show_lists_a_systems_obligations_met_or_not_and_why(
        store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_bundle(store, write_bundle(tmp_path / "b", {
        "ai_systems.csv": "id,name,risk_tier,eu_ai_act_role\nS-OK,Ok,limited,deployer\n"
                          "S-OTHER,Other,limited,provider\nS-MIN,Minimal,minimal,provider\n",
        "mappings.csv": "subject_id,predicate_id,object_id\n"
                        "EU_AI_ACT:Art.50,skos:exactMatch,ISO42001:A.8.5\n",
        "controls.csv": "id,name,status,implements,applies_to\nC-1,Notice,implemented,A.8.5,"
                        "S-OK\n",
        "evidence.csv": "id,title,supports,collected_on\nE-1,Text,Control:C-1,2026-01-01\n"}))
    queries = Queries(store)
    ok = queries.entity("AISystem", "S-OK").to_json()["obligations"]
    assert [(o["article"]["id"], o["met"]) for o in ok] == [("EU_AI_ACT:Art.50", True)]
    assert ok[0]["through"][0]["control"]["id"] == "C-1"
    assert [e["id"] for e in ok[0]["through"][0]["evidence"]] == ["E-1"]
    other = queries.entity("AISystem", "S-OTHER").to_json()["obligations"]
    assert other[0]["why"] == "no implemented control applying to it implements ISO42001:A.8.5"
    assert queries.entity("AISystem", "S-MIN").to_json()["obligations"] == []
    assert "obligations" not in queries.entity("Control", "C-1").to_json()
    point_cli_at(store, monkeypatch)
    monkeypatch.setenv("COLUMNS", "200")
    table = CliRunner().invoke(app, ["show", "AISystem", "S-OTHER"])
    assert "EU AI Act obligations (1)" in table.stdout and "EU_AI_ACT:Art.50" in table.stdout
