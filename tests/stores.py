"""Where the conformance suite gets its stores: the embedded one, and a real Neo4j.

The Neo4j server is the one named by AIMSGRAPH_TEST_NEO4J_URI (what .ci/run starts), or else
the bundled Neo4j started for the session. A missing component (java and mvn, chromium)
fails the tests that need it, unless the run is declared partial with AIMSGRAPH_TEST_PARTIAL=1
(``make test-embedded``); a Neo4j that fails to start or to be wiped is always an error.
"""

from __future__ import annotations

import os
import shutil
from typing import TYPE_CHECKING, cast

import neo4j
import pytest

if TYPE_CHECKING:
    from aimsgraph.graph import GraphStore

STORES = tuple(s.strip() for s in os.environ.get("AIMSGRAPH_TEST_STORES",
                                                 "embedded,neo4j").split(",") if s.strip())
PARTIAL_VARIABLE = "AIMSGRAPH_TEST_PARTIAL"
PARTIAL = os.environ.get(PARTIAL_VARIABLE, "") not in ("", "0")


def unavailable(reason: str) -> None:
    """A component the suite needs is missing: skip in a declared partial run, else fail."""
    if PARTIAL:
        pytest.skip(reason)
    pytest.fail(f"{reason} (run 'make test', which installs it, or declare a partial run "
                f"with {PARTIAL_VARIABLE}=1)", pytrace=False)


def broken(reason: str) -> None:
    """A component is there but does not work: always an error with its cause, never a skip."""
    pytest.fail(reason, pytrace=False)


def have_build_tools() -> bool:
    return bool(shutil.which("java") and shutil.which("mvn"))


def wipe(uri: str) -> None:
    """Empty the test database (community edition has one database to work in)."""
    with neo4j.GraphDatabase.driver(uri, notifications_min_severity="OFF") as driver:
        driver.execute_query("MATCH (n) DETACH DELETE n", database_="neo4j")


def point_cli_at(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """Configure the environment so the CLI uses ``store`` (an open test store), named by
    the store's own name (the setting ``AIMSGRAPH_STORE`` takes the same names)."""
    from aimsgraph.graph import EmbeddedStore
    from aimsgraph.graph.store.neo4j_store import Neo4jStore

    monkeypatch.setenv("AIMSGRAPH_STORE", store.name)
    if store.name == Neo4jStore.name:
        monkeypatch.setenv("NEO4J_URI", cast(Neo4jStore, store).uri)
    else:
        monkeypatch.setenv("AIMSGRAPH_DATA_DIR", str(cast(EmbeddedStore, store).data_dir))
