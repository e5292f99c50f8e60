"""control-without-valid-evidence: an implemented control with nothing proving it on D."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import (
    EVIDENCE_GAP,
    IMPLEMENTED,
    NAME,
    REF,
    VALID_EVIDENCE,
)
from aimsgraph.graph.questions.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for control in sem.view.nodes("Control"):
        gap = sem.evidence_gap(control) if sem.implemented(control) else None
        if gap is not None:
            found.append(finding(sem, check, control, gap[0], gap[1]))
    return found


CYPHER = f"""
MATCH (c:Control) WHERE {IMPLEMENTED('c')}
OPTIONAL MATCH (e:Evidence)-[:SUPPORTS]->(c)
WITH c, e ORDER BY e.id
WITH c, collect(e) AS evidence
WHERE none(e IN evidence WHERE {VALID_EVIDENCE('e')})
RETURN 'Control' AS subject_type, c.id AS subject_id,
       {NAME('c', 'Control')} AS subject_name,
       {EVIDENCE_GAP('evidence')} AS reason,
       [e IN evidence | {REF('e', 'Evidence')}] AS related, null AS severity
"""


CHECK = GapCheck(
    "control-without-valid-evidence", "Implemented controls without valid evidence", "medium",
    "Control with status implemented or operating and no evidence valid on the as-of date "
    "(collected on or before it, not past valid_until).", _find, CYPHER,
    subjects=("Control",), local=True)
