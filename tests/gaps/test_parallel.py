"""The checks' Cypher runs a few checks at a time on Neo4j; the report is the same whatever
the number, lists the checks in their order, and an error stops the checks not yet begun."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import Any

import pytest

from aimsgraph.graph.questions.checks import CHECKS, gap_report, run_checks_cypher
from aimsgraph.graph.questions.checks.base import GapCheck
from aimsgraph.graph.questions.definitions import CheckParams
from aimsgraph.ingest import ingest_bundle
from tests.conftest import open_store
from tests.stores import STORES, unavailable

D = dt.date(2026, 11, 27)


def test_checks_run_side_by_side_and_report_in_their_order() -> None:
    both_running = threading.Barrier(2, timeout=10)
    by_cypher = {check.cypher: check for check in CHECKS}
    running, most = 0, 0
    lock = threading.Lock()

    def query(cypher: str, **_: Any) -> list[dict[str, Any]]:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        if by_cypher[cypher] in CHECKS[:2]:
            both_running.wait()  # the first two checks are running at the same time
        with lock:
            running -= 1
        check = by_cypher[cypher]
        return [{"subject_type": "Role", "subject_id": check.id, "subject_name": check.id,
                 "reason": "r", "related": [], "severity": None}]

    report = run_checks_cypher(query, D, workers=2)
    assert most == 2
    assert [r.check.id for r in report.results] == [c.id for c in CHECKS]
    assert [r.findings[0].subject["id"] for r in report.results] == [c.id for c in CHECKS]


def test_an_error_stops_the_checks_not_yet_begun() -> None:
    asked: list[GapCheck] = []
    by_cypher = {check.cypher: check for check in CHECKS}

    def query(cypher: str, **_: Any) -> list[dict[str, Any]]:
        asked.append(by_cypher[cypher])
        if len(asked) == 1:
            raise RuntimeError("the server went away")
        return []

    with pytest.raises(RuntimeError, match="went away"):
        run_checks_cypher(query, D, workers=2)
    assert len(asked) < len(CHECKS)


def test_the_report_is_the_same_one_check_or_three_at_a_time(
        request: pytest.FixtureRequest, sample_dir: Path, tmp_path: Path) -> None:
    if "neo4j" not in STORES:
        unavailable("running checks side by side is Neo4j's (AIMSGRAPH_TEST_STORES excludes it)")
    store = open_store("neo4j", request, tmp_path)
    try:
        ingest_bundle(store, sample_dir)
        reports = []
        for workers in (1, 3):
            store.parallel_reads = workers  # type: ignore[attr-defined]
            reports.append(gap_report(store, D, CheckParams()).to_json())
        assert reports[0] == reports[1]
        assert sum(len(c["findings"]) for c in reports[0]["checks"]) > 0
    finally:
        store.close()
