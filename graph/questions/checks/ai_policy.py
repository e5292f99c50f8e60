"""ai-policy-missing: no approved policy addresses clause 5.2 (one finding, on 5.2)."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import JOIN, NAME, REF
from aimsgraph.graph.questions.definitions import AI_POLICY_CLAUSE
from aimsgraph.graph.questions.semantics import Semantics

CLAUSE = ("Requirement", AI_POLICY_CLAUSE)


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


CYPHER = f"""
MATCH (q:Requirement {{id: $ai_policy_clause}})
WHERE NOT EXISTS {{ MATCH (a:Policy)-[:ADDRESSES]->(q) WHERE a.status = 'approved' }}
OPTIONAL MATCH (p:Policy)-[:ADDRESSES]->(q)
WITH q, p ORDER BY p.id
WITH q, collect(p) AS others,
     collect(p.id + ' ' + {NAME('p', 'Policy')} + ' is '
             + coalesce(p.status, 'without status')) AS states
RETURN 'Requirement' AS subject_type, q.id AS subject_id,
       {NAME('q', 'Requirement')} AS subject_name,
       'no approved policy addresses clause 5.2'
       + CASE WHEN size(others) > 0 THEN ' (' + {JOIN('states', ', ')} + ')'
              ELSE '' END AS reason,
       [p IN others | {REF('p', 'Policy')}] AS related, null AS severity
"""


CHECK = GapCheck(
    "ai-policy-missing", "No approved AI policy", "high",
    "A single finding on clause 5.2 when no approved policy addresses it.", _find, CYPHER,
    subjects=("Requirement",))
