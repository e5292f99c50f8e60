"""How the cost of every question grows with the organisation: 1k to 100k AI systems.

For each size and store, in one process: a generated organisation is ingested into an empty
store, then each question is timed as a user meets it:

- ingest rows per second (the bundle's data rows over the whole ``ingest_bundle``);
- every gap check (fresh, nothing cached: on the embedded store this includes reading the
  whole graph), in process, then again warm (the server's caches, or the embedded store's
  view of this generation, as a long-running API process has them), and as a whole command
  (``aimsgraph gaps``, its table printed);
- a control trace in process (p50 and p99 over 50 random controls, each a new question) and as
  a whole command (``aimsgraph trace control ID`` in a new process, median of 5);
- impact (what is hit if a supplier fails or a person leaves) in process: p50 over 25 random
  suppliers and 25 random people, each a new question;
- an entity with provenance and its neighbourhood to depth 2, as the API gives them (each
  node's first 100 neighbours followed): p50 over 50 random nodes, half AI systems and half
  controls, and p50 of each kind, and how many nodes that neighbourhood holds (p50); and for
  the controls, the same with every neighbour followed;
- the Statement of Applicability, and the EU AI Act's coverage through the shipped starter
  crosswalks (ingested first, untimed);
- building a page of 2,000 and of 5,000 nodes (canvas, layout and HTML);
- peak resident memory of the benchmark process, of one whole command and of the bundled
  Neo4j server (``--page-cache`` and ``--heap`` size it; the defaults are the tests').

Between sizes each time gets a growth exponent k (time ~ size^k). Results are printed as a
Markdown table and appended to ``bench/RESULTS.md`` with the date and the machine.

    python -m bench.scale --systems 1000,10000 --store embedded
    python -m bench.scale --systems 1000,10000 --store neo4j      # starts the bundled Neo4j
"""

from __future__ import annotations

import argparse
import compileall
import datetime as dt
import math
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aimsgraph.graph import EmbeddedStore, GraphStore
from aimsgraph.graph.queries import Queries
from aimsgraph.graph.questions.checks import CHECKS
from aimsgraph.graph.questions.kinds import MOST_NEIGHBOURS
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.view import GraphView
from aimsgraph.ingest import ingest_bundle
from aimsgraph.visualise import render_page
from aimsgraph.visualise.canvas import Canvas
from bench.generate import generate

AS_OF = dt.date(2026, 6, 15)
ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"
STARTERS = ROOT / "ingest" / "samples" / "crosswalks"


def _seconds(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _rows(folder: Path) -> int:
    return sum(max(0, sum(1 for _ in f.open(encoding="utf-8")) - 1)
               for f in folder.glob("*.csv"))


@contextmanager
def _store(kind: str, folder: Path, uri: str | None,
           loaded: bool = False) -> Iterator[tuple[GraphStore, dict[str, str]]]:
    """An open store of ``kind``, empty unless ``loaded``, and the environment that points
    the CLI at it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if kind == "embedded":
        with EmbeddedStore(folder) as store:
            yield store, {**env, "AIMSGRAPH_STORE": "embedded",
                          "AIMSGRAPH_DATA_DIR": str(folder)}
        return
    from aimsgraph.graph.store.neo4j_store import Neo4jStore
    from bench.neo4j_ingest import _wipe

    assert uri is not None
    if not loaded:
        _wipe(uri)
    with Neo4jStore(uri) as store:
        yield store, {**env, "AIMSGRAPH_STORE": "neo4j", "NEO4J_URI": uri}


def _ledger_bytes(store: GraphStore, kind: str, folder: Path) -> int:
    """The bytes the change ledger's pages take in the store."""
    if kind == "embedded":
        with sqlite3.connect(folder / EmbeddedStore.FILENAME) as conn:
            return int(conn.execute("SELECT coalesce(sum(length(packed)), 0) "
                                    "FROM change_pages").fetchone()[0])
    cypher = store.cypher()
    assert cypher is not None
    rows = cypher.query("MATCH (c:IngestChange) RETURN coalesce(sum(size(c.packed)), 0) AS b")
    return int(rows[0]["b"])


def _command(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak MiB of ``aimsgraph ARGS`` in a new process, both the command's own
    (the launcher that measures it is not counted)."""
    from tests.hostile.measure import finish_timed, launch

    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "rusage.json"
        process = launch([sys.executable, "-m", "aimsgraph.api.cli", *args], env,
                         subprocess.DEVNULL, subprocess.DEVNULL, report)
        code, peak, elapsed = finish_timed(process, report, 600)
    assert code == 0, f"aimsgraph {' '.join(args)} failed"
    return elapsed, peak


def _page_seconds(view: GraphView, size: int) -> float:
    keys = sorted(view.all_nodes())[:size]

    def build() -> None:
        sem = Semantics(view, AS_OF)
        chosen = set(keys)
        canvas = Canvas(sem)
        for key in chosen:
            canvas.node(key)
        for a, b, rel_type in view.edges_among(chosen):
            canvas.edge(rel_type, a, b)
        render_page(canvas.page(f"{size} nodes", "", "node"))

    return _seconds(build)


class _Figures(dict[str, float]):
    """Figures that are also printed as they are measured, so that a long run that stops
    part-way (out of memory, out of time) still leaves what it measured."""

    def __setitem__(self, name: str, value: float) -> None:
        super().__setitem__(name, value)
        print(f"{name}: {value:.4g}", file=sys.stderr, flush=True)


def measure(kind: str, systems: int, uri: str | None, work: Path,
            loaded: bool = False, pages: bool = True) -> dict[str, float]:
    """Every figure for one store and size (all but ingestion when the Neo4j at ``uri`` is
    ``loaded`` with the generated organisation of this size already; without the pages
    unless ``pages``: they are cut from the whole graph held in this process)."""
    rng = random.Random(systems)
    out: dict[str, float] = _Figures(nodes=0.0)
    with _store(kind, work / f"{kind}-{systems}", uri, loaded) as (store, env):
        if not loaded:
            bundle = work / f"bundle-{systems}"
            if not bundle.exists():
                generate(bundle, systems)
            rows = _rows(bundle)
            out["ingest_rows_per_s"] = rows / _seconds(lambda: ingest_bundle(store, bundle))
            # the first thing this process does at scale: its peak so far is the ingest's
            out["ingest_peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            out["ledger_mb"] = _ledger_bytes(store, kind, work / f"{kind}-{systems}") / 1e6
        out["nodes"] = float(sum(store.stats().nodes.values()))
        out["checks_s"] = _seconds(lambda: Queries(store).gaps(AS_OF))
        # again, nothing kept by aimsgraph: the server's caches (Neo4j) or the store's view
        # of this generation (embedded) are warm, as in a long-running API process
        out["checks_warm_s"] = _seconds(lambda: Queries(store).gaps(AS_OF))
        controls = [f"C{rng.randrange(systems)}" for _ in range(50)]
        traces = []
        for control in controls:
            with Queries(store) as queries:
                traces.append(_seconds(lambda q=queries, c=control: q.trace(  # type: ignore[misc]
                    "control", c, as_of=AS_OF)))
        out["trace_p50_ms"] = statistics.median(traces) * 1000
        out["trace_p99_ms"] = sorted(traces)[min(len(traces) - 1, int(len(traces) * 0.99))] \
            * 1000
        impacts: dict[str, list[float]] = {"supplier": [], "person": []}
        for i in range(50):  # what fails or leaves: a supplier, a person (each a new question)
            kind, node = (("supplier", f"SUP{rng.randrange(max(1, systems // 20))}") if i % 2
                          else ("person", f"P{rng.randrange(systems * 2)}"))
            with Queries(store) as queries:
                impacts[kind].append(_seconds(
                    lambda q=queries, k=kind, n=node: q.impact(k, n, AS_OF)))  # type: ignore[misc]
        out["impact_supplier_p50_ms"] = statistics.median(impacts["supplier"]) * 1000
        out["impact_person_p50_ms"] = statistics.median(impacts["person"]) * 1000
        entities: dict[str, list[float]] = {"AISystem": [], "Control": [], "all": []}
        sizes: dict[str, list[int]] = {"AISystem": [], "Control": [], "all": []}
        for i in range(50):
            key = ("AISystem", f"S{rng.randrange(systems)}") if i % 2 else \
                ("Control", f"C{rng.randrange(systems)}")

            def entity(key: tuple[str, str] = key, kind: str = key[0],
                       most: int | None = MOST_NEIGHBOURS) -> None:
                with Queries(store) as queries:  # what the API's entity and neighbours give
                    queries.entity(*key)
                    sizes[kind].append(len(queries.neighbourhood(*key, 2, most).nodes))

            entities[key[0]].append(_seconds(entity))
            if key[0] == "Control":  # every neighbour followed, as before the limit
                entities["all"].append(_seconds(lambda k=key: entity(k, "all", None)))
        # Half systems (tens of nodes around them) and half controls (through their
        # requirement, thousands, of which the first MOST_NEIGHBOURS are followed): the median
        # of all 50 falls between the two kinds, so each kind has its own too.
        out["entity_p50_ms"] = statistics.median([*entities["AISystem"],
                                                  *entities["Control"]]) * 1000
        out["entity_nodes_p50"] = statistics.median([*sizes["AISystem"], *sizes["Control"]])
        out["system_p50_ms"] = statistics.median(entities["AISystem"]) * 1000
        out["control_p50_ms"] = statistics.median(entities["Control"]) * 1000
        out["control_nodes_p50"] = statistics.median(sizes["Control"])
        out["control_all_p50_ms"] = statistics.median(entities["all"]) * 1000
        out["control_all_nodes_p50"] = statistics.median(sizes["all"])
        out["soa_s"] = _seconds(lambda: Queries(store).report("soa", AS_OF))
        for starter in sorted(STARTERS.iterdir()):  # the shipped crosswalks, not timed
            ingest_bundle(store, starter)
        out["eu_coverage_s"] = _seconds(
            lambda: Queries(store).report("coverage", AS_OF, framework="EU_AI_ACT"))
        if pages:
            whole = Queries(store).whole_view()  # what the pages are cut from: not timed
            out["page_2000_s"] = _page_seconds(whole, 2000)
            out["page_5000_s"] = _page_seconds(whole, 5000)
            del whole
        runs = [_command(["trace", "control", controls[0], "--as-of", AS_OF.isoformat()], env)
                for _ in range(5)]
        out["trace_command_s"] = statistics.median(r[0] for r in runs)
        out["trace_command_peak_mib"] = max(r[1] for r in runs)
        out["gaps_command_s"], out["gaps_command_peak_mib"] = _command(
            ["gaps", "--as-of", AS_OF.isoformat()], env)  # the table people read
    out["process_peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


_COLUMNS = [("nodes", "nodes", "{:,.0f}"), ("ingest_rows_per_s", "ingest rows/s", "{:,.0f}"),
            ("ingest_peak_mib", "ingest peak MiB", "{:.0f}"), ("ledger_mb", "ledger MB",
                                                              "{:.1f}"),
            ("checks_s", "all checks s", "{:.2f}"), ("checks_warm_s", "warm s", "{:.2f}"),
            ("gaps_command_s", "gaps cmd s", "{:.2f}"),
            ("trace_p50_ms", "trace p50 ms", "{:.1f}"), ("trace_p99_ms", "trace p99 ms",
                                                          "{:.1f}"),
            ("trace_command_s", "trace cmd s", "{:.2f}"),
            ("impact_supplier_p50_ms", "impact supplier p50 ms", "{:.1f}"),
            ("impact_person_p50_ms", "impact person p50 ms", "{:.1f}"),
            ("entity_p50_ms", "entity+2 p50 ms", "{:.1f}"),
            ("entity_nodes_p50", "entity+2 nodes p50", "{:,.0f}"),
            ("system_p50_ms", "system+2 p50 ms", "{:.1f}"),
            ("control_p50_ms", "control+2 p50 ms", "{:.1f}"),
            ("control_nodes_p50", "control+2 nodes p50", "{:,.0f}"),
            ("control_all_p50_ms", "control+2 all p50 ms", "{:.1f}"),
            ("control_all_nodes_p50", "control+2 all nodes p50", "{:,.0f}"),
            ("soa_s", "SoA s", "{:.3f}"), ("eu_coverage_s", "EU AI Act coverage s", "{:.3f}"),
            ("page_2000_s", "page 2k s", "{:.2f}"), ("page_5000_s", "page 5k s", "{:.2f}"),
            ("trace_command_peak_mib", "trace cmd MiB", "{:.0f}"),
            ("gaps_command_peak_mib", "gaps cmd MiB", "{:.0f}"),
            ("process_peak_mib", "bench MiB", "{:.0f}"),
            ("server_peak_mib", "server MiB", "{:.0f}")]
_GROWTH = ["ingest_rows_per_s", "checks_s", "checks_warm_s", "gaps_command_s", "trace_p50_ms",
           "trace_command_s", "entity_p50_ms", "soa_s"]


def table(kind: str, results: dict[int, dict[str, float]]) -> str:
    """The results of one run as Markdown, with growth exponents between sizes."""
    lines = ["| systems | " + " | ".join(title for _, title, _ in _COLUMNS) + " |",
             "|---" * (len(_COLUMNS) + 1) + "|"]
    for systems, row in sorted(results.items()):
        lines.append(f"| {systems:,} | " + " | ".join(
            fmt.format(row[key]) if key in row else "" for key, _, fmt in _COLUMNS) + " |")
    sizes = sorted(results)
    for small, large in zip(sizes, sizes[1:], strict=False):
        ratio = results[large]["nodes"] / results[small]["nodes"]
        growth = []
        for key in _GROWTH:
            a, b = results[small][key], results[large][key]
            if key == "ingest_rows_per_s":  # a rate: time per row is its inverse
                a, b = 1 / a, 1 / b
            growth.append(f"{key} {math.log(b / a) / math.log(ratio):.2f}")
        lines.append("")
        lines.append(f"Growth exponent k (time ~ size^k), {small:,} -> {large:,} systems: "
                     + ", ".join(growth))
    return f"### {kind} store\n\n" + "\n".join(lines) + "\n"


def _peak_mib(pid: int) -> float:
    """The peak resident memory of process ``pid`` so far (Linux: its high-water mark)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _server_flags(args: argparse.Namespace) -> str:
    """The bundled server's settings, when they are not the defaults."""
    flags = [f"--{name.replace('_', '-')} {getattr(args, name)}"
             for name, default in (("page_cache", "256m"), ("heap", "1g"))
             if getattr(args, name) != default]
    return "".join(f" {flag}" for flag in flags)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--systems", default="1000,10000",
                        help="comma-separated sizes (AI systems)")
    parser.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    parser.add_argument("--uri", help="a Neo4j to use (default: start the bundled one)")
    parser.add_argument("--page-cache", default="256m",
                        help="the bundled Neo4j's page cache (default: as the tests use)")
    parser.add_argument("--heap", default="1g", help="the bundled Neo4j's heap")
    parser.add_argument("--no-save", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--no-pages", action="store_true",
                        help="skip the pages, which hold the whole graph in this process "
                             "(about 12 GiB at 300k systems: more than this machine at 1M)")
    parser.add_argument("--loaded", action="store_true",
                        help="the Neo4j at --uri holds the organisation of the one size "
                             "given: measure all but ingestion on it, without wiping it")
    args = parser.parse_args()
    sizes = [int(s) for s in args.systems.split(",") if s.strip()]
    if args.loaded and (args.store != "neo4j" or args.uri is None or len(sizes) != 1):
        parser.error("--loaded needs --store neo4j, --uri and one size")
    # Commands are timed as installed: with their bytecode compiled, as `make` leaves it.
    for package in ("api", "graph", "ingest", "ontology", "visualise"):
        compileall.compile_dir(ROOT / package, quiet=1)
    server = None
    uri = args.uri
    if args.store == "neo4j" and uri is None:
        from aimsgraph.graph.store.bundled_neo4j import BundledNeo4j, free_port

        server = BundledNeo4j(Path(tempfile.mkdtemp()) / "neo4j", free_port(),
                              page_cache=args.page_cache, heap=args.heap)
        uri = server.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            results = {}
            for n in sizes:
                results[n] = measure(args.store, n, uri, Path(tmp), args.loaded,
                                     pages=not args.no_pages)
                if server is not None and server.process is not None:
                    results[n]["server_peak_mib"] = _peak_mib(server.process.pid)
    finally:
        if server is not None:
            server.stop()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    text = (f"\n## {dt.date.today().isoformat()}: `python -m bench.scale --systems "
            f"{args.systems} --store {args.store}{' --loaded' if args.loaded else ''}"
            f"{' --no-pages' if args.no_pages else ''}"
            f"{_server_flags(args)}`\n\n"
            f"Machine: {os.cpu_count()} cores, "
            f"{memory:.0f} GiB. Checks: {len(CHECKS)}.\n\n" + table(args.store, results))
    print(text)
    if not args.no_save:
        if not RESULTS.exists():
            RESULTS.write_text("# Benchmark results\n\nAppended by `python -m bench.scale`; "
                               "each run says its date, command and machine.\n", "utf-8")
        with RESULTS.open("a", encoding="utf-8") as out:
            out.write(text)


if __name__ == "__main__":
    main()
