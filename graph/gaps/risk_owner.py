"""risk-without-owner: a non-closed risk with no owner role, or only vacant ones."""

from __future__ import annotations

from graph.gaps.base import Finding, GapCheck, finding
from graph.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for risk in sem.view.nodes("Risk"):
        if sem.prop(risk, "status") == "closed":
            continue
        roles = sem.owner_roles(risk)
        if not roles:
            found.append(finding(sem, check, risk, "no owner role"))
        elif not any(sem.holders(role) for role in roles):
            reason = "; ".join(f"owner role {sem.vacancy(role)}" for role in roles)
            found.append(finding(sem, check, risk, reason, roles))
    return found


CHECK = GapCheck(
    "risk-without-owner", "Risks without an owner", "medium",
    "Non-closed risk with no owner role, or whose owner role has no current holder.", _find)
