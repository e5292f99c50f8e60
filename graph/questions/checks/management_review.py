"""management-review-overdue: no management review within the review interval, or the latest
one not led by a Leader (9.3: top management reviews the AI management system)."""

from __future__ import annotations

import datetime as dt

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import JOIN, NAME, REF
from aimsgraph.graph.questions.definitions import add_months, latest_first
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey

REVIEW_CLAUSE = ("Requirement", "ISO42001:9.3")


def reviews(sem: Semantics) -> list[tuple[dt.date, NodeKey]]:
    """Dated management reviews, latest first (ties by id)."""
    return latest_first([(day, a) for a in sem.view.nodes("Audit")
                         if sem.prop(a, "kind") == "management_review"
                         and isinstance(day := sem.prop(a, "date"), dt.date)])


def review_window_start(sem: Semantics) -> dt.date:
    """The day before the review interval ending on the as-of date begins."""
    return add_months(sem.as_of, -sem.params.review_interval_months)


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    start = review_window_start(sem)
    held = reviews(sem)
    window = [(d, a) for d, a in held if start < d <= sem.as_of]
    if not window:
        if not sem.view.has(REVIEW_CLAUSE):
            return []
        earlier = [(d, a) for d, a in held if d <= start]
        reason = (f"no management review dated after {start.isoformat()} and on or before "
                  f"{sem.as_of.isoformat()}")
        if earlier:
            reason += f"; last held on {earlier[0][0].isoformat()} ({earlier[0][1][1]})"
        return [finding(sem, check, REVIEW_CLAUSE, reason, [earlier[0][1]] if earlier else [])]
    found = []
    latest = window[0][0]
    for _, review in (pair for pair in window if pair[0] == latest):
        leads = sorted(p for p, _ in sem.view.out(review, "LED_BY") if p[0] == "Person")
        if any(sem.is_leader(p) for p in leads):
            continue
        reason = ("latest management review, led by nobody recorded" if not leads else
                  "latest management review, led by "
                  + ", ".join(f"{sem.name(p)}, who is not a Leader" for p in leads))
        found.append(finding(sem, check, review, reason, leads, "medium"))
    return found


_NOT_LEADERS = JOIN("[p IN leads | " + NAME("p", "Person") + " + ', who is not a Leader']", ", ")

CYPHER = f"""
WITH $as_of - duration({{months: $review_interval_months}}) AS start
CALL (start) {{
  MATCH (a:Audit {{kind: 'management_review'}}) WHERE a.date > start AND a.date <= $as_of
  RETURN max(a.date) AS latest
}}
CALL (start, latest) {{
  WITH start, latest WHERE latest IS NULL
  MATCH (q:Requirement {{id: 'ISO42001:9.3'}})
  WITH q, start, head(COLLECT {{
    MATCH (a:Audit {{kind: 'management_review'}}) WHERE a.date <= start
    RETURN a ORDER BY a.date DESC, a.id }}) AS last
  RETURN 'Requirement' AS subject_type, q.id AS subject_id,
         {NAME('q', 'Requirement')} AS subject_name,
         'no management review dated after ' + toString(start) + ' and on or before '
         + toString($as_of) + CASE WHEN last IS NULL THEN ''
           ELSE '; last held on ' + toString(last.date) + ' (' + last.id + ')' END AS reason,
         CASE WHEN last IS NULL THEN [] ELSE [{REF('last', 'Audit')}] END AS related,
         null AS severity
  UNION
  WITH latest WHERE latest IS NOT NULL
  MATCH (a:Audit {{kind: 'management_review', date: latest}})
  WITH a, COLLECT {{ MATCH (a)-[:LED_BY]->(p:Person) RETURN p ORDER BY p.id }} AS leads
  WHERE NOT any(p IN leads WHERE p:Leader)
  RETURN 'Audit' AS subject_type, a.id AS subject_id, {NAME('a', 'Audit')} AS subject_name,
         'latest management review, led by '
         + CASE WHEN size(leads) = 0 THEN 'nobody recorded'
                ELSE {_NOT_LEADERS} END AS reason,
         [p IN leads | {REF('p', 'Person')}] AS related, 'medium' AS severity
}}
RETURN subject_type, subject_id, subject_name, reason, related, severity
"""


CHECK = GapCheck(
    "management-review-overdue", "Management review overdue or not led by a Leader", "high",
    "One finding on clause 9.3 when no management review is dated within the review interval "
    "ending on the as-of date (AIMSGRAPH_REVIEW_INTERVAL_MONTHS); otherwise one on each latest "
    "management review in that window that no Leader led (medium).", _find, CYPHER,
    subjects=("Audit", "Requirement"))
