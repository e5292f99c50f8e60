"""Every gap check against its fixture bundles: whole expected sets, exact reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from aimsgraph.graph import GraphStore
from aimsgraph.graph.queries import Queries
from aimsgraph.graph.questions.checks import CHECKS, check_by_id
from aimsgraph.graph.questions.definitions import CheckParams
from aimsgraph.ingest import ingest_bundle
from tests.bundles import write_bundle
from tests.gaps.cases import CASES, GapCase


def test_every_check_has_cases() -> None:
    assert {c.check for c in CASES} == {c.id for c in CHECKS}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.check}/{c.name}" for c in CASES])
def test_check_finds_exactly_the_expected_subjects(store: GraphStore, tmp_path: Path,
                                                   case: GapCase) -> None:
    if case.files:
        ingest_bundle(store, write_bundle(tmp_path / "bundle", case.files))
    queries = Queries(store, CheckParams(**case.params))
    (result,) = queries.gaps(case.as_of, [case.check]).results
    found = {f.subject["id"]: f for f in result.findings}
    assert set(found) == case.expected
    for subject, reason in case.reasons.items():
        assert found[subject].reason == reason
    for item in result.findings:
        assert item.check == case.check
        assert item.severity in ("high", "medium", "low")


def test_leader_training_gaps_are_high_and_others_medium(store: GraphStore,
                                                         tmp_path: Path) -> None:
    case = next(c for c in CASES if c.check == "training-missing")
    ingest_bundle(store, write_bundle(tmp_path / "bundle", case.files))
    (result,) = Queries(store).gaps(case.as_of, ["training-missing"]).results
    assert {f.subject["id"]: f.severity for f in result.findings} == {
        "P-2": "medium", "P-3": "medium", "P-5": "medium", "P-6": "medium", "P-8": "high"}


def test_unknown_check_is_a_clear_error() -> None:
    with pytest.raises(Exception, match="unknown gap check 'nope'; known checks: "
                                        "ai-system-without-accountable-owner"):
        check_by_id("nope")
