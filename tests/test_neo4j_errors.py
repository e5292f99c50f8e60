"""Neo4j failures give one clear message naming the URI, a non-zero exit, no traceback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aimsgraph.api.cli import app
from aimsgraph.graph.store.bundled_neo4j import free_port
from aimsgraph.graph.store.neo4j_store import Neo4jStore
from aimsgraph.ontology import ConfigError, StoreUnavailableError, builtin_items
from tests.stores import have_build_tools, unavailable


def _stats(monkeypatch: pytest.MonkeyPatch, **env: str) -> tuple[int, str]:
    monkeypatch.setenv("AIMSGRAPH_STORE", "neo4j")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(app, ["stats"])
    assert "Traceback" not in result.stderr
    return result.exit_code, " ".join(result.stderr.split())


def test_unreachable_server(monkeypatch: pytest.MonkeyPatch) -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    code, message = _stats(monkeypatch, NEO4J_URI=uri)
    assert code == 1
    assert message.startswith(f"error: cannot reach Neo4j at {uri}:")


def test_unknown_database(monkeypatch: pytest.MonkeyPatch, neo4j_uri: str) -> None:
    code, message = _stats(monkeypatch, NEO4J_URI=neo4j_uri, NEO4J_DATABASE="nosuchdb")
    assert code == 1
    assert message == (f"error: Neo4j at {neo4j_uri} has no database 'nosuchdb': check "
                       "NEO4J_DATABASE")


def test_a_uri_that_cannot_be_used(monkeypatch: pytest.MonkeyPatch) -> None:
    code, message = _stats(monkeypatch, NEO4J_URI="http://127.0.0.1:7474")
    assert code == 1
    assert message.startswith("error: NEO4J_URI 'http://127.0.0.1:7474' cannot be used")
    with pytest.raises(ConfigError):
        Neo4jStore("ftp://nowhere").open()


@pytest.fixture(scope="module")
def secured_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second bundled Neo4j, with authentication on."""
    if not have_build_tools():
        unavailable("the bundled Neo4j needs java and mvn on PATH")
    from aimsgraph.graph.store.bundled_neo4j import BundledNeo4j

    server = BundledNeo4j(tmp_path_factory.mktemp("secured") / "data", password="s3cret-pw",
                          page_cache="64m", heap="512m")
    server.start()
    yield server.uri
    server.stop()


def test_wrong_credentials(monkeypatch: pytest.MonkeyPatch, secured_uri: str) -> None:
    code, message = _stats(monkeypatch, NEO4J_URI=secured_uri, NEO4J_USERNAME="neo4j",
                           NEO4J_PASSWORD="wrong")
    assert code == 1
    assert message == (f"error: Neo4j at {secured_uri} rejected the credentials of user "
                       "'neo4j': check NEO4J_USERNAME and NEO4J_PASSWORD")
    code, _ = _stats(monkeypatch, NEO4J_URI=secured_uri, NEO4J_PASSWORD="s3cret-pw")
    assert code == 0


def test_routing_uri_scheme_works(neo4j_uri: str, tmp_path: Path) -> None:
    routed = neo4j_uri.replace("bolt://", "neo4j://")
    with Neo4jStore(routed) as store:
        assert store.stats().nodes["Requirement"] == len(builtin_items())


def test_errors_never_hide_as_success() -> None:
    store = Neo4jStore(f"bolt://127.0.0.1:{free_port()}")
    with pytest.raises(StoreUnavailableError, match="cannot reach Neo4j at bolt://127.0.0.1:"):
        store.open()
