"""control-without-responsible-executive: a control whose owner chain reaches no Leader."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import CURRENT, IN_SCOPE, NAME, OWNER_CHAIN, REF
from aimsgraph.graph.questions.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for control in sem.view.nodes("Control"):
        if not sem.answerable(control):
            continue
        chain = sem.owner_chain(control)
        if chain.executive is None:
            related = [step.role for step in chain.steps]
            found.append(finding(sem, check, control, chain.gap or "no Leader found", related))
    return found


# Which owner roles reach a Leader is worked out for all of them at once, top down: from each
# role a current Leader holds, down REPORTS_TO to every role under it (each role is visited about
# once), rather than walking up each owner role's whole reporting line. An owner role that is
# reached by no such walk is tagged only ``false``; only those roles' walks are made, for the
# findings' reasons. A control is a finding when every one of its owner roles is unreached.
CYPHER = f"""
CALL () {{
  MATCH (r:Role)-[:OWNS]->(owned:Control) WHERE {IN_SCOPE('owned', 'Control')}
  RETURN DISTINCT r, false AS reaches
  UNION
  MATCH (l:Leader)-[h:HOLDS]->(top:Role) WHERE {CURRENT('h', 'l')}
  WITH DISTINCT top
  MATCH (r:Role)-[:REPORTS_TO*0..]->(top)
  RETURN DISTINCT r, true AS reaches
}}
WITH r AS r0, collect(reaches) AS tags
WHERE NOT true IN tags
CALL (r0) {{
  {OWNER_CHAIN('r0')}
}}
MATCH (r0)-[:OWNS]->(c:Control) WHERE {IN_SCOPE('c', 'Control')}
WITH c, r0, gap, steps ORDER BY r0.id
WITH c, collect(gap) AS gaps, collect(steps) AS chains, count(*) AS unreached
WHERE unreached = COUNT {{ (c)<-[:OWNS]-(:Role) }}
RETURN 'Control' AS subject_type, c.id AS subject_id,
       {NAME('c', 'Control')} AS subject_name, gaps[0] AS reason,
       [s IN chains[0] | {REF('s', 'Role')}] AS related, null AS severity
UNION ALL
MATCH (c:Control) WHERE {IN_SCOPE('c', 'Control')}
  AND NOT EXISTS {{ MATCH (:Role)-[:OWNS]->(c) }}
RETURN 'Control' AS subject_type, c.id AS subject_id,
       {NAME('c', 'Control')} AS subject_name, 'it has no owner role' AS reason,
       [] AS related, null AS severity
"""


CHECK = GapCheck(
    "control-without-responsible-executive", "Controls without a responsible executive", "high",
    "Non-retired control whose owner role chain (up REPORTS_TO) reaches no current holder who "
    "is a Leader: no owner role, a chain that ends, or a loop.", _find, CYPHER,
    subjects=("Control",), local=True)
