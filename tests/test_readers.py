"""Readers turn each bundle form into the same tables, with locators a person can follow."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from aimsgraph.ingest import ReadLimits, read_bundle
from tests.bundles import folder_to_xlsx, folder_to_zip, write_bundle

PEOPLE_CSV = """
    id,Name,EMAIL,active
    P-1,Ada Lovelace,ada@example.org,yes

    P-2,Alan Turing,,
"""


def _rows(path: Path) -> list[tuple[str, dict[str, object]]]:
    bundle = read_bundle(path)
    assert bundle.issues == []
    (table,) = bundle.tables
    return [(row.loc, row.cells) for row in table.rows]


def test_csv_rows_are_numbered_as_in_a_spreadsheet(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {"people.csv": PEOPLE_CSV})
    assert _rows(folder) == [
        ("2", {"id": "P-1", "name": "Ada Lovelace", "email": "ada@example.org", "active": "yes"}),
        ("4", {"id": "P-2", "name": "Alan Turing", "email": None, "active": None}),
    ]


def test_yaml_records_are_located_by_line(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {"people.yaml": """
        # staff
        - id: P-1
          name: Ada Lovelace
          active: true
        - {id: P-2, name: Alan Turing, left_on: 2026-03-31, tags: [a, b]}
    """})
    assert _rows(folder) == [
        ("line 2", {"id": "P-1", "name": "Ada Lovelace", "active": "true"}),
        ("line 5", {"id": "P-2", "name": "Alan Turing", "left_on": "2026-03-31",
                    "tags": ["a", "b"]}),
    ]


def test_json_records_are_located_by_position(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {"people.json": json.dumps(
        [{"id": "P-1", "name": "Ada", "active": False}, {"id": 7, "name": "Seven"}])})
    assert _rows(folder) == [("record 1", {"id": "P-1", "name": "Ada", "active": "false"}),
                             ("record 2", {"id": "7", "name": "Seven"})]


def test_xlsx_sheets_are_files_and_rows_keep_sheet_numbers(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {"people.csv": PEOPLE_CSV})
    book = folder_to_xlsx(folder, tmp_path / "org.xlsx")
    bundle = read_bundle(book)
    (table,) = bundle.tables
    assert table.file == "org.xlsx[people]"
    assert [row.loc for row in table.rows] == ["2", "4"]


def test_zip_with_a_top_folder_reads_like_the_folder(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {"people.csv": PEOPLE_CSV})
    archive = folder_to_zip(folder, tmp_path / "b.zip", prefix="export/")
    bundle = read_bundle(archive)
    assert bundle.issues == []
    assert bundle.tables[0].file == "b.zip/export/people.csv"
    assert [r.cells for r in bundle.tables[0].rows] == [r.cells for r in
                                                        read_bundle(folder).tables[0].rows]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({"people.csv": "id,name,name\n"},
                     ["people.csv:1: column 'name' appears twice"], id="duplicate-header"),
        pytest.param({"people.csv": "id,name\nP-1,Ada,extra\n"},
                     ["people.csv:2: a value stands in a column with no header"],
                     id="value-without-header"),
        pytest.param({"risk.csv": "id\n"},
                     ["b: holds no bundle file, so there is nothing to ingest; bundle files: "
                      "requirements, people, org_units, roles, committees, policies, "
                      "ai_systems, risks, controls, evidence, impact_assessments, trainings, "
                      "objectives, audits, suppliers, datasets, incidents, findings, mappings, "
                      "role_assignments, training_records, acknowledgements, soa, relationships "
                      "(.csv, .yaml or .json, or sheets of a workbook)"],
                     id="nothing-but-an-unknown-file"),
        pytest.param({"people.csv": "id,name\n", "people.yaml": "[]\n"},
                     ["people.yaml: 'people' is already given by people.csv"], id="stem-twice"),
        pytest.param({"people.yaml": "id: P-1\n"},
                     ["people.yaml: must hold a list of records"], id="yaml-not-a-list"),
        pytest.param({"people.yaml": "- id: [unclosed\n"},
                     ["people.yaml:line 2: not readable as YAML: expected ',' or ']', but got "
                      "'<stream end>'"], id="yaml-syntax"),
        pytest.param({"people.json": '[{"id": {"nested": 1}}]'},
                     ["people.json:record 1: id holds a nested structure, not a value"],
                     id="json-nested"),
    ],
)
def test_unreadable_input_is_reported_not_raised(tmp_path: Path, files: dict[str, str],
                                                 expected: list[str]) -> None:
    bundle = read_bundle(write_bundle(tmp_path / "b", files))
    assert [str(i) for i in bundle.issues] == expected


def test_json_syntax_errors_name_the_line(tmp_path: Path) -> None:
    bundle = read_bundle(write_bundle(tmp_path / "b", {"people.json": '[\n{"id": "P-1",}]'}))
    (issue,) = bundle.issues
    assert str(issue).startswith("people.json:line 2: not readable as JSON: ")


def test_non_utf8_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "people.csv").write_bytes(b"id,name\nP-1,Andr\xe9\n")
    assert [str(i) for i in read_bundle(folder).issues] == [
        "people.csv: not UTF-8 text (byte 16)"]


def test_zip_members_with_unsafe_paths_are_refused(tmp_path: Path) -> None:
    target = tmp_path / "evil.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("../people.csv", "id,name\nP-1,Ada\n")
        archive.writestr("/abs/roles.csv", "id,name\nR-1,CEO\n")
    issues = [str(i) for i in read_bundle(target).issues]
    assert issues == ["evil.zip: member '../people.csv' has an unsafe path",
                      "evil.zip: member '/abs/roles.csv' has an unsafe path"]


def test_zip_bombs_are_stopped_at_the_limit_while_inflating(tmp_path: Path) -> None:
    target = tmp_path / "bomb.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("people.csv", "id,name\n" + "P,x\n" * 200_000)
    issues = [str(i) for i in read_bundle(target, ReadLimits(max_total_bytes=100_000)).issues]
    assert issues == ["bomb.zip/people.csv: the file takes the bundle past 100000 bytes "
                      "uncompressed; that is the most a bundle may hold "
                      "(AIMSGRAPH_MAX_BUNDLE_BYTES)"]
    issues = [str(i) for i in read_bundle(target, ReadLimits(max_members=0)).issues]
    assert issues == ["bomb.zip: holds 1 files; at most 0 are accepted "
                      "(AIMSGRAPH_MAX_BUNDLE_FILES)"]


def test_a_missing_path_is_reported(tmp_path: Path) -> None:
    assert [str(i) for i in read_bundle(tmp_path / "nope").issues] == [
        f"{tmp_path / 'nope'}: no such file or folder"]


def test_folder_bundles_do_not_follow_links_out_of_the_folder(tmp_path: Path) -> None:
    outside = write_bundle(tmp_path / "outside", {"people.csv": "id,name\nP-9,Secret\n"})
    folder = write_bundle(tmp_path / "b", {"roles.csv": "id,name\nR-1,CEO\n"})
    (folder / "people.csv").symlink_to(outside / "people.csv")
    (folder / "more").symlink_to(outside, target_is_directory=True)
    bundle = read_bundle(folder)
    assert [t.stem for t in bundle.tables] == ["roles"]
    assert [str(i) for i in bundle.issues] == [
        "people.csv: is a link to a file outside the bundle folder; it is not read"]


def test_yaml_and_json_values_stay_text_until_the_ontology_types_them(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {
        "people.yaml": "- id: 010\n  name: NO\n  active: yes\n  left_on: 2026-02-30\n",
        "roles.json": '[{"id": 12, "name": "x", "n": ' + "7" * 5000 + ', "f": 1.0}]'})
    tables = {t.stem: t for t in read_bundle(folder).tables}
    assert tables["people"].rows[0].cells == {"id": "010", "name": "NO", "active": "yes",
                                              "left_on": "2026-02-30"}
    assert tables["roles"].rows[0].cells == {"id": "12", "name": "x", "n": "7" * 5000, "f": "1"}


@pytest.mark.parametrize(("text", "message"), [
    ('id,name\nP-1,"abc\nP-2,def\n', "people.csv:2: a quoted value opened on this row is never "
                                     "closed"),
    ('id,name\nP-1,x\nP-2,"a"b\n', "people.csv:3: not readable as CSV: a closing quote is "
                                   "followed by more text; quote the whole value and double "
                                   "each quote inside it"),
    ("id,name\nP-1,x\rP-2,y\n", "people.csv:2: not readable as CSV: a line holds a carriage "
                                "return (CR) outside quotes; save the file with ordinary line "
                                "endings (LF or CRLF)"),
    ("id,name\nP-1," + "x" * 200_001 + "\n", "people.csv:2: a cell is longer than 100000 "
                                             "characters"),
])
def test_csv_is_read_strictly(tmp_path: Path, text: str, message: str) -> None:
    bundle = read_bundle(write_bundle(tmp_path / "b", {"people.csv": text}))
    assert [str(i) for i in bundle.issues] == [message]
    assert bundle.tables == []


def test_limits_name_the_setting_that_raises_them(tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {"people.csv": "id,name\n" + "P,x\n" * 20,
                                           "roles.yaml": "- {id: R-1, name: CEO}\n" * 50})
    issues = [str(i) for i in read_bundle(folder, ReadLimits(max_rows=10,
                                                             max_document_bytes=100)).issues]
    assert issues == [
        "people.csv: the file holds more than 10 rows; that is the most one file may hold "
        "(AIMSGRAPH_MAX_ROWS)",
        "roles.yaml: the file is larger than 100 bytes uncompressed; that is the most one file "
        "may hold (AIMSGRAPH_MAX_DOCUMENT_BYTES)"]
