"""Properties that hold for any date and any added evidence (hypothesis)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aimsgraph.graph import EmbeddedStore
from aimsgraph.graph.questions.checks import run_checks
from aimsgraph.graph.store.view import GraphView
from aimsgraph.ingest import ingest_bundle

DATES = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2035, 12, 31))


@pytest.fixture(scope="module")
def sample_view(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> GraphView:
    with EmbeddedStore(tmp_path_factory.mktemp("sample")) as store:
        ingest_bundle(store, sample_dir)
        return store.view()


def _findings(view: GraphView, as_of: dt.date) -> set[tuple[str, str, str]]:
    return {(f.check, f.subject["type"], f.subject["id"])
            for r in run_checks(view, as_of).results for f in r.findings}


@given(as_of=DATES)
def test_any_date_works_and_findings_point_at_real_nodes(sample_view: GraphView,
                                                         as_of: dt.date) -> None:
    report = run_checks(sample_view, as_of)
    for result in report.results:
        for item in result.findings:
            assert sample_view.has((item.subject["type"], item.subject["id"]))
            for related in item.related:
                assert sample_view.has((related["type"], related["id"]))
            assert item.reason


@given(as_of=DATES, data=st.data())
def test_adding_valid_evidence_never_adds_a_finding(sample_view: GraphView, as_of: dt.date,
                                                    data: st.DataObject) -> None:
    targets = sorted(k for k in sample_view.all_nodes()
                     if k[0] in ("Control", "Policy", "Requirement", "ImpactAssessment", "Audit"))
    chosen = data.draw(st.lists(st.sampled_from(targets), min_size=1, max_size=5, unique=True))
    collected = data.draw(st.dates(min_value=as_of - dt.timedelta(days=3000), max_value=as_of))
    valid_until = data.draw(st.one_of(st.none(), st.dates(min_value=as_of,
                                                          max_value=dt.date(2040, 1, 1))))
    graph = sample_view.copy()
    evidence = ("Evidence", "EV-NEW")
    graph.add_node(evidence, frozenset({"Evidence"}),
                   {"title": "new", "collected_on": collected, "valid_until": valid_until})
    for target in chosen:
        graph.add_edge(evidence, target, "SUPPORTS", {})
    added = _findings(graph, as_of) - _findings(sample_view, as_of)
    # one exception, by definition: a control with a frequency and no evidence collected by
    # then is not stale (it has no evidence at all, another check's finding) until some arrives
    unevidenced = {k for k in chosen if not any(
        (day := sample_view.props(e).get("collected_on")) is not None and day <= as_of
        for e, _ in sample_view.into(k, "SUPPORTS"))}
    assert {(t, i) for c, t, i in added if c == "evidence-stale-for-frequency"} <= unevidenced
    assert {c for c, _, _ in added} <= {"evidence-stale-for-frequency"}


@given(as_of=DATES, data=st.data())
def test_a_new_leader_in_an_owner_role_never_adds_a_finding(
        sample_view: GraphView, as_of: dt.date, data: st.DataObject) -> None:
    roles = sorted(sample_view.nodes("Role"))
    role = data.draw(st.sampled_from(roles))
    graph = sample_view.copy()
    person = ("Person", "P-NEW")
    graph.add_node(person, frozenset({"Person", "Leader"}),
                   {"name": "New", "seniority": "executive", "active": True})
    graph.add_edge(person, role, "HOLDS", {})
    added = _findings(graph, as_of) - _findings(sample_view, as_of)
    # a new holder may only add findings about the newcomer (training, concentration)
    assert {(c, t, i) for c, t, i in added if i != "P-NEW"} == set()
