"""dependency-without-owner: a relied-on dataset or supplier nobody currently answers for."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import HELD, JOIN, NAME, OWNER_VACANCY, REF, RELIED_ON
from aimsgraph.graph.questions.semantics import Semantics

#: What a system depends on, in the order findings list them.
DEPENDENCIES = ("Dataset", "Supplier")


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for label in DEPENDENCIES:
        for item in sem.view.nodes(label):
            if not sem.relied_on(item):
                continue
            reason = sem.owner_gap(item, "no owner role")
            if reason is not None:
                found.append(finding(sem, check, item, reason, sem.owner_roles(item)))
    return found


def _cypher(label: str) -> str:
    return f"""
MATCH (d:{label}) WHERE {RELIED_ON('d', label)}
OPTIONAL MATCH (r:Role)-[:OWNS]->(d)
WITH d, r, r IS NOT NULL AND {HELD('r')} AS held
ORDER BY r.id
WITH d, collect(r) AS roles, collect(held) AS helds
WHERE NOT any(x IN helds WHERE x)
RETURN '{label}' AS subject_type, d.id AS subject_id, {NAME('d', label)} AS subject_name,
       CASE WHEN size(roles) = 0 THEN 'no owner role'
            ELSE {JOIN(f"[r IN roles | {OWNER_VACANCY('r')}]")} END AS reason,
       [r IN roles | {REF('r', 'Role')}] AS related, null AS severity
"""


CYPHER = "\nUNION ALL\n".join(_cypher(label) for label in DEPENDENCIES)


CHECK = GapCheck(
    "dependency-without-owner", "Datasets and suppliers without an owner", "medium",
    "Dataset or supplier a non-retired AI system relies on with no owner role, or whose owner "
    "role has no current holder.", _find, CYPHER,
    subjects=("Dataset", "Supplier"), local=True)
