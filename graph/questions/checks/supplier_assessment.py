"""supplier-assessment-overdue: a supplier the AI systems rely on, not assessed when it was due
(A.10.3)."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import IN_SCOPE, NAME, REF, RELIED_ON
from aimsgraph.graph.questions.definitions import add_months
from aimsgraph.graph.questions.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    start = add_months(sem.as_of, -sem.params.supplier_review_months)
    found = []
    for supplier in sem.view.nodes("Supplier"):
        if not sem.relied_on(supplier):
            continue
        assessed, due = sem.prop(supplier, "assessed_on"), sem.prop(supplier, "reassess_due")
        if assessed is None:
            reason = "it was never assessed"
        elif assessed > sem.as_of:
            reason = f"it is assessed only later, on {assessed.isoformat()}"
        elif due is not None and due < sem.as_of:
            reason = f"its reassessment was due on {due.isoformat()}"
        elif due is None and assessed < start:
            reason = f"it was last assessed on {assessed.isoformat()}, before {start.isoformat()}"
        else:
            continue
        systems = [s for s, _ in sem.view.into(supplier, "DEPENDS_ON") if sem.in_scope_system(s)]
        found.append(finding(sem, check, supplier, reason, systems))
    return found


CYPHER = f"""
WITH $as_of - duration({{months: $supplier_review_months}}) AS start
MATCH (p:Supplier) WHERE {RELIED_ON('p', 'Supplier')}
WITH p, start
WHERE p.assessed_on IS NULL OR p.assessed_on > $as_of
   OR (p.reassess_due IS NOT NULL AND p.reassess_due < $as_of)
   OR (p.reassess_due IS NULL AND p.assessed_on < start)
RETURN 'Supplier' AS subject_type, p.id AS subject_id, {NAME('p', 'Supplier')} AS subject_name,
       CASE WHEN p.assessed_on IS NULL THEN 'it was never assessed'
            WHEN p.assessed_on > $as_of
            THEN 'it is assessed only later, on ' + toString(p.assessed_on)
            WHEN p.reassess_due IS NOT NULL AND p.reassess_due < $as_of
            THEN 'its reassessment was due on ' + toString(p.reassess_due)
            ELSE 'it was last assessed on ' + toString(p.assessed_on) + ', before '
                 + toString(start) END AS reason,
       [(s:AISystem)-[:DEPENDS_ON]->(p) WHERE {IN_SCOPE('s', 'AISystem')} | {REF('s', 'AISystem')}]
         AS related, null AS severity
"""


CHECK = GapCheck(
    "supplier-assessment-overdue", "Suppliers not assessed when due", "medium",
    "Supplier the AI systems rely on whose assessed_on is empty or after the as-of date, whose "
    "reassess_due is before it, or, with no reassess_due, whose assessed_on is earlier than the "
    "as-of date less the supplier review interval (AIMSGRAPH_SUPPLIER_REVIEW_MONTHS).",
    _find, CYPHER,
    subjects=("Supplier",), local=True)
