"""The embedded store's JSON columns keep every value exactly as it was written.

The store reads and writes JSON with orjson for speed; orjson reads an integer past 64 bits
as a float, so such values must come back through the standard library, exact, on every
read path (the whole view, the lazy view, the record iterators).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aimsgraph.graph import EmbeddedStore
from aimsgraph.graph.store.records import ChangeSet, NodeRecord

HUGE = 2**70 + 1


@pytest.mark.parametrize("value", [HUGE, -HUGE, 2**63, 7])
def test_integers_of_any_size_read_back_exactly(tmp_path: Path, value: int) -> None:
    node = NodeRecord("Training", "T-BIG", frozenset({"Training"}),
                      {"name": "Long", "validity_months": value, "source": "t.csv:2",
                       "updated_at": "2026-01-01T00:00:00+00:00"})
    with EmbeddedStore(tmp_path) as store:
        store.write_transaction(lambda tx: tx.apply(ChangeSet(upsert_nodes=[node])))
        key = ("Training", "T-BIG")
        assert store.view().props(key)["validity_months"] == value
        assert type(store.view().props(key)["validity_months"]) is int
        lazy = store.lazy_view()
        try:
            assert lazy.props(key)["validity_months"] == value
        finally:
            lazy.close()
        stored = {n.key: n for n in store.iter_nodes()}[key]
        assert stored.props["validity_months"] == value


def test_dates_and_text_survive_the_whole_view(tmp_path: Path) -> None:
    node = NodeRecord("Evidence", "EV-1", frozenset({"Evidence"}),
                      {"title": "Prüfbericht \u2013 \U0001f600",
                       "collected_on": dt.date(2026, 2, 28),
                       "source": "e.csv:2"})
    with EmbeddedStore(tmp_path) as store:
        store.write_transaction(lambda tx: tx.apply(ChangeSet(upsert_nodes=[node])))
        props = store.view().props(("Evidence", "EV-1"))
    assert props["collected_on"] == dt.date(2026, 2, 28)
    assert props["title"] == "Prüfbericht \u2013 \U0001f600"
