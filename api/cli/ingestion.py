"""Putting facts in and seeing what came in: ``ingest``, ``stats``, ``runs``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from aimsgraph.api.output import (
    Format,
    emit,
    print_plain,
)

if TYPE_CHECKING:  # imported by the commands that use them, not at start-up
    from aimsgraph.graph import Stats
    from aimsgraph.ingest import IngestReport
from aimsgraph.api.cli.base import (
    FormatOption,
    app,
    fail,
    load_settings,
    open_store,
    progress_bar,
    reported_run,
)


def _changes_rows(report: IngestReport) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for kind in ("nodes", "relationships"):
        for name, actions in report.changes.get(kind, {}).items():
            rows.append([kind[:-1] if kind == "nodes" else "relationship", name,
                         *actions.values()])
    return rows


def _unchanged_line(rows: list[list[Any]]) -> str:
    nodes = sum(r[4] for r in rows if r[0] == "node")
    rels = sum(r[4] for r in rows if r[0] == "relationship")
    return (f"unchanged: {nodes} node{'s' if nodes != 1 else ''} and {rels} "
            f"relationship{'s' if rels != 1 else ''}")


#: How many planned changes a dry run lists in a table (JSON lists them all).
PLANNED_SHOWN = 200


def print_ingest_report(report: IngestReport, fmt: Format) -> None:
    """The run's counts: as a table of what changed (the unchanged summed in one line, and
    nothing but that line when nothing changed), or every count as JSON or CSV."""
    verb = "would change" if report.dry_run else "changed"
    title = f"{report.bundle}: run {report.run_id} {verb}"
    rows = _changes_rows(report)
    if fmt is not Format.table:
        emit(fmt, report.to_json(), ["kind", "name", "created", "updated", "unchanged",
                                     "removed"], rows)
    else:
        console = Console()
        if not report.changed:
            print_plain(console, f"{title} nothing: the graph already holds this bundle as "
                                 "it is")
        else:
            emit(fmt, None, ["kind", "name", "created", "updated", "removed"],
                 [[k, n, c, u, r] for k, n, c, u, _, r in rows if c or u or r], title)
        print_plain(console, _unchanged_line(rows))
    if report.planned and fmt is Format.table:  # JSON carries the whole ledger
        shown = [c.to_json() for c in report.planned[:PLANNED_SHOWN]]
        more = len(report.planned) - len(shown)
        emit(fmt, None, ["action", "type", "which", "properties or before -> after"],
             _change_rows(shown), f"planned changes ({len(report.planned)})"
             + (f"; {more} more with --format json" if more else ""))
    if report.warnings and fmt is not Format.json:  # JSON carries them
        errors = Console(stderr=True)
        for warning in report.warnings:
            print_plain(errors, f"warning: {warning}", "yellow")
        more = report.warnings_total - len(report.warnings)
        if more > 0:
            print_plain(errors, f"warning: ... and {more} more warning{'s' if more != 1 else ''}"
                                f" (the first {len(report.warnings)} are listed)", "yellow")


def print_stats(stats: Stats, fmt: Format, title: str = "graph contents") -> None:
    data = {"nodes": stats.nodes, "relationships": stats.relationships}
    rows: list[list[Any]] = [["node", k, v] for k, v in stats.nodes.items()]
    rows += [["relationship", k, v] for k, v in stats.relationships.items()]
    emit(fmt, data, ["kind", "name", "count"], rows, title)


@app.command()
def ingest(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="A bundle: folder, .zip or .xlsx.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and report the planned "
                                          "changes without writing.")] = False,
    sync: Annotated[str | None, typer.Option("--sync", metavar="SOURCE", help="Sync mode: "
                    "remove what earlier syncs of SOURCE wrote and this bundle no longer "
                    "holds.")] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Reject the bundle on any warning "
                                         "(a skipped file or sheet, an undeclared column, an "
                                         "unrecognised value).")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Ingest a governance bundle (all or nothing; every error is reported)."""
    from aimsgraph.ingest import ingest_bundle  # start-up: each command loads what it uses

    def action() -> IngestReport:
        with open_store() as store, progress_bar(f"ingesting {path.name}") as step:
            return ingest_bundle(store, path, dry_run=dry_run, sync=sync, progress=step,
                                 limits=load_settings().read_limits(), strict=strict)
    print_ingest_report(reported_run(action, fmt), fmt)


@app.command()
def stats(fmt: FormatOption = Format.table) -> None:
    """Node counts per label and relationship counts per type, and how fresh each source is
    (its last run, outcome and last success)."""
    from aimsgraph.graph.store.runs import freshness  # start-up

    def action() -> tuple[Stats, list[dict[str, Any]]]:
        with open_store() as store:
            return store.stats(), freshness(store.runs(100_000))
    counts, sources = reported_run(action, fmt)
    if fmt is Format.json:
        emit(fmt, {"nodes": counts.nodes, "relationships": counts.relationships,
                   "sources": sources}, [], [])
        return
    print_stats(counts, fmt)
    if fmt is Format.table and sources:
        emit(fmt, None, ["source", "last success", "last run", "outcome"],
             [[s["source"], s["last_success"] or "never", s["last_run"], s["last_outcome"]]
              for s in sources], "sources")


def _change_rows(changes: list[dict[str, Any]]) -> list[list[Any]]:
    """A ledger as table rows: what, which, and its properties or before -> after."""
    rows = []
    for c in changes:
        which = c["id"] if c["kind"] == "node" else (
            f"{c['start']['id']} -> {c['end']['id']}" + (f" ({c['identity']})"
                                                         if c["identity"] else ""))
        detail = "; ".join(f"{k}: {v['before']} -> {v['after']}"
                           for k, v in c.get("changed", {}).items()) or "; ".join(
            f"{k}={v}" for k, v in c.get("props", {}).items() if k != "source")
        rows.append([c["action"], c["type"], which, detail])
    return rows


@app.command()
def runs(
    show: Annotated[str | None, typer.Argument(metavar="show",
                                               help="'show' and a run id: that run's changes.")]
    = None,
    run_id: Annotated[str | None, typer.Argument(metavar="RUN", hidden=True)] = None,
    limit: Annotated[int, typer.Option(metavar="N", min=1, max=10_000,
                                       help="How many runs (or changes) to list, 1-10000.")]
    = 20,
    offset: Annotated[int, typer.Option(metavar="N", min=0, max=100_000_000,
                                        help="Changes to skip (with show).")] = 0,
    one: Annotated[str | None, typer.Option("--id", metavar="RUN",
                                            help="Only this run's record.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Ingestion run history: source, times, outcome and counts; `runs --id RUN` one run's
    record; `runs show RUN` lists what one run created, updated (before and after) and
    removed."""
    if show is not None:
        if show != "show" or run_id is None:
            raise fail("usage: aimsgraph runs [show RUN]")
        _show_run(run_id, offset, limit, fmt)
        return

    def action() -> list[dict[str, Any]]:
        with open_store() as store:
            if one is None:
                return [r.to_json() for r in store.runs(limit)]
            record = store.run(one)
            if record is None:
                from aimsgraph.ontology import NotFoundError  # start-up

                raise NotFoundError(f"no ingestion run '{one}'")
            return [record.to_json()]
    records = reported_run(action, fmt)
    rows = [[r["run_id"], r["source"], r["started_at"], r["outcome"], *_totals(r),
             len(r["errors"])] for r in records]
    emit(fmt, records, ["run", "source", "started", "outcome", "created", "updated", "removed",
                        "errors"], rows, "ingestion runs")


def _totals(record: dict[str, Any]) -> list[int]:
    """What a run created, updated and removed, nodes and relationships together."""
    counts = (record.get("counts") or {}).values()
    return [sum(int(c.get(action, 0)) for c in counts)
            for action in ("created", "updated", "removed")]


def _show_run(run_id: str, offset: int, limit: int, fmt: Format) -> None:
    def action() -> tuple[int, list[dict[str, Any]]]:
        with open_store() as store:
            total, page = store.run_changes(run_id, offset, limit)
            return total, [c.to_json() for c in page]
    total, changes = reported_run(action, fmt)
    data = {"run_id": run_id, "total": total, "offset": offset, "changes": changes}
    emit(fmt, data, ["action", "type", "which", "properties or before -> after"],
         _change_rows(changes), f"run {run_id}: changes {offset + 1}-{offset + len(changes)} "
                                f"of {total}")
