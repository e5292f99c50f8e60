"""risk-without-owner: a non-closed risk with no owner role, or only vacant ones."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import HELD, IN_SCOPE, JOIN, NAME, OWNER_VACANCY, REF
from aimsgraph.graph.questions.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for risk in sem.view.nodes("Risk"):
        if not sem.answerable(risk):
            continue
        reason = sem.owner_gap(risk, "no owner role")
        if reason is not None:
            found.append(finding(sem, check, risk, reason, sem.owner_roles(risk)))
    return found


CYPHER = f"""
MATCH (k:Risk) WHERE {IN_SCOPE('k', 'Risk')}
OPTIONAL MATCH (r:Role)-[:OWNS]->(k)
WITH k, r, r IS NOT NULL AND {HELD('r')} AS held
ORDER BY r.id
WITH k, collect(r) AS roles, collect(held) AS helds
WHERE NOT any(x IN helds WHERE x)
RETURN 'Risk' AS subject_type, k.id AS subject_id,
       {NAME('k', 'Risk')} AS subject_name,
       CASE WHEN size(roles) = 0 THEN 'no owner role'
            ELSE {JOIN(f"[r IN roles | {OWNER_VACANCY('r')}]")} END AS reason,
       [r IN roles | {REF('r', 'Role')}] AS related, null AS severity
"""


CHECK = GapCheck(
    "risk-without-owner", "Risks without an owner", "medium",
    "Non-closed risk with no owner role, or whose owner role has no current holder.", _find, CYPHER,
    subjects=("Risk",), local=True)
