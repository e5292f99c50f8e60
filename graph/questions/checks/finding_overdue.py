"""finding-overdue: an open audit finding past its due date, or with nobody assigned."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import JOIN, NAME, REF
from aimsgraph.graph.questions.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for item in sem.view.nodes("Finding"):
        if sem.prop(item, "status") != "open":
            continue
        due = sem.prop(item, "due")
        assignees = sorted(a for a, _ in sem.view.out(item, "ASSIGNED_TO"))
        parts = []
        if due is not None and due < sem.as_of:
            parts.append(f"corrective action was due on {due.isoformat()}")
        if not assignees:
            parts.append("nobody is assigned to it")
        if parts:
            concerns = sorted(c for c, _ in sem.view.out(item, "CONCERNS"))
            severity = "high" if sem.prop(item, "severity") == "major" else "medium"
            found.append(finding(sem, check, item, "; ".join(parts),
                                 [*concerns, *assignees], severity))
    return found


CYPHER = f"""
MATCH (f:Finding {{status: 'open'}})
OPTIONAL MATCH (f)-[:ASSIGNED_TO]->(a)
WITH f, collect(a) AS assignees
WITH f, assignees,
     CASE WHEN f.due IS NOT NULL AND f.due < $as_of
          THEN ['corrective action was due on ' + toString(f.due)] ELSE [] END
     + CASE WHEN size(assignees) = 0 THEN ['nobody is assigned to it'] ELSE [] END AS parts
WHERE size(parts) > 0
RETURN 'Finding' AS subject_type, f.id AS subject_id,
       {NAME('f', 'Finding')} AS subject_name,
       {JOIN('parts')} AS reason,
       [a IN assignees | {REF('a')}]
         + COLLECT {{ MATCH (f)-[:CONCERNS]->(x) RETURN {REF('x')} }} AS related,
       CASE WHEN f.severity = 'major' THEN 'high' ELSE 'medium' END AS severity
"""


CHECK = GapCheck(
    "finding-overdue", "Audit findings overdue or unassigned", "medium",
    "Open finding whose due date is before the as-of date, or with no ASSIGNED_TO. High for "
    "major nonconformities.", _find, CYPHER,
    subjects=("Finding",), local=True)
