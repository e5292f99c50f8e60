"""Neo4j: a read of many nodes' relationships is kept within what the server may hold for one
record. Nodes are read together up to a number of relationships, and a node with more is
read a page of relationships at a time. Here the bound is made tiny so that every way of
reading is used, and the edges must come out the same as with the default bound."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from aimsgraph.graph.store import neo4j_view
from aimsgraph.ingest import ingest_bundle
from tests.conftest import open_store


def _edges(store: Any, keys: list[tuple[str, str]]) -> dict[Any, Any]:
    view = store.lazy_view()
    try:
        view.prefetch(keys, outgoing=True)
        view.prefetch(keys, outgoing=False)
        many = {key: (view.outgoing(key), view.incoming(key)) for key in keys}
    finally:
        view.close()
    one = {}
    for key in keys[:40]:  # a node alone, each in a view of its own
        view = store.lazy_view()
        try:
            one[key] = (view.outgoing(key), view.incoming(key))
        finally:
            view.close()
    return {"many": many, "one": one}


def test_edges_read_by_degree_and_by_page_are_the_same(
        request: pytest.FixtureRequest, tmp_path: Path, sample_dir: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store("neo4j", request, tmp_path / "store")
    try:
        ingest_bundle(store, sample_dir)
        keys = sorted(n.key for n in store.iter_nodes())
        # the catalogue's requirements first: the nodes with the most relationships
        keys.sort(key=lambda k: k[0] != "Requirement")
        expected = _edges(store, keys)
        assert sum(len(o) + len(i) for o, i in expected["many"].values()) > 500
        degrees = sorted((len(i) for _, i in expected["many"].values()), reverse=True)
        assert degrees[0] > 3, "some node must have more relationships than the bound"
        monkeypatch.setattr(neo4j_view, "EDGES", 3)
        assert _edges(store, keys) == expected
        assert expected["one"] == {k: expected["many"][k] for k in expected["one"]}
    finally:
        store.close()


def test_the_drivers_debug_log_names_batches_without_their_rows(
        request: pytest.FixtureRequest, tmp_path: Path, sample_dir: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    """Rows and ids are sent in batches that name themselves briefly: the driver spells out
    every query's parameters for its debug log whether or not it is on, so with the log on
    an ingest leaves its row counts there and not the organisation's data."""
    import csv

    with (sample_dir / "people.csv").open(encoding="utf-8") as people:
        names = [row["name"] for row in csv.DictReader(people)]
    store = open_store("neo4j", request, tmp_path / "store")
    try:
        with caplog.at_level("DEBUG", logger="neo4j"):
            ingest_bundle(store, sample_dir)
        sent = [r.getMessage() for r in caplog.records if "C: RUN" in r.getMessage()]
        assert any("rows>" in message for message in sent)
        assert not [name for name in names if any(name in m for m in sent)]
        assert store.stats().nodes["Person"] == len(names)
    finally:
        store.close()
