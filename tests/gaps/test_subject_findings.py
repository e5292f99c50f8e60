"""Findings about a few subjects, asked of those subjects alone, are those of the whole run.

A check declared local is run over a view that shows it only the subjects asked about
(graph.questions.focus); these tests hold that declaration to account on every fixture of every
check and on random organisations: ask each subject on its own, and the findings must be exactly
the whole report's findings about it, in its order. A check wrongly declared local (one that
compares a subject with the others it visits) fails here.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings

from aimsgraph.graph import EmbeddedStore, GraphStore
from aimsgraph.graph.questions.checks import (
    CHECKS,
    GapReport,
    findings_about,
    local_for,
    run_checks,
)
from aimsgraph.graph.questions.definitions import CheckParams
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.graph.store.view import GraphView
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ontology import ONTOLOGY, BundleError
from tests.bundles import write_bundle
from tests.gaps.cases import CASES, GapCase
from tests.test_differential import D, organisations

LOCAL_LABELS = sorted({label for c in CHECKS if c.local for label in c.subjects}
                      - {label for c in CHECKS if not c.local for label in c.subjects})


def test_every_check_names_the_subjects_its_cypher_reports_on() -> None:
    for check in CHECKS:
        literal = set(re.findall(r"'([A-Za-z]+)' AS subject_type", check.cypher))
        assert set(check.subjects) == literal, check.id
        assert all(ONTOLOGY.has_label(label) for label in check.subjects)


def test_the_items_an_executive_answers_for_are_asked_of_local_checks_only() -> None:
    """The system and executive traces and the system page rely on this."""
    for label in ("AISystem", "Control", "Risk", "Policy"):
        assert local_for([label]) is not None, label
    assert local_for(["Person"]) is None  # key-person concentration compares people


def _each_alone(report: GapReport, sem: Semantics, labels: list[str]) -> int:
    """Ask every node of ``labels`` (and one that does not exist) on its own; returns how
    many findings were compared."""
    whole: dict[NodeKey, list[object]] = {}
    for result in report.results:
        for item in result.findings:
            whole.setdefault((item.subject["type"], item.subject["id"]), []).append(item)
    compared = 0
    for label in labels:
        for key in [*sem.view.nodes(label), (label, "no-such-node")]:
            (found,) = findings_about(sem, [key]).values()
            assert found == whole.get(key, []), key
            compared += len(found)
    return compared


@pytest.mark.parametrize("case", [c for c in CASES if any(
    x.local for x in CHECKS if x.id == c.check)], ids=lambda c: f"{c.check}/{c.name}")
def test_each_subject_alone_gets_what_the_whole_run_gives(store: GraphStore, tmp_path: Path,
                                                         case: GapCase) -> None:
    if case.files:
        ingest_bundle(store, write_bundle(tmp_path / "bundle", case.files))
    params = CheckParams(**case.params)
    report = run_checks(store.view(), case.as_of, params)
    (check,) = [c for c in CHECKS if c.id == case.check]
    lazy = store.lazy_view()
    try:
        compared = _each_alone(report, Semantics(lazy, case.as_of, params),
                               [label for label in check.subjects if label in LOCAL_LABELS])
    finally:
        lazy.close()
    assert compared >= len(case.expected) or not set(check.subjects) <= set(LOCAL_LABELS)


@settings(max_examples=30, deadline=None)
@given(bundle=organisations())
def test_each_subject_alone_on_random_organisations(bundle: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_bundle(Path(tmp) / "bundle", bundle)
        with EmbeddedStore(Path(tmp) / "store") as store:
            try:
                ingest_bundle(store, folder)
            except BundleError:  # a rejected bundle has no findings to compare
                return
            for day in (D, D + dt.timedelta(days=400)):
                report = run_checks(store.view(), day)
                lazy = store.lazy_view()
                try:
                    _each_alone(report, Semantics(lazy, day), LOCAL_LABELS)
                finally:
                    lazy.close()


def test_subjects_of_a_label_no_local_check_covers_are_refused() -> None:
    with pytest.raises(ValueError):
        findings_about(Semantics(GraphView(), D), [("Person", "P-1")])


def test_traces_asked_subject_by_subject_match_the_whole_report(
        store: GraphStore, sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Above FOCUSED_SUBJECTS nodes the facade reads the whole report instead; both ways give
    every system and executive trace the same findings."""
    import aimsgraph.graph.queries as facade
    from aimsgraph.graph.queries import Queries

    ingest_bundle(store, sample_dir)
    day = dt.date(2026, 6, 15)

    def answers() -> list[object]:
        with Queries(store) as queries:
            sem = queries.semantics(day)
            people = sorted(sem.executives_of)
            systems = sem.view.nodes("AISystem")
            return ([queries.trace("executive", p[1], as_of=day).to_json() for p in people]
                    + [queries.trace("system", s[1], as_of=day).to_json() for s in systems])

    focused = answers()
    assert sum(len(a.get("findings", [])) for a in focused if isinstance(a, dict)) > 0
    monkeypatch.setattr(facade, "FOCUSED_SUBJECTS", 0)
    assert answers() == focused


def test_an_impact_reports_only_local_checks() -> None:
    """An impact runs its checks on the nodes it hits alone; that is only right for local
    ones."""
    from aimsgraph.graph.questions.checks import check_by_id
    from aimsgraph.graph.questions.impact import IMPACT_CHECKS

    assert all(check_by_id(check).local for check in IMPACT_CHECKS)
