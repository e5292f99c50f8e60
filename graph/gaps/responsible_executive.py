"""control-without-responsible-executive: a control whose owner chain reaches no Leader."""

from __future__ import annotations

from graph.cypher_terms import NAME, OWNER_CHAIN, REF
from graph.gaps.base import Finding, GapCheck, finding
from graph.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for control in sem.view.nodes("Control"):
        if sem.prop(control, "status") == "retired":
            continue
        chain = sem.owner_chain(control)
        if chain.executive is None:
            related = [step.role for step in chain.steps]
            found.append(finding(sem, check, control, chain.gap or "no Leader found", related))
    return found


# Each owner role's walk is made once, however many controls the role owns, then taken back
# to its controls; controls with no owner role are the second part.
CYPHER = f"""
MATCH (r0:Role)-[:OWNS]->(owned:Control) WHERE coalesce(owned.status, '') <> 'retired'
WITH DISTINCT r0
CALL (r0) {{
  {OWNER_CHAIN('r0')}
}}
MATCH (r0)-[:OWNS]->(c:Control) WHERE coalesce(c.status, '') <> 'retired'
WITH c, r0, reaches, gap, steps ORDER BY r0.id
WITH c, collect(reaches) AS reached, collect(gap) AS gaps, collect(steps) AS chains
WHERE NOT any(x IN reached WHERE x)
RETURN 'Control' AS subject_type, c.id AS subject_id,
       {NAME('c', 'Control')} AS subject_name, gaps[0] AS reason,
       [s IN chains[0] | {REF('s', 'Role')}] AS related, null AS severity
UNION ALL
MATCH (c:Control) WHERE coalesce(c.status, '') <> 'retired'
  AND NOT EXISTS {{ MATCH (:Role)-[:OWNS]->(c) }}
RETURN 'Control' AS subject_type, c.id AS subject_id,
       {NAME('c', 'Control')} AS subject_name, 'it has no owner role' AS reason,
       [] AS related, null AS severity
"""


CHECK = GapCheck(
    "control-without-responsible-executive", "Controls without a responsible executive", "high",
    "Non-retired control whose owner role chain (up REPORTS_TO) reaches no current holder who "
    "is a Leader: no owner role, a chain that ends, or a loop.", _find, CYPHER)
