"""policy-not-approved-by-leader: an approved policy without a Leader's approval."""

from __future__ import annotations

from graph.gaps.base import Finding, GapCheck, finding
from graph.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for policy in sem.view.nodes("Policy"):
        if sem.prop(policy, "status") != "approved":
            continue
        approvers = sorted(p for p, _ in sem.view.out(policy, "APPROVED_BY"))
        if any(sem.is_leader(p) for p in approvers):
            continue
        reason = ("approved by " + ", ".join(f"{sem.name(p)}, who is not a Leader"
                                             for p in approvers)) if approvers \
            else "no approver is recorded"
        found.append(finding(sem, check, policy, reason, approvers))
    return found


CHECK = GapCheck(
    "policy-not-approved-by-leader", "Policies not approved by a Leader", "medium",
    "Approved policy with no APPROVED_BY a Leader (top management or executive).", _find)
