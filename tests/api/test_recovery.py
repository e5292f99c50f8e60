"""An unreachable store gives 503 with a clear message, and the API recovers by itself."""

from __future__ import annotations

from pathlib import Path

import httpx

from aimsgraph.graph.store.bundled_neo4j import free_port
from aimsgraph.graph.store.neo4j_store import Neo4jStore
from tests.api.conftest import READER_KEY, serving, settings_for
from tests.stores import have_build_tools, unavailable


def test_store_down_gives_503_and_the_api_recovers(tmp_path: Path) -> None:
    if not have_build_tools():
        unavailable("this test starts a bundled Neo4j: java and mvn are needed")
    from aimsgraph.graph.store.bundled_neo4j import BundledNeo4j

    port = free_port()
    store = Neo4jStore(f"bolt://127.0.0.1:{port}", retry_seconds=1.0)
    with serving(settings_for(), store) as base, \
            httpx.Client(base_url=base, headers={"Authorization": f"Bearer {READER_KEY}"},
                         timeout=60) as http:
        down = http.get("/ready")
        assert down.status_code == 503
        assert down.json() == {"detail": "the graph store is unavailable; try again shortly"}
        assert http.get("/gaps").status_code == 503
        assert http.get("/health").status_code == 200
        server = BundledNeo4j(tmp_path / "db", port=port, page_cache="64m", heap="512m")
        server.start()
        try:
            assert http.get("/ready").json() == {"status": "ready", "store": "neo4j"}
            assert http.get("/gaps/ai-policy-missing").status_code == 200
            server.stop()
            assert http.get("/gaps").status_code == 503
        finally:
            server.stop()
            store.close()
