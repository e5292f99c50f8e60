"""The ledger kept in compressed pages: small beside the data, read the same as written,
moved over from the one-row-per-entry layout, and a damaged page said so."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from aimsgraph.graph import EmbeddedStore, GraphStore
from aimsgraph.graph.store import cypher_writes as cw
from aimsgraph.graph.store.doctor import examine
from aimsgraph.graph.store.embedded_sql import SCHEMA_VERSION
from aimsgraph.graph.store.jsonio import json_text
from aimsgraph.graph.store.ledger_pages import pack, unpack
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ontology import DamagedStoreError
from bench.generate import generate


@pytest.fixture(scope="module")
def organisation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("org") / "bundle", 300)


def _sql(store: EmbeddedStore, query: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(store.path)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def test_a_first_loads_ledger_is_under_a_tenth_of_the_data_it_records(
        tmp_path: Path, organisation: Path) -> None:
    with EmbeddedStore(tmp_path / "s") as store:
        report = ingest_bundle(store, organisation)
        [(data,)] = _sql(store, "SELECT sum(length(label) + length(id) + length(labels) + "
                                "length(props)) FROM nodes")
        [(rels,)] = _sql(store, "SELECT sum(length(type) + length(src_label) + length(src_id)"
                                " + length(dst_label) + length(dst_id) + length(ident) + "
                                "length(props)) FROM rels")
        [(ledger, pages)] = _sql(store, "SELECT sum(length(packed)), count(*) "
                                        "FROM change_pages")
        total, entries = store.changes(report.run_id, 0, 10_000_000)
    assert total == len(entries) == report.changed > 5000 and pages >= 2
    written = sum(len(json_text(c.to_json())) for c in entries)
    assert written > data + rels  # the entries themselves are as large as the data...
    assert ledger < 0.1 * (data + rels)  # ...their pages are not


def test_pages_read_across_their_edges_as_one_ledger(tmp_path: Path,
                                                     organisation: Path) -> None:
    with EmbeddedStore(tmp_path / "s") as store:
        run_id = ingest_bundle(store, organisation).run_id
        total, everything = store.changes(run_id, 0, 10_000_000)
        for offset, limit in ((4990, 20), (5000, 1), (4999, 1), (0, 5001), (total - 3, 10)):
            _, page = store.changes(run_id, offset, limit)
            assert page == everything[offset:offset + limit], (offset, limit)


def test_a_version_2_store_has_its_ledger_moved_into_pages(tmp_path: Path,
                                                           organisation: Path) -> None:
    with EmbeddedStore(tmp_path / "s") as store:
        run_id = ingest_bundle(store, organisation).run_id
        before = store.changes(run_id, 0, 10_000_000)
        stats = store.stats()
    conn = sqlite3.connect(tmp_path / "s" / EmbeddedStore.FILENAME)
    conn.execute("CREATE TABLE changes (run_id TEXT NOT NULL, seq INTEGER NOT NULL, "
                 "record TEXT NOT NULL, PRIMARY KEY (run_id, seq)) WITHOUT ROWID")
    for run, seq, packed in conn.execute("SELECT run_id, seq, packed FROM change_pages "
                                         "ORDER BY seq").fetchall():
        conn.executemany("INSERT INTO changes VALUES (?, ?, ?)",
                         [(run, seq + n, text) for n, text in enumerate(unpack(packed, ""))])
    conn.execute("DROP TABLE change_pages")
    conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with EmbeddedStore(tmp_path / "s") as store:
        assert store.changes(run_id, 0, 10_000_000) == before
        assert store.stats() == stats
        assert _sql(store, "SELECT name FROM sqlite_schema WHERE name = 'changes'") == []
        assert _sql(store, "SELECT value FROM meta WHERE key = 'schema_version'") == [
            (SCHEMA_VERSION,)]


def test_a_damaged_page_is_named_not_misread(tmp_path: Path, organisation: Path) -> None:
    with EmbeddedStore(tmp_path / "s") as store:
        run_id = ingest_bundle(store, organisation).run_id
    conn = sqlite3.connect(tmp_path / "s" / EmbeddedStore.FILENAME)
    conn.execute("UPDATE change_pages SET packed = substr(packed, 1, 40) WHERE seq = 0")
    conn.commit()
    conn.close()
    with EmbeddedStore(tmp_path / "s") as store:
        with pytest.raises(DamagedStoreError, match=f"ledger page {run_id} 0 cannot be read"):
            store.changes(run_id, 0, 10)


def _plant_in_ledger(store: GraphStore, store_kind: str, run_id: str) -> None:
    """What an earlier version could write: a lone surrogate, escaped, in a ledger entry."""
    def damaged(packed: bytes) -> bytes:
        texts = unpack(packed, "")
        texts[1] = texts[1].replace('"props":{', '"props":{"note":"\\ud800",', 1)
        return pack(texts)
    if store_kind == "embedded":
        conn = sqlite3.connect(store.path)  # type: ignore[attr-defined]
        [(packed,)] = conn.execute("SELECT packed FROM change_pages WHERE run_id = ? AND "
                                   "seq = 0", (run_id,)).fetchall()
        conn.execute("UPDATE change_pages SET packed = ? WHERE run_id = ? AND seq = 0",
                     (damaged(packed), run_id))
        conn.commit()
        conn.close()
        return

    def plant(tx: Any) -> None:
        label = cw.CHANGE_LABEL
        [record] = list(tx.run(f"MATCH (c:{label} {{run_id: $run_id, seq: 0}}) "
                               "RETURN c.packed AS packed", run_id=run_id))
        tx.run(f"MATCH (c:{label} {{run_id: $run_id, seq: 0}}) SET c.packed = $packed",
               run_id=run_id, packed=damaged(record["packed"])).consume()
    store.raw_write(plant)  # type: ignore[attr-defined]


def test_doctor_finds_and_mends_an_unreadable_ledger_entry(store: GraphStore, store_kind: str,
                                                          sample_dir: Path) -> None:
    run_id = ingest_bundle(store, sample_dir).run_id
    _, before = store.changes(run_id, 0, 10)
    _plant_in_ledger(store, store_kind, run_id)
    suspects = list(store.integrity().texts(suspect_only=True))
    assert [(s.table, s.key) for s in suspects] == [("changes", (run_id, 0, 1))]
    report = examine(store)
    assert report.counts == {"unreadable-value": 1}, report.problems
    assert examine(store, repair=True).repaired == 1
    _, after = store.changes(run_id, 0, 10)
    assert after[1].props.pop("note") == "\ufffd"
    assert after == before
    assert examine(store).counts == {}
