"""Deadlines: what falls due and who must act (`GET /due`, every report format), and the same
as an iCalendar feed a calendar subscribes to (`GET /calendar.ics`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import Response

from aimsgraph.api.http.deps import AsOf, QueriesDep, ReaderCaller
from aimsgraph.api.http.routes.reports import MEDIA, respond
from aimsgraph.graph.questions.due import DueItem, parse_within
from aimsgraph.graph.questions.kinds import ReportFormat
from aimsgraph.graph.reports.due import due_calendar

router = APIRouter(tags=["reminders"])

Within = Annotated[str, Query(max_length=12, pattern=r"^[0-9]{1,5}[dwm]?$",
                              description="How far ahead: 30d, 6w, 2m (30 days), or days; "
                                          "at most ten years.")]
Person = Annotated[str | None, Query(max_length=200, description="Only what this person "
                                     "must act on or is escalated to (a person's id).")]


@router.get("/due", summary="Deadlines falling due, who must act, whom to escalate to",
            responses={200: {"content": {m: {} for m in MEDIA.values()},
                             "description": "The deadlines in the format asked for."}})
def due(caller: ReaderCaller, queries: QueriesDep, as_of: AsOf, within: Within = "30d",
        person: Person = None,
        overdue: Annotated[bool, Query(description="Only what is late.")] = False,
        fmt: Annotated[ReportFormat | None,
                       Query(alias="format", description="Overrides the Accept header.")]
        = None,
        accept: Annotated[str | None, Header()] = None) -> Response:
    """Every open deadline up to `within` ahead (late ones included): `items`, each with
    `kind`, `subject`, `date`, `days` (negative when late), `people` (who must act) and
    `escalate_to` (the executives, when late or when nobody holds the role); the same as
    `aimsgraph due`."""
    return respond(queries.due(as_of, parse_within(within), person, overdue), fmt, accept)


@router.get("/calendar.ics", summary="Deadlines as a calendar feed",
            responses={200: {"content": {"text/calendar": {}},
                             "description": "An iCalendar feed, an all-day event each."}})
def calendar(caller: ReaderCaller, queries: QueriesDep, as_of: AsOf,
             within: Within = "365d", person: Person = None) -> Response:
    """The deadlines up to `within` ahead (a year by default) and every late one, an all-day
    event each whose UID stays the same while the deadline is the same item: a calendar
    that subscribes sees a moved deadline move. `person` gives one person's feed."""
    report = queries.due(as_of, parse_within(within), person)
    feed = due_calendar([DueItem.from_json(i) for i in report.data["items"]],
                        f"aimsgraph deadlines{' for ' + person if person else ''}")
    return Response(feed, media_type="text/calendar; charset=utf-8",
                    headers={"Content-Disposition": 'inline; filename="deadlines.ics"'})
