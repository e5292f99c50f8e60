"""ai-system-without-accountable-owner: a non-retired AI system nobody currently answers for."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import HELD, IN_SCOPE, JOIN, NAME, OWNER_VACANCY, REF
from aimsgraph.graph.questions.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for system in sem.view.nodes("AISystem"):
        if not sem.in_scope_system(system):
            continue
        reason = sem.owner_gap(system, "no role is accountable for it")
        if reason is not None:
            roles = sem.owner_roles(system)
            people = [p for role in roles for p, _ in sem.view.into(role, "HOLDS")]
            found.append(finding(sem, check, system, reason, [*roles, *people]))
    return found


CYPHER = f"""
MATCH (s:AISystem) WHERE {IN_SCOPE('s', 'AISystem')}
OPTIONAL MATCH (r:Role)-[:ACCOUNTABLE_FOR]->(s)
WITH s, r, r IS NOT NULL AND {HELD('r')} AS held
ORDER BY r.id
WITH s, collect(r) AS roles, collect(held) AS helds
WHERE NOT any(x IN helds WHERE x)
RETURN 'AISystem' AS subject_type, s.id AS subject_id,
       {NAME('s', 'AISystem')} AS subject_name,
       CASE WHEN size(roles) = 0 THEN 'no role is accountable for it'
            ELSE {JOIN(f"[r IN roles | {OWNER_VACANCY('r')}]")} END AS reason,
       [r IN roles | {REF('r', 'Role')}]
         + reduce(acc = [], r IN roles |
                  acc + COLLECT {{ MATCH (q:Person)-[:HOLDS]->(r) RETURN {REF('q', 'Person')} }})
         AS related,
       null AS severity
"""


CHECK = GapCheck(
    "ai-system-without-accountable-owner", "AI systems without an accountable owner", "high",
    "Non-retired AI system with no current holder of a role accountable for it.", _find, CYPHER,
    subjects=("AISystem",), local=True)
