"""How the bundled Neo4j is sized: the heap a server gets by default and its collector."""

from __future__ import annotations

import os
import re

import pytest

from aimsgraph.graph.store.bundled_neo4j import COLLECTORS, BundledNeo4j, default_heap
from aimsgraph.ontology import StoreUnavailableError


def test_the_default_heap_is_a_quarter_of_memory_within_bounds() -> None:
    heap = default_heap()
    assert re.fullmatch(r"[1-8]g", heap)
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    assert int(heap[:-1]) == min(8, max(1, int(memory_gib // 4)))


def test_collectors_are_named(tmp_path: object) -> None:
    assert set(COLLECTORS) == {"serial", "g1"}
    with pytest.raises(StoreUnavailableError, match="unknown collector 'zgc'"):
        BundledNeo4j(tmp_path, collector="zgc")  # type: ignore[arg-type]

