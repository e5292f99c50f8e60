"""dataset-without-provenance: data an AI system relies on whose origin nobody recorded (A.7.5)."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import (
    EVIDENCE_GAP,
    NAME,
    REF,
    RELIED_ON,
    VALID_EVIDENCE,
)
from aimsgraph.graph.questions.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for dataset in sem.view.nodes("Dataset"):
        if not sem.relied_on(dataset) or sem.prop(dataset, "provenance_uri"):
            continue
        gap = sem.evidence_gap(dataset)
        if gap is not None:
            found.append(finding(sem, check, dataset, f"no provenance_uri and {gap[0]}", gap[1]))
    return found


CYPHER = f"""
MATCH (d:Dataset) WHERE coalesce(d.provenance_uri, '') = '' AND {RELIED_ON('d', 'Dataset')}
OPTIONAL MATCH (e:Evidence)-[:SUPPORTS]->(d)
WITH d, e ORDER BY e.id
WITH d, collect(e) AS evidence
WHERE none(e IN evidence WHERE {VALID_EVIDENCE('e')})
RETURN 'Dataset' AS subject_type, d.id AS subject_id,
       {NAME('d', 'Dataset')} AS subject_name,
       'no provenance_uri and ' + {EVIDENCE_GAP('evidence')} AS reason,
       [e IN evidence | {REF('e', 'Evidence')}] AS related, null AS severity
"""


CHECK = GapCheck(
    "dataset-without-provenance", "Datasets without recorded provenance", "medium",
    "Dataset a non-retired AI system uses, with no provenance_uri and no evidence valid on the "
    "as-of date that supports it.", _find, CYPHER,
    subjects=("Dataset",), local=True)
