"""The ``aimsgraph`` command line (INTERFACES.md).

Every command maps the project's errors at one place (:func:`_run`): a clear message on stderr
and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from api.output import Format, emit, stderr_console, to_json
from api.settings import Settings
from api.stores import store_from_settings
from graph import GraphStore, Stats
from ingest import IngestReport, ingest_bundle
from ontology import AimsgraphError, BundleError

__all__ = ["app", "main"]

app = typer.Typer(help="Knowledge-graph governance and traceability for ISO/IEC 42001.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table, json or csv.")]
T = TypeVar("T")


def _fail(message: str, code: int = 1) -> typer.Exit:
    stderr_console().print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _run(action: Callable[[], T]) -> T:
    """Run ``action``, turning every project error into a message and exit code 1."""
    try:
        return action()
    except BundleError as exc:
        console = stderr_console()
        console.print(f"[bold red]error:[/] bundle rejected, nothing was written "
                      f"({len(exc.issues)} error{'s' if len(exc.issues) != 1 else ''}):",
                      highlight=False)
        for issue in exc.issues:
            console.print(f"  {issue}", highlight=False, soft_wrap=True, markup=False)
        raise typer.Exit(1) from None
    except AimsgraphError as exc:
        raise _fail(str(exc)) from None


@contextmanager
def _store() -> Iterator[GraphStore]:
    store = store_from_settings(Settings())
    store.open()
    try:
        yield store
    finally:
        store.close()


@contextmanager
def _progress(label: str) -> Iterator[Callable[[str], None] | None]:
    """Stage-by-stage progress on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    stages = ("reading", "validating", "planning", "writing")
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=stderr_console(), transient=True) as bar:
        task = bar.add_task(label, total=len(stages))

        def step(stage: str) -> None:
            done = stages.index(stage) if stage in stages else 0
            bar.update(task, completed=done, description=f"{label}: {stage}")

        yield step


def _changes_rows(report: IngestReport) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for kind in ("nodes", "relationships"):
        for name, actions in report.changes.get(kind, {}).items():
            rows.append([kind[:-1] if kind == "nodes" else "relationship", name,
                         *actions.values()])
    return rows


def _print_report(report: IngestReport, fmt: Format) -> None:
    verb = "would change" if report.dry_run else "changed"
    title = f"{report.bundle}: run {report.run_id} {verb}"
    emit(fmt, report.to_json(), ["kind", "name", "created", "updated", "unchanged", "removed"],
         _changes_rows(report), title)


def _print_stats(stats: Stats, fmt: Format, title: str = "graph contents") -> None:
    data = {"nodes": stats.nodes, "relationships": stats.relationships}
    rows: list[list[Any]] = [["node", k, v] for k, v in stats.nodes.items()]
    rows += [["relationship", k, v] for k, v in stats.relationships.items()]
    emit(fmt, data, ["kind", "name", "count"], rows, title)


@app.command()
def ingest(
    path: Annotated[Path, typer.Argument(help="A bundle: folder, .zip or .xlsx.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Validate and report the planned "
                                          "changes without writing.")] = False,
    sync: Annotated[str | None, typer.Option("--sync", metavar="SOURCE", help="Sync mode: "
                    "remove what earlier syncs of SOURCE wrote and this bundle no longer "
                    "holds.")] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Ingest a governance bundle (all or nothing; every error is reported)."""
    def action() -> IngestReport:
        with _store() as store, _progress(f"ingesting {path.name}") as step:
            return ingest_bundle(store, path, dry_run=dry_run, sync=sync, progress=step)
    _print_report(_run(action), fmt)


@app.command()
def stats(fmt: FormatOption = Format.table) -> None:
    """Node counts per label and relationship counts per type."""
    def action() -> Stats:
        with _store() as store:
            return store.stats()
    _print_stats(_run(action), fmt)


@app.command()
def runs(
    limit: Annotated[int, typer.Option(help="How many runs, newest first.")] = 20,
    fmt: FormatOption = Format.table,
) -> None:
    """Ingestion run history: source, times, outcome and counts."""
    def action() -> list[dict[str, Any]]:
        with _store() as store:
            return [r.to_json() for r in store.runs(limit)]
    records = _run(action)
    rows = [[r["run_id"], r["source"], r["started_at"], r["outcome"], len(r["errors"])]
            for r in records]
    emit(fmt, records, ["run", "source", "started", "outcome", "errors"], rows, "ingestion runs")


def sample_bundle() -> Path:
    """The shipped sample organisation (a folder inside the installed package)."""
    return Path(str(resources.files("ingest").joinpath("samples/northwind")))


@app.command()
def demo(fmt: FormatOption = Format.table) -> None:
    """Load the sample organisation into the configured store and show what it holds."""
    def action() -> tuple[IngestReport, Stats, str]:
        with _store() as store, _progress("loading the sample organisation") as step:
            report = ingest_bundle(store, sample_bundle(), progress=step)
            where = str(getattr(store, "path", store.name))
            return report, store.stats(), where
    report, contents, where = _run(action)
    if fmt is Format.json:
        sys.stdout.write(to_json({"store": where, "ingest": report.to_json(),
                                  "stats": {"nodes": contents.nodes,
                                            "relationships": contents.relationships}}) + "\n")
        return
    _print_report(report, fmt)
    _print_stats(contents, fmt, title=f"store {where}")


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
