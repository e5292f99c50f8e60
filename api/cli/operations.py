"""Running the product: ``doctor``, ``serve``, ``demo`` and the bundled ``neo4j``."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from aimsgraph.api.output import (
    Format,
    emit,
    print_plain,
    stderr_console,
    to_json,
)

if TYPE_CHECKING:  # imported by the commands that use them, not at start-up
    from aimsgraph.graph import Stats
    from aimsgraph.graph.questions.checks import GapReport
    from aimsgraph.ingest import IngestReport
from aimsgraph.api.cli.base import (
    FormatOption,
    app,
    load_settings,
    open_store,
    progress_bar,
    queries_for,
    reported_run,
)
from aimsgraph.api.cli.ingestion import print_stats


@app.command()
def doctor(
    repair: Annotated[bool, typer.Option(
        "--repair", help="Mend what can be mended: unreadable text rewritten with U+FFFD "
        "for each character UTF-8 cannot carry, dangling relationships removed.")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Examine the store: every stored value reads back, no relationship has lost an end,
    and the run ledger replays to the data. Exits 3 when a problem is left."""
    from aimsgraph.graph.store.doctor import examine  # start-up: each command loads what it uses

    def action() -> Any:
        with open_store() as store:
            return examine(store, repair)
    found = reported_run(action, fmt)
    rows = [[p.kind, p.where, p.detail, "yes" if p.repairable else "no"] for p in found.problems]
    left = sum(found.counts.values())
    title = (f"{found.store} store: " + (f"{left} problem{'s' if left != 1 else ''} ("
                                         + ", ".join(f"{n} {k}" for k, n in found.counts.items())
                                         + ")" if left else "healthy")
             + (f"; {found.repaired} repaired" if found.repaired else ""))
    if fmt is Format.table and not rows:
        print_plain(Console(), title)
    else:
        emit(fmt, found.to_json(), ["problem", "where", "what", "--repair mends it"], rows,
             title)
    if left:
        raise typer.Exit(3)


@app.command()
def serve(
    host: Annotated[str, typer.Option(metavar="ADDRESS",
                                      help="Interface to listen on (loopback by default).")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option(metavar="PORT", help="TCP port.")] = 8000,
    jobs: Annotated[bool, typer.Option(
        "--jobs", help="Also run the due ingestion jobs of AIMSGRAPH_JOBS_FILE, one at a "
        "time, in the background.")] = False,
) -> None:
    """Run the HTTP API (OpenAPI at /openapi.json, docs at /docs)."""
    import uvicorn  # start-up: only serve needs the server

    from aimsgraph.api.http.app import create_app  # start-up: only serve needs FastAPI

    uvicorn.run(reported_run(lambda: create_app(run_jobs=jobs)), host=host, port=port,
                log_level="info")


neo4j_app = typer.Typer(help="The bundled Neo4j 5.26 server (needs Java 17 and Maven).",
                        no_args_is_help=True)

app.add_typer(neo4j_app, name="neo4j")

@neo4j_app.command("start")
def neo4j_start(
    port: Annotated[int, typer.Option(metavar="PORT",
                                      help="Bolt port on 127.0.0.1 (0 picks a free one).")]
    = 7687,
    data_dir: Annotated[Path | None, typer.Option(
        metavar="DIR", help="Database folder (default: neo4j/ under the aimsgraph data "
        "folder).")] = None,
    password: Annotated[str | None, typer.Option(
        metavar="PASSWORD", help="Turn authentication on with this password for user "
        "neo4j.")] = None,
    page_cache: Annotated[str, typer.Option(metavar="SIZE",
                                            help="Neo4j page cache size, e.g. 512m.")] = "512m",
    heap: Annotated[str | None, typer.Option(
        metavar="SIZE", help="Java heap, e.g. 4g (default: a quarter of this machine's memory, "
        "from 1g to 8g); the G1 collector is used.")] = None,
) -> None:
    """Run the bundled Neo4j in the foreground on loopback; prints its Bolt URI when ready and
    stops cleanly on Ctrl-C or SIGTERM."""
    from aimsgraph.graph.store.bundled_neo4j import BundledNeo4j, free_port  # start-up

    settings = load_settings()

    folder = data_dir or settings.data_folder() / "neo4j"
    from aimsgraph.graph.store.bundled_neo4j import default_heap  # as above

    server = BundledNeo4j(folder, port or free_port(), password, page_cache=page_cache,
                          heap=heap or default_heap(), collector="g1")

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        print_plain(stderr_console(), f"starting Neo4j in {folder} (the first start builds it) ...")
        uri = reported_run(server.start)
        sys.stdout.write(uri + "\n")
        sys.stdout.flush()
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
        stderr_console().print("Neo4j stopped")


@app.command()
def demo(fmt: FormatOption = Format.table) -> None:
    """Load the sample organisation into the configured store and show what it holds."""
    from aimsgraph.ingest import ingest_bundle  # start-up: each command loads what it uses
    from aimsgraph.ingest.sample import sample_bundle  # as above
    from aimsgraph.visualise import build_page, render_page  # pyvis loads only for a page

    settings = load_settings()
    page_path = settings.data_folder() / "demo-gaps.html"

    def action() -> tuple[IngestReport, Stats, str, GapReport]:
        with open_store() as store, progress_bar("loading the sample organisation") as step:
            loaded = ingest_bundle(store, sample_bundle(), progress=step)
            where = str(getattr(store, "path", store.name))
            queries = queries_for(store)
            page_path.parent.mkdir(parents=True, exist_ok=True)
            page_path.write_text(render_page(build_page(queries, "gaps")), encoding="utf-8")
            return loaded, store.stats(), where, queries.gaps()
    loaded, contents, where, gap_report = reported_run(action, fmt)
    if fmt is Format.json:
        sys.stdout.write(to_json({"store": where, "ingest": loaded.to_json(),
                                  "stats": {"nodes": contents.nodes,
                                            "relationships": contents.relationships},
                                  "gaps": gap_report.to_json(),
                                  "page": str(page_path)}) + "\n")
        return
    print_stats(contents, fmt, title=f"Loaded the sample organisation into {where}")
    rows = [[r.check.id, r.check.severity, len(r.findings)] for r in gap_report.results]
    emit(fmt, gap_report.to_json(), ["check", "severity", "findings"], rows,
         f"Gap summary as of {gap_report.as_of.isoformat()} "
         f"({sum(len(r.findings) for r in gap_report.results)} findings)")
    if fmt is Format.table:
        console = Console()
        print_plain(console, f"Visualisation of the gaps: {page_path}")
        console.print("Details: aimsgraph gaps | trace control C-16 | report soa --format html "
                      "-o soa.html | visualise trace C-16 -o trace.html | due --within 60d",
                      highlight=False, soft_wrap=True)
        console.print("The dashboard: aimsgraph serve, then open http://127.0.0.1:8000/",
                      highlight=False, soft_wrap=True)
