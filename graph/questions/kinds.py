"""The names of the questions the product answers, declared once as the Literal types the HTTP
API validates with and the tuples the command line and the pages list, in a module light
enough for the command line to import at start-up (help texts list them)."""

from __future__ import annotations

from typing import Literal, NamedTuple, get_args

__all__ = ["IMPACT_KINDS", "MOST_NEIGHBOURS", "PAGE_KINDS", "PARAMETERS", "REPORT_FORMATS",
           "REPORT_KINDS", "SEVERITIES", "TRACE_KINDS", "ImpactKind", "ItemTraceKind",
           "NodePageKind", "PageKind", "Parameter", "ReportFormat", "ReportKind", "Severity",
           "TextFormat", "TraceKind", "WholePageKind"]

#: The traces of one item by its id (``GET /traces/{kind}/{id}``).
ItemTraceKind = Literal["control", "risk", "policy", "dataset", "supplier", "incident", "system",
                        "requirement", "person"]
#: What ``trace KIND ID`` accepts: the item traces, the executive trace and the path.
TraceKind = Literal[ItemTraceKind, "executive", "path"]
TRACE_KINDS: tuple[str, ...] = get_args(TraceKind)
#: What ``impact KIND ID`` accepts: what may fail or leave.
ImpactKind = Literal["supplier", "dataset", "person", "role"]
IMPACT_KINDS: tuple[str, ...] = get_args(ImpactKind)
#: What ``report KIND`` accepts.
ReportKind = Literal["soa", "coverage", "gaps", "audit-programme", "leadership", "review",
                     "dashboard"]
REPORT_KINDS: tuple[str, ...] = get_args(ReportKind)
#: Finding severities, most severe first.
Severity = Literal["high", "medium", "low"]
SEVERITIES: tuple[str, ...] = get_args(Severity)
#: The formats of a report as text, and as a file (the workbook too).
TextFormat = Literal["json", "csv", "markdown", "html"]
ReportFormat = Literal[TextFormat, "xlsx"]
REPORT_FORMATS: tuple[str, ...] = get_args(ReportFormat)
#: Pages about one node, pages about the whole graph, and every page kind.
NodePageKind = Literal["node", "system", "trace", "impact"]
WholePageKind = Literal["gaps", "schema"]
PageKind = Literal[NodePageKind, WholePageKind]
PAGE_KINDS: tuple[str, ...] = get_args(PageKind)
#: How many of a node's neighbours a neighbourhood follows unless asked for more: a page or an
#: answer of a few hundred nodes stays readable, and a hub's thousands are counted instead.
MOST_NEIGHBOURS = 100


class Parameter(NamedTuple):
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
    Parameter("data_quality_months", 12, 1, 120,
              "The data of a high-tier AI system must have its quality checked this often."),
    Parameter("supplier_review_months", 12, 1, 120,
              "A supplier without a reassess_due date must be assessed again this often."),
    Parameter("incident_report_days", 15, 1, 365,
              "Days a serious incident may go unreported (unless it says report_within_days)."),
    Parameter("incident_action_days", 30, 1, 365,
              "Days a serious or major incident may go without a corrective action."),
)}
