"""Deadlines: every dated fact the ontology declares a deadline (:mod:`ontology.deadlines`)
that is open on the date, with who must act and, when it is late or nobody holds the role
that must act, the executives to escalate to.

Who must act is the graph's answer, not a field somebody keeps: the current holders of the
owner roles (of the item, of what a piece of evidence supports, of the AI systems an impact
assessment assesses), the person a finding is assigned to, the holder of a role whose
training lapses. The executives are those the owner chains reach (the responsible
executive of each item).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from aimsgraph.graph.questions.definitions import SERIOUS, add_months, noticed, plus_days
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.ontology import NotFoundError
from aimsgraph.ontology.deadlines import DEADLINES, Deadline
from aimsgraph.ontology.values import natural_key

__all__ = ["DueItem", "due_items", "parse_within"]


@dataclass(frozen=True)
class DueItem:
    """One open deadline."""

    kind: str
    title: str
    subject: dict[str, Any]
    date: dt.date
    days: int
    people: list[dict[str, Any]]
    escalate_to: list[dict[str, Any]]
    #: The roles whose holders must act (empty for an assignee or a training's holder).
    roles: list[dict[str, Any]] = field(default_factory=list)
    #: What else the item concerns (the training's person, the evidence's controls).
    about: list[dict[str, Any]] = field(default_factory=list)
    #: Every executive the owner chains reach (``escalate_to`` names them only when the
    #: item is late or nobody holds the role); a reminder tells them of who cannot be
    #: reached.
    executives: list[dict[str, Any]] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Stable across runs while the deadline is the same item (its date may move)."""
        extra = "/".join(a["id"] for a in self.about if a["type"] == "Person")
        return f"{self.kind}:{self.subject['type']}:{self.subject['id']}" + (
            f":{extra}" if extra else "")

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DueItem:
        """The inverse of :meth:`to_json` (a report's items back as items)."""
        return cls(data["kind"], data["title"], data["subject"],
                   dt.date.fromisoformat(data["date"]), data["days"], data["people_named"],
                   data["escalate_named"], data["roles"], data["about"],
                   data["executives_named"])

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "title": self.title, "subject": self.subject,
                "date": self.date.isoformat(), "days": self.days,
                "people": [p["id"] for p in self.people],
                "people_named": self.people, "escalate_to": [p["id"] for p in self.escalate_to],
                "escalate_named": self.escalate_to, "roles": self.roles, "about": self.about,
                "executives": [p["id"] for p in self.executives],
                "executives_named": self.executives}


#: The furthest ahead a deadline is looked for: ten years (a longer period reads as this).
MOST_DAYS_AHEAD = 3660


def parse_within(text: str) -> int:
    """Days from ``30d``, ``6w``, ``2m`` (30 days a month) or a bare number of days, at most
    :data:`MOST_DAYS_AHEAD`."""
    value = text.strip().lower()
    unit = value[-1:] if value[-1:] in ("d", "w", "m") else "d"
    number = value[:-1] if value[-1:] in ("d", "w", "m") else value
    if not number.isascii() or not number.isdigit():
        raise NotFoundError(f"--within '{text}' is not a period: write e.g. 30d, 6w or 2m")
    return min(MOST_DAYS_AHEAD, int(number) * {"d": 1, "w": 7, "m": 30}[unit])


def due_items(sem: Semantics, within: int = 30, person: str | None = None,
              overdue_only: bool = False) -> list[DueItem]:
    """Every open deadline on or before ``within`` days after the date (late ones included),
    soonest first; only ``person``'s when given (those they must act on or escalate)."""
    horizon = sem.as_of + dt.timedelta(days=within)
    found: list[DueItem] = []
    for deadline in DEADLINES:
        found.extend(item for item in _items(sem, deadline)
                     if item.date <= horizon and (not overdue_only or item.overdue))
    if person is not None:
        found = [i for i in found if person in {p["id"] for p in [*i.people, *i.escalate_to]}]
    return sorted(found, key=lambda i: (i.date, i.kind, i.subject["type"],
                                        natural_key(i.subject["id"])))


def _items(sem: Semantics, deadline: Deadline) -> Iterable[DueItem]:
    if deadline.via == "COMPLETED":
        yield from _training_items(sem, deadline)
        return
    for key in sem.view.nodes(deadline.label):
        if deadline.closed and sem.prop(key, "status") in deadline.closed:
            continue
        day = _incident_report_due(sem, key) if deadline.kind == "incident-report" \
            else sem.prop(key, deadline.date)
        if not isinstance(day, dt.date):
            continue
        roles, people, owners_of = _who(sem, deadline, key)
        yield _item(sem, deadline, key, day, roles, people, owners_of)


def _incident_report_due(sem: Semantics, incident: NodeKey) -> dt.date | None:
    """A serious incident's reporting deadline while it is not reported (by the date)."""
    props = sem.view.props(incident)
    if props.get("severity") != SERIOUS:
        return None
    reported = props.get("reported_on")
    if reported is not None and reported <= sem.as_of:
        return None
    day = noticed(props)
    days = props.get("report_within_days") or sem.params.incident_report_days
    return plus_days(day, days) if day is not None else None


def _who(sem: Semantics, deadline: Deadline, key: NodeKey
         ) -> tuple[list[NodeKey], list[NodeKey], list[NodeKey]]:
    """(the roles whose holders must act, the people who must act, the items whose owner
    chains lead to the executives)."""
    if deadline.who == "assignee":  # a person, or a role whose holders act
        assigned = sorted(a for a, _ in sem.view.out(key, "ASSIGNED_TO"))
        roles = [a for a in assigned if a[0] == "Role"]
        people = sorted({a for a in assigned if a[0] == "Person"}
                        | {p for r in roles for p in sem.holders(r)})
        concerned = sorted(c for c, _ in sem.view.out(key, "CONCERNS"))
        return roles, people, concerned
    items = [key]
    if deadline.who == "supported":
        items = sorted(i for i, _ in sem.view.out(key, "SUPPORTS"))
    elif deadline.who == "assessed":
        items = sorted(s for s, _ in sem.view.out(key, "ASSESSES"))
    roles = sorted({r for item in items for r in sem.owner_roles(item)})
    people = sorted({p for r in roles for p in sem.holders(r)})
    return roles, people, items


def _item(sem: Semantics, deadline: Deadline, key: NodeKey, day: dt.date,
          roles: list[NodeKey], people: list[NodeKey], owners_of: list[NodeKey],
          about: list[NodeKey] | None = None, chains: list[NodeKey] | None = None) -> DueItem:
    days = (day - sem.as_of).days
    executives: set[NodeKey] = set()
    for item in owners_of:
        executives.update(sem.owner_chain(item).executives)
    for role in chains or ():
        executives.update(sem.chain_from(role, "HOLDS").executives)
    escalate = executives if days < 0 or not people else set()
    return DueItem(deadline.kind, deadline.title, sem.ref(key), day, days,
                   [_person(sem, p) for p in people],
                   [_person(sem, p) for p in sorted(escalate)],
                   [sem.ref(r) for r in roles], [sem.ref(a) for a in about or owners_of],
                   [_person(sem, p) for p in sorted(executives)])


def _person(sem: Semantics, person: NodeKey) -> dict[str, Any]:
    email = sem.prop(person, "email")
    return {**sem.ref(person), "email": str(email) if email else None}


def _training_items(sem: Semantics, deadline: Deadline) -> Iterable[DueItem]:
    """A current holder's latest completion of a training a role of theirs requires, by the
    day it stops being valid (its expires_on, else its date plus the training's validity)."""
    needed: dict[tuple[NodeKey, NodeKey], list[NodeKey]] = {}
    for role in sem.view.nodes("Role"):
        for training, _ in sem.view.out(role, "REQUIRES"):
            for person in sem.holders(role):
                needed.setdefault((person, training), []).append(role)
    for (person, training), roles in sorted(needed.items()):
        records = [rel for t, rel in sem.view.out(person, "COMPLETED")
                   if t == training and rel.get("on") and rel["on"] <= sem.as_of]
        if not records:
            continue  # never completed: a gap (training-missing), not a deadline
        latest = max(records, key=lambda rel: rel["on"])
        expires = latest.get("expires_on")
        if expires is None:
            months = sem.prop(training, "validity_months")
            expires = add_months(latest["on"], months) if isinstance(months, int) else None
        if not isinstance(expires, dt.date):
            continue
        yield _item(sem, deadline, training, expires, [], [person], [],
                    about=[person, *roles], chains=sorted(roles))
