"""The second hostile-input round: each case broke a store, a command or the API before.

Numbers in the test names are the items of that round: 1 ill-formed Unicode, 2 output paths,
3 the dry run over HTTP, 4 the departure what-if, 5 points chosen silently, 6 the smaller
breaks, 7 look-alike ids.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aimsgraph.api.cli import app
from aimsgraph.graph import EmbeddedStore, GraphStore
from aimsgraph.graph.store.records import ChangeSet, NodeRecord
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ingest.readers import read_bundle
from aimsgraph.ontology import BundleError, StoreError
from tests.bundles import write_bundle
from tests.hostile.corpus import SHEET_HEAD, SHEET_TAIL, inline_row, workbook
from tests.stores import point_cli_at

SURROGATE = "\ud800"


@pytest.fixture
def runner(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    point_cli_at(store, monkeypatch)
    return CliRunner()


def _no_traceback(text: str) -> None:
    assert "Traceback" not in text, text[-3000:]


# -- 1: ill-formed Unicode -------------------------------------------------------------------
@pytest.mark.parametrize(("name", "text"), [
    ("people.json", '[{"id": "P-1", "name": "A\\ud800"}]'),
    ("people.yaml", '- id: P-1\n  name: "A\\ud800"\n'),
    ("people.json", '[{"id": "P-\\udfff", "name": "A"}]'),
    ("people.json", '[{"id": "P-1", "name": "A\\ufdd0"}]'),
    ("people.json", '[{"id": "P-1", "name": "A", "email": ["x\\udbff"]}]'),
])
def test_1_ill_formed_text_is_refused_naming_file_row_column_and_nothing_is_written(
        store: GraphStore, tmp_path: Path, name: str, text: str) -> None:
    folder = write_bundle(tmp_path / "b", {name: text})
    before = store.stats()
    with pytest.raises(BundleError) as raised:
        ingest_bundle(store, folder)
    (issue,) = [i for i in raised.value.issues if "not well-formed Unicode" in i.message]
    assert issue.file == name and issue.row and issue.column in ("name", "id", "email")
    assert store.stats() == before
    last = store.runs(1)[0]
    assert last.outcome == "failed"
    assert any("not well-formed Unicode" in error for error in last.errors)
    assert store.view() is not None  # every later read still works


def test_1_the_store_refuses_to_write_what_it_could_not_read_back(store: GraphStore) -> None:
    before = store.stats()
    for node in (NodeRecord("Person", "P-1", frozenset({"Person"}), {"name": SURROGATE}),
                 NodeRecord("Person", SURROGATE, frozenset({"Person"}), {"name": "x"})):
        with pytest.raises(StoreError, match="not well-formed Unicode"):
            store.write_transaction(lambda tx, n=node: tx.apply(ChangeSet([n])))
    assert store.stats() == before
    store.view()  # still readable


def test_1_a_bad_sync_name_is_a_clear_error_and_a_failed_run(store: GraphStore,
                                                             sample_dir: Path) -> None:
    with pytest.raises(BundleError, match="the sync source holds a lone surrogate"):
        ingest_bundle(store, sample_dir, sync="hr" + SURROGATE)
    assert store.runs(1)[0].source == "hr\ufffd"


def test_1_a_folder_name_that_is_not_utf8_is_shown_not_crashed_on(store: GraphStore,
                                                                  tmp_path: Path) -> None:
    folder = Path(os.fsdecode(bytes(tmp_path) + b"/bundle-\xff"))
    write_bundle(folder, {"people.csv": "id,name\nP-1,Ada\n"})
    report = ingest_bundle(store, folder)
    assert report.bundle == "bundle-?" and store.runs(1)[0].bundle == "bundle-?"


def _plant_damage(store: EmbeddedStore) -> None:
    """What an earlier version wrote: a lone surrogate escaped in a node's properties, and a
    relationship whose end node is gone."""
    conn = sqlite3.connect(store.path)
    conn.execute("UPDATE nodes SET props = json_set(props, '$.name', 'x') "
                 "WHERE label = 'Person' AND id = 'P-01'")
    (props,) = conn.execute("SELECT props FROM nodes WHERE label = 'Person' AND id = 'P-01'"
                            ).fetchone()
    conn.execute("UPDATE nodes SET props = ? WHERE label = 'Person' AND id = 'P-01'",
                 (props.replace('"name":"x"', '"name":"Helena \\ud800"'),))
    conn.execute("INSERT INTO rels VALUES ('HOLDS', 'Person', 'P-GONE', 'Role', 'R-CEO', "
                 "'2020-01-01', '{}')")
    conn.commit()
    conn.close()


def test_1_doctor_finds_and_repairs_a_damaged_store(tmp_path: Path, sample_dir: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    with EmbeddedStore(tmp_path / "s") as store:
        ingest_bundle(store, sample_dir)
        healthy = CliRunner()
        point_cli_at(store, monkeypatch)
        result = healthy.invoke(app, ["doctor"])
        assert result.exit_code == 0 and "healthy" in result.output, result.output
    with EmbeddedStore(tmp_path / "s") as store:
        _plant_damage(store)
    runner = CliRunner()
    gaps = runner.invoke(app, ["gaps"])
    assert gaps.exit_code == 1 and "aimsgraph doctor" in gaps.output
    _no_traceback(gaps.output)
    found = runner.invoke(app, ["doctor", "--format", "json"])
    assert found.exit_code == 3, found.output
    report = json.loads(found.output)
    assert report["counts"] == {"unreadable-value": 1, "dangling-relationship": 1}
    kinds = {(p["kind"], p["where"]) for p in report["problems"]}
    assert ("unreadable-value", "node Person P-01 (props)") in kinds
    assert ("dangling-relationship", "Person P-GONE -[HOLDS]-> Role R-CEO") in kinds
    mended = runner.invoke(app, ["doctor", "--repair", "--format", "json"])
    assert mended.exit_code == 0, mended.output
    assert json.loads(mended.output)["repaired"] == 2
    shown = runner.invoke(app, ["show", "Person", "P-01", "--format", "json"])
    assert json.loads(shown.output)["properties"]["name"] == "Helena \ufffd"
    assert runner.invoke(app, ["gaps"]).exit_code == 0


def test_1_doctor_reports_a_ledger_that_does_not_replay_to_the_data(
        tmp_path: Path, sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with EmbeddedStore(tmp_path / "s") as store:
        ingest_bundle(store, sample_dir)
        point_cli_at(store, monkeypatch)
    conn = sqlite3.connect(tmp_path / "s" / EmbeddedStore.FILENAME)
    conn.execute("DELETE FROM nodes WHERE label = 'Control' AND id = 'C-01'")
    conn.commit()
    conn.close()
    found = CliRunner().invoke(app, ["doctor", "--format", "json"])
    assert found.exit_code == 3
    problems = json.loads(found.output)["problems"]
    assert {(p["kind"], p["where"]) for p in problems} >= {("ledger", "node Control C-01")}


# -- 2: output paths -------------------------------------------------------------------------
OUTPUT_COMMANDS = [["report", "soa", "-f", "html"], ["gaps", "-f", "json"],
                   ["diff", "--from", "2000-01-01", "-f", "json"], ["visualise", "schema"]]


@pytest.mark.parametrize("command", OUTPUT_COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize(("where", "message"), [
    ("missing/out.html", "the folder {tmp}/missing does not exist"),
    ("", "it is a folder"),
    ("file.txt/out.html", "the folder {tmp}/file.txt does not exist"),
])
def test_2_an_output_path_mistake_is_an_error_before_the_work(
        tmp_path: Path, sample_dir: Path, monkeypatch: pytest.MonkeyPatch, command: list[str],
        where: str, message: str) -> None:
    with EmbeddedStore(tmp_path / "s") as store:
        ingest_bundle(store, sample_dir)
        point_cli_at(store, monkeypatch)
    (tmp_path / "file.txt").write_text("x")
    result = CliRunner().invoke(app, [*command, "-o", str(tmp_path / where)])
    _no_traceback(result.output)
    assert result.exit_code == 1, result.output
    assert message.format(tmp=tmp_path) in result.output.replace("\n", "")
    assert "schema" not in command or "laying out" not in result.output


@pytest.mark.parametrize("command", OUTPUT_COMMANDS, ids=lambda c: c[0])
def test_2_a_full_disk_is_an_error(tmp_path: Path, sample_dir: Path,
                                   monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    with EmbeddedStore(tmp_path / "s") as store:
        ingest_bundle(store, sample_dir)
        point_cli_at(store, monkeypatch)
    result = CliRunner().invoke(app, [*command, "-o", "/dev/full"])
    _no_traceback(result.output)
    assert result.exit_code == 1
    assert "cannot write to /dev/full: no space left on device" in result.output


def test_2_docs_into_a_file_or_a_missing_parent(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    runner = CliRunner()
    for target, message in [(tmp_path / "file", "it is a file, not a folder"),
                            (tmp_path / "no" / "docs", "does not exist")]:
        result = runner.invoke(app, ["docs", "-o", str(target)])
        _no_traceback(result.output)
        assert result.exit_code == 1 and message in result.output.replace("\n", "")


# -- 4: the departure what-if ----------------------------------------------------------------
def test_4_a_departure_counts_every_item_that_loses_its_owner(store: GraphStore,
                                                              tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {
        "people.csv": "id,name,seniority\nP-1,Ada,executive\nP-2,Bo,\n",
        "roles.csv": "id,name,reports_to\nR-EXEC,Executive,\nR-OWN,Owner,R-EXEC\n",
        "role_assignments.csv": "person,role,since\nP-1,R-EXEC,2020-01-01\n"
                                "P-2,R-OWN,2020-01-01\n",
        "controls.csv": "id,name,status,owner_role,implements\n"
                        "C-1,One,implemented,R-OWN,A.2.2\nC-2,Two,implemented,R-OWN,A.2.3\n",
        "policies.csv": "id,title,status,owner_role\nPOL-1,Policy,approved,R-OWN\n",
        "ai_systems.csv": "id,name,risk_tier,lifecycle,owner_role\n"
                          "S-1,System,high,deployed,R-OWN\n"})
    ingest_bundle(store, folder)
    from aimsgraph.graph.queries import Queries

    with Queries(store) as queries:
        trace = queries.trace("person", "P-2").to_json()
    lost = {(w["item"]["type"], w["item"]["id"]): w["loses"] for w in trace["what_if_departure"]}
    assert lost == {("AISystem", "S-1"): ["accountable owner"],
                    ("Control", "C-1"): ["accountable owner"],
                    ("Control", "C-2"): ["accountable owner"],
                    ("Policy", "POL-1"): ["accountable owner"]}


# -- 5: points are never chosen silently -----------------------------------------------------
def test_5_points_are_named_exactly(runner: CliRunner, store: GraphStore,
                                    sample_dir: Path) -> None:
    ingest_bundle(store, sample_dir)
    run_id = store.runs(1)[0].run_id
    early = runner.invoke(app, ["gaps", "--as-recorded", "2020-01-01"])
    assert early.exit_code == 1 and "no run had succeeded by 2020-01-01" in early.output
    cut = runner.invoke(app, ["diff", "--from", run_id[:10]])
    assert cut.exit_code == 1
    assert f"did you mean '{run_id}'" in cut.output.replace("\n", "")
    basic = runner.invoke(app, ["gaps", "--as-recorded", run_id[:8]])
    assert basic.exit_code == 1 and "neither a run id nor a date" in basic.output
    report = runner.invoke(app, ["report", "soa", "--as-recorded", run_id, "-f", "json"])
    assert json.loads(report.output)["recorded"].startswith(f"run {run_id} (ended ")
    markdown = runner.invoke(app, ["report", "soa", "--as-recorded", run_id, "-f", "markdown"])
    assert f"recorded: run {run_id}" in markdown.output
    since = runner.invoke(app, ["diff", "--from", "2000-01-01", "-f", "json"])
    assert json.loads(since.output)["recorded"].startswith("from 2000-01-01: before any run")


# -- 6: the smaller breaks -------------------------------------------------------------------
@pytest.mark.parametrize("args", [
    ["report", "review", "--since", "2000-01-01", "--as-of", "9999-12-31"],
    ["report", "audit-programme", "--as-of", "9999-12-31"],
    ["gaps", "--as-of", "0001-01-01"],
])
def test_6_a_date_past_the_range_is_refused(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(app, args)
    _no_traceback(result.output)
    assert result.exit_code == 1 and "outside the dates a question may be asked as of" in \
        result.output.replace("\n", " ")


@pytest.mark.parametrize("args", [["runs", "--limit", str(10**20)], ["runs", "--limit", "0"],
                                  ["runs", "show", "X", "--offset", "-5"]])
def test_6_integer_options_have_a_range(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(app, args)
    _no_traceback(result.output)
    assert result.exit_code == 2 and "is not in the range" in result.output


def test_6_a_fifo_in_a_bundle_folder_is_refused_not_waited_on(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    write_bundle(folder, {"roles.csv": "id,name\nR-1,Role\n"})
    os.mkfifo(folder / "people.csv")
    bundle = read_bundle(folder)
    assert [str(i) for i in bundle.issues] == [
        "people.csv: cannot be read: it is not a regular file (a pipe, device or socket), so "
        "it is not read"]
    os.mkfifo(tmp_path / "alone.csv")
    assert "is not a regular file" in str(read_bundle(tmp_path / "alone.csv").issues[0])


def _book(sheet: str, *, strings: list[str] | None = None, state: str | None = None,
          encoding: str = "utf-8") -> Path:
    data = workbook(sheet.encode(encoding))
    if strings is None and state is None:
        return _saved(data)
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            part = source.read(item)
            if item.filename == "xl/workbook.xml" and state:
                part = part.replace(b'<sheet name="people"',
                                    f'<sheet state="{state}" name="people"'.encode())
            if item.filename == "xl/_rels/workbook.xml.rels" and strings is not None:
                part = part.replace(b"</Relationships>", (
                    b'<Relationship Id="rS" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" '
                    b'Target="sharedStrings.xml"/></Relationships>'))
            target.writestr(item, part)
        if strings is not None:
            target.writestr("xl/sharedStrings.xml", (
                '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>"))
    return _saved(buffer.getvalue())


def _saved(data: bytes) -> Path:
    import tempfile

    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)
    handle.write(data)
    handle.close()
    return Path(handle.name)


HEADER = inline_row(1, ["id", "name"])


@pytest.mark.parametrize(("book", "expected"), [
    (lambda: _book(SHEET_HEAD + HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>P-1</t>'
                   '</is></c><c r="B2" t="s"><v>-1</v></c></row>' + SHEET_TAIL,
                   strings=["Ada", "Bo"]),
     ":2: cell B2 refers to shared text '-1', which the workbook does not hold"),
    (lambda: _book(SHEET_HEAD + HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>P-1</t>'
                   '</is></c><c r="B2" t="s"><v>7</v></c></row>' + SHEET_TAIL,
                   strings=["Ada"]),
     ":2: cell B2 refers to shared text '7', which the workbook does not hold"),
    (lambda: _book(SHEET_HEAD + HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>P-1</t>'
                   '</is></c><c r="B2"><f>CONCAT("A","da")</f></c></row>' + SHEET_TAIL),
     ":2: cell B2 holds a formula whose result was never saved"),
    (lambda: _book(SHEET_HEAD + HEADER + '<row r="3"><c r="A3" t="inlineStr"><is><t>P-1</t>'
                   '</is></c><c r="B3" t="b"><v>maybe</v></c></row>' + SHEET_TAIL),
     ":3: cell B3 holds 'maybe', which is not readable as its declared type 'b'"),
    (lambda: _book(SHEET_HEAD + HEADER + '<row r="2"><c r="A2" t="inlineStr"><is><t>P-1</t>'
                   '</is></c><c r="B2" t="d"><v>2026-13-01</v></c></row>' + SHEET_TAIL),
     ":2: cell B2 holds '2026-13-01', which is not readable as its declared type 'd'"),
    (lambda: _book(SHEET_HEAD.replace('encoding="UTF-8"', 'encoding="UTF-16"')
                   + HEADER + SHEET_TAIL, encoding="utf-16"),
     "part 'xl/worksheets/sheet1.xml' is not UTF-8 XML"),
    (lambda: _book('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE worksheet ['
                   '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                   + SHEET_HEAD.split("?>", 1)[1] + HEADER + inline_row(2, ["P-1", "&b;"])
                   + SHEET_TAIL, encoding="utf-16"),
     "is not UTF-8 XML"),
])
def test_6_workbook_cells_openpyxl_would_misread_are_errors_at_their_row(
        book: object, expected: str) -> None:
    path = book()  # type: ignore[operator]
    try:
        issues = [str(i) for i in read_bundle(path).issues]
    finally:
        path.unlink()
    assert len(issues) == 1 and expected in issues[0], issues
    assert "Traceback" not in issues[0] and "invalid literal" not in issues[0]


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_6_a_hidden_sheet_is_read_with_a_warning(state: str) -> None:
    path = _book(SHEET_HEAD + HEADER + inline_row(2, ["P-1", "Ada"]) + SHEET_TAIL,
                 state=state)
    try:
        bundle = read_bundle(path)
    finally:
        path.unlink()
    assert not bundle.issues and bundle.tables[0].rows
    (warning,) = bundle.warnings
    assert "is hidden" in warning.message if state == "hidden" else "very hidden" in \
        warning.message


def test_6_warnings_are_capped_like_errors(store: GraphStore, tmp_path: Path) -> None:
    rows = "".join(f"C-{i},Control {i},planned,R-1,A.2.2,fortnightly,x\n" for i in range(1500))
    folder = write_bundle(tmp_path / "b", {
        "roles.csv": "id,name\nR-1,Role\n",
        "controls.csv": "id,name,status,owner_role,implements,frequency,extra_column\n" + rows})
    report = ingest_bundle(store, folder)
    assert len(report.warnings) == BundleError.MAX_REPORTED
    assert report.to_json()["warnings_total"] == 1501


# -- 7: look-alike ids -----------------------------------------------------------------------
def test_7_look_alike_ids_are_kept_with_a_warning(store: GraphStore, tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {
        "people.csv": "id,name\nP-1,Latin\n\u0420-1,Cyrillic\np-1,Lower\nQ-1,Other\n"})
    report = ingest_bundle(store, folder)
    messages = [str(w) for w in report.warnings]
    assert messages == [
        "people.csv:3: id '\u0420-1' looks like id 'P-1' on row 2 but is a different id "
        "(U+0420 where the other has U+0050); both are kept",
        "people.csv:4: id 'p-1' looks like id 'P-1' on row 2 but is a different id "
        "(U+0070 where the other has U+0050); both are kept"]
    assert store.stats().nodes["Person"] == 4
