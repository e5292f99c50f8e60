"""The deadlines report (``aimsgraph due``, ``GET /due``) and its calendar feed
(``--format ics``, ``GET /calendar.ics``): every open deadline with who must act and whom to
escalate to, as rows and as iCalendar all-day events whose UIDs stay the same while the
deadline is the same item, so a moved deadline moves its event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aimsgraph.graph.questions.due import DueItem, due_items
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.reports.model import Report, Section

__all__ = ["CALENDAR_DOMAIN", "due_calendar", "due_report"]

#: The domain part of every event UID (RFC 5545 asks for a globally unique one).
CALENDAR_DOMAIN = "deadlines.aimsgraph"


def _names(people: list[dict[str, Any]]) -> str:
    return "; ".join(f"{p['name']} ({p['id']})" for p in people) or "-"


def due_report(sem: Semantics, within: int, person: str | None = None,
               overdue_only: bool = False) -> Report:
    """The open deadlines up to ``within`` days ahead (late ones included), soonest first."""
    items = due_items(sem, within, person, overdue_only)
    rows = [[i.date.isoformat(), i.days, i.kind,
             f"{i.subject['type']} {i.subject['id']}", i.subject["name"],
             _names(i.people) if i.people else "nobody holds the role",
             _names(i.escalate_to)] for i in items]
    late = sum(i.overdue for i in items)
    scope = "overdue deadlines" if overdue_only else f"deadlines within {within} days"
    title = f"{len(items)} {scope} ({late} overdue)" + (f" for {person}" if person else "")
    return Report("due", title, sem.as_of.isoformat(), [Section("deadlines", [
        "date", "days", "kind", "item", "name", "must act", "escalate to"], rows)],
        {"as_of": sem.as_of.isoformat(), "within_days": within, "person": person,
         "items": [i.to_json() for i in items]})


def due_calendar(items: list[DueItem], name: str = "aimsgraph deadlines") -> bytes:
    """The deadlines as an iCalendar feed: an all-day event each, its UID the item's."""
    from icalendar import Calendar, Event  # only for a feed

    calendar = Calendar()
    calendar.add("prodid", "-//aimsgraph//deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for item in items:
        event = Event()
        event.add("uid", f"{item.key}@{CALENDAR_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.date)
        event.add("dtend", item.date + dt.timedelta(days=1))
        subject = item.subject
        event.add("summary", f"{subject['name']} ({subject['type']} {subject['id']}): "
                             f"{item.title}")
        lines = [f"Who must act: {_names(item.people) if item.people else 'nobody holds the role'}"]
        if item.escalate_to:
            lines.append(f"Escalate to: {_names(item.escalate_to)}")
        event.add("description", "\n".join(lines))
        event.add("categories", [item.kind])
        calendar.add_component(event)
    feed: bytes = calendar.to_ical()
    return feed
