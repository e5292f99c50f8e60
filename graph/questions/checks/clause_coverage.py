"""clause-without-coverage: a leaf clause of 4-10 nothing addresses, implements or evidences."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import IN_SCOPE, NAME, VALID_EVIDENCE
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey


def coverage(sem: Semantics, clause: NodeKey) -> dict[str, list[NodeKey]]:
    """What covers a clause: non-retired policies, non-retired controls, valid evidence."""
    return {
        "policies": sorted(p for p, _ in sem.view.into(clause, "ADDRESSES")
                           if p[0] == "Policy" and sem.answerable(p)),
        "controls": sorted(c for c, _ in sem.view.into(clause, "IMPLEMENTS")
                           if sem.answerable(c)),
        "evidence": sem.valid_evidence(clause),
    }


def leaf_clauses(sem: Semantics) -> list[NodeKey]:
    return sorted(r for r in sem.view.nodes("Requirement")
                  if sem.prop(r, "kind") == "clause" and not sem.children(r))


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for clause in leaf_clauses(sem):
        if not any(coverage(sem, clause).values()):
            found.append(finding(sem, check, clause, "no policy addresses it, no control "
                                 "implements it and no valid evidence supports it"))
    return found


CYPHER = f"""
MATCH (q:Requirement {{kind: 'clause'}})
WHERE NOT EXISTS {{ MATCH (:Requirement)-[:PART_OF]->(q) }}
  AND NOT EXISTS {{ MATCH (p:Policy)-[:ADDRESSES]->(q)
                   WHERE {IN_SCOPE('p', 'Control')} }}
  AND NOT EXISTS {{ MATCH (c:Control)-[:IMPLEMENTS]->(q)
                   WHERE {IN_SCOPE('c', 'Control')} }}
  AND NOT EXISTS {{ MATCH (e:Evidence)-[:SUPPORTS]->(q)
                   WHERE {VALID_EVIDENCE('e')} }}
RETURN 'Requirement' AS subject_type, q.id AS subject_id,
       {NAME('q', 'Requirement')} AS subject_name,
       'no policy addresses it, no control implements it and no valid evidence supports it'
         AS reason,
       [] AS related, null AS severity
"""


CHECK = GapCheck(
    "clause-without-coverage", "Clauses without coverage", "low",
    "Leaf clause of 4-10 that no non-retired policy addresses, no non-retired control "
    "implements and no valid evidence supports.", _find, CYPHER,
    subjects=("Requirement",), local=True)
