"""incident-without-corrective-action: a serious or major incident nobody was given a
corrective action for, once the corrective action days have passed (clause 10.2)."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import NAME, NOTICED, REF
from aimsgraph.graph.questions.definitions import GRAVE, noticed, plus_days
from aimsgraph.graph.questions.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for incident in sem.view.nodes("Incident"):
        if sem.prop(incident, "severity") not in GRAVE:
            continue
        props = sem.view.props(incident)
        day = noticed(props)
        if day is None:
            continue
        due = plus_days(day, sem.params.incident_action_days)
        if due is None or due > sem.as_of:
            continue
        findings = sorted(f for f, _ in sem.view.into(incident, "CONCERNS") if f[0] == "Finding")
        if any(next(sem.view.out(f, "ASSIGNED_TO"), None) for f in findings):
            continue
        what = "was detected" if props.get("detected_on") is not None else "occurred"
        unassigned = f" ({len(findings)} unassigned)" if findings else ""
        reason = (f"it {what} on {day.isoformat()} and no finding with an assignee concerns "
                  f"it{unassigned}")
        systems = [s for s, _ in sem.view.out(incident, "AFFECTS")]
        severity = "medium" if props.get("severity") == "major" else None
        found.append(finding(sem, check, incident, reason, [*systems, *findings], severity))
    return found


CYPHER = f"""
MATCH (i:Incident) WHERE i.severity IN {list(GRAVE)!r}
WITH i, {NOTICED('i')} AS noticed
WHERE noticed + duration({{days: $incident_action_days}}) <= $as_of
  AND NOT EXISTS {{ MATCH (f:Finding)-[:CONCERNS]->(i) WHERE EXISTS {{ (f)-[:ASSIGNED_TO]->() }} }}
WITH i, noticed, [(f:Finding)-[:CONCERNS]->(i) | f] AS findings
RETURN 'Incident' AS subject_type, i.id AS subject_id, {NAME('i', 'Incident')} AS subject_name,
       'it ' + CASE WHEN i.detected_on IS NOT NULL THEN 'was detected' ELSE 'occurred' END
       + ' on ' + toString(noticed) + ' and no finding with an assignee concerns it'
       + CASE WHEN size(findings) > 0 THEN ' (' + toString(size(findings)) + ' unassigned)'
              ELSE '' END AS reason,
       [(i)-[:AFFECTS]->(s:AISystem) | {REF('s', 'AISystem')}]
         + [f IN findings | {REF('f', 'Finding')}] AS related,
       CASE WHEN i.severity = 'major' THEN 'medium' END AS severity
"""


CHECK = GapCheck(
    "incident-without-corrective-action", "Incidents without corrective action", "high",
    "Serious or major incident detected (else occurred) on or before the as-of date less the "
    "corrective action days (AIMSGRAPH_INCIDENT_ACTION_DAYS) that no finding with an "
    "ASSIGNED_TO CONCERNS (an incident with neither date is not counted). Medium for major "
    "incidents.", _find, CYPHER,
    subjects=("Incident",), local=True)
