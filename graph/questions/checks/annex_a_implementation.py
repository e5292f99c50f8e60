"""annex-a-control-not-implemented: an applicable Annex A control no implemented control covers."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import IMPLEMENTED, JOIN, NAME, REF
from aimsgraph.graph.questions.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for requirement in sem.view.nodes("Requirement"):
        if sem.prop(requirement, "kind") != "annex_a_control":
            continue
        if sem.prop(requirement, "applicable") is False:
            continue
        controls = sorted(c for c, _ in sem.view.into(requirement, "IMPLEMENTS"))
        if any(sem.implemented(c) for c in controls):
            continue
        if controls:
            states = ", ".join(f"{c[1]} is {sem.prop(c, 'status') or 'without status'}"
                               for c in controls)
            reason = f"no implemented control implements it ({states})"
        else:
            reason = "no control implements it"
        if sem.prop(requirement, "applicable") is None:
            reason += "; applicable by default (no SoA decision)"
        found.append(finding(sem, check, requirement, reason, controls))
    return found


CYPHER = f"""
MATCH (q:Requirement {{kind: 'annex_a_control'}})
WHERE q.applicable IS NULL OR q.applicable = true
OPTIONAL MATCH (c:Control)-[:IMPLEMENTS]->(q)
WITH q, c ORDER BY c.id
WITH q, collect(c) AS controls,
     collect(c.id + ' is ' + coalesce(c.status, 'without status')) AS states
WHERE none(c IN controls WHERE {IMPLEMENTED('c')})
RETURN 'Requirement' AS subject_type, q.id AS subject_id,
       {NAME('q', 'Requirement')} AS subject_name,
       CASE WHEN size(controls) > 0
            THEN 'no implemented control implements it (' + {JOIN('states', ', ')} + ')'
            ELSE 'no control implements it' END
       + CASE WHEN q.applicable IS NULL THEN '; applicable by default (no SoA decision)'
              ELSE '' END AS reason,
       [c IN controls | {REF('c', 'Control')}] AS related, null AS severity
"""


CHECK = GapCheck(
    "annex-a-control-not-implemented", "Applicable Annex A controls not implemented", "high",
    "Applicable Annex A control (SoA applicable, or no decision) that no control with status "
    "implemented or operating implements.", _find, CYPHER,
    subjects=("Requirement",), local=True)
