"""The command line: formats, exit codes and messages (INTERFACES.md)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from tests.bundles import write_bundle


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("AIMSGRAPH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("AIMSGRAPH_STORE", "embedded")
    return CliRunner()


def test_demo_loads_the_sample_organisation(runner: CliRunner) -> None:
    result = runner.invoke(app, ["demo", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ingest"]["outcome"] == "succeeded"
    assert data["stats"]["nodes"]["AISystem"] == 12
    stats = runner.invoke(app, ["stats", "--format", "json"])
    assert json.loads(stats.stdout) == data["stats"]


def test_stats_as_csv_and_table(runner: CliRunner) -> None:
    result = runner.invoke(app, ["stats", "--format", "csv"])
    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["kind", "name", "count"]
    assert ["node", "Requirement", "92"] in rows
    table = runner.invoke(app, ["stats"])
    assert "Requirement" in table.stdout and "92" in table.stdout


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


def test_an_unusable_store_is_a_clear_error(runner: CliRunner, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("AIMSGRAPH_DATA_DIR", str(blocker / "data"))
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 1
    assert "cannot open the embedded store" in result.stderr
    assert "Traceback" not in result.stderr
