"""policy-review-overdue: an approved policy past its review date."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import NAME, REF
from aimsgraph.graph.questions.semantics import Semantics


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


CYPHER = f"""
MATCH (p:Policy {{status: 'approved'}})
WHERE p.review_due IS NOT NULL AND p.review_due < $as_of
WITH p, duration.inDays(p.review_due, $as_of).days AS days
OPTIONAL MATCH (r:Role)-[:OWNS]->(p)
WITH p, days, collect(r) AS owners
RETURN 'Policy' AS subject_type, p.id AS subject_id,
       {NAME('p', 'Policy')} AS subject_name,
       'review was due on ' + toString(p.review_due) + ' (' + toString(days) + ' day'
       + CASE WHEN days <> 1 THEN 's' ELSE '' END + ' ago)' AS reason,
       [r IN owners | {REF('r', 'Role')}] AS related, null AS severity
"""


CHECK = GapCheck(
    "policy-review-overdue", "Policy reviews overdue", "medium",
    "Approved policy whose review_due is before the as-of date.", _find, CYPHER,
    subjects=("Policy",), local=True)
