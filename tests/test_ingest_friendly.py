"""Ingestion that helps a person fix a bundle: warnings with suggestions, separators that
spreadsheet programs write, empty bundles, reruns that change nothing, errors as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from aimsgraph.api.cli import app
from aimsgraph.graph import GraphStore
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ontology import BundleError
from tests.bundles import write_bundle
from tests.stores import point_cli_at

CONTROLS = "id,name,status,owner_rol\nC-1,Tests,implemented,R-1\n"


@pytest.fixture
def runner(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    point_cli_at(store, monkeypatch)
    return CliRunner()


def test_a_misspelt_header_is_kept_with_a_warning_that_suggests_the_column(
        store: GraphStore, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", {"controls.csv": CONTROLS})
    report = ingest_bundle(store, bundle)
    assert [str(w) for w in report.warnings] == [
        "controls.csv:1: column 'owner_rol' is not a column of controls and is kept as a text "
        "property (did you mean 'owner_role'?)"]
    assert store.lazy_view().props(("Control", "C-1"))["owner_rol"] == "R-1"
    before = store.stats()
    with pytest.raises(BundleError) as rejected:
        ingest_bundle(store, write_bundle(tmp_path / "c", {"controls.csv": CONTROLS.replace(
            "C-1", "C-2")}), strict=True)
    assert [str(i) for i in rejected.value.issues] == [
        "controls.csv:1: column 'owner_rol' is not a column of controls and is kept as a text "
        "property (did you mean 'owner_role'?) (--strict)"]
    assert store.stats() == before


def test_the_cli_prints_the_warning_and_strict_rejects(runner: CliRunner,
                                                       tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", {"controls.csv": CONTROLS})
    strict = runner.invoke(app, ["ingest", str(bundle), "--strict"])
    assert strict.exit_code == 1 and "(did you mean 'owner_role'?) (--strict)" in strict.stderr
    loaded = runner.invoke(app, ["ingest", str(bundle)])
    assert loaded.exit_code == 0
    assert "warning: controls.csv:1: column 'owner_rol' is not a column of controls" in \
        loaded.stderr


@pytest.mark.parametrize("separator", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_read(store: GraphStore, tmp_path: Path,
                                                    separator: str) -> None:
    roles = separator.join(["id", "name", "reports_to"]) + "\n" + separator.join(
        ["R-1", "Chief, AI", ""]) + "\n" + separator.join(["R-2", "Lead", "R-1"]) + "\n"
    report = ingest_bundle(store, write_bundle(tmp_path / "b", {"roles.csv": roles}))
    assert report.changes["nodes"]["Role"]["created"] == 2
    assert report.changes["relationships"]["REPORTS_TO"]["created"] == 1
    assert store.lazy_view().props(("Role", "R-1"))["name"] == "Chief, AI"


def test_a_comma_file_with_semicolon_lists_stays_a_comma_file(store: GraphStore,
                                                              tmp_path: Path) -> None:
    report = ingest_bundle(store, write_bundle(tmp_path / "b", {
        "people.csv": "id,name\nP-1,Ada\nP-2,Bo\n",
        "committees.csv": "id,name,members\nCOM-1,Board,P-1;P-2\n"}))
    assert report.changes["relationships"]["MEMBER_OF"]["created"] == 2


def test_an_unknown_reference_gets_a_suggestion(store: GraphStore, tmp_path: Path) -> None:
    with pytest.raises(BundleError) as rejected:
        ingest_bundle(store, write_bundle(tmp_path / "b", {
            "roles.csv": "id,name\nR-MLOPS,MLOps Lead\n",
            "controls.csv": "id,name,status,owner_role,implements\n"
                            "C-1,Tests,planned,R-MLOP,A.6.2.44\nC-2,Logs,planned,R-XYZ,A.6.2.8\n"}))
    assert [str(i) for i in rejected.value.issues] == [
        "controls.csv:2: implements 'A.6.2.44' is not a known Requirement id (did you mean "
        "'A.6.2.4'?)",
        "controls.csv:2: owner_role 'R-MLOP' is not a known Role id (did you mean 'R-MLOPS'?)",
        "controls.csv:3: owner_role 'R-XYZ' is not a known Role id"]


def test_an_empty_bundle_is_an_error(store: GraphStore, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(BundleError) as rejected:
        ingest_bundle(store, empty)
    assert str(rejected.value.issues[0]).startswith(
        "empty: holds no bundle file, so there is nothing to ingest; bundle files: requirements,")
    assert [r.outcome for r in store.runs(5)] == ["failed"]


def test_an_extra_sheet_is_skipped_with_a_warning(store: GraphStore, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    people = book.active
    people.title = "people"
    people.append(["id", "name"])
    people.append(["P-1", "Ada"])
    book.create_sheet("Notes").append(["anything", "at all"])
    book.create_sheet("Peopel").append(["id", "name"])
    target = tmp_path / "bundle.xlsx"
    book.save(target)
    report = ingest_bundle(store, target)
    assert report.changes["nodes"]["Person"]["created"] == 1
    assert [str(w) for w in report.warnings] == [
        "bundle.xlsx[Notes]: sheet 'Notes' is not a bundle file and was skipped; bundle files: "
        + report.warnings[0].message.split("bundle files: ")[1],
        "bundle.xlsx[Peopel]: sheet 'Peopel' is not a bundle file and was skipped (did you "
        "mean 'people'?); bundle files: " + report.warnings[1].message.split("files: ")[1]]


def test_a_rerun_says_it_changed_nothing(runner: CliRunner, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", {"people.csv": "id,name\nP-1,Ada\n"})
    first = runner.invoke(app, ["ingest", str(bundle), "-f", "json"])
    assert json.loads(first.stdout)["changed"] == 1
    again = runner.invoke(app, ["ingest", str(bundle)], env={"COLUMNS": "200"})
    assert "changed nothing: the graph already holds this bundle as it is" in again.stdout
    assert json.loads(runner.invoke(app, ["ingest", str(bundle), "-f", "json"]).stdout
                      )["changed"] == 0


def test_with_json_errors_are_json_on_stdout(runner: CliRunner, tmp_path: Path) -> None:
    bundle = write_bundle(tmp_path / "b", {"people.csv": "id,name,active\nP-1,,maybe\n"})
    result = runner.invoke(app, ["ingest", str(bundle), "-f", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["outcome"] == "rejected" and data["total_errors"] == 2
    assert {(e["file"], e["row"], e["column"]) for e in data["errors"]} == {
        ("people.csv", "2", "name"), ("people.csv", "2", "active")}
    missing = runner.invoke(app, ["trace", "control", "C-404", "-f", "json"])
    assert missing.exit_code == 1
    assert json.loads(missing.stdout) == {"outcome": "error",
                                          "error": "no Control with id 'C-404'"}
