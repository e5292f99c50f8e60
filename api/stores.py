"""Opening the configured store: the one place settings turn into a GraphStore."""

from __future__ import annotations

from api.settings import Settings
from graph import EmbeddedStore, GraphStore, default_data_dir
from ontology import ConfigError

__all__ = ["store_from_settings"]


def store_from_settings(settings: Settings) -> GraphStore:
    """A store for ``settings``, not yet opened (constructors do no I/O)."""
    if settings.store == "embedded":
        return EmbeddedStore(settings.data_dir or default_data_dir())
    raise ConfigError("AIMSGRAPH_STORE=neo4j is not available in this version; "
                      "use AIMSGRAPH_STORE=embedded")
