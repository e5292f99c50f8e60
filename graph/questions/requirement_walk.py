"""A requirement of another framework walked to the people who answer for it: through its
mappings to ISO/IEC 42001 requirements, the controls that implement those (for one AI system,
when asked: the controls applying to it or to no system), their valid evidence, and each
control's owner chain up to its responsible executive.

It answers "what do we do for EU AI Act Art. 14, and who answers for it?" in one walk, the
levels being those of the coverage report (:mod:`graph.questions.crosswalk`) and, for a
system, met or not as the obligation check decides (:mod:`graph.questions.obligations`).
"""

from __future__ import annotations

from typing import Any

from aimsgraph.graph.questions.crosswalk import (
    FULL,
    PARTIAL,
    iso_level,
    level_of,
    mappings_of,
    through_entry,
)
from aimsgraph.graph.questions.frameworks import framework_of
from aimsgraph.graph.questions.obligations import obligation_state
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.questions.traces.shapes import chain_json
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.ontology import FRAMEWORK
from aimsgraph.ontology.values import natural_key

__all__ = ["requirement_walk"]


def requirement_walk(sem: Semantics, requirement: NodeKey,
                     system: NodeKey | None = None) -> dict[str, Any]:
    """Each assessable requirement at or under ``requirement``: its level, the ISO/IEC 42001
    requirements it goes through with their controls and chains, what it is related to, and
    (for ``system``) whether it is met; the executives all the chains reach."""
    memo: dict[NodeKey, str] = {}
    chains: dict[NodeKey, dict[str, Any]] = {}
    leaves = sorted((k for k in sem.below(requirement)
                     if not sem.children(k) and sem.prop(k, "kind") != "group"),
                    key=lambda k: natural_key(k[1]))
    entries = []
    for leaf in leaves:
        through, related = [], []
        for other, predicate in mappings_of(sem, leaf):
            if framework_of(sem, other) != FRAMEWORK:
                continue
            if predicate not in FULL and predicate not in PARTIAL:
                related.append({**sem.ref(other), "predicate": predicate})
                continue
            entry = through_entry(sem, other, predicate, iso_level(sem, other, memo))
            entry["controls"] = [_control(sem, c, system, chains) for c in entry["controls"]]
            entry["controls"] = [c for c in entry["controls"] if c is not None]
            through.append(entry)
        state = obligation_state(sem, system, leaf) if system else None
        entries.append({**sem.ref(leaf), "level": level_of(through), "through": through,
                        "related": related, "met": state["met"] if state else None,
                        "why": state["why"] if state else None})
    executives = sorted({(p["type"], p["id"]) for chain in chains.values()
                         for p in chain["executives"]})
    return {"framework": framework_of(sem, requirement),
            "system": sem.ref(system) if system else None,
            "requirements": entries,
            "executives": [sem.ref(p) for p in executives]}


def _control(sem: Semantics, control: dict[str, Any], system: NodeKey | None,
             chains: dict[NodeKey, dict[str, Any]]) -> dict[str, Any] | None:
    """A control gone through, with the systems it applies to and its owner chain; None when
    it applies to other systems than the one asked about."""
    key = (control["type"], control["id"])
    applies = sorted(s for s, _ in sem.view.out(key, "APPLIES_TO"))
    if system is not None and applies and system not in applies:
        return None
    if key not in chains:
        chains[key] = chain_json(sem, key, sem.owner_chain(key))
    return {**control, "applies_to": [sem.ref(s) for s in applies], "chain": chains[key]}
