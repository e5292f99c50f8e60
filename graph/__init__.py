"""The governance graph: where it is kept (:mod:`.store`), the questions asked of it
(:mod:`.questions`), the reports built from the answers (:mod:`.reports`), and the one facade
the command line, the API and analysts call (:class:`~.queries.Queries`).

The names below are imported on first use, so that a light module of this package
(``graph.questions.kinds``, say) can be imported without the stores.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aimsgraph.graph.analysis import to_networkx
    from aimsgraph.graph.queries import Queries
    from aimsgraph.graph.store.embedded import EmbeddedStore, default_data_dir
    from aimsgraph.graph.store.interface import GraphStore, ReadTransaction, WriteTransaction
    from aimsgraph.graph.store.neo4j_store import Neo4jStore
    from aimsgraph.graph.store.records import NodeKey, Stats

__all__ = [
    "EmbeddedStore",
    "GraphStore",
    "Neo4jStore",
    "NodeKey",
    "Queries",
    "ReadTransaction",
    "Stats",
    "WriteTransaction",
    "default_data_dir",
    "to_networkx",
]

_WHERE = {"EmbeddedStore": ".store.embedded", "default_data_dir": ".store.embedded",
          "GraphStore": ".store.interface", "ReadTransaction": ".store.interface",
          "WriteTransaction": ".store.interface", "Queries": ".queries",
          "Neo4jStore": ".store.neo4j_store", "to_networkx": ".analysis",
          "NodeKey": ".store.records", "Stats": ".store.records"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name], __name__), name)
    raise AttributeError(f"module 'aimsgraph.graph' has no attribute '{name}'")
