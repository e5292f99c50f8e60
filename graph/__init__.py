"""The graph stores behind one interface, and the queries that run on them."""

from graph.embedded import EmbeddedStore, default_data_dir
from graph.records import ChangeSet, NodeKey, NodeRecord, RelKey, RelRecord, RunRecord, Stats
from graph.store import GraphStore, ReadTransaction, WriteTransaction

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
