"""dataset-without-provenance: data an AI system relies on whose origin nobody recorded (A.7.5)."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import (
    EVIDENCE_PROBLEM,
    JOIN,
    NAME,
    REF,
    RELIED_ON,
    VALID_EVIDENCE,
)
from aimsgraph.graph.questions.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for dataset in sem.view.nodes("Dataset"):
        if not sem.relied_on(dataset) or sem.prop(dataset, "provenance_uri") \
                or sem.valid_evidence(dataset):
            continue
        evidence = sorted(ev for ev, _ in sem.view.into(dataset, "SUPPORTS"))
        problems = [sem.evidence_problem(ev) for ev in evidence]
        reason = ("no provenance_uri and no valid evidence: " + "; ".join(p for p in problems
                                                                          if p)) if evidence \
            else "no provenance_uri and no evidence supports it"
        found.append(finding(sem, check, dataset, reason, evidence))
    return found


CYPHER = f"""
MATCH (d:Dataset) WHERE coalesce(d.provenance_uri, '') = '' AND {RELIED_ON('d', 'Dataset')}
OPTIONAL MATCH (e:Evidence)-[:SUPPORTS]->(d)
WITH d, e ORDER BY e.id
WITH d, collect(e) AS evidence
WHERE none(e IN evidence WHERE {VALID_EVIDENCE('e')})
RETURN 'Dataset' AS subject_type, d.id AS subject_id,
       {NAME('d', 'Dataset')} AS subject_name,
       CASE WHEN size(evidence) = 0 THEN 'no provenance_uri and no evidence supports it'
            ELSE 'no provenance_uri and no valid evidence: '
                 + {JOIN('[e IN evidence | ' + EVIDENCE_PROBLEM('e') + ']')}
       END AS reason,
       [e IN evidence | {REF('e', 'Evidence')}] AS related, null AS severity
"""


CHECK = GapCheck(
    "dataset-without-provenance", "Datasets without recorded provenance", "medium",
    "Dataset a non-retired AI system uses, with no provenance_uri and no evidence valid on the "
    "as-of date that supports it.", _find, CYPHER)
