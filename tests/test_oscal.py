"""OSCAL out: every framework as a catalog and the gap findings with the frameworks'
coverage as assessment results, validated against compliance-trestle's OSCAL models."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aimsgraph.api.cli import app
from aimsgraph.graph import GraphStore
from aimsgraph.graph.queries import Queries
from aimsgraph.ingest import ingest_bundle
from tests.stores import point_cli_at

D = dt.date(2026, 11, 27)


def _trestle() -> tuple[Any, Any]:
    with warnings.catch_warnings():  # the package warns of its own deprecations
        warnings.simplefilter("ignore")
        from trestle.oscal.assessment_results import AssessmentResults
        from trestle.oscal.catalog import Catalog
    return Catalog, AssessmentResults


@pytest.fixture
def exported(store: GraphStore, sample_dir: Path, tmp_path: Path,
             monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[str, Any]]:
    ingest_bundle(store, sample_dir)
    for starter in sorted((sample_dir.parent / "crosswalks").iterdir()):
        ingest_bundle(store, starter)
    point_cli_at(store, monkeypatch)
    runner = CliRunner()
    written = {}
    for name, args in {"iso": ["oscal-catalog"],
                       "eu": ["oscal-catalog", "--framework", "eu_ai_act"],
                       "nist": ["oscal-catalog", "--framework", "NIST_AI_RMF"],
                       "results": ["oscal-assessment-results", "--as-of", D.isoformat()]}.items():
        out = tmp_path / f"{name}.json"
        result = runner.invoke(app, ["export", *args, "-o", str(out)])
        assert result.exit_code == 0, result.output
        written[name] = json.loads(out.read_text(encoding="utf-8"))
    return written


def _controls(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for item in items:
        found.append(item)
        found += _controls(item.get("controls", []))
    return found


def test_the_catalogs_validate_and_hold_every_requirement(
        exported: dict[str, dict[str, Any]], store: GraphStore) -> None:
    catalog_model, _ = _trestle()
    counts = {f["id"]: f["requirements"] for f in Queries(store).frameworks()}
    for name, framework in (("iso", "ISO42001"), ("eu", "EU_AI_ACT"), ("nist", "NIST_AI_RMF")):
        document = exported[name]
        body = document["catalog"]
        catalog_model.model_validate(body)  # raises on anything OSCAL does not allow
        assert body["uuid"] and body["metadata"]["oscal-version"].startswith("1.1")
        items = _controls(body.get("groups", [])) + _controls(body.get("controls", []))
        labels = {p["value"] for i in items for p in i["props"] if p["name"] == "label"}
        assert len(items) == len(labels) == counts[framework]
        assert all(label.startswith(f"{framework}:") for label in labels)
    eu = {i["id"]: i for i in _controls(exported["eu"]["catalog"]["groups"])}
    assert eu["eu_ai_act-Art.14"]["title"] == "Human Oversight"
    assert "CC-BY-4.0" in exported["eu"]["catalog"]["metadata"]["remarks"]
    nist = _controls(exported["nist"]["catalog"]["groups"])
    assert "nist_ai_rmf-GOVERN-1.1" in {i["id"] for i in nist}


def test_the_assessment_results_validate_and_carry_findings_and_coverage(
        exported: dict[str, dict[str, Any]], store: GraphStore) -> None:
    _, results_model = _trestle()
    body = exported["results"]["assessment-results"]
    results_model.model_validate(body)
    assert body["uuid"] and body["metadata"]["oscal-version"].startswith("1.1")
    gaps, iso, eu, nist = body["results"]
    report = Queries(store).gaps(D)
    assert len(gaps["findings"]) == sum(len(r.findings) for r in report.results) == 74
    first = gaps["findings"][0]
    props = {p["name"]: p["value"] for p in first["props"]}
    assert first["target"]["target-id"] == props["check"]
    assert first["target"]["status"]["state"] == "not-satisfied"
    coverage = Queries(store).report("coverage", D, framework="EU_AI_ACT").data
    levels = {r["id"]: r["level"] for r in coverage["requirements"] if r["assessable"]}
    eu_states = {next(p["value"] for p in f["props"] if p["name"] == "label"):
                 f["target"]["status"]["state"] for f in eu["findings"]}
    assert eu_states == {k: "satisfied" if v == "covered" else "not-satisfied"
                         for k, v in levels.items()}
    assert sum(s == "satisfied" for s in eu_states.values()) == 5
    assert len(iso["findings"]) == 70 and len(nist["findings"]) == 72


def test_the_validation_refuses_what_oscal_does_not_allow(
        exported: dict[str, dict[str, Any]]) -> None:
    """The models check what they are given: an id that is no OSCAL token is refused."""
    catalog_model, results_model = _trestle()
    body = json.loads(json.dumps(exported["iso"]["catalog"]))
    body["groups"][0]["controls"][0]["id"] = "5.2"
    with pytest.raises(ValueError):
        catalog_model.model_validate(body)
    results = json.loads(json.dumps(exported["results"]["assessment-results"]))
    results["results"][0]["findings"][0]["target"]["status"]["state"] = "fine"
    with pytest.raises(ValueError):
        results_model.model_validate(results)
