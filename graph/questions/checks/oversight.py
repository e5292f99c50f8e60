"""Governance bodies (5.1, 5.3, A.3.2): high-tier systems without a committee overseeing them,
and committees without a Leader in the chair or without members from several units."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import (
    CURRENT,
    HIGH_TIER,
    IN_SCOPE,
    JOIN,
    NAME,
    PRESENT,
    REF,
)
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey


def _unguarded(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for system in sem.view.nodes("AISystem"):
        tier = sem.prop(system, "risk_tier")
        if sem.in_scope_system(system) and sem.high_tier(system) \
                and not any(c[0] == "Committee" for c, _ in sem.view.into(system, "OVERSEES")):
            found.append(finding(sem, check, system,
                                 f"risk tier {tier}; no committee oversees it"))
    return found


UNGUARDED_CYPHER = f"""
MATCH (s:AISystem)
WHERE {IN_SCOPE('s', 'AISystem')} AND {HIGH_TIER('s')}
  AND NOT EXISTS {{ MATCH (:Committee)-[:OVERSEES]->(s) }}
RETURN 'AISystem' AS subject_type, s.id AS subject_id, {NAME('s', 'AISystem')} AS subject_name,
       'risk tier ' + s.risk_tier + '; no committee oversees it' AS reason, [] AS related,
       null AS severity
"""

UNGUARDED = GapCheck(
    "high-tier-system-without-oversight", "High-tier AI systems without a governance body",
    "high", "Non-retired AI system of risk tier high or unacceptable that no committee "
    "OVERSEES.", _unguarded, UNGUARDED_CYPHER,
    subjects=("AISystem",), local=True)


def overseen(sem: Semantics, committee: NodeKey) -> list[NodeKey]:
    """The non-retired AI systems a committee oversees."""
    return sorted(s for s, _ in sem.view.out(committee, "OVERSEES")
                  if s[0] == "AISystem" and sem.in_scope_system(s))


def _chair_problem(sem: Semantics, chair: NodeKey) -> str | None:
    """Why a chair is not a Leader present on the as-of date (None when they are)."""
    name = sem.name(chair)
    if not sem.is_leader(chair):
        return f"{name}, who is not a Leader"
    if sem.person_present(chair):
        return None
    left_on = sem.prop(chair, "left_on")
    return f"{name}, who left on {left_on.isoformat()}" if left_on else \
        f"{name}, who is not active"


def _unchaired(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for committee in sem.view.nodes("Committee"):
        systems = overseen(sem, committee)
        if not systems:
            continue
        chairs = sorted(p for p, _ in sem.view.into(committee, "CHAIRS") if p[0] == "Person")
        problems = [_chair_problem(sem, c) for c in chairs]
        if chairs and any(p is None for p in problems):
            continue
        reason = ("no chair is recorded" if not chairs
                  else "chaired by " + "; ".join(p for p in problems if p))
        found.append(finding(sem, check, committee, reason, [*chairs, *systems]))
    return found


UNCHAIRED_CYPHER = f"""
MATCH (m:Committee)-[:OVERSEES]->(s:AISystem) WHERE {IN_SCOPE('s', 'AISystem')}
WITH m, collect(DISTINCT s) AS systems
WITH m, systems, COLLECT {{ MATCH (p:Person)-[:CHAIRS]->(m) RETURN p ORDER BY p.id }} AS chairs
WHERE NOT any(p IN chairs WHERE p:Leader AND {PRESENT('p')})
WITH m, systems, chairs,
     [p IN chairs | {NAME('p', 'Person')} + CASE
        WHEN NOT p:Leader THEN ', who is not a Leader'
        WHEN p.left_on IS NOT NULL THEN ', who left on ' + toString(p.left_on)
        ELSE ', who is not active' END] AS problems
RETURN 'Committee' AS subject_type, m.id AS subject_id, {NAME('m', 'Committee')} AS subject_name,
       CASE WHEN size(chairs) = 0 THEN 'no chair is recorded'
            ELSE 'chaired by ' + {JOIN('problems')} END AS reason,
       [p IN chairs | {REF('p', 'Person')}] + [s IN systems | {REF('s', 'AISystem')}]
         AS related,
       null AS severity
"""

UNCHAIRED = GapCheck(
    "committee-without-leader-chair", "Governance bodies without a Leader in the chair",
    "medium", "Committee that oversees at least one non-retired AI system and has no chair "
    "who is a Leader present on the as-of date.", _unchaired, UNCHAIRED_CYPHER,
    subjects=("Committee",), local=True)


def member_units(sem: Semantics, committee: NodeKey) -> list[NodeKey]:
    """The units of the roles currently held by the committee's members and chairs present
    on the as-of date (IN_UNIT only, not following PART_OF)."""
    people = {p for rel in ("MEMBER_OF", "CHAIRS") for p, _ in sem.view.into(committee, rel)
              if p[0] == "Person"}
    return sorted({unit for person in people for role in sem.roles_held(person)
                   for unit, _ in sem.view.out(role, "IN_UNIT") if unit[0] == "OrgUnit"})


def _narrow(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    needed = sem.params.committee_min_units
    for committee in sem.view.nodes("Committee"):
        if not overseen(sem, committee):
            continue
        units = member_units(sem, committee)
        if len(units) < needed:
            listed = f" ({', '.join(u[1] for u in units)})" if units else ""
            reason = (f"its members and chairs present hold roles in {len(units)} unit"
                      f"{'' if len(units) == 1 else 's'}{listed}; {needed} needed")
            found.append(finding(sem, check, committee, reason, units))
    return found


NARROW_CYPHER = f"""
MATCH (m:Committee)
WHERE EXISTS {{ MATCH (m)-[:OVERSEES]->(s:AISystem) WHERE {IN_SCOPE('s', 'AISystem')} }}
WITH m, COLLECT {{
  MATCH (p:Person)-[:MEMBER_OF|CHAIRS]->(m)
  MATCH (p)-[h:HOLDS]->(:Role)-[:IN_UNIT]->(u:OrgUnit) WHERE {CURRENT('h', 'p')}
  RETURN DISTINCT u ORDER BY u.id }} AS units
WHERE size(units) < $committee_min_units
RETURN 'Committee' AS subject_type, m.id AS subject_id, {NAME('m', 'Committee')} AS subject_name,
       'its members and chairs present hold roles in ' + toString(size(units)) + ' unit'
       + CASE WHEN size(units) = 1 THEN '' ELSE 's' END
       + CASE WHEN size(units) = 0 THEN ''
              ELSE ' (' + {JOIN('[u IN units | u.id]', ', ')} + ')' END
       + '; ' + toString($committee_min_units) + ' needed' AS reason,
       [u IN units | {REF('u', 'OrgUnit')}] AS related, null AS severity
"""

NARROW = GapCheck(
    "committee-not-interdisciplinary", "Governance bodies drawn from too few units", "medium",
    "Committee that oversees at least one non-retired AI system whose members and chairs "
    "present on the as-of date currently hold roles in fewer than AIMSGRAPH_COMMITTEE_MIN_UNITS "
    "distinct organisational units (IN_UNIT, not following PART_OF).", _narrow, NARROW_CYPHER,
    subjects=("Committee",), local=True)

#: The checks this module declares, in the order they are reported.
CHECKS = (UNGUARDED, UNCHAIRED, NARROW)
