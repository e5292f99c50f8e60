"""ai-system-without-impact-assessment: a deployed system with no current impact assessment."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import JOIN, NAME, REF
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey


def _problem(sem: Semantics, assessment: NodeKey) -> str | None:
    done = sem.prop(assessment, "completed_on")
    due = sem.prop(assessment, "review_due")
    if done is None:
        return f"{assessment[1]} is not completed"
    if done > sem.as_of:
        return f"{assessment[1]} completes on {done.isoformat()}"
    if due is not None and due < sem.as_of:
        return f"{assessment[1]} was due for review on {due.isoformat()}"
    return None


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for system in sem.view.nodes("AISystem"):
        if sem.prop(system, "lifecycle") != "deployed":
            continue
        assessments = sorted(a for a, _ in sem.view.into(system, "ASSESSES"))
        problems = [_problem(sem, a) for a in assessments]
        if assessments and any(p is None for p in problems):
            continue
        reason = ("no current impact assessment: " + "; ".join(p for p in problems if p)) \
            if assessments else "no impact assessment"
        found.append(finding(sem, check, system, reason, assessments))
    return found


CYPHER = f"""
MATCH (s:AISystem {{lifecycle: 'deployed'}})
OPTIONAL MATCH (a:ImpactAssessment)-[:ASSESSES]->(s)
WITH s, a ORDER BY a.id
WITH s, collect(a) AS assessments,
     collect(CASE WHEN a.completed_on IS NULL THEN a.id + ' is not completed'
                  WHEN a.completed_on > $as_of
                  THEN a.id + ' completes on ' + toString(a.completed_on)
                  ELSE a.id + ' was due for review on ' + toString(a.review_due) END) AS problems
WHERE none(a IN assessments WHERE a.completed_on IS NOT NULL AND a.completed_on <= $as_of
                               AND (a.review_due IS NULL OR a.review_due >= $as_of))
RETURN 'AISystem' AS subject_type, s.id AS subject_id,
       {NAME('s', 'AISystem')} AS subject_name,
       CASE WHEN size(assessments) = 0 THEN 'no impact assessment'
            ELSE 'no current impact assessment: ' + {JOIN('problems')} END AS reason,
       [a IN assessments | {REF('a', 'ImpactAssessment')}] AS related, null AS severity
"""


CHECK = GapCheck(
    "ai-system-without-impact-assessment", "Deployed AI systems without an impact assessment",
    "high",
    "Deployed AI system with no impact assessment completed on or before the as-of date whose "
    "review_due is empty or not past.", _find, CYPHER,
    subjects=("AISystem",), local=True)
