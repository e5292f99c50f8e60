"""Traces: owner chains up to the executive, system and requirement views, what-if, paths."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aimsgraph.graph import GraphStore
from aimsgraph.graph.queries import Queries
from aimsgraph.graph.questions.traces import keys_of
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ontology import NotFoundError

AS_OF = dt.date(2026, 11, 27)


@pytest.fixture
def sample(store: GraphStore, sample_dir: Path) -> Queries:
    ingest_bundle(store, sample_dir)
    return Queries(store)


def _chain(trace: dict[str, object]) -> list[tuple[str, str, list[str]]]:
    return [(s["via"], s["node"]["id"], [h["id"] for h in s["holders"]])  # type: ignore[index]
            for s in trace["steps"]]  # type: ignore[attr-defined]


def test_control_trace_passes_a_vacant_middle_role(sample: Queries) -> None:
    trace = sample.trace("control", "C-17", as_of=AS_OF).to_json()
    assert _chain(trace) == [("OWNS", "R-BI", ["P-20"]), ("REPORTS_TO", "R-ANALYTICS", []),
                             ("REPORTS_TO", "R-CDO", ["P-04"])]
    assert trace["executive"] == {"type": "Person", "id": "P-04", "name": "Lena Fischer"}
    assert trace["gap"] is None


def test_a_loop_is_named_and_terminates(sample: Queries) -> None:
    trace = sample.trace("control", "C-16", as_of=AS_OF).to_json()
    assert _chain(trace) == [("OWNS", "R-VENDOR", ["P-19"]), ("REPORTS_TO", "R-PROC", ["P-18"])]
    assert trace["executive"] is None
    assert trace["gap"] == ("the reporting line loops back to R-VENDOR (Vendor Manager) without "
                            "reaching a Leader")


def test_risk_and_policy_traces(sample: Queries) -> None:
    risk = sample.trace("risk", "RK-01", as_of=AS_OF).to_json()
    assert _chain(risk)[0] == ("OWNS", "R-MO-CLM", [])
    assert risk["executive"]["id"] == "P-04"  # type: ignore[index]
    policy = sample.trace("policy", "POL-08", as_of=AS_OF).to_json()
    assert policy["gap"] == "the reporting line ends at R-HR (Head of People) without reaching " \
                            "a Leader"


def test_dataset_supplier_and_incident_traces(sample: Queries) -> None:
    """Data, suppliers and incidents start at their owner role, as a control does."""
    dataset = sample.trace("dataset", "DS-CLAIMS-HIST", as_of=AS_OF).to_json()
    assert _chain(dataset) == [("OWNS", "R-CDO", ["P-04"])]
    assert dataset["subject"]["type"] == "Dataset"  # type: ignore[index]
    assert dataset["steps"][0]["source"] == "datasets.csv:2"  # type: ignore[index]
    supplier = sample.trace("supplier", "SUP-DATA", as_of=AS_OF).to_json()
    assert supplier["steps"] == [] and supplier["gap"] == "it has no owner role"
    incident = sample.trace("incident", "INC-02", as_of=AS_OF).to_json()
    assert _chain(incident) == [("OWNS", "R-MO-CS", ["P-10"]), ("REPORTS_TO", "R-COO", ["P-05"])]
    assert incident["executive"]["id"] == "P-05"  # type: ignore[index]
    with pytest.raises(NotFoundError, match="no Incident with id 'DS-MARKET'"):
        sample.trace("incident", "DS-MARKET", as_of=AS_OF)


def test_a_departed_holder_held_the_role_before_leaving(sample: Queries) -> None:
    """Elena Petrova (active false, left on 2026-03-31) held R-MO-CLM from 2023: history
    before her departure stays true."""
    before = sample.trace("risk", "RK-01", as_of=dt.date(2025, 1, 1)).to_json()
    assert _chain(before)[0] == ("OWNS", "R-MO-CLM", ["P-08"])
    on_last_day = sample.trace("risk", "RK-01", as_of=dt.date(2026, 3, 30)).to_json()
    assert _chain(on_last_day)[0][2] == ["P-08"]
    assert _chain(sample.trace("risk", "RK-01", as_of=dt.date(2026, 3, 31)).to_json())[0][2] == []


def test_the_chain_depends_on_the_date(sample: Queries) -> None:
    before_start = sample.trace("control", "C-11", as_of=dt.date(2027, 1, 4)).to_json()
    on_start = sample.trace("control", "C-11", as_of=dt.date(2027, 1, 5)).to_json()
    assert _chain(before_start)[0] == ("OWNS", "R-MLOPS", [])
    assert _chain(on_start)[0] == ("OWNS", "R-MLOPS", ["P-17"])
    assert on_start["executive"]["id"] == "P-02"  # type: ignore[index]


def test_system_trace_gathers_what_governs_it(sample: Queries) -> None:
    trace = sample.trace("system", "SYS-CLAIMS", as_of=AS_OF).to_json()
    nodes = keys_of(trace["nodes"])
    assert {("Role", "R-MO-CLM"), ("Risk", "RK-01"), ("Control", "C-22"), ("Control", "C-07"),
            ("Evidence", "EV-21"), ("ImpactAssessment", "IA-04"), ("Committee", "COM-AIGB"),
            ("Requirement", "ISO42001:A.6.2.4")} <= nodes
    assert trace["accountable_owners"] == []
    assert trace["executive_trace"]["executive"]["id"] == "P-04"
    evidence = {n["id"]: n["valid"] for n in trace["nodes"] if n["type"] == "Evidence"}
    assert evidence["EV-21"] is True


def test_requirement_trace_walks_down_the_tree(sample: Queries) -> None:
    trace = sample.trace("requirement", "A.6.2", as_of=AS_OF).to_json()
    nodes = keys_of(trace["nodes"])
    assert ("Requirement", "ISO42001:A.6.2.8") in nodes
    assert {("Control", "C-10"), ("Control", "C-14"), ("Role", "R-ITOPS"),
            ("Person", "P-15")} <= nodes


def test_person_trace_and_what_if_departure(sample: Queries) -> None:
    trace = sample.trace("person", "P-22", as_of=AS_OF).to_json()
    assert [h["id"] for h in trace["holds"]] == ["R-MO-FRD"]
    lost = {(x["item"]["id"], tuple(x["loses"])) for x in trace["what_if_departure"]}
    # R-MO-FRD, P-22's only role and held by nobody else, owns five systems, a control and
    # two risks: each loses its accountable owner (the executive above stays)
    assert lost == {(s, ("accountable owner",)) for s in
                    ("SYS-AML", "SYS-DOCS", "SYS-FRAUD", "SYS-FRAUD2", "SYS-SUBRO", "C-12",
                     "RK-04", "RK-05")}
    cdo = sample.trace("person", "P-04", as_of=AS_OF).to_json()
    # the CTO above takes over every chain; what R-CDO owns loses its only holder
    assert {(x["item"]["id"], tuple(x["loses"])) for x in cdo["what_if_departure"]} == {
        (i, ("accountable owner",)) for i in ("C-05", "C-15", "POL-02")}
    ceo = sample.trace("person", "P-01", as_of=AS_OF).to_json()
    assert ceo["what_if_departure"] == []
    assert [c["id"] for c in ceo["chairs"]] == ["COM-AIGB"]
    service_owner = sample.trace("person", "P-10", as_of=AS_OF).to_json()
    assert {x["item"]["id"] for x in service_owner["what_if_departure"]} == {
        "SYS-CHAT", "SYS-MARKETING", "SYS-VOICE", "C-18", "RK-03"}


def test_what_if_finds_items_whose_only_leader_leaves(sample: Queries) -> None:
    cro = sample.trace("person", "P-03", as_of=AS_OF).to_json()
    lost = {x["item"]["id"] for x in cro["what_if_departure"]}
    # R-AIGL, R-DPO, R-LEGAL and R-COMP report to the CRO and are held by managers; the CEO
    # above the CRO is a Leader, so their items keep an executive. What the CRO's own role
    # owns (a control and a policy) loses its accountable owner: R-CRO would stand vacant.
    assert lost == {"C-27", "POL-03"}
    assert {tuple(x["loses"]) for x in cro["what_if_departure"]} == {("accountable owner",)}
    assert [a["id"] for a in cro["accepted"]] == ["RK-07"]


def test_path_between_two_nodes(sample: Queries) -> None:
    trace = sample.trace("path", "P-22", "A.6.2.6", as_of=AS_OF).to_json()
    path = [(p["type"], p["id"]) for p in trace["path"]]
    assert trace["length"] == 3 and len(path) == 4
    assert path[0] == ("Person", "P-22") and path[-1] == ("Requirement", "ISO42001:A.6.2.6")
    joined = {frozenset({(r["from"]["type"], r["from"]["id"]), (r["to"]["type"], r["to"]["id"])})
              for r in trace["relationships"]}
    assert joined == {frozenset(pair) for pair in zip(path, path[1:], strict=False)}


def test_a_path_from_a_node_to_itself_is_that_node(sample: Queries) -> None:
    trace = sample.trace("path", "P-22", "Person:P-22", as_of=AS_OF).to_json()
    assert trace["length"] == 0
    assert [(p["type"], p["id"]) for p in trace["path"]] == [("Person", "P-22")]
    assert trace["relationships"] == []
    assert [(n["type"], n["id"]) for n in trace["nodes"]] == [("Person", "P-22")]


@pytest.mark.parametrize(("kind", "ref", "message"), [
    ("control", "C-NOPE", "no Control with id 'C-NOPE'"),
    ("system", "C-01", "no AISystem with id 'C-01'"),
    ("teleport", "C-01", "unknown trace kind 'teleport'"),
])
def test_unknown_subjects_are_clear_errors(sample: Queries, kind: str, ref: str,
                                           message: str) -> None:
    with pytest.raises(NotFoundError, match=message):
        sample.trace(kind, ref, as_of=AS_OF).to_json()
