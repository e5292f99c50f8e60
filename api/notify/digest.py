"""Digests: the open deadlines gathered per person, each item at its stage.

A person's digest lists what they must act on and what is escalated to them (late, or
nobody holds the role that must act), soonest first, grouped as overdue, this week and
later; an executive's digest also names the people who must act but have no email address
("cannot be reached"). A reminder is one item at one stage for one person: 30 days ahead,
7 days ahead, overdue (and "later" beyond 30 days, when asked that far), so moving past a
stage sends the item again, and a moved deadline is a new reminder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aimsgraph.graph.questions.due import DueItem

__all__ = ["Digest", "Entry", "digests", "stage_of"]


def stage_of(days: int) -> str:
    if days < 0:
        return "overdue"
    if days <= 7:
        return "7d"
    return "30d" if days <= 30 else "later"


@dataclass(frozen=True)
class Entry:
    """An item in a digest: why it is there (``act``; ``escalate``: late, or nobody holds
    the role; ``unreachable``: who must act has no email address) and its stage."""

    item: DueItem
    why: str

    @property
    def stage(self) -> str:
        return stage_of(self.item.days)

    def reminder_key(self, person: str, channel: str) -> str:
        return f"{self.item.key}|{self.item.date.isoformat()}|{self.stage}|{person}|{channel}"

    def line(self) -> str:
        item = self.item
        when = (f"{-item.days} day{'s' if item.days != -1 else ''} late" if item.days < 0
                else "today" if item.days == 0
                else f"in {item.days} day{'s' if item.days != 1 else ''}")
        subject = item.subject
        who = {"act": "",
               "escalate": " (escalated: " + ("late" if item.overdue
                                              else "nobody holds the role") + ")",
               "unreachable": " (who must act cannot be reached)"}[self.why]
        return (f"{item.date.isoformat()} ({when}) {subject['type']} {subject['id']} "
                f"{subject['name']}: {item.title}{who}")

    def to_json(self) -> dict[str, Any]:
        return {**self.item.to_json(), "why": self.why, "stage": self.stage}


@dataclass
class Digest:
    """One person's reminders."""

    person: dict[str, Any]
    entries: list[Entry] = field(default_factory=list)
    #: People who must act on the person's escalated items but have no email address.
    unreachable: list[dict[str, Any]] = field(default_factory=list)

    def subject(self) -> str:
        late = sum(e.item.overdue for e in self.entries)
        return (f"aimsgraph: {len(self.entries)} deadline"
                f"{'s' if len(self.entries) != 1 else ''}" + (f", {late} overdue" if late else ""))

    def text(self) -> str:
        groups = (("Overdue", [e for e in self.entries if e.item.days < 0]),
                  ("This week", [e for e in self.entries if 0 <= e.item.days <= 7]),
                  ("Later", [e for e in self.entries if e.item.days > 7]))
        lines = [f"Deadlines for {self.person['name']} ({self.person['id']}):"]
        for title, entries in groups:
            if entries:
                lines += ["", f"{title}:", *(f"- {e.line()}" for e in entries)]
        if self.unreachable:
            lines += ["", "Cannot be reached (no email address):",
                      *(f"- {p['name']} ({p['id']})" for p in self.unreachable)]
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict[str, Any]:
        return {"person": self.person, "subject": self.subject(),
                "items": [e.to_json() for e in self.entries],
                "unreachable": self.unreachable, "text": self.text()}


def digests(items: list[DueItem]) -> list[Digest]:
    """A digest per person with something to act on or escalated to them, by person id."""
    found: dict[str, Digest] = {}

    def add(person: dict[str, Any], item: DueItem, why: str) -> Digest:
        digest = found.setdefault(person["id"], Digest(person))
        if not any(e.item.key == item.key for e in digest.entries):
            digest.entries.append(Entry(item, why))
        return digest

    for item in items:
        for person in item.people:
            add(person, item, "act")
        for executive in item.escalate_to:
            add(executive, item, "escalate")
        silent = [p for p in item.people if not p.get("email")]
        for executive in item.executives if silent else []:
            digest = add(executive, item, "unreachable")
            digest.unreachable.extend(p for p in silent if p not in digest.unreachable)
    for digest in found.values():
        digest.entries.sort(key=lambda e: (e.item.date, e.item.key))
    return [found[k] for k in sorted(found)]
