"""Gap reports are kept per store generation: asked again, they cost a lookup; any write
(from any process) makes the next question compute afresh. On both stores."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from aimsgraph.graph import GraphStore
from aimsgraph.graph.queries import Queries
from aimsgraph.graph.questions.checks import GapReport
from aimsgraph.graph.store.cache import AnswerCache
from aimsgraph.ingest import ingest_bundle
from tests.bundles import write_bundle

D = dt.date(2026, 11, 27)


def _count(report: GapReport) -> int:
    return sum(len(r.findings) for r in report.results)


def test_gap_reports_are_kept_until_the_store_changes(store: GraphStore, sample_dir: Path,
                                                      tmp_path: Path) -> None:
    ingest_bundle(store, sample_dir)
    cache: AnswerCache[GapReport] = AnswerCache()
    first = Queries(store, cache=cache).gaps(D)
    again = Queries(store, cache=cache).gaps(D)
    assert again is first and (cache.hits, cache.misses) == (1, 1)
    other_day = Queries(store, cache=cache).gaps(D + dt.timedelta(days=1))
    assert other_day is not first and cache.misses == 2
    generation = store.generation()
    ingest_bundle(store, write_bundle(tmp_path / "b", {
        "ai_systems.csv": "id,name,lifecycle\nSYS-NEW,Unowned model,deployed\n"}))
    assert store.generation() != generation
    after = Queries(store, cache=cache).gaps(D)
    assert after is not first and cache.misses == 3
    assert _count(after) > _count(first)
    assert _count(after) == _count(Queries(store).gaps(D))  # the same as computed afresh


def test_a_weighed_cache_keeps_within_its_budget() -> None:
    cache: AnswerCache[bytes] = AnswerCache(size=10, budget=10, weigh=len)
    for key, body in (("a", b"1234"), ("b", b"1234"), ("c", b"1234")):
        assert cache.get_or_compute(key, lambda body=body: body) == body  # type: ignore[misc]
    assert cache.get_or_compute("c", lambda: b"new") == b"1234"
    assert cache.get_or_compute("b", lambda: b"new") == b"1234"
    assert cache.get_or_compute("a", lambda: b"new") == b"new", "the oldest answer left"
    assert cache.get_or_compute("big", lambda: b"x" * 11) == b"x" * 11
    assert cache.get_or_compute("big", lambda: b"again") == b"again", "too heavy to keep"
