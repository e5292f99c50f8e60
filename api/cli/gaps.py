"""``aimsgraph gaps``: the gap checks, a summary then every finding."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    to_json,
)
from aimsgraph.graph.questions.kinds import SEVERITIES

if TYPE_CHECKING:  # imported by the commands that use them, not at start-up
    from aimsgraph.graph.questions.checks import GapReport
from aimsgraph.api.cli.base import (
    AsOfOption,
    AsRecordedOption,
    KeyPersonOption,
    ThresholdOption,
    app,
    as_of_date,
    check_params,
    open_store,
    queries_for,
    reported_run,
)
from aimsgraph.api.cli.documents import check_format, write_report


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
    day = as_of_date(as_of)
    fmt = check_format(fmt, ("table", "json", "csv", "xlsx"), output)
    if show_cypher:
        # start-up: each command loads what it uses
        from aimsgraph.graph.questions.checks import CHECKS, check_by_id, cypher_parameters

        chosen = reported_run(lambda: [check_by_id(i) for i in checks or ()] or list(CHECKS))
        arguments = cypher_parameters(day, check_params(high_risk_threshold, key_person_limit))
        shown = ", ".join(f"{k}: {v.isoformat() if isinstance(v, dt.date) else v!r}"
                          for k, v in arguments.items())
        for check in chosen:
            sys.stdout.write(f"// {check.id}: {check.title}\n// parameters: {{{shown}}}\n"
                             f"{check.cypher.strip()}\n;\n\n")
        return

    def action() -> GapReport:
        with open_store() as store, queries_for(store, high_risk_threshold, key_person_limit,
                                         as_recorded) as q:
            found = q.gaps(day, checks or ()).filtered(severity, subject_type)
            if fail_on is not None:
                found.at_or_above(fail_on)  # an unknown severity fails before any output
            return found
    found = reported_run(action, fmt)
    if fmt == "xlsx" or output is not None:
        from aimsgraph.graph.reports.standard import gaps_report  # start-up

        write_report(gaps_report(found), fmt, output)
    else:
        _print_gaps(found, fmt, every)
    if fail_on is not None and found.at_or_above(fail_on):
        raise typer.Exit(3)
