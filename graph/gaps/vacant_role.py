"""vacant-accountable-role: a role nobody holds that systems, controls, risks or policies need."""

from __future__ import annotations

from graph.gaps.base import Finding, GapCheck, finding
from graph.records import NodeKey
from graph.semantics import Semantics


def _in_scope(sem: Semantics, item: NodeKey) -> bool:
    status = sem.status(item)
    if item[0] == "AISystem":
        return sem.in_scope_system(item)
    if item[0] == "Risk":
        return status != "closed"
    return status != "retired"


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for role in sem.view.nodes("Role"):
        if sem.holders(role):
            continue
        items = sorted(
            [s for s, _ in sem.view.out(role, "ACCOUNTABLE_FOR")]
            + [i for i, _ in sem.view.out(role, "OWNS")])
        needed = [item for item in items if _in_scope(sem, item)]
        if not needed:
            continue
        what = ", ".join(item[1] for item in needed)
        reason = f"{sem.why_vacant(role)}; it answers for {what}"
        people = [p for p, _ in sem.view.into(role, "HOLDS")]
        found.append(finding(sem, check, role, reason, [*needed, *people]))
    return found


CHECK = GapCheck(
    "vacant-accountable-role", "Vacant accountable roles", "high",
    "Role with no current holder that is accountable for an in-scope AI system or owns a "
    "non-retired control, a non-closed risk or a non-retired policy.", _find)
