"""The collector is held back while a run or a build lasts and given back as it was, also
when holders overlap in threads and when the work inside raises."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from aimsgraph.graph import GraphStore
from aimsgraph.graph.store import collector
from aimsgraph.graph.store.collector import collector_paused
from aimsgraph.ingest import ingest_bundle
from tests.conftest import open_store


@pytest.fixture(autouse=True)
def _restored() -> Iterator[None]:
    thresholds, enabled = gc.get_threshold(), gc.isenabled()
    yield
    gc.set_threshold(*thresholds)
    (gc.enable if enabled else gc.disable)()


def test_overlapping_holders_give_the_collector_back_when_the_last_ends() -> None:
    """The first pause ends while another thread's, begun later, runs: the collector stays
    held until that one ends too, and is then given back as the first found it."""
    gc.enable()
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector_paused():
            inside.set()
            release.wait(10)
    thread = threading.Thread(target=other)
    with collector_paused():
        thread.start()
        assert inside.wait(10)
    assert not gc.isenabled()  # the other holds on
    release.set()
    thread.join(10)
    assert gc.isenabled()


def test_work_that_raises_gives_the_collector_back() -> None:
    gc.enable()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError("the build failed")
    assert gc.isenabled()
    assert collector._paused == 0


def test_a_pause_keeps_a_collector_someone_turned_off_turned_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_an_ingest_runs_with_the_collector_off_and_gives_it_back(
        store: GraphStore, sample_dir: Path) -> None:
    """A run, read to written, goes with the collector off (its walks found nothing and
    took a tenth of the run), and the collector is on again once it has ended."""
    gc.enable()
    seen: list[bool] = []
    ingest_bundle(store, sample_dir, progress=lambda _: seen.append(gc.isenabled()))
    assert len(seen) > 3 and not any(seen)
    assert gc.isenabled()


def test_a_query_s_rows_are_given_back_once_sent(request: pytest.FixtureRequest,
                                                 sample_dir: Path, tmp_path: Path) -> None:
    """The Neo4j driver keeps each result, its parameters with it, in a reference cycle:
    with the collector paused for a run, the rows written must not wait for it to end."""
    store = open_store("neo4j", request, tmp_path / "store")
    gc.collect()
    gc.disable()  # nothing collected before it is looked at below
    try:
        ingest_bundle(store, sample_dir)
    finally:
        store.close()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what only the collector would have freed, kept to look at
    try:
        gc.collect()
        rows = [o for o in gc.garbage if isinstance(o, dict) and "props" in o
                and ("id" in o or "start" in o)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert rows == []
