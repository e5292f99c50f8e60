"""control-without-valid-evidence: an implemented control with nothing proving it on D."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import (
    EVIDENCE_PROBLEM,
    IMPLEMENTED,
    JOIN,
    NAME,
    REF,
    VALID_EVIDENCE,
)
from aimsgraph.graph.questions.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for control in sem.view.nodes("Control"):
        if not sem.implemented(control) or sem.valid_evidence(control):
            continue
        evidence = sorted(ev for ev, _ in sem.view.into(control, "SUPPORTS"))
        problems = [sem.evidence_problem(ev) for ev in evidence]
        reason = ("no valid evidence: " + "; ".join(p for p in problems if p)) if evidence \
            else "no evidence supports it"
        found.append(finding(sem, check, control, reason, evidence))
    return found


CYPHER = f"""
MATCH (c:Control) WHERE {IMPLEMENTED('c')}
OPTIONAL MATCH (e:Evidence)-[:SUPPORTS]->(c)
WITH c, e ORDER BY e.id
WITH c, collect(e) AS evidence
WHERE none(e IN evidence WHERE {VALID_EVIDENCE('e')})
RETURN 'Control' AS subject_type, c.id AS subject_id,
       {NAME('c', 'Control')} AS subject_name,
       CASE WHEN size(evidence) = 0 THEN 'no evidence supports it'
            ELSE 'no valid evidence: ' + {JOIN('[e IN evidence | ' + EVIDENCE_PROBLEM('e') + ']')}
       END AS reason,
       [e IN evidence | {REF('e', 'Evidence')}] AS related, null AS severity
"""


CHECK = GapCheck(
    "control-without-valid-evidence", "Implemented controls without valid evidence", "medium",
    "Control with status implemented or operating and no evidence valid on the as-of date "
    "(collected on or before it, not past valid_until).", _find, CYPHER)
