"""The collector is held back while a run or a build lasts and given back as it was, also
when holders overlap in threads and when the work inside raises."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from aimsgraph.graph import EmbeddedStore
from aimsgraph.graph.store import collector
from aimsgraph.graph.store.collector import SPACED, collector_paused, collector_spaced
from aimsgraph.ingest import ingest_bundle


@pytest.fixture(autouse=True)
def _restored() -> Iterator[None]:
    thresholds, enabled = gc.get_threshold(), gc.isenabled()
    yield
    gc.set_threshold(*thresholds)
    (gc.enable if enabled else gc.disable)()


def test_spaced_raises_the_youngest_threshold_and_gives_it_back() -> None:
    gc.set_threshold(700, 10, 10)
    with collector_spaced():
        assert gc.get_threshold() == (SPACED, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_a_higher_threshold_set_already_is_kept() -> None:
    gc.set_threshold(SPACED * 2, 10, 10)
    with collector_spaced():
        assert gc.get_threshold()[0] == SPACED * 2
    assert gc.get_threshold() == (SPACED * 2, 10, 10)


def test_overlapping_holders_give_the_collector_back_when_the_last_ends() -> None:
    """The first pause ends while another thread's, begun later, runs: the collector stays
    held until that one ends too, and is then given back as the first found it."""
    gc.enable()
    gc.set_threshold(700, 10, 10)
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with collector_paused(), collector_spaced():
            inside.set()
            release.wait(10)
    thread = threading.Thread(target=other)
    with collector_paused(), collector_spaced():
        thread.start()
        assert inside.wait(10)
    assert not gc.isenabled() and gc.get_threshold()[0] == SPACED  # the other holds on
    release.set()
    thread.join(10)
    assert gc.isenabled() and gc.get_threshold() == (700, 10, 10)


def test_work_that_raises_gives_the_collector_back() -> None:
    gc.enable()
    gc.set_threshold(700, 10, 10)
    with pytest.raises(ValueError), collector_paused(), collector_spaced():
        raise ValueError("the build failed")
    assert gc.isenabled() and gc.get_threshold() == (700, 10, 10)
    assert collector._paused == 0 and collector._spaced == 0


def test_a_pause_keeps_a_collector_someone_turned_off_turned_off() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_an_embedded_ingest_runs_with_the_collector_off_and_gives_it_back(
        tmp_path: Path, sample_dir: Path) -> None:
    """The run's one transaction is written with the collector off (its walks found nothing
    and took a tenth of the run), and the collector is on again once it has committed."""
    gc.enable()
    seen: list[bool] = []
    with EmbeddedStore(tmp_path / "store") as store:
        ingest_bundle(store, sample_dir, progress=lambda _: seen.append(gc.isenabled()))
    assert seen[0]  # "reading": before the run's transaction
    assert len(seen) > 3 and not any(seen[1:])
    assert gc.isenabled()
