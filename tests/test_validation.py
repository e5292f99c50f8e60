"""Every validation rule, with the exact text a spreadsheet user reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from aimsgraph.graph import GraphStore
from aimsgraph.ingest import ingest_bundle, plan
from aimsgraph.ontology import BundleError
from tests.bundles import write_bundle

BASE = {
    "people.csv": """
        id,name,seniority,active,left_on
        P-1,Ada Lovelace,executive,yes,
        P-2,Alan Turing,staff,no,2026-01-31
    """,
    "roles.csv": """
        id,name,reports_to
        R-1,Chief Executive,
        R-2,Model Owner,R-1
    """,
}


def rejected(store: GraphStore, tmp_path: Path, files: dict[str, str]) -> list[str]:
    """The error lines for BASE plus ``files`` (which must be rejected)."""
    before = store.stats()
    folder = write_bundle(tmp_path / "bundle", {**BASE, **files})
    with pytest.raises(BundleError) as caught:
        ingest_bundle(store, folder)
    assert store.stats() == before, "a rejected bundle must write nothing"
    return [str(issue) for issue in caught.value.issues]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({"controls.csv": "id,status\nC-1,planned\n"},
                     ["controls.csv:1: required column 'name' is missing"],
                     id="required-column"),
        pytest.param({"controls.csv": "id,name\nC-1,\n,Nameless\n"},
                     ["controls.csv:2: name is required", "controls.csv:3: id is required"],
                     id="required-value"),
        pytest.param({"controls.csv": "id,name,status\nC-1,Gate,done\n"},
                     ["controls.csv:2: status 'done' is not one of: planned, implemented, "
                      "operating, retired"], id="enum"),
        pytest.param({"evidence.csv": "id,title,collected_on\nE-1,Log,2026-02-30\n"},
                     ["evidence.csv:2: collected_on '2026-02-30' is not a date "
                      "(expected YYYY-MM-DD)"], id="date"),
        pytest.param({"evidence.csv": "id,title,collected_on\nE-1,Log,27/11/2026\n"},
                     ["evidence.csv:2: collected_on '27/11/2026' is not a date "
                      "(expected YYYY-MM-DD)"], id="date-format"),
        pytest.param({"people.csv": "id,name,active\nP-1,Ada,maybe\n"},
                     ["people.csv:2: active 'maybe' is not a boolean (expected true/false, "
                      "yes/no or 1/0)"], id="boolean"),
        pytest.param({"risks.csv": "id,title,likelihood,impact\nK-1,Bias,high,3\nK-2,Drift,2,6\n"},
                     ["risks.csv:2: likelihood 'high' is not a whole number",
                      "risks.csv:3: impact 6 is outside the allowed range 1-5"], id="integer"),
        pytest.param({"controls.csv": "id,name,owner_role\nC-1,Gate,R-NOPE\n"},
                     ["controls.csv:2: owner_role 'R-NOPE' is not a known Role id"],
                     id="unknown-reference"),
        pytest.param({"controls.csv": "id,name,owner_role\nC-1,Gate,P-1\n"},
                     ["controls.csv:2: owner_role 'P-1' is a Person, not a Role"],
                     id="wrong-type-reference"),
        pytest.param({"controls.csv": "id,name,owner_role\nC-1,Gate,Person:P-1\n"},
                     ["controls.csv:2: owner_role 'Person:P-1' names a Person, but owner_role "
                      "takes a Role"], id="typed-reference-of-wrong-type"),
        pytest.param({"controls.csv": "id,name\nX-1,Gate\n",
                      "policies.csv": "id,title\nX-1,Policy\n",
                      "evidence.csv": "id,title,supports\nE-1,Minutes,X-1\n"},
                     ["evidence.csv:2: supports 'X-1' is ambiguous: write Control:X-1 or "
                      "Policy:X-1"], id="ambiguous-reference"),
        pytest.param({"evidence.csv": "id,title,supports\nE-1,Minutes,9.9\n"},
                     ["evidence.csv:2: supports '9.9' is not a known Control, Policy, "
                      "ImpactAssessment, Requirement, Audit, Objective, Dataset, Supplier or "
                      "Incident id"], id="unknown-any"),
        pytest.param({"controls.csv": "id,name,implements\nC-1,Gate,A.99.1\n"},
                     ["controls.csv:2: implements 'A.99.1' is not a known Requirement id"],
                     id="unknown-requirement"),
        pytest.param({"controls.csv": "id,name,owner_role\nC-1,Gate,R-1;R-2\n"},
                     ["controls.csv:2: owner_role takes a single reference, not a list"],
                     id="single-reference"),
        pytest.param({"controls.csv": "id,name\nC-1,Gate\nC-1,Gate again\n"},
                     ["controls.csv:3: id 'C-1' is duplicated (first on row 2)"],
                     id="duplicate-id"),
        pytest.param({"role_assignments.csv": "person,role,since,until\n"
                                              "P-1,R-1,2026-05-01,2026-04-30\n"},
                     ["role_assignments.csv:2: until 2026-04-30 is before since 2026-05-01"],
                     id="date-range"),
        pytest.param({"evidence.csv": "id,title,collected_on,valid_until\n"
                                      "E-1,Log,2026-05-01,2025-01-01\n"},
                     ["evidence.csv:2: valid_until 2025-01-01 is before collected_on "
                      "2026-05-01"], id="evidence-range"),
        pytest.param({"role_assignments.csv": "person,role\nP-1,R-1\nP-1,R-1\n"},
                     ["role_assignments.csv:3: person 'P-1' and role 'R-1' are already paired "
                      "with an empty since on row 2"], id="duplicate-pair"),
        pytest.param({"role_assignments.csv": "person,role,since,until\n"
                                              "P-1,R-1,2024-01-01,2024-12-31\n"
                                              "P-1,R-1,2024-01-01,\n"},
                     ["role_assignments.csv:3: person 'P-1' and role 'R-1' are already paired "
                      "with since 2024-01-01 on row 2"], id="duplicate-period"),
        pytest.param({"role_assignments.csv": "person,role,since,until\n"
                                              "P-1,R-1,2024-01-01,2025-03-31\n"
                                              "P-1,R-1,2025-03-31,\n"
                                              "P-1,R-1,,2023-06-30\n"
                                              "P-1,R-1,2023-07-01,2023-12-31\n"},
                     ["role_assignments.csv:3: person 'P-1' and role 'R-1': period 2025-03-31 "
                      "to open end overlaps the period on row 2 (2024-01-01 to 2025-03-31)"],
                     id="overlapping-periods"),
        pytest.param({"trainings.csv": "id,name\nT-1,Course\n",
                      "training_records.csv": "person,training,completed_on\n"
                                              "P-1,T-1,2025-05-01\nP-1,T-1,2026-05-01\n"
                                              "P-1,T-1,2025-05-01\n"},
                     ["training_records.csv:4: person 'P-1' and training 'T-1' are already "
                      "paired with completed_on 2025-05-01 on row 2"], id="duplicate-completion"),
        pytest.param({"soa.csv": "requirement,applicable\n5.2,yes\nA.2.2,perhaps\n"},
                     ["soa.csv:2: requirement '5.2' is not an Annex A control of ISO/IEC 42001",
                      "soa.csv:3: applicable 'perhaps' is not a boolean (expected true/false, "
                      "yes/no or 1/0)"], id="soa"),
        pytest.param({"relationships.csv": "from,type,to\nR-2,LIKES,R-1\nP-1,OWNS,R-1\n"},
                     ["relationships.csv:2: type 'LIKES' is not a relationship type of the "
                      "ontology",
                      "relationships.csv:3: OWNS cannot join Person P-1 to Role R-1"],
                     id="relationships"),
        pytest.param({"controls.csv": "id,name,source\nC-1,Gate,manual\n"},
                     ["controls.csv:1: column 'source' is reserved and cannot be imported"],
                     id="reserved-column"),
        pytest.param({"impact_assessments.csv": "id,completed_on\nIA-1,2026-01-01\n"},
                     ["impact_assessments.csv:1: required column 'system' is missing"],
                     id="required-link-column"),
    ],
)
def test_each_rule_reports_file_row_and_column(store: GraphStore, tmp_path: Path,
                                               files: dict[str, str], expected: list[str]) -> None:
    assert rejected(store, tmp_path, files) == expected


def test_issues_carry_the_column(store: GraphStore, tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {**BASE, "controls.csv": "id,name,owner_role\n"
                                                                   "C-1,Gate,R-NOPE\n"})
    with pytest.raises(BundleError) as caught:
        ingest_bundle(store, folder)
    (issue,) = caught.value.issues
    assert (issue.file, issue.row, issue.column) == ("controls.csv", "2", "owner_role")


def test_references_resolve_against_the_graph_too(store: GraphStore, tmp_path: Path) -> None:
    ingest_bundle(store, write_bundle(tmp_path / "first", BASE))
    second = write_bundle(tmp_path / "second", {"controls.csv": "id,name,owner_role,implements\n"
                                                                "C-1,Gate,R-2,ISO42001:A.6.2.5\n"})
    ingest_bundle(store, second)
    stats = store.stats()
    assert stats.relationships["OWNS"] == 1 and stats.relationships["IMPLEMENTS"] == 1


def test_typed_references_remove_ambiguity(store: GraphStore, tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {
        **BASE, "controls.csv": "id,name\nX-1,Gate\n", "policies.csv": "id,title\nX-1,Policy\n",
        "evidence.csv": "id,title,supports\nE-1,Minutes,Control:X-1;Policy:X-1;A.6.2.5\n"})
    ingest_bundle(store, folder)
    assert store.stats().relationships["SUPPORTS"] == 3


def test_a_role_reports_to_one_role(store: GraphStore, tmp_path: Path) -> None:
    files = {**BASE, "roles.csv": "id,name,reports_to\nR-1,Chief,\nR-2,Owner,R-1\nR-3,Deputy,\n",
             "relationships.csv": "from,type,to\nR-2,REPORTS_TO,R-3\n"}
    assert rejected(store, tmp_path, files) == [
        "relationships.csv:2: role R-2 would report to both R-1 and R-3; a role reports to one "
        "role (remove the other reporting line, or ingest with --sync)"]


def test_a_changed_reporting_line_is_refused_unless_synced(store: GraphStore,
                                                           tmp_path: Path) -> None:
    first = write_bundle(tmp_path / "first", {
        "roles.csv": "id,name,reports_to\nR-1,Chief,\nR-3,Deputy,\nR-2,Owner,R-1\n"})
    ingest_bundle(store, first, sync="hr")
    write_bundle(first, {"roles.csv": "id,name,reports_to\nR-1,Chief,\nR-3,Deputy,\n"
                                      "R-2,Owner,R-3\n"})
    with pytest.raises(BundleError, match="role R-2 would report to both R-1 and R-3"):
        ingest_bundle(store, first)
    ingest_bundle(store, first, sync="hr")
    with store.read() as tx:
        assert tx.targets("REPORTS_TO", [("Role", "R-2")]) == {("Role", "R-2"): {("Role", "R-3")}}


@pytest.mark.parametrize("asked", [2, plan.LINES_ASKED])
def test_every_role_asked_of_the_store_in_parts_has_one_line(
        store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, asked: int) -> None:
    """Stored reporting lines are asked a few roles at a time: a second line is found for
    a role of the first part asked and of the last, and nothing is written."""
    monkeypatch.setattr(plan, "LINES_ASKED", asked)
    lines = "".join(f"R-{n},Owner {n},R-1\n" for n in range(2, 7))
    folder = write_bundle(tmp_path / "b", {
        "roles.csv": f"id,name,reports_to\nR-1,Chief,\nR-9,Deputy,\n{lines}"})
    ingest_bundle(store, folder, sync="hr")
    before = store.stats()
    write_bundle(folder, {"roles.csv": "id,name,reports_to\nR-1,Chief,\nR-9,Deputy,\n"
                                       + lines.replace("R-3,Owner 3,R-1", "R-3,Owner 3,R-9")
                                       .replace("R-6,Owner 6,R-1", "R-6,Owner 6,R-9")})
    with pytest.raises(BundleError) as caught:
        ingest_bundle(store, folder)
    assert [str(issue).partition(";")[0] for issue in caught.value.issues] == [
        "roles.csv:5: role R-3 would report to both R-1 and R-9",
        "roles.csv:8: role R-6 would report to both R-1 and R-9"]
    assert store.stats() == before


@pytest.mark.parametrize(("cell", "message"), [
    ("P-\x00", "id holds a control or format character (U+0000) at character 3"),
    ('"P-1\nP-2"', "id holds a control or format character (U+000A) at character 4"),
    ("P\u202e-1", "id holds a bidi control character (U+202E) at character 2"),
    ("P\u200b-1", "id holds a zero-width character (U+200B) at character 2"),
    ("P" * 201, "id is 201 characters long; at most 200 are allowed"),
], ids=["nul", "newline", "bidi", "zero-width", "too-long"])
def test_ids_that_hide_what_they_are_are_refused(store: GraphStore, tmp_path: Path,
                                                 cell: str, message: str) -> None:
    lines = rejected(store, tmp_path, {"org_units.csv": f"id,name\n{cell},Unit\n"})
    assert lines == [f"org_units.csv:2: {message}"]


def test_ids_are_normalised_so_look_alikes_are_one_id(store: GraphStore,
                                                      tmp_path: Path) -> None:
    composed, decomposed = "U-caf\u00e9", "U-cafe\u0301"
    lines = rejected(store, tmp_path, {
        "org_units.csv": f"id,name\n{composed},One\n {decomposed} ,Two\n"})
    assert lines == [f"org_units.csv:3: id '{composed}' is duplicated (first on row 2)"]


def test_a_separator_in_a_reference_list_item_is_refused(store: GraphStore,
                                                         tmp_path: Path) -> None:
    lines = rejected(store, tmp_path, {
        "org_units.yaml": "- id: U-1\n  name: One\n  parent: ['A;B']\n"})
    assert lines == ["org_units.yaml:line 1: parent 'A;B' holds ';', which separates list "
                     "items (U+003B) at character 2"]


@pytest.mark.parametrize("relationship", ["A.2.2,PART_OF,A.3", "Requirement:5.2,PART_OF,4",
                                          "ISO42001:A.2.2,PART_OF,ISO42001:A.2"])
def test_the_catalogue_structure_belongs_to_the_catalogue(store: GraphStore, tmp_path: Path,
                                                          relationship: str) -> None:
    lines = rejected(store, tmp_path, {"relationships.csv": f"from,type,to\n{relationship}\n"})
    assert lines == ["relationships.csv:2: PART_OF between requirements of a built-in "
                     "framework belongs to the built-in catalogue; a bundle cannot change it"]


def test_org_units_may_still_be_part_of_each_other(store: GraphStore, tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", {**BASE, "org_units.csv": "id,name\nU-1,A\nU-2,B\n",
                                           "relationships.csv": "from,type,to\nU-2,PART_OF,U-1\n"})
    before = store.stats().relationships["PART_OF"]
    ingest_bundle(store, folder)
    assert store.stats().relationships["PART_OF"] == before + 1
