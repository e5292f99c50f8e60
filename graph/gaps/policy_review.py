"""policy-review-overdue: an approved policy past its review date."""

from __future__ import annotations

from graph.gaps.base import Finding, GapCheck, finding
from graph.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for policy in sem.view.nodes("Policy"):
        due = sem.prop(policy, "review_due")
        if sem.prop(policy, "status") == "approved" and due is not None and due < sem.as_of:
            days = (sem.as_of - due).days
            found.append(finding(sem, check, policy, f"review was due on {due.isoformat()} "
                                                     f"({days} day{'s' if days != 1 else ''} ago)",
                                 sem.owner_roles(policy)))
    return found


CHECK = GapCheck(
    "policy-review-overdue", "Policy reviews overdue", "medium",
    "Approved policy whose review_due is before the as-of date.", _find)
