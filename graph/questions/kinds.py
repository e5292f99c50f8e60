"""The names of the questions the product answers, in a module light enough for the command
line to import at start-up (help texts list them)."""

from __future__ import annotations

__all__ = ["MOST_NEIGHBOURS", "REPORT_KINDS", "SEVERITIES", "TRACE_KINDS"]

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
