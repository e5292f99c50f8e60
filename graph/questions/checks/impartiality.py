"""auditor-not-impartial: an internal audit led by someone who answers for what it audits
(9.2.2: auditors must not audit their own work), found through the reporting chain."""

from __future__ import annotations

import datetime as dt

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import CURRENT, IN_SCOPE, JOIN, NAME, REF
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey


def audited_controls(sem: Semantics, audit: NodeKey) -> list[NodeKey]:
    """Non-retired controls implementing a requirement the audit covers (or one below it)."""
    covered = {r for q, _ in sem.view.out(audit, "COVERS") if q[0] == "Requirement"
               for r in sem.below(q)}
    return sorted({c for r in covered for c, _ in sem.view.into(r, "IMPLEMENTS")
                   if c[0] == "Control" and sem.answerable(c)})


def roles_answering(sem: Semantics, control: NodeKey) -> set[NodeKey]:
    """The control's owner roles and every role above them on their REPORTS_TO chains."""
    found: set[NodeKey] = set()
    todo = list(sem.owner_roles(control))
    while todo:
        role = todo.pop()
        if role not in found:
            found.add(role)
            todo.extend(sem.reports_to(role))
    return found


def conflicts(sem: Semantics, audit: NodeKey, lead: NodeKey,
              day: dt.date) -> tuple[list[NodeKey], list[NodeKey]]:
    """The roles ``lead`` held on ``day`` that own, or stand above the owners of, controls the
    audit covers; and those controls."""
    held = set(sem.roles_held(lead, day))
    roles: set[NodeKey] = set()
    controls: set[NodeKey] = set()
    for control in audited_controls(sem, audit):
        hit = roles_answering(sem, control) & held
        if hit:
            roles |= hit
            controls.add(control)
    return sorted(roles), sorted(controls)


def impartiality_problem(sem: Semantics, audit: NodeKey) -> tuple[str, list[NodeKey]] | None:
    """Why an internal audit's lead was not impartial, with the related nodes; None if they
    were (or the audit is not an internal audit dated on or before the as-of date)."""
    day = sem.internal_audit_date(audit)
    if day is None or day > sem.as_of:
        return None
    parts, related = [], []
    for lead in sorted(p for p, _ in sem.view.out(audit, "LED_BY") if p[0] == "Person"):
        roles, controls = conflicts(sem, audit, lead, day)
        if roles:
            parts.append(f"{sem.name(lead)} held {', '.join(r[1] for r in roles)} on "
                         f"{day.isoformat()}, owning or above the owners of "
                         f"{', '.join(c[1] for c in controls)}")
            related += [lead, *roles, *controls]
    return ("; ".join(parts), related) if parts else None


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for audit in sem.view.nodes("Audit"):
        problem = impartiality_problem(sem, audit)
        if problem is not None:
            found.append(finding(sem, check, audit, problem[0], problem[1]))
    return found


CYPHER = f"""
MATCH (a:Audit {{kind: 'internal'}})-[:LED_BY]->(p:Person)
WHERE a.date IS NOT NULL AND a.date <= $as_of
WITH a, p, COLLECT {{
  MATCH (a)-[:COVERS]->(:Requirement)<-[:PART_OF*0..]-(:Requirement)<-[:IMPLEMENTS]-(c:Control)
  WHERE {IN_SCOPE('c', 'Control')} RETURN DISTINCT c }} AS covered,
  COLLECT {{ MATCH (p)-[h:HOLDS]->(r:Role) WHERE {CURRENT('h', 'p', day='a.date')}
            RETURN DISTINCT r }} AS held
WITH a, p,
  COLLECT {{ UNWIND covered AS c MATCH (o:Role)-[:OWNS]->(c)
            MATCH (o)-[:REPORTS_TO*0..]->(r:Role) WHERE r IN held
            RETURN DISTINCT r ORDER BY r.id }} AS roles,
  COLLECT {{ UNWIND covered AS c MATCH (o:Role)-[:OWNS]->(c)
            WHERE EXISTS {{ MATCH (o)-[:REPORTS_TO*0..]->(r:Role) WHERE r IN held }}
            RETURN DISTINCT c ORDER BY c.id }} AS controls
WHERE size(roles) > 0
WITH a, p, roles, controls ORDER BY p.id
WITH a, collect({NAME('p', 'Person')} + ' held ' + {JOIN('[r IN roles | r.id]', ', ')}
                + ' on ' + toString(a.date) + ', owning or above the owners of '
                + {JOIN('[c IN controls | c.id]', ', ')}) AS parts,
     collect([{REF('p', 'Person')}] + [r IN roles | {REF('r', 'Role')}]
             + [c IN controls | {REF('c', 'Control')}]) AS refs
RETURN 'Audit' AS subject_type, a.id AS subject_id, {NAME('a', 'Audit')} AS subject_name,
       {JOIN('parts')} AS reason,
       reduce(acc = [], x IN refs | acc + x) AS related, null AS severity
"""


CHECK = GapCheck(
    "auditor-not-impartial", "Internal audits led by someone auditing their own work", "high",
    "Internal audit dated on or before the as-of date whose lead, on the audit's own date, "
    "held a role that owns a non-retired control implementing a requirement the audit covers "
    "(or one below it), or a role above that owner on its reporting chain.", _find, CYPHER,
    subjects=("Audit",), local=True)
