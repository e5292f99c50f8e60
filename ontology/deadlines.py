"""Which dated facts are deadlines: one declaration read by ``aimsgraph due``, the reminders
and the calendar feed, so a dated fact added to the ontology is reminded of by adding a line
here.

Each deadline names the label it falls on, the date property (on the node, or on the
relationship that carries it), what falls due in words, who must act and what closes it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEADLINES", "Deadline", "deadline_kinds"]


@dataclass(frozen=True)
class Deadline:
    """One kind of deadline."""

    #: Its stable id, e.g. ``evidence-expires`` (JSON ``kind``, reminder keys, calendar UIDs).
    kind: str
    #: The label of the node it falls on.
    label: str
    #: What falls due, as a sentence's subject reads it: "evidence expires".
    title: str
    #: The date property; on the relationship ``via`` when given (a completion's expiry).
    date: str
    #: Who must act: ``owner`` (current holders of the node's owner roles), ``supported``
    #: (of the owner roles of what the node supports), ``assessed`` (of the roles accountable
    #: for the AI systems it assesses), ``assignee`` (the person it is assigned to),
    #: ``holder`` (the person who holds a role requiring it).
    who: str
    #: Statuses that close it (a retired policy's review is no longer due).
    closed: tuple[str, ...] = ()
    #: The relationship carrying the date, for a deadline on a relationship.
    via: str | None = None


DEADLINES: tuple[Deadline, ...] = (
    Deadline("evidence-expires", "Evidence", "evidence expires", "valid_until", "supported"),
    Deadline("policy-review", "Policy", "policy review is due", "review_due", "owner",
             closed=("retired",)),
    Deadline("impact-assessment-review", "ImpactAssessment",
             "impact assessment review is due", "review_due", "assessed"),
    Deadline("training-expires", "Training", "training completion expires", "expires_on",
             "holder", via="COMPLETED"),
    Deadline("finding-due", "Finding", "corrective action is due", "due", "assignee",
             closed=("closed",)),
    Deadline("objective-due", "Objective", "objective is due", "due", "owner",
             closed=("achieved", "dropped")),
    Deadline("supplier-reassessment", "Supplier", "supplier reassessment is due",
             "reassess_due", "owner"),
    Deadline("incident-report", "Incident", "serious incident report is due", "report_due",
             "owner"),
)


def deadline_kinds() -> tuple[str, ...]:
    return tuple(d.kind for d in DEADLINES)
