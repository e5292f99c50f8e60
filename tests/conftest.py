"""Shared fixtures: stores (every store test runs on both), the sample organisation."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from api.cli import sample_bundle
from graph import EmbeddedStore, GraphStore
from ontology import AimsgraphError
from tests.stores import STORES, have_build_tools, unavailable, wipe

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")


@pytest.fixture(scope="session")
def neo4j_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Bolt URI of a real Neo4j for this test session."""
    given = os.environ.get("AIMSGRAPH_TEST_NEO4J_URI")
    if given:
        yield given
        return
    if not have_build_tools():
        unavailable("the bundled Neo4j needs java and mvn on PATH")
    from graph.bundled_neo4j import BundledNeo4j

    server = BundledNeo4j(tmp_path_factory.mktemp("neo4j") / "data")
    try:
        server.start()
    except AimsgraphError as exc:
        unavailable(f"the bundled Neo4j did not start: {exc}")
    yield server.uri
    server.stop()


def open_store(kind: str, request: pytest.FixtureRequest, folder: Path) -> GraphStore:
    """An open, empty store of ``kind`` (the requirement catalogue installed)."""
    if kind == "embedded":
        store: GraphStore = EmbeddedStore(folder)
    else:
        from graph.neo4j_store import Neo4jStore

        uri = request.getfixturevalue("neo4j_uri")
        try:
            wipe(uri)
        except Exception as exc:  # the driver's own errors: the server is not there
            unavailable(f"cannot reach Neo4j at {uri}: {exc}")
        store = Neo4jStore(uri)
    store.open()
    return store


@pytest.fixture(params=STORES)
def store_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(store_kind: str, request: pytest.FixtureRequest,
          tmp_path: Path) -> Iterator[GraphStore]:
    """An open, empty store of each kind in turn."""
    opened = open_store(store_kind, request, tmp_path / "store")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The shipped sample organisation bundle (a folder of CSV files)."""
    return sample_bundle()
