"""clause-not-audited: a leaf clause no internal audit covered within the audit cycle (9.2)."""

from __future__ import annotations

import datetime as dt

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.checks.clause_coverage import leaf_clauses
from aimsgraph.graph.questions.cypher_terms import NAME, REF
from aimsgraph.graph.questions.definitions import latest_first
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey


def _dated(sem: Semantics, requirement: NodeKey) -> list[tuple[dt.date, NodeKey]]:
    """Dated internal audits covering ``requirement``, latest first (ties by id)."""
    return latest_first([(day, audit) for audit in sem.covering_audits(requirement)
                         if (day := sem.internal_audit_date(audit)) is not None])


def audits_in_cycle(sem: Semantics, requirement: NodeKey) -> list[tuple[dt.date, NodeKey]]:
    """Internal audits covering ``requirement`` dated within the cycle ending on the as-of
    date, latest first (ties by id)."""
    return [(d, a) for d, a in _dated(sem, requirement)
            if sem.audit_cycle_start < d <= sem.as_of]


def last_before_cycle(sem: Semantics, requirement: NodeKey) -> tuple[dt.date, NodeKey] | None:
    """The latest internal audit covering ``requirement`` dated before the cycle began."""
    return next(((d, a) for d, a in _dated(sem, requirement) if d <= sem.audit_cycle_start),
                None)


def _reason(sem: Semantics, last: tuple[dt.date, NodeKey] | None) -> str:
    reason = (f"no internal audit dated after {sem.audit_cycle_start.isoformat()} and on or "
              f"before {sem.as_of.isoformat()} covers it")
    if last is None:
        return reason + "; no earlier internal audit covers it"
    return reason + f"; last covered by {last[1][1]} on {last[0].isoformat()}"


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for clause in leaf_clauses(sem):
        if audits_in_cycle(sem, clause):
            continue
        last = last_before_cycle(sem, clause)
        found.append(finding(sem, check, clause, _reason(sem, last),
                             [last[1]] if last else []))
    return found


CYPHER = f"""
MATCH (q:Requirement {{kind: 'clause'}})
WHERE NOT EXISTS {{ MATCH (:Requirement)-[:PART_OF]->(q) }}
WITH q, $as_of - duration({{months: $audit_cycle_months}}) AS start
WHERE NOT EXISTS {{
  MATCH (q)-[:PART_OF*0..]->(:Requirement)<-[:COVERS]-(a:Audit {{kind: 'internal'}})
  WHERE a.date > start AND a.date <= $as_of }}
WITH q, start, head(COLLECT {{
  MATCH (q)-[:PART_OF*0..]->(:Requirement)<-[:COVERS]-(a:Audit {{kind: 'internal'}})
  WHERE a.date <= start
  RETURN a ORDER BY a.date DESC, a.id }}) AS last
RETURN 'Requirement' AS subject_type, q.id AS subject_id,
       {NAME('q', 'Requirement')} AS subject_name,
       'no internal audit dated after ' + toString(start) + ' and on or before '
       + toString($as_of) + ' covers it; '
       + CASE WHEN last IS NULL THEN 'no earlier internal audit covers it'
              ELSE 'last covered by ' + last.id + ' on ' + toString(last.date) END AS reason,
       CASE WHEN last IS NULL THEN [] ELSE [{REF('last', 'Audit')}] END AS related,
       null AS severity
"""


CHECK = GapCheck(
    "clause-not-audited", "Clauses outside the internal audit cycle", "medium",
    "Leaf clause of 4-10 that no internal audit dated within the audit cycle ending on the "
    "as-of date covers (an audit covers what it COVERS and every requirement below it).",
    _find, CYPHER,
    subjects=("Requirement",))
