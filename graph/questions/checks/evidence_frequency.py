"""evidence-stale-for-frequency: a control whose latest evidence is older than its frequency
allows (9.1: monitoring as often as the control says)."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import IMPLEMENTED, NAME, REF
from aimsgraph.graph.questions.definitions import FREQUENCY_PERIODS, minus_period
from aimsgraph.graph.questions.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for control in sem.view.nodes("Control"):
        frequency = sem.prop(control, "frequency")
        period = FREQUENCY_PERIODS.get(frequency) if isinstance(frequency, str) else None
        if period is None or not sem.implemented(control):
            continue
        collected = [(day, ev) for ev, _ in sem.view.into(control, "SUPPORTS")
                     if (day := sem.prop(ev, "collected_on")) is not None and day <= sem.as_of]
        if not collected:
            continue
        last = max(day for day, _ in collected)
        needed = minus_period(sem.as_of, period)
        if last < needed:
            reason = (f"frequency {frequency}: latest evidence collected on {last.isoformat()}, "
                      f"none since {needed.isoformat()}")
            found.append(finding(sem, check, control, reason,
                                 [ev for day, ev in collected if day == last]))
    return found


CYPHER = f"""
MATCH (e:Evidence)-[:SUPPORTS]->(c:Control)
WHERE {IMPLEMENTED('c')} AND c.frequency IN keys($frequency_periods)
  AND e.collected_on IS NOT NULL AND e.collected_on <= $as_of
WITH c, max(e.collected_on) AS last
WITH c, last, $as_of - duration($frequency_periods[c.frequency]) AS needed
WHERE last < needed
RETURN 'Control' AS subject_type, c.id AS subject_id, {NAME('c', 'Control')} AS subject_name,
       'frequency ' + c.frequency + ': latest evidence collected on ' + toString(last)
       + ', none since ' + toString(needed) AS reason,
       COLLECT {{ MATCH (e:Evidence)-[:SUPPORTS]->(c) WHERE e.collected_on = last
                 RETURN {REF('e', 'Evidence')} }} AS related,
       null AS severity
"""


CHECK = GapCheck(
    "evidence-stale-for-frequency", "Evidence older than the control's frequency", "medium",
    "Implemented control with a frequency that has a period (daily 1 day ... annually 12 "
    "months) and supporting evidence collected on or before the as-of date, whose latest "
    "collection is earlier than the as-of date less that period.", _find, CYPHER,
    subjects=("Control",), local=True)
