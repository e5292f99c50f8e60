"""The command line: formats, exit codes and messages (README.md)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aimsgraph.api.cli import app
from aimsgraph.graph import GraphStore
from aimsgraph.ontology import builtin_items
from tests.bundles import write_bundle
from tests.stores import point_cli_at


@pytest.fixture
def runner(store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A CLI runner configured for the (empty, open) store under test."""
    point_cli_at(store, monkeypatch)
    return CliRunner()


def test_demo_loads_the_sample_organisation(runner: CliRunner) -> None:
    result = runner.invoke(app, ["demo", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ingest"]["outcome"] == "succeeded"
    assert data["stats"]["nodes"]["AISystem"] == 12
    stats = json.loads(runner.invoke(app, ["stats", "--format", "json"]).stdout)
    sources = stats.pop("sources")
    assert stats == data["stats"]
    # how fresh the graph is, source by source
    assert [(s["source"], s["last_outcome"]) for s in sources] == [("northwind", "succeeded")]
    assert sources[0]["last_success"] is not None


def test_the_demo_command_runs_as_installed(tmp_path: Path) -> None:
    """The quick start's main job in a fresh interpreter, through the installed entry point:
    modules load in the order a user's run loads them, which an in-process runner does not
    reproduce (a package attribute shadowed by a submodule once broke only this path)."""
    env = {**os.environ, "AIMSGRAPH_DATA_DIR": str(tmp_path / "data"),
           "AIMSGRAPH_STORE": "embedded"}
    env.pop("AIMSGRAPH_SETTINGS_FILE", None)
    command = [str(Path(sys.executable).parent / "aimsgraph"), "demo", "--format", "json"]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["ingest"]["outcome"] == "succeeded"
    assert data["stats"]["nodes"]["AISystem"] == 12


def test_stats_as_csv_and_table(runner: CliRunner) -> None:
    result = runner.invoke(app, ["stats", "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["kind", "name", "count"]
    assert ["node", "Requirement", str(len(builtin_items()))] in rows
    table = runner.invoke(app, ["stats"])
    assert "Requirement" in table.stdout and str(len(builtin_items())) in table.stdout


def test_ingest_dry_run_then_real(runner: CliRunner, tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {"people.csv": "id,name\nP-1,Ada\n"})
    dry = runner.invoke(app, ["ingest", str(folder), "--dry-run", "--format", "json"])
    assert dry.exit_code == 0
    assert json.loads(dry.stdout)["changes"]["nodes"]["Person"]["created"] == 1
    assert "Person" not in json.loads(runner.invoke(app, ["stats", "-f", "json"]).stdout)["nodes"]
    real = runner.invoke(app, ["ingest", str(folder), "--format", "csv"])
    assert real.exit_code == 0
    assert "node,Person,1,0,0,0" in real.stdout


def test_a_rejected_bundle_exits_non_zero_with_every_error_on_stderr(
        runner: CliRunner, tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {"people.csv": "id,name,active\nP-1,,maybe\n"})
    result = runner.invoke(app, ["ingest", str(folder)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "bundle rejected, nothing was written (2 errors)" in result.stderr
    assert "people.csv:2: name is required" in result.stderr
    assert "people.csv:2: active 'maybe' is not a boolean" in result.stderr
    assert "Traceback" not in result.stderr


def test_runs_lists_failed_and_succeeded_runs(runner: CliRunner, tmp_path: Path) -> None:
    good = write_bundle(tmp_path / "good", {"people.csv": "id,name\nP-1,Ada\n"})
    bad = write_bundle(tmp_path / "bad", {"people.csv": "id\nP-1\n"})
    runner.invoke(app, ["ingest", str(good)])
    runner.invoke(app, ["ingest", str(bad)])
    runs = json.loads(runner.invoke(app, ["runs", "--format", "json"]).stdout)
    assert [r["outcome"] for r in runs] == ["failed", "succeeded"]


def test_an_unusable_store_is_a_clear_error(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("AIMSGRAPH_STORE", "embedded")
    monkeypatch.setenv("AIMSGRAPH_DATA_DIR", str(blocker / "data"))
    result = CliRunner().invoke(app, ["stats"])
    assert result.exit_code == 1
    assert "cannot open the embedded store" in result.stderr
    assert "Traceback" not in result.stderr


def test_gaps_json_has_the_public_shape(runner: CliRunner) -> None:
    runner.invoke(app, ["demo", "--format", "json"])
    result = runner.invoke(app, ["gaps", "ai-system-without-accountable-owner", "--as-of",
                                 "2026-11-27", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == "2026-11-27"
    (check,) = data["checks"]
    assert check["id"] == "ai-system-without-accountable-owner"
    assert check["findings"][0] == {
        "check": "ai-system-without-accountable-owner",
        "subject": {"type": "AISystem", "id": "SYS-CLAIMS", "name": "Claims triage model"},
        "reason": "owner role R-MO-CLM (Model Owner - Claims) has no current holder: "
                  "Elena Petrova left on 2026-03-31",
        "severity": "high",
        "related": [{"type": "Person", "id": "P-08", "name": "Elena Petrova"},
                    {"type": "Role", "id": "R-MO-CLM", "name": "Model Owner - Claims"}]}


def test_gaps_table_and_csv(runner: CliRunner) -> None:
    runner.invoke(app, ["demo", "--format", "json"])
    table = runner.invoke(app, ["gaps", "--as-of", "2026-11-27"])
    assert "key-person-concentration" in table.stdout and "Mei Tanaka" in table.stdout
    rows = list(csv.reader(io.StringIO(runner.invoke(
        app, ["gaps", "--as-of", "2026-11-27", "-f", "csv"]).stdout)))
    assert rows[0] == ["check", "severity", "type", "id", "name", "reason"]
    assert len(rows) - 1 == 74


def test_gaps_parameters_and_bad_input(runner: CliRunner) -> None:
    runner.invoke(app, ["demo", "--format", "json"])
    strict = json.loads(runner.invoke(app, ["gaps", "high-risk-untreated", "--as-of",
                                            "2026-11-27", "--high-risk-threshold", "21",
                                            "-f", "json"]).stdout)
    assert strict["checks"][0]["findings"] == []
    bad_date = runner.invoke(app, ["gaps", "--as-of", "27/11/2026"])
    assert bad_date.exit_code == 1
    assert "--as-of '27/11/2026' is not a date (expected YYYY-MM-DD)" in bad_date.stderr
    unknown = runner.invoke(app, ["gaps", "no-such-check"])
    assert unknown.exit_code == 1 and "unknown gap check 'no-such-check'" in unknown.stderr


def test_runs_show_lists_a_runs_changes(runner: CliRunner, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", {"people.csv": "id,name\nP-1,Ada\n"})
    runner.invoke(app, ["ingest", str(bundle)])
    write_bundle(bundle, {"people.csv": "id,name\nP-1,Ada Lovelace\n"})
    dry = runner.invoke(app, ["ingest", str(bundle), "--dry-run"])
    assert "updated │ Person │ P-1   │ name: Ada -> Ada Lovelace" in dry.stdout
    run = json.loads(runner.invoke(app, ["ingest", str(bundle), "-f", "json"]).stdout)
    shown = json.loads(runner.invoke(app, ["runs", "show", run["run_id"], "-f", "json"]).stdout)
    assert shown["total"] == 1
    assert shown["changes"][0]["changed"] == {"name": {"before": "Ada", "after": "Ada Lovelace"}}
    assert runner.invoke(app, ["runs", "show"]).exit_code == 1


def test_check_settings_and_ingestion_warnings(runner: CliRunner, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = write_bundle(tmp_path / "b", {
        "ai_systems.csv": "id,name,lifecycle,risk_tier\nS-1,Scorer,deployed,high\n",
        "controls.csv": "id,name,status,implements,applies_to,frequency\n"
                        "C-1,Tests,implemented,A.6.2.4,S-1,every sprint\n"})
    ingested = runner.invoke(app, ["ingest", str(bundle)])
    assert ingested.exit_code == 0
    assert "warning: controls.csv:2: frequency 'every sprint' is not recognised" in \
        ingested.stderr
    monkeypatch.setenv("AIMSGRAPH_LIFECYCLE_CONTROLS", "A.6.2.4")
    monkeypatch.setenv("AIMSGRAPH_AUDIT_CYCLE_MONTHS", "12")
    data = json.loads(runner.invoke(app, ["gaps", "high-tier-system-without-lifecycle-control",
                                          "-f", "json"]).stdout)
    assert data["parameters"]["lifecycle_controls"] == ["ISO42001:A.6.2.4"]
    assert data["parameters"]["audit_cycle_months"] == 12
    assert data["checks"][0]["findings"] == []
    monkeypatch.setenv("AIMSGRAPH_LIFECYCLE_CONTROLS", "A.6.2.4;A.6.2.8")
    data = json.loads(runner.invoke(app, ["gaps", "high-tier-system-without-lifecycle-control",
                                          "-f", "json"]).stdout)
    assert [f["reason"] for f in data["checks"][0]["findings"]] == [
        "no implemented control applied to it implements A.6.2.8"]
    monkeypatch.setenv("AIMSGRAPH_LIFECYCLE_CONTROLS", "A.6.2.4;A.99")
    bad = runner.invoke(app, ["gaps"])
    assert bad.exit_code == 1
    assert "invalid setting: AIMSGRAPH_LIFECYCLE_CONTROLS: 'A.99' is not an Annex A control" \
        in bad.stderr


def test_trace_and_report_commands(runner: CliRunner, tmp_path: Path) -> None:
    runner.invoke(app, ["demo", "--format", "json"])
    trace = json.loads(runner.invoke(app, ["trace", "control", "C-17", "--as-of", "2026-11-27",
                                           "-f", "json"]).stdout)
    assert set(trace) == {"subject", "as_of", "steps", "executive", "executives", "gap"}
    assert trace["executive"]["id"] == "P-04"
    missing = runner.invoke(app, ["trace", "control", "C-404"])
    assert missing.exit_code == 1 and "no Control with id 'C-404'" in missing.stderr
    target = tmp_path / "soa.html"
    written = runner.invoke(app, ["report", "soa", "--format", "html", "--output", str(target)])
    assert written.exit_code == 0
    assert "Statement of Applicability" in target.read_text()
    markdown = runner.invoke(app, ["report", "coverage", "--format", "markdown"])
    assert markdown.stdout.startswith("# Clause coverage (ISO42001)")


def test_demo_prints_the_gap_summary(runner: CliRunner) -> None:
    result = runner.invoke(app, ["demo"])
    assert result.exit_code == 0
    assert "Gap summary as of" in result.stdout
    assert "ai-policy-missing" in result.stdout


def test_version_and_short_help() -> None:
    from importlib.metadata import version

    runner = CliRunner()
    shown = runner.invoke(app, ["--version"])
    assert shown.exit_code == 0 and shown.stdout == f"aimsgraph {version('aimsgraph')}\n"
    short = runner.invoke(app, ["gaps", "-h"])
    assert short.exit_code == 0 and "--as-recorded" in short.stdout
    commands = [["ingest"], ["docs"], ["stats"], ["runs"], ["gaps"], ["trace"], ["show"],
                ["report"], ["diff"], ["visualise"], ["serve"], ["demo"], ["neo4j", "start"]]
    for command in commands:
        shown = runner.invoke(app, [*command, "-h"]).stdout
        assert "Usage: " in shown and "[OPTIONS]" in shown
        assert not re.search(r"<(bool|str|int|path|list)", shown), (command, shown)


def test_serve_refuses_malformed_api_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIMSGRAPH_API_KEYS", "superuser:abc")
    result = CliRunner().invoke(app, ["serve", "--port", "1"])
    assert result.exit_code == 1
    assert "AIMSGRAPH_API_KEYS entry 1 must be 'reader:KEY' or 'admin:KEY'" in result.stderr
