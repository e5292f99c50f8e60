"""high-risk-untreated: a high risk with no implemented mitigation and no Leader's acceptance."""

from __future__ import annotations

from graph.gaps.base import Finding, GapCheck, finding
from graph.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for risk in sem.view.nodes("Risk"):
        status = sem.prop(risk, "status")
        if status == "closed" or not sem.is_high(risk):
            continue
        if sem.mitigating_controls(risk) or sem.accepted_by_leader(risk):
            continue
        planned = sorted(c for c, _ in sem.view.into(risk, "MITIGATES"))
        acceptors = sorted(p for p, _ in sem.view.out(risk, "ACCEPTED_BY"))
        parts = [f"score {sem.risk_score(risk)} (threshold {sem.params.high_risk_threshold})"]
        if planned:
            parts.append("no implemented mitigating control (" + ", ".join(
                f"{c[1]} is {sem.prop(c, 'status') or 'without status'}" for c in planned) + ")")
        else:
            parts.append("no control mitigates it")
        if status == "treated":
            parts.append("marked treated without an implemented control")
        if status == "accepted":
            parts.append("accepted by " + (", ".join(f"{sem.name(p)}, who is not a Leader"
                                                     for p in acceptors) or "nobody recorded"))
        elif acceptors:
            parts.append(f"status is {status}, not accepted")
        found.append(finding(sem, check, risk, "; ".join(parts), [*planned, *acceptors]))
    return found


CHECK = GapCheck(
    "high-risk-untreated", "High risks untreated", "high",
    "High risk (score at or above the threshold), not closed, that no implemented control "
    "mitigates and that is not accepted by a Leader.", _find)
