"""Deadlines and reminders: ``due`` (what falls due, who must act, whom to escalate to; also
as an iCalendar feed) and ``remind`` (a digest per person by email and webhook, each
reminder sent once per stage)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from aimsgraph.api.cli.base import (
    AsOfOption,
    app,
    as_of_date,
    fail,
    open_store,
    queries_for,
    reported_run,
)
from aimsgraph.api.cli.documents import OUTPUT_FORMATS, check_format, write_report
from aimsgraph.api.output import Format, emit

#: What ``due`` writes: a report's formats, and the calendar feed.
DUE_FORMATS = (*OUTPUT_FORMATS, "ics")

WithinOption = Annotated[str, typer.Option(
    "--within", metavar="PERIOD", help="How far ahead: 30d, 6w, 2m (30 days), or days.")]


@app.command()
def due(
    within: WithinOption = "30d",
    as_of: AsOfOption = None,
    person: Annotated[str | None, typer.Option(
        "--person", metavar="ID", help="Only what this person must act on or is escalated "
        "to.")] = None,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only what is late.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f",
                                     metavar="table|json|csv|markdown|html|xlsx|ics",
                                     help="Output format (xlsx needs --output).")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE",
                                                help="Write to this file.")] = None,
) -> None:
    """Every deadline falling due (and every late one): evidence expiring, reviews, training
    lapsing, corrective actions, objectives, supplier reassessments, incident reports; who
    must act (the current holders of the owner role) and, when late or nobody holds the
    role, the executive to escalate to."""
    from aimsgraph.graph.questions.due import parse_within  # start-up

    day = as_of_date(as_of)
    fmt = check_format(fmt, DUE_FORMATS, output)
    days = reported_run(lambda: parse_within(within), fmt)

    def action() -> Any:
        with open_store() as store, queries_for(store) as queries:
            return queries.due(day, days, person, overdue)
    built = reported_run(action, fmt)
    if fmt != "ics":
        write_report(built, fmt, output)
        return
    from aimsgraph.api.output_file import write_output  # start-up
    from aimsgraph.graph.questions.due import DueItem  # as above
    from aimsgraph.graph.reports.due import due_calendar  # as above

    feed = due_calendar([DueItem.from_json(i) for i in built.data["items"]])
    if output is None:
        sys.stdout.buffer.write(feed)
    else:
        reported_run(lambda: write_output(output, feed))


@app.command()
def remind(
    within: WithinOption = "30d",
    as_of: AsOfOption = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would be sent; send "
                                          "and record nothing.")] = False,
    fmt: Annotated[Format, typer.Option("--format", "-f", metavar="table|json|csv",
                                        help="Output format.")] = Format.table,
) -> None:
    """Send each person a digest of their deadlines (what they must act on, what is
    escalated to them) by email (AIMSGRAPH_SMTP_*) and webhook (AIMSGRAPH_WEBHOOK_URL); a
    reminder already sent for an item at its stage (30 days, 7 days, overdue) is not sent
    again. Exit 3 when a send failed (it is tried again on the next run)."""
    from aimsgraph.api.cli.base import load_settings  # start-up
    from aimsgraph.api.notify import send_reminders  # as above
    from aimsgraph.graph.questions.due import DueItem, parse_within  # as above

    day = as_of_date(as_of)
    days = reported_run(lambda: parse_within(within), fmt)

    def action() -> list[dict[str, Any]]:
        settings = load_settings()
        with open_store() as store, queries_for(store) as queries:
            items = [DueItem.from_json(i) for i in queries.due(day, days).data["items"]]
            return [o.to_json() for o in send_reminders(store, items, settings, day, dry_run)]
    outcomes = reported_run(action, fmt)
    emit(fmt, {"as_of": day.isoformat(), "dry_run": dry_run, "deliveries": outcomes},
         ["person", "name", "channel", "items", "outcome", "detail"],
         [[o["person"], o["name"], o["channel"], o["items"], o["outcome"], o["detail"]]
          for o in outcomes], "reminders" + (" (dry run: nothing sent)" if dry_run else ""))
    failed = [o for o in outcomes if o["outcome"] == "failed"]
    if failed:
        raise fail(f"{len(failed)} deliver{'ies' if len(failed) != 1 else 'y'} failed; "
                   "they are tried again on the next run", code=3)
