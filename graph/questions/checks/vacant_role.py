"""vacant-accountable-role: a role nobody holds that systems, controls, risks or policies need."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import HELD, IN_SCOPE, JOIN, NAME, REF, TYPE, WHY_VACANT
from aimsgraph.graph.questions.definitions import EXECUTIVE_ITEMS
from aimsgraph.graph.questions.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for role in sem.view.nodes("Role"):
        if sem.holders(role):
            continue
        items = sorted(
            [s for s, _ in sem.view.out(role, "ACCOUNTABLE_FOR")]
            + [i for i, _ in sem.view.out(role, "OWNS")])
        needed = [item for item in items
                  if item[0] in EXECUTIVE_ITEMS and sem.answerable(item)]
        if not needed:
            continue
        what = ", ".join(item[1] for item in needed)
        reason = f"{sem.why_vacant(role)}; it answers for {what}"
        people = [p for p, _ in sem.view.into(role, "HOLDS")]
        found.append(finding(sem, check, role, reason, [*needed, *people]))
    return found


#: What an owner or accountable role can answer for, in the order findings list them.
_ITEMS = tuple(sorted(EXECUTIVE_ITEMS))

CYPHER = f"""
MATCH (r:Role) WHERE NOT {HELD('r')}
OPTIONAL MATCH (r)-[:ACCOUNTABLE_FOR|OWNS]->(i)
  WHERE (i:AISystem AND {IN_SCOPE('i', 'AISystem')})
     OR (i:Risk AND {IN_SCOPE('i', 'Risk')})
     OR ((i:Control OR i:Policy) AND {IN_SCOPE('i', 'Control')})
WITH r, i ORDER BY {TYPE('i', _ITEMS)}, i.id
WITH r, collect(i) AS needed
WHERE size(needed) > 0
RETURN 'Role' AS subject_type, r.id AS subject_id,
       {NAME('r', 'Role')} AS subject_name,
       {WHY_VACANT('r')} + '; it answers for ' + {JOIN('[i IN needed | i.id]', ', ')} AS reason,
       [i IN needed | {REF('i', among=_ITEMS)}]
         + COLLECT {{ MATCH (q:Person)-[:HOLDS]->(r) RETURN {REF('q', 'Person')} }} AS related,
       null AS severity
"""


CHECK = GapCheck(
    "vacant-accountable-role", "Vacant accountable roles", "high",
    "Role with no current holder that is accountable for an in-scope AI system or owns a "
    "non-retired control, a non-closed risk or a non-retired policy.", _find, CYPHER,
    subjects=("Role",), local=True)
