"""The ``aimsgraph`` command line (README.md, "Command line").

Every command maps the project's errors at one place (:func:`_run`): a clear message on stderr
and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import signal
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from aimsgraph.api.output import (
    Format,
    csv_text,
    emit,
    plain,
    print_lines,
    print_plain,
    stderr_console,
    to_json,
)
from aimsgraph.graph.questions.kinds import MOST_NEIGHBOURS, REPORT_KINDS, SEVERITIES, TRACE_KINDS
from aimsgraph.ontology import AimsgraphError, BundleError

if TYPE_CHECKING:  # the modules behind these are imported by the commands that use them
    from aimsgraph.api.settings import Settings
    from aimsgraph.graph import GraphStore, Stats
    from aimsgraph.graph.queries import Queries
    from aimsgraph.graph.questions.checks import GapReport
    from aimsgraph.graph.questions.semantics import CheckParams
    from aimsgraph.ingest import IngestReport

__all__ = ["app", "main"]

app = typer.Typer(help="Knowledge-graph governance and traceability for ISO/IEC 42001.",
                  rich_markup_mode=None,
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  context_settings={"help_option_names": ["-h", "--help"]})


def _version(asked: bool) -> None:
    if asked:
        from importlib.metadata import version

        sys.stdout.write(f"aimsgraph {version('aimsgraph')}\n")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True,
        help="Print the version and exit.")] = False,
) -> None:
    """Knowledge-graph governance and traceability for ISO/IEC 42001."""

FormatOption = Annotated[Format, typer.Option("--format", "-f", metavar="table|json|csv",
                                               help="Output format.")]
AsOfOption = Annotated[str | None, typer.Option("--as-of", metavar="YYYY-MM-DD",
                                                help="Evaluate as of this date (default today).")]
AsRecordedOption = Annotated[str | None, typer.Option(
    "--as-recorded", metavar="POINT", help="Answer on the graph as recorded at a run id, or at "
    "a date (the last successful run that ended by that day).")]
ThresholdOption = Annotated[int | None, typer.Option(
    "--high-risk-threshold", min=1, max=25, metavar="1-25",
    help="Risk score from which a risk is high.")]
KeyPersonOption = Annotated[int | None, typer.Option(
    "--key-person-limit", min=1, metavar="N",
    help="Systems and controls one person may answer for.")]
T = TypeVar("T")


def _as_of(text: str | None) -> dt.date:
    from aimsgraph.ontology.values import parse_as_of

    if text is None:
        return dt.date.today()
    try:
        return parse_as_of(text)
    except ValueError as exc:
        raise _fail(f"--as-of {exc}") from None


def _settings() -> Settings:
    """The settings (imported here: pydantic-settings costs a quarter of a second, which
    ``--help`` and commands that read none should not pay)."""
    from pydantic import ValidationError

    from aimsgraph.api.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(part) for part in e['loc'])}: "
                             f"{e['msg'].removeprefix('Value error, ')}" for e in exc.errors())
        raise _fail(f"invalid setting: {problems}") from None


def _params(threshold: int | None = None, limit: int | None = None) -> CheckParams:
    return _settings().check_params(threshold, limit)


def _queries(store: GraphStore, threshold: int | None = None,
             limit: int | None = None, as_recorded: str | None = None) -> Queries:
    """The query facade over ``store`` (imported here: commands that need none start faster)."""
    from aimsgraph.graph.queries import Queries

    return Queries(store, _params(threshold, limit), as_recorded=as_recorded)


def _fail(message: str, code: int = 1) -> typer.Exit:
    console = stderr_console()
    console.print(Text.assemble(("error:", "bold red"), " ", plain(message)), soft_wrap=True)
    return typer.Exit(code)


def _run(action: Callable[[], T], fmt: object = None) -> T:
    """Run ``action``, turning every project error into a message and exit code 1: on stderr
    for people, or (``fmt`` json) as JSON on stdout for scripts."""
    try:
        return action()
    except AimsgraphError as exc:
        if fmt in (Format.json, "json"):
            sys.stdout.write(to_json(_error_json(exc)) + "\n")
            raise typer.Exit(1) from None
        raise _reported(exc) from None


def _error_json(exc: AimsgraphError) -> dict[str, Any]:
    if isinstance(exc, BundleError):
        return {"outcome": "rejected", "error": "bundle rejected, nothing was written",
                "total_errors": exc.total,
                "errors": [issue.to_json() for issue in exc.issues]}
    return {"outcome": "error", "error": str(exc)}


def _reported(exc: AimsgraphError) -> typer.Exit:
    """The error on stderr; the exit to raise."""
    if isinstance(exc, BundleError):
        console = stderr_console()
        console.print(Text.assemble(("error:", "bold red"), " bundle rejected, nothing was "
                                    f"written ({exc.total} error{'s' if exc.total != 1 else ''}):"))
        for issue in exc.issues:
            print_plain(console, f"  {issue}")
        if exc.omitted:
            print_plain(console, f"  {exc.more()}")
        return typer.Exit(1)
    return _fail(str(exc))


@contextmanager
def _store() -> Iterator[GraphStore]:
    from aimsgraph.api.stores import store_from_settings

    store = store_from_settings(_settings())
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
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    stages = ("reading", "validating", "planning", "writing")
    label = plain(label)
    with Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False),
                  TimeElapsedColumn(),
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


#: How many planned changes a dry run lists in a table (JSON lists them all).
PLANNED_SHOWN = 200


def _print_report(report: IngestReport, fmt: Format) -> None:
    verb = "would change" if report.dry_run else "changed"
    title = f"{report.bundle}: run {report.run_id} {verb}"
    if not report.changed and fmt is Format.table:
        print_plain(Console(), f"{report.bundle}: run {report.run_id} {verb} nothing: the "
                               "graph already holds this bundle as it is")
    emit(fmt, report.to_json(), ["kind", "name", "created", "updated", "unchanged", "removed"],
         _changes_rows(report), title)
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


def _print_stats(stats: Stats, fmt: Format, title: str = "graph contents") -> None:
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
    from aimsgraph.ingest import ingest_bundle

    def action() -> IngestReport:
        with _store() as store, _progress(f"ingesting {path.name}") as step:
            return ingest_bundle(store, path, dry_run=dry_run, sync=sync, progress=step,
                                 limits=_settings().read_limits(), strict=strict)
    _print_report(_run(action, fmt), fmt)


@app.command()
def docs(
    output: Annotated[Path, typer.Option("--output", "-o", metavar="DIR",
                                         help="The folder to write to.")]
    = Path("docs"),
) -> None:
    """Write the reference pages (ontology, bundle files, gap checks) from the declarations."""
    from aimsgraph.api.docs import write_docs
    from aimsgraph.api.output_file import check_output_folder

    _run(lambda: check_output_folder(output))
    for path in _run(lambda: write_docs(output)):
        print_plain(stderr_console(), f"wrote {path}")


@app.command()
def stats(fmt: FormatOption = Format.table) -> None:
    """Node counts per label and relationship counts per type."""
    def action() -> Stats:
        with _store() as store:
            return store.stats()
    _print_stats(_run(action, fmt), fmt)


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
    fmt: FormatOption = Format.table,
) -> None:
    """Ingestion run history: source, times, outcome and counts; `runs show RUN` lists what
    one run created, updated (before and after) and removed."""
    if show is not None:
        if show != "show" or run_id is None:
            raise _fail("usage: aimsgraph runs [show RUN]")
        _show_run(run_id, offset, limit, fmt)
        return

    def action() -> list[dict[str, Any]]:
        with _store() as store:
            return [r.to_json() for r in store.runs(limit)]
    records = _run(action, fmt)
    rows = [[r["run_id"], r["source"], r["started_at"], r["outcome"], len(r["errors"])]
            for r in records]
    emit(fmt, records, ["run", "source", "started", "outcome", "errors"], rows, "ingestion runs")


def _show_run(run_id: str, offset: int, limit: int, fmt: Format) -> None:
    def action() -> tuple[int, list[dict[str, Any]]]:
        with _store() as store:
            total, page = store.run_changes(run_id, offset, limit)
            return total, [c.to_json() for c in page]
    total, changes = _run(action, fmt)
    data = {"run_id": run_id, "total": total, "offset": offset, "changes": changes}
    emit(fmt, data, ["action", "type", "which", "properties or before -> after"],
         _change_rows(changes), f"run {run_id}: changes {offset + 1}-{offset + len(changes)} "
                                f"of {total}")


def _finding_label(subject: dict[str, str]) -> str:
    shown = f"{subject['type']} {subject['id']}"
    return shown if subject["name"] == subject["id"] else f"{shown} ({subject['name']})"


def _print_gaps(report: GapReport, fmt: str, every: bool) -> None:
    """Findings for people: a summary of counts first, then each check's findings (checks
    without findings only with ``every``); or JSON (every check), CSV (every finding)."""
    if fmt == "json":
        sys.stdout.write(to_json(report.to_json()) + "\n")
        return
    if fmt == "csv":
        sys.stdout.write(csv_text(
            ["check", "severity", "type", "id", "name", "reason"],
            [[r.check.id, f.severity, f.subject["type"], f.subject["id"], f.subject["name"],
              f.reason] for r in report.results for f in r.findings]))
        return
    shown = [r for r in report.results if r.findings or every]
    total = sum(len(r.findings) for r in report.results)
    by_severity = ", ".join(f"{sum(f.severity == s for r in report.results for f in r.findings)}"
                            f" {s}" for s in SEVERITIES)
    emit(Format.table, None, ["check", "check's severity", "findings"],
         [[r.check.id, r.check.severity, len(r.findings)] for r in shown],
         f"Gap report as of {report.as_of.isoformat()}: {total} finding"
         f"{'s' if total != 1 else ''} ({by_severity}) from {len(report.results)} checks")
    console = Console()
    for result in shown:
        colour = {"high": "red", "medium": "yellow"}.get(result.check.severity, "white")
        count = len(result.findings)
        console.print()
        console.print(Text.assemble((result.check.id, f"bold {colour}"),
                                    plain(f" - {result.check.title}: {count} "
                                          f"finding{'s' if count != 1 else ''}")))
        print_lines(console, (f"  [{found.severity}] {_finding_label(found.subject)}: "
                              f"{found.reason}" for found in result.findings))
    hidden = len(report.results) - len(shown)
    if hidden:
        console.print()
        print_plain(console, f"{hidden} check{'s' if hidden != 1 else ''} without findings "
                             "not listed (--all lists them)")


SeverityOption = Annotated[str | None, typer.Option(
    "--severity", metavar="high|medium|low", help="Only findings of this severity.")]


@app.command()
def gaps(
    checks: Annotated[list[str] | None, typer.Argument(metavar="CHECK_ID...",
                                                        help="Checks to run (default: all).")]
    = None,
    as_of: AsOfOption = None,
    severity: SeverityOption = None,
    subject_type: Annotated[str | None, typer.Option(
        "--subject-type", metavar="LABEL", help="Only findings about nodes of this label.")]
    = None,
    fail_on: Annotated[str | None, typer.Option(
        "--fail-on", metavar="high|medium|low", help="Exit with 3 when any finding (after the "
        "filters) is of this severity or above: for CI pipelines.")] = None,
    every: Annotated[bool, typer.Option(
        "--all", help="In the table, also list checks without findings.")] = False,
    high_risk_threshold: ThresholdOption = None,
    key_person_limit: KeyPersonOption = None,
    show_cypher: Annotated[bool, typer.Option(
        "--show-cypher", help="Print the checks' Cypher (to run in Neo4j Browser) instead.")]
    = False,
    as_recorded: AsRecordedOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="table|json|csv|xlsx",
                                     help="Output format (xlsx needs --output).")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to "
                                                "this file (xlsx: a workbook).")] = None,
) -> None:
    """Run gap checks: a summary, then every finding."""
    day = _as_of(as_of)
    _check_format(fmt, ("table", "json", "csv", "xlsx"), output)
    if show_cypher:
        from aimsgraph.graph.questions.checks import CHECKS, check_by_id, cypher_parameters

        chosen = _run(lambda: [check_by_id(i) for i in checks or ()] or list(CHECKS))
        arguments = cypher_parameters(day, _params(high_risk_threshold, key_person_limit))
        shown = ", ".join(f"{k}: {v.isoformat() if isinstance(v, dt.date) else v!r}"
                          for k, v in arguments.items())
        for check in chosen:
            sys.stdout.write(f"// {check.id}: {check.title}\n// parameters: {{{shown}}}\n"
                             f"{check.cypher.strip()}\n;\n\n")
        return

    def action() -> GapReport:
        with _store() as store, _queries(store, high_risk_threshold, key_person_limit,
                                         as_recorded) as q:
            found = q.gaps(day, checks or ()).filtered(severity, subject_type)
            if fail_on is not None:
                found.at_or_above(fail_on)  # an unknown severity fails before any output
            return found
    found = _run(action, fmt)
    if fmt == "xlsx" or output is not None:
        from aimsgraph.graph.reports.standard import gaps_report

        _write_report(gaps_report(found), fmt, output)
    else:
        _print_gaps(found, fmt, every)
    if fail_on is not None and found.at_or_above(fail_on):
        raise typer.Exit(3)


@app.command("trace")
def trace_command(
    kind: Annotated[str, typer.Argument(metavar="KIND",
                                        help=f"One of: {', '.join(TRACE_KINDS)}.")],
    node: Annotated[str, typer.Argument(metavar="ID", help="The item's id (or Type:id).")],
    to: Annotated[str | None, typer.Argument(metavar="TO",
                                             help="For path: the other end.")] = None,
    as_of: AsOfOption = None,
    as_recorded: AsRecordedOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Trace an item: a control, risk or policy to its executive; a system, requirement or
    person with everything around it; everything an executive answers for; or the shortest
    path between two nodes."""
    day = _as_of(as_of)

    def action() -> dict[str, Any]:
        with _store() as store, _queries(store, as_recorded=as_recorded) as queries:
            return queries.trace(kind, node, to, day)
    _print_trace(kind, _run(action, fmt), fmt)


def _refs(items: list[dict[str, Any]], extra: Callable[[dict[str, Any]], str] | None = None
          ) -> str:
    return "; ".join(i["id"] + (f" ({extra(i)})" if extra else "") for i in items) or "-"


def _print_trace(kind: str, data: dict[str, Any], fmt: Format) -> None:
    """A trace as JSON or CSV, or as the tables a person reads: the chain for owner traces,
    the items for an executive, the steps in order for a path, a summary (and the what-if
    departure) for systems and people, then the relationships with where each was read."""
    if "steps" in data or "items" in data:
        _print_chain_trace(data, fmt)
        return
    subject = f"{data['subject']['type']} {data['subject']['id']}"
    if fmt is Format.table and kind == "path":
        emit(fmt, data, ["step", "from", "relationship", "to", "source"], _path_rows(data),
             f"path from {subject} to {data['target']['type']} {data['target']['id']} "
             f"({_count(data['length'], 'step')})")
        return
    if fmt is Format.table and kind == "system":
        emit(fmt, None, ["", ""], _system_rows(data), f"{subject} ({data['subject']['name']})")
    if fmt is Format.table and kind == "person":
        emit(fmt, None, ["item", "name", "loses", "gap after departure"],
             [[f"{w['item']['type']} {w['item']['id']}", w["item"]["name"],
               ", ".join(w["loses"]), w["gap_after"] or "-"] for w in data["what_if_departure"]],
             f"if {data['subject']['name']} ({data['subject']['id']}) left on "
             f"{data['as_of']}: " + _count(len(data["what_if_departure"]), "item")
             + " would lose an owner or executive")
    if fmt is Format.table:
        emit(fmt, data, ["from", "relationship", "to", "source"],
             [[f"{r['from']['type']} {r['from']['id']}", r["type"],
               f"{r['to']['type']} {r['to']['id']}", r.get("source") or "-"]
              for r in data["relationships"]], f"{kind} trace of {subject}: relationships")
        return
    emit(fmt, data, ["from type", "from", "relationship", "to type", "to", "source"],
         [[r["from"]["type"], r["from"]["id"], r["type"], r["to"]["type"], r["to"]["id"],
           r.get("source") or ""] for r in data["relationships"]])


def _count(n: int, noun: str) -> str:
    """``1 item``, ``2 items``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _path_rows(data: dict[str, Any]) -> list[list[Any]]:
    """A path's relationships in the order of the path, each with its direction."""
    by_pair = {((r["from"]["type"], r["from"]["id"]), (r["to"]["type"], r["to"]["id"])): r
               for r in data["relationships"]}
    rows = []
    path = [(n["type"], n["id"]) for n in data["path"]]
    for index, (a, b) in enumerate(zip(path, path[1:], strict=False), start=1):
        forward = by_pair.get((a, b))
        rel = forward or by_pair[(b, a)]
        arrow = f"-[{rel['type']}]->" if forward else f"<-[{rel['type']}]-"
        rows.append([index, f"{a[0]} {a[1]}", arrow, f"{b[0]} {b[1]}", rel.get("source") or "-"])
    return rows


def _system_rows(data: dict[str, Any]) -> list[list[Any]]:
    """What governs an AI system, a line per kind of thing."""
    nodes: dict[str, list[dict[str, Any]]] = {}
    for node in data["nodes"]:
        nodes.setdefault(node["type"], []).append(node)
    chain = data["executive_trace"]
    owners = data["accountable_owners"]
    executive = chain["executive"]
    return [
        ["accountable owner", "; ".join(f"{o['name']} ({o['id']})" for o in owners)
         or f"none: {chain['gap'] or 'no current holder'}"],
        ["responsible executive", f"{executive['name']} ({executive['id']})" if executive
         else f"none: {chain['gap']}"],
        ["risks", _refs(nodes.get("Risk", []), lambda r: f"score {r.get('score')}, "
                                                          f"{r.get('status')}")],
        ["controls", _refs(nodes.get("Control", []), lambda c: str(c.get("status")))],
        ["evidence", _refs(nodes.get("Evidence", []),
                           lambda e: "valid" if e.get("valid") else str(e.get("problem")))],
        ["impact assessments", _refs(nodes.get("ImpactAssessment", []),
                                     lambda a: f"review due {a.get('review_due') or '-'}")],
        ["committees", _refs(nodes.get("Committee", []))],
        ["findings", "; ".join(f"{f['severity']}: {f['check']}: {f['reason']}"
                               for f in data.get("findings", [])) or "-"],
    ]


def _print_chain_trace(data: dict[str, Any], fmt: Format) -> None:
    """An owner trace (its steps) or an executive trace (its items)."""
    if "steps" in data:
        rows = [[i + 1, s["via"], s["node"]["id"], s["node"]["name"],
                 "; ".join(h["name"] + (" (Leader)" if h["leader"] else "")
                           for h in s["holders"]) or "(vacant)", s.get("source") or "-"]
                for i, s in enumerate(data["steps"])]
        executive = data["executive"]
        title = (f"{data['subject']['type']} {data['subject']['id']}: responsible executive "
                 + (f"{executive['name']} ({executive['id']})" if executive
                    else f"none - {data['gap']}"))
        emit(fmt, data, ["step", "via", "role", "name", "current holders", "source"], rows,
             title)
    else:  # executive
        rows = [[e["item"]["type"], e["item"]["id"], e["item"]["name"],
                 " > ".join(s["node"]["id"] for s in e["chain"]["steps"]),
                 "; ".join(f"{f['severity']}: {f['check']}" for f in e["findings"])]
                for e in data["items"]]
        counts = ", ".join(f"{n} {severity}" for severity, n in
                           data["findings_by_severity"].items())
        emit(fmt, data, ["type", "id", "name", "chain", "findings"], rows,
             f"{data['subject']['name']} ({data['subject']['id']}) is the responsible executive "
             f"for {len(rows)} items; findings on them: {counts}")


@app.command()
def show(
    label: Annotated[str, typer.Argument(metavar="TYPE", help="A label, e.g. Control.")],
    node: Annotated[str, typer.Argument(metavar="ID", help="The entity's id.")],
    as_recorded: AsRecordedOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """One entity: its properties, where it was read from (file, row, run, time), and its
    relationships by type with where each was read from."""
    def action() -> dict[str, Any]:
        with _store() as store, _queries(store, as_recorded=as_recorded) as queries:
            return queries.entity(label, node)
    data = _run(action, fmt)
    from aimsgraph.graph.questions.entity import PROVENANCE_NAMES

    said = [[k, v] for k, v in data["properties"].items() if k not in PROVENANCE_NAMES]
    rels = [[direction, rel_type, e["node"]["type"], e["node"]["id"], e["node"]["name"],
             "; ".join(f"{k}={v}" for k, v in e["properties"].items()
                       if k not in PROVENANCE_NAMES),
             e["provenance"]["source"] or ""]
            for direction, groups in data["relationships"].items()
            for rel_type, entries in groups.items() for e in entries]
    if fmt is not Format.table:
        emit(fmt, data, ["direction", "type", "node type", "node", "name", "properties",
                         "source"], rels)
        return
    heard = data["provenance"]
    emit(fmt, data, ["property", "value"], said,
         f"{data['type']} {data['id']} ({data['name']}); labels: {', '.join(data['labels'])}")
    print_plain(Console(), f"read from {heard['source'] or '-'} by run {heard['run_id'] or '-'}"
                f" at {heard['updated_at'] or '-'}"
                + (f", owned by sync source {heard['sync_source']}"
                   if heard.get("sync_source") else ""))
    emit(fmt, data, ["relationship", "node", "properties", "source"],
         [[f"-[{t}]->" if d == "outgoing" else f"<-[{t}]-", f"{label} {i}"
           + (f" ({name})" if name != i else ""), props or "-", source or "-"]
          for d, t, label, i, name, props, source in rels], f"relationships ({len(rels)})")


@app.command()
def report(
    kind: Annotated[str, typer.Argument(metavar="KIND",
                                        help=f"One of: {', '.join(REPORT_KINDS)}.")],
    as_of: AsOfOption = None,
    as_recorded: AsRecordedOption = None,
    since: Annotated[str | None, typer.Option(
        "--since", metavar="POINT", help="For review: the run id or date to look back to.")]
    = None,
    fmt: Annotated[str, typer.Option("--format", "-f",
                                     metavar="table|json|csv|markdown|html|xlsx",
                                     help="Output format (xlsx needs --output).")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE",
                                                help="Write to this file.")] = None,
) -> None:
    """Audit reports: the Statement of Applicability, clause coverage, the gap summary, the
    internal audit programme, leadership accountability, the management review pack (review
    --since POINT)."""
    day = _as_of(as_of)
    _check_format(fmt, REPORT_FORMATS, output)

    def action() -> Any:
        with _store() as store, _queries(store, as_recorded=as_recorded) as queries:
            return queries.report(kind, day, since)
    _write_report(_run(action, fmt), fmt, output)


@app.command("diff")
def diff_command(
    start: Annotated[str, typer.Option("--from", metavar="POINT", help="A run id, or a date "
                                       "(the last successful run that ended by that day).")],
    end: Annotated[str | None, typer.Option("--to", metavar="POINT",
                                            help="Another point (default: now).")] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="YYYY-MM-DD", help="Evaluate both sides on this date (default: "
        "each point's own date).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="table|json|csv|markdown|html",
                                     help="Output format.")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE",
                                                help="Write to this file.")] = None,
) -> None:
    """What changed between two points: the data (net, with the run and source of each
    change) and the findings opened, closed or changed per check."""
    day = _as_of(as_of) if as_of else None
    _check_format(fmt, REPORT_FORMATS, output)

    def action() -> Any:
        with _store() as store, _queries(store) as queries:
            return queries.diff(start, end, day)
    _write_report(_run(action, fmt), fmt, output)


REPORT_FORMATS = ("table", "json", "csv", "markdown", "html", "xlsx")


def _check_format(fmt: str, allowed: tuple[str, ...], output: Path | None) -> None:
    """The format and the output file, checked before any work is done."""
    if fmt not in allowed:
        raise _fail(f"--format '{fmt}' is not one of: {', '.join(allowed)}")
    if fmt == "xlsx" and output is None:
        raise _fail("--format xlsx writes a workbook: name it with --output FILE.xlsx")
    if output is not None:
        from aimsgraph.api.output_file import check_output

        _run(lambda: check_output(output))


def _write_report(built: Any, fmt: str, output: Path | None) -> None:
    """A report as tables on the terminal, or as JSON, CSV, Markdown, HTML or an xlsx
    workbook (to a file)."""
    if fmt == "table" and output is None:
        for section in built.sections:
            emit(Format.table, None, section.columns, section.rows,
                 f"{built.title} - {section.title} ({built.header})")
        return
    from aimsgraph.api.output_file import write_output

    if fmt == "xlsx" and output is not None:
        from aimsgraph.api.workbook import to_xlsx

        _run(lambda: write_output(output, to_xlsx(built)))
        print_plain(stderr_console(), f"wrote {output}")
        return
    from aimsgraph.api.render import render

    text = to_json(built.data) + "\n" if fmt == "json" else render(
        built, "markdown" if fmt == "table" else fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        _run(lambda: write_output(output, text))
        print_plain(stderr_console(), f"wrote {output}")


@app.command()
def visualise(
    kind: Annotated[str, typer.Argument(metavar="KIND",
                                        help="node, system, trace, gaps or schema.")],
    node: Annotated[str | None, typer.Argument(metavar="ID", help="The node (for node, "
                                               "system and trace pages), or the checks to "
                                               "show on a gaps page (CHECK_ID[,CHECK_ID]).")]
    = None,
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE",
                                         help="The HTML file to write.")]
    = Path("aimsgraph.html"),
    depth: Annotated[int, typer.Option(min=1, max=4, metavar="1-4",
                                       help="Steps out, for node pages.")] = 1,
    label: Annotated[list[str] | None, typer.Option(
        "--label", metavar="LABEL", help="Only these labels around the node; on a gaps page, "
        "only findings about these labels (repeatable).")]
    = None,
    max_neighbours: Annotated[int, typer.Option(
        "--max-neighbours", min=1, max=5000, metavar="N",
        help="On node pages, how many of each node's neighbours to follow (the first by label "
             "and id); the page says how many more a node has.")] = MOST_NEIGHBOURS,
    as_of: AsOfOption = None,
    as_recorded: AsRecordedOption = None,
) -> None:
    """Write an interactive, self-contained HTML page of the graph."""
    from aimsgraph.api.output_file import check_output, write_output
    from aimsgraph.visualise import build_page, render_page

    day = _as_of(as_of)
    _run(lambda: check_output(output))
    started = time.monotonic()

    def progress(stage: str) -> None:
        elapsed = time.monotonic() - started
        print_plain(stderr_console(), f"{output.name}: {stage} ({elapsed:.1f} s)")

    def action() -> str:
        with _store() as store, _queries(store, as_recorded=as_recorded) as queries:
            page = build_page(queries, kind, node, day, depth, label or (), progress,
                              max_neighbours)
        return render_page(page)
    html_text = _run(action)
    _run(lambda: write_output(output, html_text))
    sys.stdout.write(f"{output.resolve()}\n")


@app.command()
def doctor(
    repair: Annotated[bool, typer.Option(
        "--repair", help="Mend what can be mended: unreadable text rewritten with U+FFFD "
        "for each character UTF-8 cannot carry, dangling relationships removed.")] = False,
    fmt: FormatOption = Format.table,
) -> None:
    """Examine the store: every stored value reads back, no relationship has lost an end,
    and the run ledger replays to the data. Exits 3 when a problem is left."""
    from aimsgraph.graph.store.doctor import examine

    def action() -> Any:
        with _store() as store:
            return examine(store, repair)
    found = _run(action, fmt)
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
) -> None:
    """Run the HTTP API (OpenAPI at /openapi.json, docs at /docs)."""
    import uvicorn

    from aimsgraph.api.http.app import create_app

    uvicorn.run(_run(create_app), host=host, port=port, log_level="info")


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
    from aimsgraph.graph.store.bundled_neo4j import BundledNeo4j, free_port

    settings = _settings()
    from aimsgraph.graph import default_data_dir

    folder = data_dir or (settings.data_dir or default_data_dir()) / "neo4j"
    from aimsgraph.graph.store.bundled_neo4j import default_heap

    server = BundledNeo4j(folder, port or free_port(), password, page_cache=page_cache,
                          heap=heap or default_heap(), collector="g1")

    def stop(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        print_plain(stderr_console(), f"starting Neo4j in {folder} (the first start builds it) ...")
        uri = _run(server.start)
        sys.stdout.write(uri + "\n")
        sys.stdout.flush()
        server.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
        stderr_console().print("Neo4j stopped")


def sample_bundle() -> Path:
    """The shipped sample organisation (a folder inside the installed package)."""
    from importlib import resources  # 20-40 ms that only the demo needs

    return Path(str(resources.files("aimsgraph.ingest").joinpath("samples/northwind")))


@app.command()
def demo(fmt: FormatOption = Format.table) -> None:
    """Load the sample organisation into the configured store and show what it holds."""
    from aimsgraph.visualise import build_page, render_page

    settings = _settings()
    from aimsgraph.graph import default_data_dir

    page_path = (settings.data_dir or default_data_dir()) / "demo-gaps.html"

    from aimsgraph.ingest import ingest_bundle

    def action() -> tuple[IngestReport, Stats, str, GapReport]:
        with _store() as store, _progress("loading the sample organisation") as step:
            loaded = ingest_bundle(store, sample_bundle(), progress=step)
            where = str(getattr(store, "path", store.name))
            queries = _queries(store)
            page_path.parent.mkdir(parents=True, exist_ok=True)
            page_path.write_text(render_page(build_page(queries, "gaps")), encoding="utf-8")
            return loaded, store.stats(), where, queries.gaps()
    loaded, contents, where, gap_report = _run(action, fmt)
    if fmt is Format.json:
        sys.stdout.write(to_json({"store": where, "ingest": loaded.to_json(),
                                  "stats": {"nodes": contents.nodes,
                                            "relationships": contents.relationships},
                                  "gaps": gap_report.to_json(),
                                  "page": str(page_path)}) + "\n")
        return
    _print_stats(contents, fmt, title=f"Loaded the sample organisation into {where}")
    rows = [[r.check.id, r.check.severity, len(r.findings)] for r in gap_report.results]
    emit(fmt, gap_report.to_json(), ["check", "severity", "findings"], rows,
         f"Gap summary as of {gap_report.as_of.isoformat()} "
         f"({sum(len(r.findings) for r in gap_report.results)} findings)")
    if fmt is Format.table:
        console = Console()
        print_plain(console, f"Visualisation of the gaps: {page_path}")
        console.print("Details: aimsgraph gaps | trace control C-16 | report soa --format html "
                      "-o soa.html | visualise trace C-16 -o trace.html", highlight=False,
                      soft_wrap=True)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
