"""leader-training-lapsed: a responsible executive without a valid leadership training (7.2:
the continuous learning top management needs to direct AI)."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import (
    EXECUTIVE_KINDS,
    EXECUTIVES,
    IN_SCOPE,
    JOIN,
    NAME,
    REF,
)
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey

LEADERSHIP_CLAUSE = ("Requirement", "ISO42001:7.2")


def answers_for(items: list[NodeKey]) -> str:
    """``AI systems: 2, risks: 1``: what an executive answers for, counted per kind."""
    return ", ".join(f"{words}: {n}" for label, words in EXECUTIVE_KINDS
                     if (n := sum(1 for i in items if i[0] == label)))


def leadership_training_state(sem: Semantics, person: NodeKey) -> str | None:
    """None when ``person`` holds a valid leadership training, else what they lack."""
    dated = []
    for training in sem.leader_trainings:
        for target, rel in sem.view.out(person, "COMPLETED"):
            if target == training:
                if sem.completion_valid(rel, training):
                    return None
                if rel.get("on") is not None and rel["on"] <= sem.as_of:
                    dated.append(rel["on"])
    if not dated:
        return "no leadership training completed"
    return f"leadership training last completed on {max(dated).isoformat()} is no longer valid"


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    if not sem.leader_trainings:
        systems = [s for s in sem.view.nodes("AISystem") if sem.in_scope_system(s)]
        if not systems or not sem.view.has(LEADERSHIP_CLAUSE):
            return []
        return [finding(sem, check, LEADERSHIP_CLAUSE,
                        "no training has the audience 'leaders'")]
    found = []
    for person, items in sem.executives_of.items():
        state = leadership_training_state(sem, person)
        if state is not None:
            found.append(finding(sem, check, person, f"responsible executive for "
                                 f"{answers_for(items)}; {state}", sem.leader_trainings))
    return found


_COUNTS = " + ".join(
    f"CASE WHEN n_{label} > 0 THEN ['{words}: ' + toString(n_{label})] "
    "ELSE [] END" for label, words in EXECUTIVE_KINDS)

CYPHER = f"""
CALL () {{
  MATCH (t:Training) WHERE 'leaders' IN coalesce(t.audience, []) RETURN collect(t) AS trainings
}}
CALL (trainings) {{
  WITH trainings WHERE size(trainings) = 0
  MATCH (q:Requirement {{id: 'ISO42001:7.2'}})
  WHERE EXISTS {{ MATCH (s:AISystem) WHERE {IN_SCOPE('s', 'AISystem')} }}
  RETURN 'Requirement' AS subject_type, q.id AS subject_id,
         {NAME('q', 'Requirement')} AS subject_name,
         "no training has the audience 'leaders'" AS reason, [] AS related
  UNION
  WITH trainings WHERE size(trainings) > 0
  {EXECUTIVES()}
  WITH trainings, p, collect(DISTINCT item) AS items
  WHERE NOT EXISTS {{
    MATCH (p)-[c:COMPLETED]->(t:Training) WHERE t IN trainings
      AND c.on IS NOT NULL AND c.on <= $as_of
      AND CASE WHEN c.expires_on IS NOT NULL THEN c.expires_on >= $as_of
               WHEN t.validity_months IS NOT NULL
               THEN c.on + duration({{months: t.validity_months}}) >= $as_of
               ELSE true END }}
  WITH trainings, p,
       size([i IN items WHERE i:AISystem]) AS n_AISystem,
       size([i IN items WHERE i:Control]) AS n_Control,
       size([i IN items WHERE i:Risk]) AS n_Risk,
       size([i IN items WHERE i:Policy]) AS n_Policy,
       COLLECT {{ MATCH (p)-[c:COMPLETED]->(t:Training)
                 WHERE t IN trainings AND c.on IS NOT NULL AND c.on <= $as_of
                 RETURN c.on ORDER BY c.on DESC LIMIT 1 }} AS last
  RETURN 'Person' AS subject_type, p.id AS subject_id, {NAME('p', 'Person')} AS subject_name,
         'responsible executive for ' + {JOIN(_COUNTS, ', ')} + '; '
         + CASE WHEN size(last) = 0 THEN 'no leadership training completed'
                ELSE 'leadership training last completed on ' + toString(last[0])
                     + ' is no longer valid' END AS reason,
         [t IN trainings | {REF('t', 'Training')}] AS related
}}
RETURN subject_type, subject_id, subject_name, reason, related, null AS severity
"""


CHECK = GapCheck(
    "leader-training-lapsed", "Responsible executives without valid leadership training",
    "high",
    "Person who is a responsible executive on the as-of date of a non-retired AI system, "
    "control or policy, or a non-closed risk, with no valid completion of any training whose "
    "audience includes 'leaders'. When no training has that audience, one finding on clause "
    "7.2 instead (when any AI system is in scope).", _find, CYPHER,
    subjects=("Person", "Requirement"))
