"""incident-risk-not-registered: a serious or major incident that realised no registered
risk, so the risk assessment did not foresee it (6.1.2, 8.2)."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import KNOWN, NAME, REF
from aimsgraph.graph.questions.definitions import GRAVE
from aimsgraph.graph.questions.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for incident in sem.view.nodes("Incident"):
        if sem.prop(incident, "severity") not in GRAVE or not sem.known(incident):
            continue
        if any(r[0] == "Risk" for r, _ in sem.view.out(incident, "REALISES")):
            continue
        systems = [s for s, _ in sem.view.out(incident, "AFFECTS")]
        found.append(finding(sem, check, incident, "it realises no registered risk", systems))
    return found


CYPHER = f"""
MATCH (i:Incident) WHERE i.severity IN {list(GRAVE)!r} AND {KNOWN('i')}
  AND NOT EXISTS {{ (i)-[:REALISES]->(:Risk) }}
RETURN 'Incident' AS subject_type, i.id AS subject_id, {NAME('i', 'Incident')} AS subject_name,
       'it realises no registered risk' AS reason,
       [(i)-[:AFFECTS]->(s:AISystem) | {REF('s', 'AISystem')}] AS related, null AS severity
"""


CHECK = GapCheck(
    "incident-risk-not-registered", "Incidents that realised no registered risk", "medium",
    "Known incident of severity serious or major that REALISES no risk: the risk assessment "
    "did not foresee it. Related: the AI systems it affects.", _find, CYPHER,
    subjects=("Incident",), local=True)
