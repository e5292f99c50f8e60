"""What a newcomer meets first at the command line: an unchanged re-ingest said in a few
lines, tables and finding lines within the terminal's width with ids whole, labels and ids
in any case, a search, `-f md`, one plain CSV table for every report, sheet names cut
between words, and Excel's `sep=;` line understood."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aimsgraph.api.cli import app
from aimsgraph.api.workbook import _sheet_title
from aimsgraph.graph import GraphStore
from aimsgraph.ingest import ingest_bundle
from tests.bundles import write_bundle
from tests.stores import point_cli_at

D = dt.date(2026, 11, 27)
NARROW = {"COLUMNS": "100"}


@pytest.fixture
def runner(store: GraphStore, sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    ingest_bundle(store, sample_dir)
    point_cli_at(store, monkeypatch)
    return CliRunner()


def test_an_unchanged_reingest_says_so_in_a_few_lines(runner: CliRunner,
                                                       sample_dir: Path) -> None:
    again = runner.invoke(app, ["ingest", str(sample_dir)])
    assert again.exit_code == 0, again.output
    lines = again.stdout.strip().splitlines()
    assert len(lines) == 2
    assert "changed nothing: the graph already holds this bundle as it is" in lines[0]
    assert lines[1].startswith("unchanged: ") and " nodes and " in lines[1]


def test_output_fits_a_terminal_of_100_columns_with_ids_whole(runner: CliRunner) -> None:
    for args in (["gaps", "--as-of", D.isoformat()],
                 ["diff", "--from", "2020-01-01", "--as-of", D.isoformat()],
                 ["due", "--within", "60d", "--as-of", D.isoformat()]):
        out = runner.invoke(app, args, env=NARROW).stdout
        assert max(len(line) for line in out.splitlines()) <= 100, args
    gaps = runner.invoke(app, ["gaps", "--as-of", D.isoformat()], env=NARROW).stdout
    assert "high-tier-system-without-lifecycle-control" in gaps  # the longest check id
    assert "      no current holder: Elena Petrova left on 2026-03-31" in gaps  # wrapped, indented


def test_show_takes_labels_and_ids_in_any_case_and_type_prefixed(runner: CliRunner) -> None:
    for args in (["show", "control", "c-22"], ["show", "CONTROL", "Control:C-22"],
                 ["show", "Control", "C-22"]):
        shown = runner.invoke(app, args)
        assert shown.exit_code == 0, (args, shown.output)
        assert shown.stdout.startswith("Control C-22 (Bias testing of triage decisions)")
    short = runner.invoke(app, ["show", "requirement", "A.6.2.4"])
    assert short.stdout.startswith("Requirement ISO42001:A.6.2.4 ")


def test_search_finds_by_id_or_name(runner: CliRunner) -> None:
    found = runner.invoke(app, ["search", "claims", "-f", "csv"]).stdout.splitlines()
    assert found[0] == "type,id,name,open with"
    assert found[1] == "AISystem,SYS-CLAIMS,Claims triage model,aimsgraph show AISystem " \
                       "SYS-CLAIMS"
    exact = runner.invoke(app, ["search", "c-22", "-f", "csv"]).stdout.splitlines()
    assert exact[1].startswith("Control,C-22,")  # an exact id first


def test_md_is_markdown_and_every_csv_is_one_table(runner: CliRunner) -> None:
    markdown = runner.invoke(app, ["report", "soa", "-f", "md"])
    assert markdown.exit_code == 0 and markdown.stdout.startswith("# Statement of")
    table = runner.invoke(app, ["report", "leadership", "-f", "csv", "--as-of",
                                D.isoformat()]).stdout.splitlines()
    assert not any(line.startswith("#") for line in table)
    width = len(table[0].split(","))
    assert table[0].startswith("section,") and all(
        len(line.split(",")) >= width for line in table)  # (quoted cells may hold commas)


def test_sheet_names_are_cut_between_words() -> None:
    taken: set[str] = set()
    assert _sheet_title("EU AI Act obligations and who answers for them", taken) == \
        "EU AI Act obligations and who"
    assert _sheet_title("Leadership accountability - Leaders", taken) == \
        "Leadership accountability"
    assert _sheet_title("Leadership accountability - Leaders, again", taken) == \
        "Leadership accountability (2)"


def test_excels_sep_line_names_the_delimiter(store: GraphStore, tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {
        "people.csv": "sep=;\nid;name;seniority\nP-1;Ada;executive\nP-2;Bo;boss\n"})
    from aimsgraph.ontology import BundleError

    with pytest.raises(BundleError) as caught:
        ingest_bundle(store, folder)
    assert [str(i) for i in caught.value.issues] == [
        "people.csv:4: seniority 'boss' is not one of: top_management, executive, manager, "
        "staff"]  # numbered by the file's lines
    (folder / "people.csv").write_text("sep=;\nid;name\nP-1;Ada\n", encoding="utf-8")
    assert ingest_bundle(store, folder).outcome == "succeeded"


def test_ingest_progress_names_its_phases_with_rows(store: GraphStore, sample_dir: Path) -> None:
    stages: list[str] = []
    ingest_bundle(store, sample_dir, progress=stages.append)
    assert stages[0] == "reading" and stages[-1] == "writing"
    validating = [s for s in stages if s.startswith("validating")]  # file by file, streamed
    assert "validating 15 rows of acknowledgements.csv" in validating
    assert len(validating) == len(list(sample_dir.glob("*.csv")))
    planning = next(s for s in stages if s.startswith("planning "))
    assert "relationships of " in planning and planning.endswith(" files")
