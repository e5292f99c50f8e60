"""high-risk-untreated: a high risk with no implemented mitigation and no Leader's acceptance."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import IMPLEMENTED, IN_SCOPE, JOIN, NAME, REF
from aimsgraph.graph.questions.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for risk in sem.view.nodes("Risk"):
        status = sem.prop(risk, "status")
        if status == "closed" or not sem.is_high(risk):
            continue
        if sem.mitigating_controls(risk) or sem.accepted_by_leader(risk):
            continue
        planned = sorted(c for c, _ in sem.view.into(risk, "MITIGATES"))
        acceptors = sorted(p for p, _ in sem.view.out(risk, "ACCEPTED_BY"))
        parts = [f"score {sem.risk_score(risk)} (threshold {sem.params.high_risk_threshold})"]
        if planned:
            parts.append("no implemented mitigating control (" + ", ".join(
                f"{c[1]} is {sem.prop(c, 'status') or 'without status'}" for c in planned) + ")")
        else:
            parts.append("no control mitigates it")
        if status == "treated":
            parts.append("marked treated without an implemented control")
        if status == "accepted":
            parts.append("accepted by " + (", ".join(f"{sem.name(p)}, who is not a Leader"
                                                     for p in acceptors) or "nobody recorded"))
        elif acceptors:
            parts.append(f"status is {status}, not accepted")
        found.append(finding(sem, check, risk, "; ".join(parts), [*planned, *acceptors]))
    return found


CYPHER = f"""
MATCH (k:Risk)
WHERE {IN_SCOPE('k', 'Risk')}
  AND k.score IS NOT NULL AND k.score >= $high_risk_threshold
  AND NOT EXISTS {{ MATCH (m:Control)-[:MITIGATES]->(k) WHERE {IMPLEMENTED('m')} }}
  AND NOT (coalesce(k.status, '') = 'accepted'
           AND EXISTS {{ MATCH (k)-[:ACCEPTED_BY]->(:Leader) }})
OPTIONAL MATCH (c:Control)-[:MITIGATES]->(k)
WITH k, c ORDER BY c.id
WITH k, collect(c) AS planned,
     collect(c.id + ' is ' + coalesce(c.status, 'without status')) AS states
OPTIONAL MATCH (k)-[:ACCEPTED_BY]->(p:Person)
WITH k, planned, states, p ORDER BY p.id
WITH k, planned, states, collect(p) AS acceptors,
     collect({NAME('p', 'Person')} + ', who is not a Leader') AS not_leaders
WITH k, planned, acceptors,
     ['score ' + toString(k.score) + ' (threshold ' + toString($high_risk_threshold) + ')',
      CASE WHEN size(planned) > 0
           THEN 'no implemented mitigating control (' + {JOIN('states', ', ')} + ')'
           ELSE 'no control mitigates it' END]
     + CASE WHEN k.status = 'treated'
            THEN ['marked treated without an implemented control'] ELSE [] END
     + CASE WHEN k.status = 'accepted'
            THEN ['accepted by ' + CASE WHEN size(acceptors) = 0 THEN 'nobody recorded'
                  ELSE {JOIN('not_leaders', ', ')} END]
            WHEN size(acceptors) > 0
            THEN ['status is ' + coalesce(k.status, 'None') + ', not accepted']
            ELSE [] END AS parts
RETURN 'Risk' AS subject_type, k.id AS subject_id,
       {NAME('k', 'Risk')} AS subject_name,
       {JOIN('parts')} AS reason,
       [c IN planned | {REF('c', 'Control')}] + [p IN acceptors | {REF('p', 'Person')}] AS related,
       null AS severity
"""


CHECK = GapCheck(
    "high-risk-untreated", "High risks untreated", "high",
    "High risk (score at or above the threshold), not closed, that no implemented control "
    "mitigates and that is not accepted by a Leader.", _find, CYPHER,
    subjects=("Risk",), local=True)
