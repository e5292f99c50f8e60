"""Opening the configured store: the one place settings turn into a GraphStore."""

from __future__ import annotations

from aimsgraph.api.settings import Settings
from aimsgraph.graph import EmbeddedStore, GraphStore
from aimsgraph.ontology import ConfigError

__all__ = ["store_from_settings"]


def store_from_settings(settings: Settings) -> GraphStore:
    """A store for ``settings``, not yet opened (constructors do no I/O)."""
    if settings.store == "embedded":
        return EmbeddedStore(settings.data_folder())
    if not settings.neo4j_uri:
        raise ConfigError("AIMSGRAPH_STORE=neo4j needs NEO4J_URI (e.g. bolt://127.0.0.1:7687)")
    # the driver (80 ms to load) only when the Neo4j store is used
    from aimsgraph.graph.store.neo4j_store import Neo4jStore

    return Neo4jStore(settings.neo4j_uri, settings.neo4j_username, settings.neo4j_password,
                      settings.neo4j_database, parallel_reads=settings.neo4j_check_workers,
                      parallel_writes=settings.neo4j_write_workers)
