"""The domain facts every question relies on, each in one place: which statuses count as
implemented, which risk tiers are high, what a responsible executive answers for, the
evidence periods, the check parameters, and the calendar arithmetic the definitions use.

The Python twins read these names; the Cypher twins interpolate the same names
(:mod:`graph.questions.cypher_terms`), so a fact changed here changes both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from aimsgraph.graph.questions.kinds import PARAMETERS
from aimsgraph.graph.store.records import NodeKey

__all__ = ["AI_POLICY_CLAUSE", "CLOSED", "EXECUTIVE_ITEMS", "FREQUENCY_PERIODS", "GRAVE",
           "HIGH_TIERS", "IMPLEMENTED", "LIFECYCLE_CONTROLS", "RETIRED", "SERIOUS", "CheckParams",
           "add_months", "latest_first", "minus_period", "noticed", "plus_days", "today"]

#: The statuses of a control that is in place.
IMPLEMENTED = ("implemented", "operating")
#: The lifecycle of an AI system, and the status of a control or policy, out of scope.
RETIRED = "retired"
#: The status of a risk out of scope.
CLOSED = "closed"
#: The clause the AI policy answers (5.2), by its qualified requirement id.
AI_POLICY_CLAUSE = "ISO42001:5.2"

#: The risk tiers of a high-tier AI system.
HIGH_TIERS = ("high", "unacceptable")

#: The incident severity that must be reported to an authority (EU AI Act Art. 73).
SERIOUS = "serious"
#: The incident severities that call for corrective action and a registered risk.
GRAVE = (SERIOUS, "major")

#: What a responsible executive answers for, in the order reports count them.
EXECUTIVE_ITEMS = ("AISystem", "Control", "Risk", "Policy")

#: Evidence periods of the recognised control frequencies (docs/ontology.md): (days, months).
FREQUENCY_PERIODS: dict[str, tuple[int, int]] = {
    "daily": (1, 0), "weekly": (7, 0), "monthly": (0, 1), "quarterly": (0, 3),
    "semiannually": (0, 6), "annually": (0, 12)}

#: The Annex A controls every deployed high-tier system needs (verification and validation,
#: operation and monitoring, event logs), the default of ``AIMSGRAPH_LIFECYCLE_CONTROLS``.
LIFECYCLE_CONTROLS = ("ISO42001:A.6.2.4", "ISO42001:A.6.2.6", "ISO42001:A.6.2.8")


@dataclass(frozen=True)
class CheckParams:
    """Parameters of the gap checks (settings give the defaults; any call may override), each
    checked against its range in :data:`PARAMETERS`."""

    high_risk_threshold: int = PARAMETERS["high_risk_threshold"].default
    key_person_limit: int = PARAMETERS["key_person_limit"].default
    audit_cycle_months: int = PARAMETERS["audit_cycle_months"].default
    lifecycle_controls: tuple[str, ...] = LIFECYCLE_CONTROLS
    committee_min_units: int = PARAMETERS["committee_min_units"].default
    review_interval_months: int = PARAMETERS["review_interval_months"].default
    data_quality_months: int = PARAMETERS["data_quality_months"].default
    supplier_review_months: int = PARAMETERS["supplier_review_months"].default
    incident_report_days: int = PARAMETERS["incident_report_days"].default
    incident_action_days: int = PARAMETERS["incident_action_days"].default

    def __post_init__(self) -> None:
        for name, parameter in PARAMETERS.items():
            parameter.check(getattr(self, name))

    def to_json(self) -> dict[str, Any]:
        return {"high_risk_threshold": self.high_risk_threshold,
                "key_person_limit": self.key_person_limit,
                "audit_cycle_months": self.audit_cycle_months,
                "lifecycle_controls": list(self.lifecycle_controls),
                "committee_min_units": self.committee_min_units,
                "review_interval_months": self.review_interval_months,
                "data_quality_months": self.data_quality_months,
                "supplier_review_months": self.supplier_review_months,
                "incident_report_days": self.incident_report_days,
                "incident_action_days": self.incident_action_days}


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:  # beyond the calendar: the nearest day in it
        return dt.date.min if year < dt.MINYEAR else dt.date.max
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 always exists


def plus_days(day: dt.date, days: int) -> dt.date | None:
    """``day`` plus ``days``, or None beyond the calendar's last day (a deadline that never
    falls: Neo4j's calendar goes further, and no as-of date can reach it)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def noticed(props: dict[str, Any]) -> dt.date | None:
    """The day an incident became known: its ``detected_on``, else its ``occurred_on``; the
    Cypher twin is ``cypher_terms.NOTICED``."""
    day = props.get("detected_on") or props.get("occurred_on")
    return day if isinstance(day, dt.date) else None


def latest_first(dated: list[tuple[dt.date, NodeKey]]) -> list[tuple[dt.date, NodeKey]]:
    """(date, node) pairs, the latest first, ties by node: the order "last audit" and "latest
    review" are chosen in, the same as the checks' Cypher (``ORDER BY date DESC, id``)."""
    return sorted(dated, key=lambda pair: (-pair[0].toordinal(), pair[1]))


def minus_period(day: dt.date, period: tuple[int, int]) -> dt.date:
    """``day`` less a (days, months) period."""
    days, months = period
    shifted = add_months(day, -months)
    return shifted - dt.timedelta(days=min(days, (shifted - dt.date.min).days))


def today() -> dt.date:
    """The as-of date of a question that names none: today, on this machine's calendar."""
    return dt.date.today()
