"""The embedded store's raw texts, keys and mending, in SQL (see :mod:`graph.store.integrity`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from aimsgraph.graph.store.embedded_tx import SqlTransaction
from aimsgraph.graph.store.integrity import StoredText, StoreIntegrity
from aimsgraph.graph.store.ledger_pages import examined_texts, repacked, unpack
from aimsgraph.graph.store.records import NodeKey, RelKey

__all__ = ["EmbeddedIntegrity"]

_REL_KEY = "type, src_label, src_id, dst_label, dst_id, ident"
#: Each table's JSON columns and the columns that key a row of it.
_TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "nodes": (("labels", "props"), ("label", "id")),
    "rels": (("props",), tuple(_REL_KEY.split(", "))),
    "runs": (("record",), ("run_id",)),
}


class SqlTransactions(Protocol):
    """What the doctor needs of the embedded store: its SQL transactions."""

    def read(self) -> AbstractContextManager[SqlTransaction]: ...

    def write(self) -> AbstractContextManager[SqlTransaction]: ...


class EmbeddedIntegrity(StoreIntegrity):
    """Reads and mends one open embedded store by its tables."""

    def __init__(self, store: SqlTransactions) -> None:
        self._store = store

    def texts(self, suspect_only: bool = False) -> Iterator[StoredText]:
        with self._store.read() as tx:
            for table, (columns, keys) in _TABLES.items():
                for column in columns:
                    where = f" WHERE instr({column}, '\\u') > 0" if suspect_only else ""
                    for row in tx.conn.execute(
                            f"SELECT {', '.join(keys)}, {column} FROM {table}{where}"):
                        yield StoredText(table, tuple(row[:-1]), column, row[-1])
            for run_id, seq, packed in tx.conn.execute(
                    "SELECT run_id, seq, packed FROM change_pages"):
                for index, text in enumerate(examined_texts(f"{run_id} {seq}", packed, None)):
                    if not suspect_only or "\\u" in text:
                        yield StoredText("changes", (run_id, seq, index), "records", text)

    def node_keys(self) -> set[NodeKey]:
        with self._store.read() as tx:
            return {(label, node_id) for label, node_id
                    in tx.conn.execute("SELECT label, id FROM nodes")}

    def relationship_keys(self) -> set[RelKey]:
        with self._store.read() as tx:
            return {(t, (sl, si), (dl, di), ident) for t, sl, si, dl, di, ident
                    in tx.conn.execute(f"SELECT {_REL_KEY} FROM rels")}

    def dangling(self) -> list[RelKey]:
        missing = ("NOT EXISTS (SELECT 1 FROM nodes WHERE nodes.label = rels.{0}_label "
                   "AND nodes.id = rels.{0}_id)")
        with self._store.read() as tx:
            return [(t, (sl, si), (dl, di), ident) for t, sl, si, dl, di, ident
                    in tx.conn.execute(f"SELECT {_REL_KEY} FROM rels WHERE "
                                       f"{missing.format('src')} OR {missing.format('dst')}")]

    def mend(self, texts: Mapping[StoredText, str], drop: Sequence[RelKey]) -> None:
        pages: dict[tuple[str | int, str | int], dict[int, str]] = defaultdict(dict)
        with self._store.write() as tx:
            for stored, text in texts.items():
                if stored.table == "changes":
                    pages[stored.key[0], stored.key[1]][int(stored.key[2])] = text
                    continue
                keys = _TABLES[stored.table][1]
                tx.conn.execute(
                    f"UPDATE {stored.table} SET {stored.column} = ? WHERE "
                    + " AND ".join(f"{k} = ?" for k in keys), (text, *stored.key))
            for (run_id, seq), mended in pages.items():
                (packed,) = tx.conn.execute("SELECT packed FROM change_pages WHERE run_id = ? "
                                            "AND seq = ?", (run_id, seq)).fetchone()
                tx.conn.execute("UPDATE change_pages SET packed = ? WHERE run_id = ? AND "
                                "seq = ?", (repacked(unpack(packed, f"{run_id} {seq}"), mended),
                                            run_id, seq))
            tx.conn.executemany(
                "DELETE FROM rels WHERE " + " AND ".join(f"{k} = ?" for k in _REL_KEY.split(", ")),
                [(t, *start, *end, ident) for t, start, end, ident in drop])
            tx.conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 "
                            "WHERE key = 'generation'")
