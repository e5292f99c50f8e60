"""Where every fact came from: one entity with its relationships, trace steps and the tables
people read (`show`, `trace`), on every store."""

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
from tests.stores import point_cli_at

AS_OF = dt.date(2026, 11, 27)


@pytest.fixture
def sample(store: GraphStore, sample_dir: Path) -> Queries:
    ingest_bundle(store, sample_dir)
    return Queries(store)


@pytest.fixture
def runner(sample: Queries, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    point_cli_at(sample.store, monkeypatch)
    return CliRunner()


def _sources(group: list[dict]) -> list[tuple[str, str | None]]:
    return [(e["node"]["id"], e["provenance"]["source"]) for e in group]


def test_an_entity_carries_its_provenance_and_its_relationships(sample: Queries) -> None:
    control = sample.entity("Control", "C-22").to_json()
    assert control["provenance"]["source"] == "controls.csv:23"
    assert control["provenance"]["run_id"] == sample.store.runs(1)[0].run_id
    assert control["properties"]["status"] == "implemented"
    outgoing, incoming = control["relationships"]["outgoing"], control["relationships"]["incoming"]
    assert sorted(outgoing) == ["APPLIES_TO", "IMPLEMENTS", "MITIGATES"]
    assert _sources(outgoing["IMPLEMENTS"]) == [("ISO42001:A.6.2.4", "controls.csv:23")]
    assert _sources(incoming["SUPPORTS"]) == [("EV-21", "evidence.csv:22")]
    assert _sources(incoming["OWNS"]) == [("R-MLE", "controls.csv:23")]
    person = sample.entity("Person", "P-08").to_json()
    (held,) = person["relationships"]["outgoing"]["HOLDS"]
    assert held["properties"]["since"] == "2023-05-01"
    assert held["provenance"]["source"] == "role_assignments.csv:9"
    assert sample.entity("Leader", "P-04").to_json()["labels"] == ["Leader", "Person"]


def test_trace_steps_and_relationships_name_their_source(sample: Queries) -> None:
    chain = sample.trace("control", "C-22", as_of=AS_OF).to_json()
    assert [(s["node"]["id"], s["source"]) for s in chain["steps"]] == [
        ("R-MLE", "controls.csv:23"), ("R-HDS", "roles.csv:17"), ("R-CDO", "roles.csv:8")]
    system = sample.trace("system", "SYS-CLAIMS", as_of=AS_OF).to_json()
    assert system["relationships"] and all(r["source"] for r in system["relationships"])
    applies = next(r for r in system["relationships"]
                   if r["type"] == "APPLIES_TO" and r["from"]["id"] == "C-22")
    assert applies["source"] == "controls.csv:23"
    assert [f["check"] for f in system["findings"]] == [
        "ai-system-without-accountable-owner", "eu-ai-act-obligation-unmet",
        "ai-system-without-impact-assessment", "high-tier-system-without-lifecycle-control"]


def test_show_prints_properties_provenance_and_relationships(runner: CliRunner) -> None:
    shown = runner.invoke(app, ["show", "Control", "C-22"], env={"COLUMNS": "100"})
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("Control C-22 (Bias testing of triage decisions)")
    assert "read from controls.csv:23 by run " in shown.stdout
    assert "-[IMPLEMENTS]->" in shown.stdout and "ISO42001:A.6.2.4" in shown.stdout
    assert "<-[SUPPORTS]-" in shown.stdout and "evidence.csv:22" in shown.stdout
    data = json.loads(runner.invoke(app, ["show", "Control", "C-22", "-f", "json"]).stdout)
    assert data["provenance"]["source"] == "controls.csv:23"
    misspelt = runner.invoke(app, ["show", "Contrl", "C-22"])
    assert misspelt.exit_code == 1
    assert "unknown label 'Contrl' (did you mean 'Control'?)" in misspelt.stderr
    missing = runner.invoke(app, ["show", "Control", "C-999"])
    assert missing.exit_code == 1 and "no Control with id 'C-999'" in missing.stderr


def test_trace_tables_show_what_the_json_holds(runner: CliRunner) -> None:
    wide = {"COLUMNS": "400"}
    path = runner.invoke(app, ["trace", "path", "C-22", "P-04", "--as-of", "2026-11-27"],
                         env=wide).stdout
    assert "path from Control C-22 to Person P-04 (3 steps)" in path
    rows = [line for line in path.splitlines() if line.startswith("│ ")]
    assert [r.split("│")[3].strip() for r in rows] == [
        "-[APPLIES_TO]->", "<-[OVERSEES]-", "<-[MEMBER_OF]-"]  # along the path, in order
    person = runner.invoke(app, ["trace", "person", "P-08", "--as-of", "2026-01-01"],
                           env=wide).stdout
    assert "if Elena Petrova (P-08) left on 2026-01-01: 2 items would lose an owner or " \
           "executive" in person
    assert "AISystem SYS-CLAIMS" in person and "Risk RK-01" in person
    assert "accountable owner" in person
    system = runner.invoke(app, ["trace", "system", "SYS-CLAIMS", "--as-of", "2026-11-27"],
                           env=wide).stdout
    for line in ("responsible executive", "Lena Fischer (P-04)", "RK-01 (score 16, open)",
                 "EV-21 (valid)", "high: ai-system-without-accountable-owner"):
        assert line in system
    owner = runner.invoke(app, ["trace", "control", "C-22"], env=wide).stdout
    assert "roles.csv:17" in owner
