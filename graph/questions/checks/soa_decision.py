"""annex-a-control-without-soa-decision: no SoA decision, or excluded without justification."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import NAME
from aimsgraph.graph.questions.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for requirement in sem.view.nodes("Requirement"):
        if sem.prop(requirement, "kind") != "annex_a_control":
            continue
        applicable = sem.prop(requirement, "applicable")
        if applicable is None:
            found.append(finding(sem, check, requirement,
                                 "no Statement of Applicability decision"))
        elif applicable is False and not (sem.prop(requirement, "justification") or "").strip():
            found.append(finding(sem, check, requirement, "excluded without a justification"))
    return found


CYPHER = f"""
MATCH (q:Requirement {{kind: 'annex_a_control'}})
WHERE q.applicable IS NULL
   OR (q.applicable = false AND trim(coalesce(q.justification, '')) = '')
RETURN 'Requirement' AS subject_type, q.id AS subject_id,
       {NAME('q', 'Requirement')} AS subject_name,
       CASE WHEN q.applicable IS NULL THEN 'no Statement of Applicability decision'
            ELSE 'excluded without a justification' END AS reason,
       [] AS related, null AS severity
"""


CHECK = GapCheck(
    "annex-a-control-without-soa-decision", "Annex A controls without an SoA decision", "medium",
    "Annex A control with no Statement of Applicability decision, or excluded without a "
    "justification.", _find, CYPHER,
    subjects=("Requirement",), local=True)
