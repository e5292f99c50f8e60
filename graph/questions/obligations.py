"""The EU AI Act obligations of an AI system, and whether each is met on a date
(docs/ontology.md, "EU AI Act obligations of an AI system").

An obligation (an article owed for the system's tier and the organisation's role) is met for
system S on D when the article has a full mapping (exact or close, written from either end) to
an ISO/IEC 42001 requirement R that a non-retired implemented control C implements (R itself,
not an item above or below it; an SoA exclusion of R does not matter here), where C applies
to S or to no AI system at all, and evidence valid on D supports C.
"""

from __future__ import annotations

from typing import Any

from aimsgraph.graph.questions.crosswalk import FULL
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.ontology import FRAMEWORK, eu_obligations

__all__ = ["FULL_PREDICATES", "obligation_state", "obligations_of", "roles_of"]

#: The predicates of a full mapping.
FULL_PREDICATES = FULL


def roles_of(sem: Semantics, system: NodeKey) -> list[str]:
    value = sem.prop(system, "eu_ai_act_role")
    return [str(v) for v in value] if isinstance(value, list) else []


def obligations_of(sem: Semantics, system: NodeKey) -> list[NodeKey]:
    """The articles owed for ``system`` (its tier and the organisation's roles), in the Act's
    order."""
    tier, roles = sem.prop(system, "risk_tier"), set(roles_of(sem, system))
    return [("Requirement", o.node_id) for o in eu_obligations()
            if o.tier == tier and roles & set(o.roles)]


def _full_iso(sem: Semantics, article: NodeKey) -> list[NodeKey]:
    ends = [*sem.view.out(article, "MAPS_TO"), *sem.view.into(article, "MAPS_TO")]
    return sorted({other for other, rel in ends if rel.get("predicate") in FULL_PREDICATES
                   and str(sem.prop(other, "framework")) == FRAMEWORK})


def obligation_state(sem: Semantics, system: NodeKey, article: NodeKey) -> dict[str, Any]:
    """Whether ``article`` is met for ``system`` on the date, with the controls that meet it
    (and their evidence), or why not."""
    if not sem.view.has(article):
        return {"met": False, "why": "the article is not in the catalogue", "through": []}
    requirements = _full_iso(sem, article)
    if not requirements:
        return {"met": False, "through": [],
                "why": "no full mapping to an ISO/IEC 42001 requirement"}
    through, unproven = [], []
    for requirement in requirements:
        for control, _ in sorted(sem.view.into(requirement, "IMPLEMENTS")):
            if not sem.implemented(control):
                continue
            applies = [s for s, _ in sem.view.out(control, "APPLIES_TO")]
            if applies and system not in applies:
                continue
            evidence = sem.valid_evidence(control)
            if evidence:
                through.append({"requirement": sem.ref(requirement), "control": sem.ref(control),
                                "evidence": [sem.ref(e) for e in evidence]})
            else:
                unproven.append(control[1])
    if through:
        return {"met": True, "why": None, "through": through}
    ids = ", ".join(r[1] for r in requirements)
    if unproven:
        return {"met": False, "through": [],
                "why": f"no valid evidence for {', '.join(sorted(set(unproven)))}"}
    return {"met": False, "through": [],
            "why": f"no implemented control applying to it implements {ids}"}
