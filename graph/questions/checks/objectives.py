"""AI objectives (6.2): none set, or one that is not on track (no owner, no current owner, no
valid evidence of progress, or past due)."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import (
    DESCRIBE,
    HELD,
    JOIN,
    NAME,
    REF,
    VALID_EVIDENCE,
    WHY_VACANT,
)
from aimsgraph.graph.questions.semantics import Semantics

OBJECTIVES_CLAUSE = ("Requirement", "ISO42001:6.2")
ACTIVE = ("planned", "on_track", "at_risk")


def _missing(check: GapCheck, sem: Semantics) -> list[Finding]:
    objectives = sorted(sem.view.nodes("Objective"))
    if any(sem.prop(o, "status") != "dropped" for o in objectives) \
            or not sem.view.has(OBJECTIVES_CLAUSE):
        return []
    reason = ("no AI objective is set" if not objectives else
              "every AI objective is dropped (" + ", ".join(o[1] for o in objectives) + ")")
    return [finding(sem, check, OBJECTIVES_CLAUSE, reason, objectives)]


MISSING_CYPHER = f"""
MATCH (q:Requirement {{id: 'ISO42001:6.2'}})
WITH q, COLLECT {{ MATCH (o:Objective) RETURN o ORDER BY o.id }} AS objectives
WHERE NOT any(o IN objectives WHERE coalesce(o.status, '') <> 'dropped')
RETURN 'Requirement' AS subject_type, q.id AS subject_id,
       {NAME('q', 'Requirement')} AS subject_name,
       CASE WHEN size(objectives) = 0 THEN 'no AI objective is set'
            ELSE 'every AI objective is dropped (' + {JOIN('[o IN objectives | o.id]', ', ')}
                 + ')' END AS reason,
       [o IN objectives | {REF('o', 'Objective')}] AS related, null AS severity
"""

MISSING = GapCheck(
    "ai-objectives-missing", "AI objectives missing", "medium",
    "One finding on clause 6.2 when no AI objective has a status other than dropped.",
    _missing, MISSING_CYPHER,
    subjects=("Requirement",))


def _off_track(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for objective in sem.view.nodes("Objective"):
        if sem.prop(objective, "status") not in ACTIVE:
            continue
        parts = []
        gap = sem.owner_gap(objective, "no owner role")
        if gap is not None:
            parts.append(gap)
        if not sem.valid_evidence(objective):
            parts.append("no valid evidence supports it")
        due = sem.prop(objective, "due")
        if due is not None and due < sem.as_of:
            parts.append(f"was due on {due.isoformat()}")
        if parts:
            found.append(finding(sem, check, objective, "; ".join(parts),
                                 sem.owner_roles(objective)))
    return found


_VACANCIES = JOIN("[r IN roles | 'owner role ' + " + DESCRIBE("r")
                  + " + ' has no current holder: ' + " + WHY_VACANT("r") + "]")

OFF_TRACK_CYPHER = f"""
MATCH (o:Objective) WHERE o.status IN ['planned', 'on_track', 'at_risk']
WITH o, COLLECT {{ MATCH (r:Role)-[:OWNS]->(o) RETURN r ORDER BY r.id }} AS roles
WITH o, roles,
     CASE WHEN size(roles) = 0 THEN ['no owner role']
          WHEN any(r IN roles WHERE {HELD('r')}) THEN []
          ELSE [{_VACANCIES}]
     END
     + CASE WHEN EXISTS {{ MATCH (e:Evidence)-[:SUPPORTS]->(o) WHERE {VALID_EVIDENCE('e')} }}
            THEN [] ELSE ['no valid evidence supports it'] END
     + CASE WHEN o.due IS NOT NULL AND o.due < $as_of
            THEN ['was due on ' + toString(o.due)] ELSE [] END AS parts
WHERE size(parts) > 0
RETURN 'Objective' AS subject_type, o.id AS subject_id, {NAME('o', 'Objective')} AS subject_name,
       {JOIN('parts')} AS reason, [r IN roles | {REF('r', 'Role')}] AS related,
       null AS severity
"""

OFF_TRACK = GapCheck(
    "objective-not-on-track", "AI objectives not on track", "medium",
    "Objective with status planned, on_track or at_risk that has no owner role, none of whose "
    "owner roles has a current holder, that no evidence valid on the as-of date supports, or "
    "whose due date has passed; the reason names each cause.", _off_track, OFF_TRACK_CYPHER,
    subjects=("Objective",), local=True)

#: The checks this module declares, in the order they are reported.
CHECKS = (MISSING, OFF_TRACK)
