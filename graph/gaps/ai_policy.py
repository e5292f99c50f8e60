"""ai-policy-missing: no approved policy addresses clause 5.2 (one finding, on 5.2)."""

from __future__ import annotations

from graph.gaps.base import Finding, GapCheck, finding
from graph.semantics import Semantics

CLAUSE = ("Requirement", "ISO42001:5.2")


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    if sem.ai_policies or not sem.view.has(CLAUSE):
        return []
    others = sorted(p for p, _ in sem.view.into(CLAUSE, "ADDRESSES"))
    reason = "no approved policy addresses clause 5.2"
    if others:
        reason += " (" + ", ".join(f"{p[1]} {sem.name(p)} is "
                                   f"{sem.prop(p, 'status') or 'without status'}"
                                   for p in others) + ")"
    return [finding(sem, check, CLAUSE, reason, others)]


CHECK = GapCheck(
    "ai-policy-missing", "No approved AI policy", "high",
    "A single finding on clause 5.2 when no approved policy addresses it.", _find)
