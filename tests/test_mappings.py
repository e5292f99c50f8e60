"""Crosswalks as data: the mappings stem (SSSOM's columns), SSSOM files with their metadata
block, the predicates a mapping may carry, and the frameworks a graph holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aimsgraph.api.cli import app
from aimsgraph.graph import GraphStore
from aimsgraph.graph.queries import Queries
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ontology import BundleError
from tests.bundles import write_bundle
from tests.stores import point_cli_at

SSSOM = """\
# curie_map:
#   ISO42001: https://www.iso.org/standard/81230.html#
#   EU_AI_ACT: https://eur-lex.europa.eu/eli/reg/2024/1689/oj#
# mapping_set_id: https://example.org/iso-eu
# license: https://creativecommons.org/licenses/by/4.0/
subject_id\tpredicate_id\tobject_id\tmapping_justification\tconfidence
ISO42001:A.9.2\tskos:closeMatch\tEU_AI_ACT:Art.14\tsemapv:ManualMappingCuration\t0.9
ISO42001:6.1.2\tskos:narrowMatch\tEU_AI_ACT:Art.9\t\t
"""


def _maps(store: GraphStore) -> dict[tuple[str, str, str], dict[str, object]]:
    return {(r.start[1], str(r.props["predicate"]), r.end[1]): r.props
            for r in store.iter_relationships() if r.type == "MAPS_TO"}


def test_an_sssom_file_ingests_with_its_metadata(store: GraphStore, tmp_path: Path) -> None:
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "iso-eu.sssom.tsv").write_text(SSSOM, encoding="utf-8")
    ingest_bundle(store, folder)
    maps = _maps(store)
    assert set(maps) == {("ISO42001:A.9.2", "skos:closeMatch", "EU_AI_ACT:Art.14"),
                         ("ISO42001:6.1.2", "skos:narrowMatch", "EU_AI_ACT:Art.9")}
    close = maps[("ISO42001:A.9.2", "skos:closeMatch", "EU_AI_ACT:Art.14")]
    assert close["confidence"] == 0.9 and close["source"] == "iso-eu.sssom.tsv:7"
    assert close["mapping_set"] == "https://example.org/iso-eu"
    assert close["licence"] == "https://creativecommons.org/licenses/by/4.0/"
    narrow = maps[("ISO42001:6.1.2", "skos:narrowMatch", "EU_AI_ACT:Art.9")]
    assert narrow["justification"] == "semapv:UnspecifiedMatching"  # SSSOM's default
    ingest_bundle(store, folder)  # idempotent: the same two mappings
    assert len(_maps(store)) == 2


def _rejected(store: GraphStore, folder: Path) -> list[str]:
    before = store.stats()
    with pytest.raises(BundleError) as caught:
        ingest_bundle(store, folder)
    assert store.stats() == before, "a rejected bundle must write nothing"
    return [str(issue) for issue in caught.value.issues]


@pytest.mark.parametrize(("row", "error"), [
    ("A.9.2,owl:sameAs,EU_AI_ACT:Art.14",
     "mappings.csv:3: predicate_id 'owl:sameAs' is not one of: skos:exactMatch, "
     "skos:closeMatch, skos:broadMatch, skos:narrowMatch, skos:relatedMatch"),
    ("A.9.2,skos:exactMatch,EU_AI_ACT:Art.999",
     "mappings.csv:3: object_id 'EU_AI_ACT:Art.999' is not a known Requirement id"),
    ("A.9.2,skos:exactMatch,EU_AI_ACT:Art.14,,1.5",
     "mappings.csv:3: confidence '1.5' is outside the allowed range 0-1"),
])
def test_a_bad_mapping_names_file_row_and_column_and_writes_nothing(
        store: GraphStore, tmp_path: Path, row: str, error: str) -> None:
    folder = write_bundle(tmp_path / "bad", {"mappings.csv": (
        "subject_id,predicate_id,object_id,mapping_justification,confidence\n"
        "A.9.2,skos:closeMatch,EU_AI_ACT:Art.14\n" + row + "\n")})
    assert _rejected(store, folder) == [error]


def test_a_broken_sssom_metadata_block_is_named(store: GraphStore, tmp_path: Path) -> None:
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "m.sssom.tsv").write_text("# curie_map: [unclosed\n" + SSSOM.split("\n", 5)[5],
                                        encoding="utf-8")
    errors = _rejected(store, folder)
    assert len(errors) == 1 and errors[0].startswith("m.sssom.tsv")
    assert "SSSOM metadata block" in errors[0]


def test_frameworks_lists_the_built_in_ones_with_counts(
        store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    point_cli_at(store, monkeypatch)
    result = CliRunner().invoke(app, ["frameworks", "--format", "json"])
    assert result.exit_code == 0, result.output
    found = {f["id"]: f for f in json.loads(result.stdout)["frameworks"]}
    assert list(found) == ["ISO42001", "EU_AI_ACT", "NIST_AI_RMF"]
    assert (found["EU_AI_ACT"]["requirements"], found["EU_AI_ACT"]["assessable"]) == (155, 126)
    assert (found["NIST_AI_RMF"]["requirements"], found["NIST_AI_RMF"]["assessable"]) == (95, 72)
    assert found["EU_AI_ACT"]["licence"] == "CC-BY-4.0"
    assert Queries(store).frameworks() == list(found.values())


def test_the_sssom_export_parses_back_to_the_same_mappings(
        store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Written with every starter set ingested (a reference with a space among them), read
    by the sssom package, then ingested into an empty store: the same mappings each time."""
    import warnings

    starters = Path(__file__).resolve().parents[1] / "ingest" / "samples" / "crosswalks"
    for starter in sorted(starters.iterdir()):
        ingest_bundle(store, starter)
    point_cli_at(store, monkeypatch)
    out = tmp_path / "all.sssom.tsv"
    result = CliRunner().invoke(app, ["export", "mappings", "--format", "sssom", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with warnings.catch_warnings():  # the package and pandas warn of their own deprecations
        warnings.simplefilter("ignore")
        from sssom.parsers import parse_sssom_table

        parsed = parse_sssom_table(out)
    from urllib.parse import unquote

    read = {(unquote(r.subject_id), r.predicate_id, unquote(r.object_id))
            for r in parsed.df.itertuples()}
    assert read == set(_maps(store)) and len(read) == 24 + 18 + 29
    assert parsed.metadata["mapping_set_id"] == "urn:aimsgraph:export:mappings"
    assert "NIST_AI_RMF:GOVERN%201.2" in set(parsed.df["object_id"])  # a valid CURIE
    again = tmp_path / "again"
    again.mkdir()
    (again / "all.sssom.tsv").write_bytes(out.read_bytes())
    from aimsgraph.graph import EmbeddedStore

    with EmbeddedStore(tmp_path / "other") as other:
        ingest_bundle(other, again)
        assert set(_maps(other)) == read


USER_FRAMEWORK = {
    "requirements.csv": (
        "id,title,kind,parent,framework_name,licence\n"
        "ACME:1,Governance,group,,ACME AI rules,internal use\n"
        "ACME:1.1,Name an owner for each model,,ACME:1,ACME AI rules,internal use\n"
        "ACME:1.2,Review each model yearly,requirement,ACME:1,ACME AI rules,internal use\n"),
    "mappings.csv": (
        "subject_id,predicate_id,object_id\n"
        "ACME:1.1,skos:closeMatch,5.3\n"
        "ACME:1.2,skos:relatedMatch,EU_AI_ACT:Art.14\n"),
}


def test_a_bundle_adds_its_own_framework_and_maps_it(
        store: GraphStore, tmp_path: Path) -> None:
    ingest_bundle(store, write_bundle(tmp_path / "acme", USER_FRAMEWORK))
    node = next(n for n in store.iter_nodes() if n.key == ("Requirement", "ACME:1.1"))
    assert (node.props["framework"], node.props["ref"], node.props["kind"]) == (
        "ACME", "1.1", "requirement")
    parts = {(r.start[1], r.end[1]) for r in store.iter_relationships() if r.type == "PART_OF"
             and r.start[1].startswith("ACME:")}
    assert parts == {("ACME:1.1", "ACME:1"), ("ACME:1.2", "ACME:1")}
    assert set(_maps(store)) == {("ACME:1.1", "skos:closeMatch", "ISO42001:5.3"),
                                 ("ACME:1.2", "skos:relatedMatch", "EU_AI_ACT:Art.14")}
    acme = next(f for f in Queries(store).frameworks() if f["id"] == "ACME")
    assert acme == {"id": "ACME", "name": "ACME AI rules", "requirements": 3, "assessable": 2,
                    "licence": "internal use", "built_in": False}


@pytest.mark.parametrize(("row", "error"), [
    ("1.3,Unqualified,requirement,",
     "requirements.csv:3: id '1.3' is not a qualified requirement id (FRAMEWORK:ref, the "
     "framework in capitals, e.g. MYFW:1.2)"),
    ("EU_AI_ACT:Art.999,Extra article,requirement,",
     "requirements.csv:3: EU_AI_ACT is built in; a bundle cannot add requirements to it"),
    ("ACME:2,Odd,clause,",
     "requirements.csv:3: kind 'clause' is not one of: group, requirement"),
    ("ACME:2,Orphan,requirement,ACME:9",
     "requirements.csv:3: parent 'ACME:9' is not a known Requirement id (did you mean "
     "'ACME:2'?)"),
])
def test_a_bad_user_requirement_is_named_and_nothing_is_written(
        store: GraphStore, tmp_path: Path, row: str, error: str) -> None:
    folder = write_bundle(tmp_path / "bad", {"requirements.csv": (
        "id,title,kind,parent\nACME:1,Governance,group,\n" + row + "\n")})
    assert _rejected(store, folder) == [error]
