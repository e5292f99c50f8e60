"""Neo4j's raw texts, keys and mending, in Cypher (see :mod:`graph.store.integrity`).

Neo4j keeps properties natively, and its relationships cannot outlive their nodes: what can
be damaged here is the JSON text of run records and of the change ledger.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Protocol

from aimsgraph.graph.store import cypher_writes as cw
from aimsgraph.graph.store.integrity import StoredText, StoreIntegrity
from aimsgraph.graph.store.ledger_pages import examined_texts, held_texts, repacked
from aimsgraph.graph.store.records import NodeKey, RelKey, RelRecord
from aimsgraph.ontology import ONTOLOGY

__all__ = ["Neo4jIntegrity"]

_SUSPECT = "WHERE {0} CONTAINS '\\\\u'"


class Neo4jAccess(Protocol):
    """What the doctor needs of the Neo4j store: reads, its relationships, a raw write."""

    def query(self, cypher: str, **params: Any) -> list[dict[str, Any]]: ...

    def iter_relationships(self) -> Iterator[RelRecord]: ...

    def raw_write(self, work: Callable[[Any], None]) -> None: ...


class Neo4jIntegrity(StoreIntegrity):
    """Reads and mends one open Neo4j store."""

    def __init__(self, store: Neo4jAccess) -> None:
        self._store = store

    def texts(self, suspect_only: bool = False) -> Iterator[StoredText]:
        query = self._store.query
        runs = query(f"MATCH (r:{cw.RUN_LABEL}) "
                     + (_SUSPECT.format("r.record") if suspect_only else "")
                     + " RETURN r.run_id AS run_id, r.record AS text")
        for row in runs:
            yield StoredText("runs", (row["run_id"],), "record", row["text"])
        held = "coalesce(c.records, [c.record])"
        changes = query(f"MATCH (c:{cw.CHANGE_LABEL}) "
                        + (f"WHERE c.packed IS NOT NULL OR any(t IN {held} "
                           "WHERE t CONTAINS '\\\\u') " if suspect_only else "")
                        + f"RETURN c.run_id AS run_id, c.seq AS seq, {held} AS texts, "
                        "c.packed AS packed")
        for row in changes:
            texts = examined_texts(f"{row['run_id']} {row['seq']}", row["packed"],
                                   row["texts"])
            for index, text in enumerate(texts):
                if not suspect_only or "\\u" in text:
                    yield StoredText("changes", (row["run_id"], row["seq"], index), "records",
                                     text)

    def node_keys(self) -> set[NodeKey]:
        return {(label, row["id"]) for label in ONTOLOGY.labels
                for row in self._store.query(f"MATCH (n:`{label}`) RETURN n.id AS id")}

    def relationship_keys(self) -> set[RelKey]:
        return {rel.key for rel in self._store.iter_relationships()}

    def dangling(self) -> list[RelKey]:
        """None: a Neo4j relationship cannot outlive either of its nodes."""
        return []

    def mend(self, texts: Mapping[StoredText, str], drop: Sequence[RelKey]) -> None:
        ledger: dict[tuple[Any, Any], dict[int, str]] = defaultdict(dict)
        runs: dict[Any, str] = {}
        for stored, text in texts.items():
            if stored.table == "runs":
                runs[stored.key[0]] = text
            else:
                ledger[stored.key[0], stored.key[1]][int(stored.key[2])] = text

        def work(tx: Any) -> None:
            for run_id, text in runs.items():
                tx.run(f"MATCH (r:{cw.RUN_LABEL} {{run_id: $run_id}}) SET r.record = $text",
                       run_id=run_id, text=text).consume()
            for (run_id, seq), mended in ledger.items():
                record = tx.run(f"MATCH (c:{cw.CHANGE_LABEL} {{run_id: $run_id, seq: $seq}}) "
                                "RETURN coalesce(c.records, [c.record]) AS texts, "
                                "c.packed AS packed", run_id=run_id, seq=seq).single()
                held = (held_texts(f"{run_id} {seq}", record["packed"], record["texts"])
                        if record else [])
                tx.run(f"MATCH (c:{cw.CHANGE_LABEL} {{run_id: $run_id, seq: $seq}}) "
                       "SET c.packed = $packed REMOVE c.record, c.records",
                       run_id=run_id, seq=seq, packed=repacked(held, mended)).consume()
            tx.run(cw.BUMP_GENERATION).consume()

        self._store.raw_write(work)
