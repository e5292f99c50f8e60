"""What ``aimsgraph doctor`` asks of a store: its raw stored text, its keys, and the mending.

A store keeps properties, run records and its change ledger as JSON text (the embedded store
for everything, Neo4j for runs and the ledger). Reading a graph assumes every such text reads
back; a lone surrogate written by an earlier version, or a hand edit, breaks that for every
command at once. :class:`StoreIntegrity` reads the texts raw (without decoding them), so a
damaged store can still be examined and mended. The examination itself is in
:mod:`graph.store.doctor`.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from aimsgraph.graph.store.records import NodeKey, RelKey

__all__ = ["StoreIntegrity", "StoredText"]


@dataclass(frozen=True, slots=True)
class StoredText:
    """One JSON text as stored: where (``table`` and ``key``: a node's label and id, a
    relationship's key, a run id, a ledger entry's run id and place) and which ``column``."""

    table: str
    key: tuple[str | int, ...]
    column: str
    text: str

    @property
    def where(self) -> str:
        """How a person finds it: ``node Person P-1 (props)``."""
        return f"{self.table[:-1]} {' '.join(map(str, self.key))} ({self.column})"


class StoreIntegrity(abc.ABC):
    """Raw access to one open store for examining and mending it."""

    @abc.abstractmethod
    def texts(self, suspect_only: bool = False) -> Iterator[StoredText]:
        """Every stored JSON text; ``suspect_only``: only those that may not read back (any
        holding a ``\\u`` escape, which the writer uses only where orjson cannot write),
        a cheap look for a readiness probe."""

    @abc.abstractmethod
    def node_keys(self) -> set[NodeKey]:
        """The key of every node, read without its properties."""

    @abc.abstractmethod
    def relationship_keys(self) -> set[RelKey]:
        """The key of every relationship, read without its properties."""

    @abc.abstractmethod
    def dangling(self) -> list[RelKey]:
        """Relationships whose start or end node is not in the store."""

    @abc.abstractmethod
    def mend(self, texts: Mapping[StoredText, str], drop: Sequence[RelKey]) -> None:
        """In one transaction: replace each stored text by its mended text and remove the
        ``drop`` relationships; the store's generation moves on, so cached answers go."""
