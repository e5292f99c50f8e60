"""Impact ("blast radius") on the sample organisation, on both stores: a supplier or dataset
failing, a person leaving, a role standing vacant; the command, the page and the API."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aimsgraph.api.cli import app
from aimsgraph.graph import GraphStore
from aimsgraph.graph.queries import Queries
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ontology import NotFoundError
from aimsgraph.visualise import build_page
from tests.stores import point_cli_at

AS_OF = dt.date(2026, 11, 27)


@pytest.fixture
def sample(store: GraphStore, sample_dir: Path) -> Queries:
    ingest_bundle(store, sample_dir)
    return Queries(store)


def _ids(entries: list[dict[str, Any]]) -> list[str]:
    return [e["id"] for e in entries]


def _findings(data: dict[str, Any]) -> set[tuple[str, str, bool]]:
    return {(c["check"], c["subject"]["id"], c["starts"]) for c in data["checks"]}


def test_a_supplier_failing_hits_the_systems_that_depend_on_it(
        store: GraphStore, sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_bundle(store, sample_dir)
    point_cli_at(store, monkeypatch)
    result = CliRunner().invoke(app, ["impact", "supplier", "SUP-CLOUD", "--as-of",
                                      AS_OF.isoformat(), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"kind", "subject", "as_of", "systems", "datasets", "suppliers", "risks", "controls",
            "policies", "roles", "loses", "checks", "executives"} <= set(data)
    assert data["kind"] == "supplier" and data["subject"]["id"] == "SUP-CLOUD"
    assert _ids(data["systems"]) == ["SYS-CLAIMS", "SYS-FRAUD", "SYS-UW"]
    assert all(s["via"] == ["DEPENDS_ON"] and s["risk_tier"] == "high"
               for s in data["systems"])
    assert _ids(data["risks"]) == ["RK-01", "RK-02", "RK-04", "RK-08"]
    assert {"C-22", "C-23", "C-12"} <= set(_ids(data["controls"]))  # apply, mitigate
    assert _ids(data["executives"]) == ["P-02", "P-03", "P-04"]
    assert data["roles"] == [] and data["loses"] == []
    # a failure changes no recorded fact: the findings listed already stand
    assert ("supplier-assessment-overdue", "SUP-CLOUD", False) in _findings(data)
    assert not any(starts for *_, starts in _findings(data))


def test_a_supplier_hits_systems_through_the_data_it_supplies(sample: Queries) -> None:
    data = sample.impact("supplier", "SUP-DATA", AS_OF).to_json()
    assert _ids(data["datasets"]) == ["DS-MARKET"]
    assert [(s["id"], s["via"]) for s in data["systems"]] == [
        ("SYS-UW", ["USES_DATA DS-MARKET"])]
    assert {("dataset-without-provenance", "DS-MARKET", False),
            ("dependency-without-owner", "SUP-DATA", False)} <= _findings(data)


def test_a_dataset_hits_the_systems_that_use_it_and_not_retired_ones(sample: Queries) -> None:
    chat = sample.impact("dataset", "DS-CHAT-LOGS", AS_OF).to_json()
    assert [(s["id"], s["via"]) for s in chat["systems"]] == [("SYS-CHAT", ["USES_DATA"])]
    assert _ids(chat["risks"]) == ["RK-03", "RK-07"]
    reserves = sample.impact("dataset", "DS-RESERVES", AS_OF).to_json()
    assert reserves["systems"] == []  # only SYS-FORECAST uses it, and it is retired


def test_a_departure_names_the_vacant_role_and_the_findings_it_starts(
        sample: Queries) -> None:
    data = sample.impact("person", "P-22", AS_OF).to_json()
    assert _ids(data["roles"]) == ["R-MO-FRD"]
    high_first = _ids(data["systems"])
    assert high_first == ["SYS-AML", "SYS-FRAUD", "SYS-FRAUD2", "SYS-DOCS", "SYS-SUBRO"]
    assert all(s["via"] == ["loses accountable owner"] for s in data["systems"])
    assert {("vacant-accountable-role", "R-MO-FRD", True),
            ("ai-system-without-accountable-owner", "SYS-FRAUD", True),
            ("risk-without-owner", "RK-04", True)} <= _findings(data)
    assert {"C-12", "RK-04", "RK-05"} <= {w["item"]["id"] for w in data["loses"]}
    # before P-22 held the role, the departure would leave nothing vacant
    earlier = sample.impact("person", "P-22", dt.date(2020, 1, 1)).to_json()
    assert earlier["roles"] == [] and earlier["loses"] == []


def test_a_vacant_role_hits_what_it_owns_and_the_systems_using_its_data(
        sample: Queries) -> None:
    data = sample.impact("role", "R-CDO", AS_OF).to_json()
    assert _ids(data["roles"]) == ["R-CDO"]
    assert _ids(data["datasets"]) == ["DS-CLAIMS-HIST"]
    assert [s["via"] for s in data["systems"]] == [["USES_DATA via DS-CLAIMS-HIST"]] * 2
    assert _ids(data["policies"]) == ["POL-02"]
    assert {("dependency-without-owner", "DS-CLAIMS-HIST", True),
            ("vacant-accountable-role", "R-CDO", True),
            ("risk-without-owner", "RK-01", False)} <= _findings(data)
    reason = next(c["reason"] for c in data["checks"] if c["subject"]["id"] == "R-CDO")
    assert reason.startswith("it is assumed vacant; it answers for C-05, C-15, POL-02")


def test_impact_reads_a_neighbourhood_not_the_whole_graph(sample: Queries) -> None:
    """No label is ever listed (which would read every node of it), and far fewer nodes are
    read than half the graph holds (the sample is small: at scale the share falls)."""
    sample.impact("supplier", "SUP-DATA", AS_OF)
    lazy = sample._lazy
    assert lazy is not None and lazy._labels == {}
    total = sum(n for label, n in sample.store.stats().nodes.items() if label != "Leader")
    assert 0 < len(lazy._nodes) < total / 2


def test_unknown_kinds_and_ids_are_clear_errors(sample: Queries) -> None:
    with pytest.raises(NotFoundError, match="unknown impact kind 'vendor'"):
        sample.impact("vendor", "SUP-CLOUD", AS_OF)
    with pytest.raises(NotFoundError, match="no Supplier with id 'DS-MARKET'"):
        sample.impact("supplier", "DS-MARKET", AS_OF)


def test_the_impact_page_marks_what_is_hit(sample: Queries) -> None:
    page = build_page(sample, "impact", "SUP-DATA", AS_OF)
    ids = {n["id"] for n in page.nodes}
    assert {"Supplier:SUP-DATA", "Dataset:DS-MARKET", "AISystem:SYS-UW"} <= ids
    assert {f["check"] for f in page.findings} >= {"dataset-without-provenance"}
    with pytest.raises(NotFoundError, match="an impact page is for"):
        build_page(sample, "impact", "C-16", AS_OF)


def test_a_systems_trace_and_show_list_its_data_and_suppliers(
        store: GraphStore, sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_bundle(store, sample_dir)
    point_cli_at(store, monkeypatch)
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()
    table = runner.invoke(app, ["trace", "system", "SYS-UW", "--as-of", AS_OF.isoformat()])
    assert table.exit_code == 0, table.output
    lines = {line.split("│")[1].strip(): line.split("│")[2].strip()
             for line in table.stdout.splitlines() if line.count("│") == 3}
    assert lines["datasets"] == "DS-MARKET (quality checked 2025-01-10)"
    assert lines["suppliers"] == "SUP-CLOUD; SUP-DATA"  # directly, and through DS-MARKET
    assert lines["incidents"] == "INC-04 (serious, open)"
    shown = json.loads(runner.invoke(app, ["show", "AISystem", "SYS-UW", "-f", "json"]).stdout)
    outgoing = shown["relationships"]["outgoing"]
    assert [e["node"]["id"] for e in outgoing["USES_DATA"]] == ["DS-MARKET"]
    assert [e["node"]["id"] for e in outgoing["DEPENDS_ON"]] == ["SUP-CLOUD"]
    trace = json.loads(runner.invoke(app, ["trace", "dataset", "DS-MARKET", "--as-of",
                                           AS_OF.isoformat(), "--format", "json"]).stdout)
    assert trace["subject"]["type"] == "Dataset" and trace["gap"] == "it has no owner role"
