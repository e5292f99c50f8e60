"""The graph as recorded at a point: the current graph with later runs undone, so that gaps
--as-recorded at each run answer what a store that had seen only those runs answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aimsgraph.graph import EmbeddedStore, GraphStore
from aimsgraph.graph.queries import Queries
from aimsgraph.graph.questions.history import resolve_point
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ontology import NotFoundError
from tests.bundles import write_bundle

D = dt.date(2026, 6, 15)

HISTORY = [
    {"people.csv": "id,name,seniority,left_on\nP-1,Ada,executive,\nP-2,Bo,staff,\n",
     "roles.csv": "id,name,reports_to\nR-TOP,Top,\nR-1,Owner,R-TOP\n",
     "role_assignments.csv": "person,role,since,until\nP-1,R-TOP,2020-01-01,\n"
                             "P-2,R-1,2020-01-01,2025-12-31\n",
     "ai_systems.csv": "id,name,lifecycle,risk_tier,owner_role\nS-1,Scorer,deployed,high,R-1\n",
     "controls.csv": "id,name,status,owner_role\nC-1,Gate,planned,R-1\nC-2,Log,implemented,R-1\n",
     "evidence.csv": "id,title,supports,collected_on\nE-1,Log export,C-2,2026-01-01\n"},
    {"people.csv": "id,name,seniority,left_on\nP-1,Ada,executive,\nP-2,Bo,manager,\n",
     "role_assignments.csv": "person,role,since,until\nP-1,R-TOP,2020-01-01,\n"
                             "P-2,R-1,2020-01-01,2025-12-31\nP-2,R-1,2026-03-01,\n",
     "controls.csv": "id,name,status,owner_role\nC-1,Gate,implemented,R-1\n"
                     "C-2,Log,implemented,R-1\n"},
    {"people.csv": "id,name,seniority,left_on\nP-1,Ada,executive,\n",
     "role_assignments.csv": "person,role,since,until\nP-1,R-TOP,2020-01-01,\n",
     "controls.csv": "id,name,status,owner_role\nC-1,Gate,implemented,R-1\n",
     "evidence.csv": "id,title,supports,collected_on\n"},
]


def _ingest_history(store: GraphStore, folder: Path,
                    extra: dict[str, str] | None = None) -> list[str]:
    """Ingest the three bundles of HISTORY (each with ``extra`` files) as syncs; the run ids."""
    runs = []
    for files in HISTORY:
        write_bundle(folder, {**files, **(extra or {})})
        runs.append(ingest_bundle(store, folder, sync="hr").run_id)
    return runs


def _findings(queries: Queries, **kwargs: object) -> dict[str, list[tuple[str, str]]]:
    return {r.check.id: [(f.subject["id"], f.reason) for f in r.findings]
            for r in queries.gaps(D, **kwargs).results}  # type: ignore[arg-type]


def test_gaps_as_recorded_at_each_run_match_a_store_that_saw_only_those_runs(
        store: GraphStore, tmp_path: Path) -> None:
    folder = tmp_path / "bundle"
    runs = _ingest_history(store, folder)
    queries = Queries(store)
    assert _findings(queries, as_recorded=runs[-1]) == _findings(queries)
    for upto in range(len(HISTORY)):
        with EmbeddedStore(tmp_path / f"replay-{upto}") as replay:
            for files in HISTORY[:upto + 1]:
                write_bundle(tmp_path / f"replay-bundle-{upto}", files)
                ingest_bundle(replay, tmp_path / f"replay-bundle-{upto}", sync="hr")
            expected = _findings(Queries(replay))
        assert _findings(queries, as_recorded=runs[upto]) == expected, f"at run {upto + 1}"
    at_first = _findings(queries, as_recorded=runs[0])
    assert ("C-1", "no implemented control implements it") not in at_first
    assert at_first != _findings(queries)


def test_points_are_run_ids_or_dates(store: GraphStore, tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", HISTORY[0])
    run = ingest_bundle(store, folder).run_id
    today = dt.date.today()
    assert resolve_point(store, run).run.run_id == run  # type: ignore[union-attr]
    assert resolve_point(store, today.isoformat()).run.run_id == run  # type: ignore[union-attr]
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    before = resolve_point(store, yesterday, empty=True)  # a diff may start from nothing
    assert before.run is None and [r.run_id for r in before.later] == [run]
    assert before.describe() == f"{yesterday}: before any run, an empty graph"
    with pytest.raises(NotFoundError, match=f"no run had succeeded by {yesterday}, so "
                                            "nothing was recorded then; the first successful "
                                            f"run ended on {today.isoformat()}"):
        Queries(store).gaps(D, ["ai-system-without-accountable-owner"], as_recorded=yesterday)
    with pytest.raises(NotFoundError, match="neither a run id nor a date"):
        resolve_point(store, "yesterday")
    with pytest.raises(NotFoundError, match=f"did you mean '{run}'"):
        resolve_point(store, run[:12])


def test_diff_between_each_pair_of_runs(store: GraphStore, tmp_path: Path) -> None:
    folder = tmp_path / "bundle"
    runs = _ingest_history(store, folder)
    queries = Queries(store)
    for a, b in ((0, 1), (1, 2), (0, 2)):
        data = queries.diff(runs[a], runs[b], D).data
        before = {r.check.id: {f.subject["id"]: f.reason for f in r.findings}
                  for r in queries.gaps(D, as_recorded=runs[a]).results}
        after = {r.check.id: {f.subject["id"]: f.reason for f in r.findings}
                 for r in queries.gaps(D, as_recorded=runs[b]).results}
        for check, change in data["findings"].items():
            assert {f["subject"]["id"] for f in change["opened"]} == \
                after[check].keys() - before[check].keys()
            assert {f["subject"]["id"] for f in change["closed"]} == \
                before[check].keys() - after[check].keys()
            assert {c["subject"]["id"] for c in change["changed"]} == {
                k for k in before[check].keys() & after[check].keys()
                if before[check][k] != after[check][k]}
    first = queries.diff(runs[0], runs[1], D).data
    changes = {(c["action"], c["type"], c["which"]) for c in first["changes"]}
    assert changes == {("updated", "Person", "P-2"), ("updated", "Control", "C-1"),
                       ("created", "HOLDS", "Person:P-2 -> Role:R-1 (2026-03-01)")}
    control = next(c for c in first["changes"] if c["which"] == "C-1")
    assert control["changed"] == {"status": {"before": "planned", "after": "implemented"}}
    assert control["run_id"] == runs[1] and control["source"] == "controls.csv:2"
    last = queries.diff(runs[1], runs[2], D).data
    removed = {(c["type"], c["which"]) for c in last["changes"] if c["action"] == "removed"}
    assert ("Person", "P-2") in removed and ("Control", "C-2") in removed
    assert ("OWNS", "Role:R-1 -> Control:C-2") in removed
    assert last["data"]["node Person"] == {"removed": 1}
    to_now = queries.diff(runs[0]).data
    assert to_now["changes"] == queries.diff(runs[0], runs[2], D).data["changes"]


def test_traces_reports_and_pages_as_recorded(store: GraphStore, tmp_path: Path) -> None:
    from aimsgraph.visualise import build_page

    folder = tmp_path / "bundle"
    runs = _ingest_history(store, folder)
    with EmbeddedStore(tmp_path / "replay") as replay:
        for files in HISTORY[:2]:
            write_bundle(tmp_path / "replay-bundle", files)
            ingest_bundle(replay, tmp_path / "replay-bundle", sync="hr")
        expected = Queries(replay)
        recorded = Queries(store, as_recorded=runs[1])
        for kind, ref in (("control", "C-2"), ("system", "S-1"), ("person", "P-2"),
                          ("executive", "P-1")):
            assert recorded.trace(kind, ref, as_of=D) == expected.trace(kind, ref, as_of=D)
        for kind in ("soa", "coverage", "leadership", "audit-programme"):
            answer = recorded.report(kind, D)
            assert answer.recorded is not None and answer.recorded.startswith(f"run {runs[1]} ")
            assert answer.data.pop("recorded") == answer.recorded
            assert [s["last_run"] for s in answer.data.pop("sources")] == [runs[1]]  # then
            again = expected.report(kind, D).data
            again.pop("sources")  # the replay's own runs
            assert answer.data == again, kind
        page = build_page(recorded, "gaps", None, D)
        assert {n["id"] for n in page.nodes} == {
            n["id"] for n in build_page(expected, "gaps", None, D).nodes}
    with pytest.raises(NotFoundError):
        Queries(store).trace("control", "C-2", as_of=D).to_json()  # removed by the third run


def test_management_review_pack(store: GraphStore, tmp_path: Path) -> None:
    from aimsgraph.api.render import render

    folder = tmp_path / "bundle"
    runs = _ingest_history(store, folder, {
        "audits.csv": "id,kind,date\nA-1,internal,2026-05-01\n",
        "findings.csv": "id,audit,status,due,concerns\nF-1,A-1,open,2026-06-01,C-1\n"})
    queries = Queries(store)
    report = queries.report("review", D, since=runs[0])
    data = report.data
    then = {r.check.id: {f.subject["id"] for f in r.findings}
            for r in queries.gaps(resolve_point(store, runs[0]).day, as_recorded=runs[0]).results}
    now = {r.check.id: {f.subject["id"] for f in r.findings} for r in queries.gaps(D).results}
    for row in data["findings"]:
        check = row["check"]
        assert (row["opened"], row["closed"], row["still_open"]) == (
            len(now[check] - then[check]), len(then[check] - now[check]),
            len(now[check] & then[check]))
    assert len(data["trend"]["labels"]) == 3 and data["trend"]["labels"][-1] == "now"
    assert [f["subject"]["id"] for f in data["overdue"]] == ["F-1"]
    assert data["changes"]["to"]["run_id"] == runs[-1]
    page = render(report, "html")
    assert "<svg" in page and "<script" not in page
    with pytest.raises(NotFoundError, match="needs a point"):
        queries.report("review", D)


def test_history_questions_share_one_walk_until_the_next_write(
        store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A diff, a review and an as-recorded answer asked again undo nothing until a write;
    after one, they answer for the new state (a kept answer never outlives its generation)."""
    from aimsgraph.graph.questions import history

    folder = tmp_path / "bundle"
    runs = _ingest_history(store, folder)
    undone: list[str] = []
    undo = history._undo
    monkeypatch.setattr(history, "_undo", lambda graph, change: (
        undone.append(change.type), undo(graph, change))[-1])
    queries = Queries(store)

    first = {"diff": queries.diff(runs[0], runs[1], D).data,
             "review": queries.report("review", D, since=runs[0]).data,
             "then": _findings(queries, as_recorded=runs[0])}
    walked = len(undone)
    assert walked > 0
    again = {"diff": queries.diff(runs[0], runs[1], D).data,
             "review": queries.report("review", D, since=runs[0]).data,
             "then": _findings(Queries(store), as_recorded=runs[0])}
    assert again == first and len(undone) == walked  # nothing undone a second time

    write_bundle(folder, {**HISTORY[0]})  # a fourth run brings P-2 and C-2 back
    ingest_bundle(store, folder, sync="hr")
    assert len(undone) == walked
    assert _findings(queries, as_recorded=runs[0]) == first["then"]  # the past is the past
    assert len(undone) > walked  # walked again: the kept views belonged to the old generation
    to_now = queries.diff(runs[2], None, D).data
    assert ("created", "Person", "P-2") in {(c["action"], c["type"], c["which"])
                                            for c in to_now["changes"]}
    review = queries.report("review", D, since=runs[0]).data
    assert len(review["trend"]["labels"]) == 4 and review["trend"]["labels"][-1] == "now"
