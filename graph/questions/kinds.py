"""The names of the questions the product answers, in a module light enough for the command
line to import at start-up (help texts list them)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["MOST_NEIGHBOURS", "PARAMETERS", "REPORT_KINDS", "SEVERITIES", "TRACE_KINDS",
           "Parameter"]

#: What ``trace KIND ID`` accepts.
TRACE_KINDS = ("control", "risk", "policy", "system", "requirement", "person", "executive",
               "path")
#: What ``report KIND`` accepts.
REPORT_KINDS = ("soa", "coverage", "gaps", "audit-programme", "leadership", "review")
#: Finding severities, most severe first.
SEVERITIES = ("high", "medium", "low")
#: How many of a node's neighbours a neighbourhood follows unless asked for more: a page or an
#: answer of a few hundred nodes stays readable, and a hub's thousands are counted instead.
MOST_NEIGHBOURS = 100


@dataclass(frozen=True)
class Parameter:
    """A number the gap checks take: its default, the range it must lie in, what it means.
    Settings, the HTTP API and the command line all take their defaults and ranges from here."""

    name: str
    default: int
    low: int
    high: int
    description: str

    def check(self, value: int) -> int:
        """``value``, when it lies in the range; else ValueError saying the range."""
        if not self.low <= value <= self.high:
            raise ValueError(f"{self.name} must be from {self.low} to {self.high}, not {value}")
        return value


#: The gap checks' numeric parameters, by name.
PARAMETERS = {p.name: p for p in (
    Parameter("high_risk_threshold", 12, 1, 25, "Risk score from which a risk is high."),
    Parameter("key_person_limit", 5, 1, 100_000,
              "Systems and controls one person may answer for."),
    Parameter("audit_cycle_months", 36, 1, 240,
              "Every leaf clause must be covered by an internal audit this often."),
    Parameter("committee_min_units", 3, 1, 100,
              "Distinct units a committee overseeing AI systems must draw members from."),
    Parameter("review_interval_months", 12, 1, 120,
              "A management review must be held at least this often."),
)}
