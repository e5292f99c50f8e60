"""The graph stores behind one interface, and the queries that run on them.

The names below are imported on first use, so that a light module of this package
(``graph.kinds``, say) can be imported without the stores.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aimsgraph.graph.embedded import EmbeddedStore, default_data_dir
    from aimsgraph.graph.records import (
        ChangeSet,
        NodeKey,
        NodeRecord,
        RelKey,
        RelRecord,
        RunRecord,
        Stats,
    )
    from aimsgraph.graph.store import GraphStore, ReadTransaction, WriteTransaction

__all__ = [
    "ChangeSet",
    "EmbeddedStore",
    "GraphStore",
    "NodeKey",
    "NodeRecord",
    "ReadTransaction",
    "RelKey",
    "RelRecord",
    "RunRecord",
    "Stats",
    "WriteTransaction",
    "default_data_dir",
]

_WHERE = {"EmbeddedStore": ".embedded", "default_data_dir": ".embedded",
          "GraphStore": ".store", "ReadTransaction": ".store", "WriteTransaction": ".store",
          **{name: ".records" for name in ("ChangeSet", "NodeKey", "NodeRecord", "RelKey",
                                           "RelRecord", "RunRecord", "Stats")}}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name], __name__), name)
    raise AttributeError(f"module 'aimsgraph.graph' has no attribute '{name}'")
