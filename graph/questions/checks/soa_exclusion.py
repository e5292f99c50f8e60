"""soa-exclusion-contradicted: an Annex A control excluded in the SoA although a control
implementing it treats a high risk (6.1.3: the SoA must follow from risk treatment)."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import IN_SCOPE, JOIN, NAME, REF
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for requirement in sem.view.nodes("Requirement"):
        if sem.prop(requirement, "kind") != "annex_a_control" \
                or sem.prop(requirement, "applicable") is not False:
            continue
        treating: dict[NodeKey, list[NodeKey]] = {}
        for control, _ in sem.view.into(requirement, "IMPLEMENTS"):
            if control[0] != "Control" or not sem.answerable(control):
                continue
            risks = sorted(k for k, _ in sem.view.out(control, "MITIGATES")
                           if sem.answerable(k) and sem.is_high(k))
            if risks:
                treating[control] = risks
        if treating:
            listed = "; ".join(f"{c[1]} ({', '.join(k[1] for k in risks)})"
                               for c, risks in sorted(treating.items()))
            reason = f"excluded, yet implemented by controls that mitigate high risks: {listed}"
            related = [*treating, *(k for risks in treating.values() for k in risks)]
            found.append(finding(sem, check, requirement, reason, related))
    return found


CYPHER = f"""
MATCH (q:Requirement {{kind: 'annex_a_control', applicable: false}})
MATCH (c:Control)-[:IMPLEMENTS]->(q)
WHERE {IN_SCOPE('c', 'Control')}
WITH q, c, COLLECT {{
  MATCH (c)-[:MITIGATES]->(k:Risk)
  WHERE {IN_SCOPE('k', 'Risk')} AND k.score IS NOT NULL
    AND k.score >= $high_risk_threshold
  RETURN k ORDER BY k.id }} AS risks
WHERE size(risks) > 0
WITH q, c, risks ORDER BY c.id
WITH q, collect(c.id + ' (' + {JOIN('[k IN risks | k.id]', ', ')} + ')') AS parts,
     collect({REF('c', 'Control')}) AS controls,
     reduce(acc = [], rs IN collect(risks) | acc + [k IN rs | {REF('k', 'Risk')}]) AS risk_refs
RETURN 'Requirement' AS subject_type, q.id AS subject_id,
       {NAME('q', 'Requirement')} AS subject_name,
       'excluded, yet implemented by controls that mitigate high risks: '
       + {JOIN('parts')} AS reason,
       controls + risk_refs AS related, null AS severity
"""


CHECK = GapCheck(
    "soa-exclusion-contradicted", "SoA exclusions contradicted by risk treatment", "high",
    "Annex A control excluded in the SoA (applicable false) that a non-retired control "
    "implements while that control mitigates a non-closed high risk.", _find, CYPHER,
    subjects=("Requirement",), local=True)
