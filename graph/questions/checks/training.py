"""training-missing: a current role holder without a valid completion of a required training."""

from __future__ import annotations

import datetime as dt

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import CURRENT, JOIN, NAME, REF
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    needed: dict[tuple[NodeKey, NodeKey], list[NodeKey]] = {}
    for role in sem.view.nodes("Role"):
        trainings = [t for t, _ in sem.view.out(role, "REQUIRES")]
        for person in sem.holders(role):
            for training in trainings:
                needed.setdefault((person, training), []).append(role)
    found = []
    for (person, training), roles in needed.items():
        records = [rel for t, rel in sem.view.out(person, "COMPLETED") if t == training]
        if any(sem.completion_valid(rel, training) for rel in records):
            continue
        for_roles = ", ".join(r[1] for r in sorted(roles))
        if records:
            dates: list[dt.date] = [r["on"] for r in records if r.get("on")]
            last = max(dates, default=None)
            state = f"completion of {last.isoformat()} is no longer valid" if last \
                else "completion has no date"
        else:
            state = "never completed"
        reason = f"{training[1]} {sem.name(training)} required for {for_roles}: {state}"
        severity = "high" if sem.is_leader(person) else "medium"
        found.append(finding(sem, check, person, reason, [training, *roles], severity))
    return found


CYPHER = f"""
MATCH (r:Role)-[:REQUIRES]->(t:Training)
MATCH (p:Person)-[h:HOLDS]->(r) WHERE {CURRENT('h', 'p')}
WITH p, t, r ORDER BY r.id
WITH p, t, collect(r) AS roles
OPTIONAL MATCH (p)-[c:COMPLETED]->(t)
WITH p, t, roles, collect(c) AS records
WHERE none(c IN records WHERE c.on IS NOT NULL AND c.on <= $as_of AND
           CASE WHEN c.expires_on IS NOT NULL THEN c.expires_on >= $as_of
                WHEN t.validity_months IS NOT NULL
                THEN c.on + duration({{months: t.validity_months}}) >= $as_of
                ELSE true END)
WITH p, t, roles, records,
     reduce(m = null, c IN records |
            CASE WHEN c.on IS NOT NULL AND (m IS NULL OR c.on > m) THEN c.on ELSE m END) AS last
RETURN 'Person' AS subject_type, p.id AS subject_id,
       {NAME('p', 'Person')} AS subject_name,
       t.id + ' ' + {NAME('t', 'Training')} + ' required for '
       + {JOIN('[r IN roles | r.id]', ', ')} + ': '
       + CASE WHEN size(records) = 0 THEN 'never completed'
              WHEN last IS NULL THEN 'completion has no date'
              ELSE 'completion of ' + toString(last) + ' is no longer valid' END AS reason,
       [{REF('t', 'Training')}] + [r IN roles | {REF('r', 'Role')}] AS related,
       CASE WHEN p:Leader THEN 'high' ELSE 'medium' END AS severity
"""


CHECK = GapCheck(
    "training-missing", "Required training missing or lapsed", "medium",
    "Current holder of a role that REQUIRES a training without a completion valid on the as-of "
    "date (completed on or before it, not past expires_on, else completion plus the "
    "training's validity_months, else no expiry). High for Leaders.", _find, CYPHER,
    subjects=("Person",))
