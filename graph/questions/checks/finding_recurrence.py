"""finding-recurred: a finding about something a closed earlier finding was about (10.2:
corrective action that did not stop the nonconformity from coming back)."""

from __future__ import annotations

import datetime as dt

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import JOIN, NAME, REF, TYPE
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey


def _audit_dates(sem: Semantics, item: NodeKey) -> list[dt.date]:
    return [day for audit, _ in sem.view.out(item, "RAISED_IN")
            if (day := sem.prop(audit, "date")) is not None]


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for item in sem.view.nodes("Finding"):
        raised = [day for day in _audit_dates(sem, item) if day <= sem.as_of]
        if not raised:
            continue
        latest = max(raised)
        pairs = set()
        for subject, _ in sem.view.out(item, "CONCERNS"):
            for earlier, _ in sem.view.into(subject, "CONCERNS"):
                if (earlier != item and earlier[0] == "Finding"
                        and sem.prop(earlier, "status") == "closed"
                        and any(day < latest for day in _audit_dates(sem, earlier))):
                    pairs.add((subject, earlier))
        if pairs:
            ordered = sorted(pairs, key=lambda p: (p[0][1], p[0][0], p[1][1]))
            reason = "; ".join(f"concerns {s[1]} again after closed {e[1]}" for s, e in ordered)
            severity = "high" if sem.prop(item, "severity") == "major" else None
            found.append(finding(sem, check, item, reason,
                                 [k for pair in ordered for k in pair], severity))
    return found


CYPHER = f"""
MATCH (f:Finding)-[:RAISED_IN]->(a:Audit)
WHERE a.date IS NOT NULL AND a.date <= $as_of
WITH f, max(a.date) AS latest
MATCH (f)-[:CONCERNS]->(x)<-[:CONCERNS]-(g:Finding {{status: 'closed'}})
WHERE g <> f AND EXISTS {{ MATCH (g)-[:RAISED_IN]->(b:Audit) WHERE b.date < latest }}
WITH DISTINCT f, x, g
WITH f, x, g, {TYPE('x')} AS x_type ORDER BY x.id, x_type, g.id
WITH f, collect('concerns ' + x.id + ' again after closed ' + g.id) AS parts,
     collect({REF('x')}) + collect({REF('g', 'Finding')}) AS related
RETURN 'Finding' AS subject_type, f.id AS subject_id, {NAME('f', 'Finding')} AS subject_name,
       {JOIN('parts')} AS reason, related,
       CASE WHEN f.severity = 'major' THEN 'high' ELSE null END AS severity
"""


CHECK = GapCheck(
    "finding-recurred", "Findings that recurred after being closed", "medium",
    "Finding raised in an audit dated on or before the as-of date that concerns something a "
    "closed finding raised in a strictly earlier audit also concerned. High for major "
    "nonconformities.", _find, CYPHER,
    subjects=("Finding",), local=True)
