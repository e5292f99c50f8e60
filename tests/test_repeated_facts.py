"""Repeated facts keep their history: a role held again after a gap, a training completed every
year. Each row is its own relationship, on both stores."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from aimsgraph.graph import EmbeddedStore, GraphStore
from aimsgraph.graph.queries import Queries
from aimsgraph.graph.store.embedded_sql import SCHEMA_VERSION
from aimsgraph.ingest import ingest_bundle
from tests.bundles import write_bundle

HISTORY = {
    "people.csv": "id,name,seniority\nP-1,Ada,staff\nP-2,Bo,staff\n",
    "roles.csv": "id,name\nR-1,Model Owner\n",
    "role_assignments.csv": """
        person,role,since,until
        P-1,R-1,2023-01-01,2023-12-31
        P-1,R-1,2025-01-01,
    """,
    "ai_systems.csv": "id,name,lifecycle,owner_role\nS-1,Scorer,deployed,R-1\n",
    "trainings.csv": "id,name,validity_months,required_for\nT-1,Annual AI course,12,R-1\n",
    "training_records.csv": """
        person,training,completed_on
        P-1,T-1,2024-03-01
        P-1,T-1,2025-03-01
    """,
}


def _holders(queries: Queries, day: dt.date) -> list[str]:
    trace = queries.trace("system", "S-1", as_of=day).to_json()
    return sorted(p["id"] for p in trace["owners"]) if "owners" in trace else \
        [h["id"] for s in trace.get("steps", []) for h in s["holders"]]


def _findings(queries: Queries, day: dt.date, check: str) -> set[str]:
    (result,) = queries.gaps(day, [check]).results
    return {f.subject["id"] for f in result.findings}


def test_periods_and_completions_each_count(store: GraphStore, tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", HISTORY)
    first = ingest_bundle(store, folder)
    assert first.changes["relationships"]["HOLDS"]["created"] == 2
    assert first.changes["relationships"]["COMPLETED"]["created"] == 2
    again = ingest_bundle(store, folder)
    assert again.changes["relationships"]["HOLDS"] == {
        "created": 0, "updated": 0, "unchanged": 2, "removed": 0}
    assert store.stats().relationships["HOLDS"] == 2
    queries = Queries(store)
    owner = "ai-system-without-accountable-owner"
    for day, owned in ((dt.date(2023, 6, 1), True), (dt.date(2023, 12, 31), True),
                       (dt.date(2024, 6, 1), False), (dt.date(2025, 1, 1), True),
                       (dt.date(2026, 6, 1), True)):
        assert (_findings(queries, day, owner) == set()) is owned, day
    training = "training-missing"
    assert _findings(queries, dt.date(2023, 6, 1), training) == {"P-1"}  # never completed yet
    assert _findings(queries, dt.date(2024, 6, 1), training) == set()    # not a holder
    assert _findings(queries, dt.date(2025, 2, 1), training) == set()    # 2024's still valid
    assert _findings(queries, dt.date(2025, 6, 1), training) == set()    # 2025's
    assert _findings(queries, dt.date(2026, 3, 2), training) == {"P-1"}  # both lapsed


def test_a_sync_removes_one_period_and_keeps_the_other(store: GraphStore,
                                                       tmp_path: Path) -> None:
    folder = write_bundle(tmp_path / "b", HISTORY)
    ingest_bundle(store, folder, sync="hr")
    write_bundle(folder, {"role_assignments.csv": "person,role,since,until\n"
                                                  "P-1,R-1,2025-01-01,\n"})
    report = ingest_bundle(store, folder, sync="hr")
    assert report.changes["relationships"]["HOLDS"]["removed"] == 1
    assert store.stats().relationships["HOLDS"] == 1
    queries = Queries(store)
    assert _findings(queries, dt.date(2023, 6, 1), "ai-system-without-accountable-owner") == \
        {"S-1"}


def _as_version(folder: Path, version: str, columns: str, tables: str) -> None:
    """The embedded store in ``folder`` made as ``version`` kept it: its relationships
    (``columns`` of them) moved into the table ``tables`` creates."""
    conn = sqlite3.connect(folder / EmbeddedStore.FILENAME)
    rows = conn.execute(f"SELECT {columns} FROM rels").fetchall()
    conn.executescript(f"DROP TABLE rels; {tables} "
                       f"UPDATE meta SET value = '{version}' WHERE key = 'schema_version';")
    marks = ", ".join("?" * len(columns.split(",")))
    conn.executemany(f"INSERT INTO rels VALUES ({marks})", rows)
    conn.commit()
    conn.close()


def test_a_version_1_embedded_store_is_migrated(tmp_path: Path) -> None:
    """A store written before repeated facts opens with its relationships and identities."""
    folder = tmp_path / "old"
    with EmbeddedStore(folder) as store:
        ingest_bundle(store, write_bundle(tmp_path / "b", {
            **HISTORY, "role_assignments.csv": "person,role,since\nP-1,R-1,2023-01-01\n",
            "training_records.csv": "person,training,completed_on\nP-1,T-1,2024-03-01\n"}))
        before = store.stats()
    _as_version(folder, "1", "type, src_label, src_id, dst_label, dst_id, props", """
        CREATE TABLE rels (
            type TEXT NOT NULL, src_label TEXT NOT NULL, src_id TEXT NOT NULL,
            dst_label TEXT NOT NULL, dst_id TEXT NOT NULL, props TEXT NOT NULL,
            PRIMARY KEY (type, src_label, src_id, dst_label, dst_id)) WITHOUT ROWID;""")
    with EmbeddedStore(folder) as store:
        assert store.stats() == before
        holds = [r for r in store.iter_relationships() if r.type == "HOLDS"]
        assert [r.identity for r in holds] == ["2023-01-01"]
    conn = sqlite3.connect(folder / EmbeddedStore.FILENAME)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert json.loads(conn.execute("SELECT props FROM rels WHERE type = 'HOLDS'").fetchone()[0])[
        "since"] == "2023-01-01"
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == \
        (SCHEMA_VERSION,)


def test_a_version_3_embedded_store_is_rekeyed(tmp_path: Path) -> None:
    """A store keyed by type first (version 3) opens with every relationship and identity,
    keyed by start first, without the index by start that key now serves."""
    folder = tmp_path / "v3"
    with EmbeddedStore(folder) as store:
        ingest_bundle(store, write_bundle(tmp_path / "b", HISTORY))
        before = store.stats()
        relationships = {r.key: r.props for r in store.iter_relationships()}
        traced = Queries(store).trace("system", "S-1", as_of=dt.date(2025, 6, 1))
    _as_version(folder, "3", "type, src_label, src_id, dst_label, dst_id, ident, props", """
        CREATE TABLE rels (
            type TEXT NOT NULL, src_label TEXT NOT NULL, src_id TEXT NOT NULL,
            dst_label TEXT NOT NULL, dst_id TEXT NOT NULL, ident TEXT NOT NULL DEFAULT '',
            props TEXT NOT NULL,
            PRIMARY KEY (type, src_label, src_id, dst_label, dst_id, ident)) WITHOUT ROWID;
        CREATE INDEX rels_by_src ON rels(src_label, src_id);
        CREATE INDEX rels_by_dst ON rels(dst_label, dst_id);""")
    with EmbeddedStore(folder) as store:
        assert store.stats() == before
        assert {r.key: r.props for r in store.iter_relationships()} == relationships
        assert len([r for r in relationships if r[0] == "HOLDS"]) == 2
        # walks by start and by end (the lazy view's reads) answer as before
        assert Queries(store).trace("system", "S-1", as_of=dt.date(2025, 6, 1)) == traced
    conn = sqlite3.connect(folder / EmbeddedStore.FILENAME)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == \
        (SCHEMA_VERSION,) == ("4",)
    assert {name for (name,) in conn.execute(
        "SELECT name FROM sqlite_schema WHERE tbl_name = 'rels' AND type = 'index' "
        "AND sql IS NOT NULL")} == {"rels_by_dst"}
    plan = " ".join(row[-1] for row in conn.execute(
        "EXPLAIN QUERY PLAN SELECT * FROM rels WHERE src_label = 'AISystem' AND src_id = 'S-1'"))
    assert "PRIMARY KEY" in plan, plan
