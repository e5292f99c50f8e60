"""A requirement of another framework traced through its mappings to the executives who
answer for it (`trace requirement EU_AI_ACT:Art.14 [--system ID]`), on both stores: full and
partial mappings, a related one shown and never counted, a mapping written from either end,
controls applying to the system, to none or to another, a chain that reaches its executive
and one that breaks; the same answer from the CLI, the API and the page."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aimsgraph.api.cli import app
from aimsgraph.graph import GraphStore
from aimsgraph.graph.queries import Queries
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ontology import NotFoundError
from aimsgraph.visualise import build_page
from tests.api.conftest import READER_KEY, serving, settings_for
from tests.bundles import write_bundle
from tests.stores import point_cli_at

D = dt.date(2026, 6, 15)

BUNDLE = {
    "people.csv": "id,name,seniority\nP-1,Ada Exec,executive\nP-2,Ben Owner,staff\n",
    "roles.csv": "id,name,reports_to\nR-EXEC,Chief AI Officer,\nR-OWN,Model owner,R-EXEC\n"
                 "R-LOST,Orphan role,\n",
    "role_assignments.csv": "person,role,since\nP-1,R-EXEC,2020-01-01\nP-2,R-OWN,2020-01-01\n",
    "ai_systems.csv": "id,name,risk_tier,eu_ai_act_role\nS-1,Triage,high,provider\n"
                      "S-2,Pricing,high,provider\n",
    "controls.csv": (
        "id,name,status,owner_role,implements,applies_to\n"
        "C-ALL,Oversight procedure,implemented,R-OWN,A.9.2,\n"       # applies to every system
        "C-S2,Pricing review,implemented,R-LOST,A.9.2,S-2\n"           # another system, no exec
        "C-LOG,Event logging,implemented,R-OWN,A.6.2.8,S-1\n"),        # partial mapping only
    "evidence.csv": "id,title,supports,collected_on\nE-1,Procedure,Control:C-ALL,2026-01-01\n"
                    "E-2,Review,Control:C-S2,2026-01-01\n",
    "mappings.csv": (
        "subject_id,predicate_id,object_id\n"
        "ISO42001:A.9.2,skos:closeMatch,EU_AI_ACT:Art.14\n"      # full, written from ISO's end
        "EU_AI_ACT:Art.14,skos:broadMatch,ISO42001:A.6.2.8\n"    # partial
        "EU_AI_ACT:Art.14,skos:relatedMatch,ISO42001:A.3.3\n"),  # shown, never counted
}


@pytest.fixture
def mapped(store: GraphStore, tmp_path: Path) -> Queries:
    ingest_bundle(store, write_bundle(tmp_path / "b", BUNDLE))
    return Queries(store)


def test_an_article_walks_to_the_executives(mapped: Queries) -> None:
    walk = mapped.trace("requirement", "EU_AI_ACT:Art.14", as_of=D).to_json()["crosswalk"]
    assert walk["framework"] == "EU_AI_ACT" and walk["system"] is None
    [article] = walk["requirements"]
    assert (article["id"], article["level"], article["met"]) == ("EU_AI_ACT:Art.14", "covered",
                                                                 None)
    through = {t["id"]: t for t in article["through"]}
    assert {k: t["predicate"] for k, t in through.items()} == {
        "ISO42001:A.9.2": "skos:closeMatch", "ISO42001:A.6.2.8": "skos:broadMatch"}
    controls = {c["id"]: c for c in through["ISO42001:A.9.2"]["controls"]}
    assert set(controls) == {"C-ALL", "C-S2"}
    assert controls["C-ALL"]["chain"]["executive"]["id"] == "P-1"
    assert [s["node"]["id"] for s in controls["C-ALL"]["chain"]["steps"]] == ["R-OWN", "R-EXEC"]
    assert controls["C-S2"]["chain"]["executive"] is None  # its chain breaks at R-LOST
    assert controls["C-S2"]["chain"]["gap"]
    assert [s["id"] for s in controls["C-S2"]["applies_to"]] == ["S-2"]
    assert [r["id"] for r in article["related"]] == ["ISO42001:A.3.3"]
    assert [p["id"] for p in walk["executives"]] == ["P-1"]


def test_for_a_system_only_its_controls_count_and_it_says_met_or_why(mapped: Queries) -> None:
    for_s1 = mapped.trace("requirement", "EU_AI_ACT:Art.14", as_of=D, system="S-1").to_json()
    [article] = for_s1["crosswalk"]["requirements"]
    through = {t["id"]: [c["id"] for c in t["controls"]] for t in article["through"]}
    assert through == {"ISO42001:A.9.2": ["C-ALL"], "ISO42001:A.6.2.8": ["C-LOG"]}
    assert (article["met"], article["why"]) == (True, None)  # C-ALL applies to all, evidenced
    late = mapped.trace("requirement", "EU_AI_ACT:Art.14", as_of=dt.date(2019, 1, 1),
                        system="S-1").to_json()["crosswalk"]["requirements"][0]
    assert late["met"] is False and late["why"] == "no valid evidence for C-ALL"
    with pytest.raises(NotFoundError, match="--system is for a requirement of another"):
        mapped.trace("requirement", "A.9.2", as_of=D, system="S-1")
    with pytest.raises(NotFoundError, match="no AISystem with id 'S-9'"):
        mapped.trace("requirement", "EU_AI_ACT:Art.14", as_of=D, system="S-9")


def test_the_cli_api_and_page_give_the_same_walk(
        mapped: Queries, monkeypatch: pytest.MonkeyPatch) -> None:
    point_cli_at(mapped.store, monkeypatch)
    runner = CliRunner()
    args = ["trace", "requirement", "EU_AI_ACT:Art.14", "--system", "S-1", "--as-of",
            D.isoformat()]
    table = runner.invoke(app, args, env={"COLUMNS": "250"})
    assert table.exit_code == 0, table.output
    assert "EU_AI_ACT:Art.14 through its mappings for S-1: executives Ada Exec (P-1)" \
        in table.stdout
    assert "C-ALL (implemented)" in table.stdout and "C-S2" not in table.stdout
    cli = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)["crosswalk"]
    with serving(settings_for(), mapped.store) as base:
        import httpx

        answer = httpx.get(f"{base}/trace/requirement/EU_AI_ACT:Art.14",
                           params={"system": "S-1", "as_of": D.isoformat()},
                           headers={"Authorization": f"Bearer {READER_KEY}"}, timeout=60)
    assert answer.status_code == 200, answer.text
    assert answer.json()["crosswalk"] == cli
    page = build_page(mapped, "trace", "EU_AI_ACT:Art.14", D)
    drawn = {node["id"] for node in page.nodes}
    assert {"Requirement:ISO42001:A.9.2", "Control:C-ALL", "Role:R-EXEC",
            "Person:P-1", "Role:R-LOST"} <= drawn
