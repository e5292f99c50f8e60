"""serious-incident-not-reported: a serious incident not reported to the authority within its
deadline (EU AI Act Art. 73; A.8.4)."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import KNOWN, NAME, NOTICED, REF
from aimsgraph.graph.questions.definitions import SERIOUS, noticed, plus_days
from aimsgraph.graph.questions.semantics import Semantics

NO_DATE = "it has no occurrence or detection date and is not reported"


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for incident in sem.view.nodes("Incident"):
        if sem.prop(incident, "severity") != SERIOUS or not sem.known(incident):
            continue
        reason = _reason(sem, incident)
        if reason is not None:
            systems = sorted(s for s, _ in sem.view.out(incident, "AFFECTS"))
            found.append(finding(sem, check, incident, reason, systems))
    return found


def _reason(sem: Semantics, incident: tuple[str, str]) -> str | None:
    """Why ``incident`` counts as not reported on the as-of date; None when it was in time
    or is not yet due. A report dated after the as-of date is not yet made."""
    props = sem.view.props(incident)
    reported = props.get("reported_on")
    made = reported if reported is not None and reported <= sem.as_of else None
    later = (f"; it is reported only later, on {reported.isoformat()}"
             if reported is not None and made is None else "")
    day = noticed(props)
    if day is None:
        return None if made else NO_DATE + later
    days = props.get("report_within_days") or sem.params.incident_report_days
    deadline = plus_days(day, days)
    if deadline is None:
        return None
    if made is None:
        return (f"its report was due on {deadline.isoformat()} and is not made" + later
                if deadline < sem.as_of else None)
    late = (made - deadline).days
    if late <= 0:
        return None
    return (f"it was reported on {made.isoformat()}, {late} day{'s' if late != 1 else ''} "
            f"late (due on {deadline.isoformat()})")


CYPHER = f"""
MATCH (i:Incident {{severity: '{SERIOUS}'}}) WHERE {KNOWN('i')}
WITH i, {NOTICED('i')} AS noticed,
     CASE WHEN i.reported_on <= $as_of THEN i.reported_on END AS made
WITH i, noticed, made,
     noticed + duration({{days: coalesce(i.report_within_days, $incident_report_days)}})
       AS deadline,
     CASE WHEN i.reported_on > $as_of
          THEN '; it is reported only later, on ' + toString(i.reported_on) ELSE '' END AS later
WHERE (noticed IS NULL AND made IS NULL)
   OR (noticed IS NOT NULL AND made IS NULL AND deadline < $as_of)
   OR (made > deadline)
WITH i, noticed, made, deadline, later, duration.inDays(deadline, made).days AS late
RETURN 'Incident' AS subject_type, i.id AS subject_id, {NAME('i', 'Incident')} AS subject_name,
       CASE WHEN noticed IS NULL
            THEN '{NO_DATE}' + later
            WHEN made IS NULL
            THEN 'its report was due on ' + toString(deadline) + ' and is not made' + later
            ELSE 'it was reported on ' + toString(made) + ', ' + toString(late) + ' day'
                 + CASE WHEN late = 1 THEN '' ELSE 's' END + ' late (due on '
                 + toString(deadline) + ')' END AS reason,
       [(i)-[:AFFECTS]->(s:AISystem) | {REF('s', 'AISystem')}] AS related, null AS severity
"""


CHECK = GapCheck(
    "serious-incident-not-reported", "Serious incidents not reported in time", "high",
    "Known incident of severity serious whose reporting deadline (detected_on, else "
    "occurred_on, plus its report_within_days or AIMSGRAPH_INCIDENT_REPORT_DAYS) is before the "
    "as-of date with no reported_on on or before it, or whose reported_on is after the deadline "
    "(days late); with neither date, one not reported by the as-of date.", _find, CYPHER,
    subjects=("Incident",), local=True)
