"""policy-not-approved-by-leader: an approved policy without a Leader's approval."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import JOIN, NAME, REF
from aimsgraph.graph.questions.semantics import Semantics


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


CYPHER = f"""
MATCH (p:Policy {{status: 'approved'}})
WHERE NOT EXISTS {{ MATCH (p)-[:APPROVED_BY]->(:Leader) }}
OPTIONAL MATCH (p)-[:APPROVED_BY]->(a:Person)
WITH p, a ORDER BY a.id
WITH p, collect(a) AS approvers,
     collect({NAME('a', 'Person')} + ', who is not a Leader') AS not_leaders
RETURN 'Policy' AS subject_type, p.id AS subject_id,
       {NAME('p', 'Policy')} AS subject_name,
       CASE WHEN size(approvers) > 0
            THEN 'approved by ' + {JOIN('not_leaders', ', ')}
            ELSE 'no approver is recorded' END AS reason,
       [a IN approvers | {REF('a', 'Person')}] AS related, null AS severity
"""


CHECK = GapCheck(
    "policy-not-approved-by-leader", "Policies not approved by a Leader", "medium",
    "Approved policy with no APPROVED_BY a Leader (top management or executive).", _find, CYPHER,
    subjects=("Policy",), local=True)
