"""ai-system-without-accountable-owner: a non-retired AI system nobody currently answers for."""

from __future__ import annotations

from graph.gaps.base import Finding, GapCheck, finding
from graph.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for system in sem.view.nodes("AISystem"):
        if not sem.in_scope_system(system):
            continue
        roles = sem.owner_roles(system)
        if not roles:
            found.append(finding(sem, check, system, "no role is accountable for it"))
        elif not any(sem.holders(role) for role in roles):
            reason = "; ".join(f"owner role {sem.vacancy(role)}" for role in roles)
            people = [p for role in roles for p, _ in sem.view.into(role, "HOLDS")]
            found.append(finding(sem, check, system, reason, [*roles, *people]))
    return found


CHECK = GapCheck(
    "ai-system-without-accountable-owner", "AI systems without an accountable owner", "high",
    "Non-retired AI system with no current holder of a role accountable for it.", _find)
