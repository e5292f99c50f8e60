"""control-without-valid-evidence: an implemented control with nothing proving it on D."""

from __future__ import annotations

from graph.gaps.base import Finding, GapCheck, finding
from graph.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for control in sem.view.nodes("Control"):
        if not sem.implemented(control) or sem.valid_evidence(control):
            continue
        evidence = sorted(ev for ev, _ in sem.view.into(control, "SUPPORTS"))
        problems = [sem.evidence_problem(ev) for ev in evidence]
        reason = ("no valid evidence: " + "; ".join(p for p in problems if p)) if evidence \
            else "no evidence supports it"
        found.append(finding(sem, check, control, reason, evidence))
    return found


CHECK = GapCheck(
    "control-without-valid-evidence", "Implemented controls without valid evidence", "medium",
    "Control with status implemented or operating and no evidence valid on the as-of date "
    "(collected on or before it, not past valid_until).", _find)
