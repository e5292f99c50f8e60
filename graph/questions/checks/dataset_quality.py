"""dataset-quality-unchecked: data a high-tier AI system runs on, its quality not checked within
the data quality interval (A.7.4)."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import HIGH_TIER, IN_SCOPE, NAME, REF
from aimsgraph.graph.questions.definitions import add_months
from aimsgraph.graph.questions.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    start = add_months(sem.as_of, -sem.params.data_quality_months)
    found = []
    for dataset in sem.view.nodes("Dataset"):
        systems = sorted(s for s, _ in sem.view.into(dataset, "USES_DATA")
                         if sem.in_scope_system(s) and sem.high_tier(s))
        if not systems:
            continue
        checked = sem.prop(dataset, "quality_checked_on")
        if checked is None:
            reason = "its quality was never checked"
        elif checked > sem.as_of:
            reason = f"its quality is checked only later, on {checked.isoformat()}"
        elif checked < start:
            reason = (f"its quality was last checked on {checked.isoformat()}, before "
                      f"{start.isoformat()}")
        else:
            continue
        found.append(finding(sem, check, dataset, reason, systems))
    return found


CYPHER = f"""
WITH $as_of - duration({{months: $data_quality_months}}) AS start
MATCH (d:Dataset)
WITH d, start, [(s:AISystem)-[:USES_DATA]->(d)
                WHERE {IN_SCOPE('s', 'AISystem')} AND {HIGH_TIER('s')} | s] AS systems
WHERE size(systems) > 0 AND (d.quality_checked_on IS NULL OR d.quality_checked_on > $as_of
                             OR d.quality_checked_on < start)
RETURN 'Dataset' AS subject_type, d.id AS subject_id, {NAME('d', 'Dataset')} AS subject_name,
       CASE WHEN d.quality_checked_on IS NULL THEN 'its quality was never checked'
            WHEN d.quality_checked_on > $as_of
            THEN 'its quality is checked only later, on ' + toString(d.quality_checked_on)
            ELSE 'its quality was last checked on ' + toString(d.quality_checked_on)
                 + ', before ' + toString(start) END AS reason,
       [s IN systems | {REF('s', 'AISystem')}] AS related, null AS severity
"""


CHECK = GapCheck(
    "dataset-quality-unchecked", "High-tier systems' data without a current quality check",
    "medium",
    "Dataset a non-retired high-tier AI system uses whose quality_checked_on is empty, after "
    "the as-of date, or earlier than the as-of date less the data quality interval "
    "(AIMSGRAPH_DATA_QUALITY_MONTHS).", _find, CYPHER,
    subjects=("Dataset",), local=True)
