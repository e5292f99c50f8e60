"""Ingestion into Neo4j against a baseline of raw driver UNWIND writes, in one process.

Both sides start from an empty database and write the same rows: aimsgraph reads, validates,
resolves, plans and writes the generated bundle with provenance; the baseline sends the
already-planned rows straight to the driver with the same UNWIND queries and batch size. The
result is rows per second for both and their ratio (aimsgraph / baseline). The baseline
MERGEs, as a loader must that does not read the graph first; a second baseline CREATEs every
row, as only a loader that knows the database is empty can, to show what aimsgraph's
creating what its plan found absent is worth.

    python -m bench.neo4j_ingest --systems 10000            # starts the bundled Neo4j
    python -m bench.neo4j_ingest --systems 10000 --uri bolt://127.0.0.1:7687
    python -m bench.neo4j_ingest --systems 10000 --repeat 3     # medians of three turns
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import neo4j

from aimsgraph.graph.store import cypher_writes as cw
from aimsgraph.graph.store.collector import collector_paused
from aimsgraph.graph.store.neo4j_store import Neo4jStore
from aimsgraph.graph.store.neo4j_tx import BATCH
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ingest.pipeline import new_run_id
from aimsgraph.ingest.plan import Provenance
from aimsgraph.ingest.stream import Streamer, plan_whole
from bench.generate import generate


def _wipe(uri: str) -> None:
    with neo4j.GraphDatabase.driver(uri, notifications_min_severity="OFF") as driver:
        while True:
            summary = driver.execute_query(
                "MATCH (n) WITH n LIMIT 50000 DETACH DELETE n RETURN count(*) AS c",
                database_="neo4j")
            if summary.records[0]["c"] == 0:
                return


def _planned_rows(store: Neo4jStore, folder: Path) -> Any:
    """Every change an ingest of ``folder`` writes, planned as a dry run plans them."""
    now = dt.datetime.now(dt.UTC)
    streamer = Streamer(Provenance(new_run_id(now), now), False, False, lambda _: None)
    kept = store.read_transaction(lambda tx: plan_whole(streamer, folder, None, tx, True))
    assert not streamer.issues(), streamer.issues()[:5]
    return kept.changes


def _baseline(uri: str, changes: Any, create: bool = False) -> float:
    """Raw driver writes of the planned rows, same queries and batches; returns seconds.
    ``create``: CREATE instead of MERGE, as only a loader that knows the database is empty
    can (aimsgraph creates what its plan found absent, MERGEs the rest)."""
    nodes: dict[tuple[str, frozenset[str]], list[dict[str, Any]]] = defaultdict(list)
    for n in changes.upsert_nodes:
        nodes[(n.label, n.labels)].append({"id": n.id, "props": n.props})
    rels: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in changes.upsert_rels:
        rels[(r.type, r.start[0], r.end[0])].append(
            {"start": r.start[1], "end": r.end[1], "props": r.props})
    node_query = cw.create_nodes if create else cw.merge_nodes
    rel_query = cw.create_relationships if create else cw.merge_relationships
    batches = [(node_query(label, labels), rows[i:i + BATCH])
               for (label, labels), rows in nodes.items() for i in range(0, len(rows), BATCH)]
    batches += [(rel_query(rel_type, start, end), rows[i:i + BATCH])
                for (rel_type, start, end), rows in rels.items()
                for i in range(0, len(rows), BATCH)]
    # transactions of at most as many rows as aimsgraph puts in one
    transactions: list[list[tuple[str, list[dict[str, Any]]]]] = [[]]
    held = 0
    for query, rows in batches:
        if held and held + len(rows) > Neo4jStore.max_transaction_changes:
            transactions.append([])
            held = 0
        transactions[-1].append((query, rows))
        held += len(rows)

    def write(tx: neo4j.ManagedTransaction,
              work: list[tuple[str, list[dict[str, Any]]]]) -> None:
        for query, rows in work:
            tx.run(query, rows=rows).consume()

    with neo4j.GraphDatabase.driver(uri, notifications_min_severity="OFF") as driver, \
            driver.session(database="neo4j") as session:
        driver.verify_connectivity()  # the connection is opened outside the timer, as ours
        with collector_paused():  # the collector as an ingest runs with it
            started = time.perf_counter()
            for work in transactions:
                session.execute_write(write, work)
            return time.perf_counter() - started


def _ours(uri: str, folder: Path) -> tuple[float, Any]:
    """aimsgraph's ingest of ``folder`` into the emptied database: seconds, and its stats."""
    _wipe(uri)
    with Neo4jStore(uri) as store:
        started = time.perf_counter()
        ingest_bundle(store, folder)
        ours = time.perf_counter() - started
        return ours, store.stats()


def _theirs(uri: str, changes: Any, create: bool) -> float:
    _wipe(uri)
    with Neo4jStore(uri):  # the same schema and catalogue as aimsgraph starts from
        pass
    return _baseline(uri, changes, create)


def run(uri: str, systems: int, warm_up: bool = True, repeat: int = 1) -> dict[str, Any]:
    """Measure both sides at ``systems`` (after a small warm-up of both, for the JIT),
    ``repeat`` times in turn (baseline, aimsgraph, creating baseline): a server's pace
    drifts as its store files grow, so each side gets its median."""
    if warm_up:
        run(uri, max(50, systems // 20), warm_up=False)
    times: dict[str, list[float]] = {"baseline": [], "aimsgraph": [], "create": []}
    with tempfile.TemporaryDirectory() as tmp:
        folder = generate(Path(tmp) / "bundle", systems)
        _wipe(uri)
        with Neo4jStore(uri) as store:  # creates the schema and the catalogue
            changes = _planned_rows(store, folder)
        rows = len(changes.upsert_nodes) + len(changes.upsert_rels)
        for _ in range(repeat):
            times["baseline"].append(_theirs(uri, changes, create=False))
            ours, stats = _ours(uri, folder)
            times["aimsgraph"].append(ours)
            times["create"].append(_theirs(uri, changes, create=True))
    baseline, ours, creating = (statistics.median(times[k])
                                for k in ("baseline", "aimsgraph", "create"))
    return {
        "systems": systems, "nodes": sum(v for k, v in stats.nodes.items() if k != "Leader"),
        "relationships": sum(stats.relationships.values()), "rows": rows,
        "baseline_seconds": round(baseline, 2), "aimsgraph_seconds": round(ours, 2),
        "baseline_rows_per_s": round(rows / baseline), "aimsgraph_rows_per_s": round(rows / ours),
        "ratio": round(baseline / ours, 3),
        "create_baseline_seconds": round(creating, 2),
        "ratio_to_create_baseline": round(creating / ours, 3),
        "runs_seconds": {k: [round(t, 2) for t in v] for k, v in times.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--systems", type=int, default=2000)
    parser.add_argument("--uri", help="an empty Neo4j to use (default: start the bundled one)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="measure each side this many times, in turn (medians reported)")
    args = parser.parse_args()
    if args.uri:
        print(json.dumps(run(args.uri, args.systems, repeat=args.repeat), indent=2))
        return
    from aimsgraph.graph.store.bundled_neo4j import BundledNeo4j

    with tempfile.TemporaryDirectory() as tmp, \
            BundledNeo4j(Path(tmp) / "db", page_cache="2g", heap="4g") as server:
        print(json.dumps(run(server.uri, args.systems, repeat=args.repeat), indent=2))


if __name__ == "__main__":
    main()
