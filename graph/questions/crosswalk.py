"""Crosswalks to ISO/IEC 42001: the mappings of a requirement of another framework, the
level each ISO/IEC 42001 requirement it maps to has on the date, and the level they give it
(docs/ontology.md, "Frameworks and crosswalks"): the terms the coverage report and the
requirement trace share.

``covered`` when a fully mapped (exact, close) requirement is covered; ``partial`` when a
fully mapped one is partial, or a partially mapped (broad, narrow) one is covered or partial;
``none`` when it has full or partial mappings and none of those holds; ``unmapped`` when it
has none. Related mappings are shown and never counted; a mapping is read from either end.
The level of an ISO/IEC 42001 requirement is the clause coverage level (an Annex A control
excluded in the SoA has none; an item with sub-items takes its leaves').
"""

from __future__ import annotations

from typing import Any

from aimsgraph.graph.questions.checks.clause_coverage import coverage
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey

__all__ = ["CROSSWALK_LEVELS", "FULL", "PARTIAL", "iso_level", "level_of", "mappings_of",
           "through_entry"]


#: The levels of a requirement of another framework, best first.
CROSSWALK_LEVELS = ("covered", "partial", "none", "unmapped")
#: The predicates of full and of partial mappings (a related one is a hint, never counted).
FULL = ("skos:exactMatch", "skos:closeMatch")
PARTIAL = ("skos:broadMatch", "skos:narrowMatch")


def _leaf_level(sem: Semantics, requirement: NodeKey) -> str:
    if sem.prop(requirement, "applicable") is False:
        return "none"  # excluded in the Statement of Applicability
    found = coverage(sem, requirement)
    if (found["evidence"] or any(sem.status(p) == "approved" for p in found["policies"])
            or any(sem.implemented(c) for c in found["controls"])):
        return "covered"
    return "partial" if any(found.values()) else "none"


def iso_level(sem: Semantics, requirement: NodeKey, memo: dict[NodeKey, str]) -> str:
    """The coverage level of an ISO/IEC 42001 requirement on the date (leaves' levels for an
    item with sub-items: covered when all are, none when all are, else partial)."""
    if requirement not in memo:
        children = sem.children(requirement)
        if not children:
            memo[requirement] = _leaf_level(sem, requirement)
        else:
            levels = {iso_level(sem, child, memo) for child in children}
            memo[requirement] = (levels.pop() if len(levels) == 1 and levels <= {"covered", "none"}
                                 else "partial")
    return memo[requirement]


def mappings_of(sem: Semantics, requirement: NodeKey) -> list[tuple[NodeKey, str]]:
    """Every mapping of ``requirement``, read from either end: (the other end, predicate)."""
    found = [(other, str(rel.get("predicate"))) for other, rel in sem.view.out(requirement,
                                                                                "MAPS_TO")]
    found += [(other, str(rel.get("predicate"))) for other, rel in sem.view.into(requirement,
                                                                                 "MAPS_TO")]
    return sorted(set(found))


def through_entry(sem: Semantics, iso: NodeKey, predicate: str, level: str) -> dict[str, Any]:
    """An ISO/IEC 42001 requirement a mapping goes through, with the controls (at it or
    below it), their owners and valid evidence."""
    controls = sorted({c for r in sem.below(iso) for c, _ in sem.view.into(r, "IMPLEMENTS")
                       if sem.answerable(c)})
    return {**sem.ref(iso), "predicate": predicate, "level": level,
            "controls": [{**sem.ref(c), "status": sem.status(c),
                          "owners": [sem.ref(r) for r in sem.owner_roles(c)],
                          "valid_evidence": [sem.ref(e) for e in sem.valid_evidence(c)]}
                         for c in controls],
            "valid_evidence": [sem.ref(e) for e in sem.valid_evidence(iso)]}


def level_of(through: list[dict[str, Any]]) -> str:
    """The level the ISO/IEC 42001 requirements gone through give (``through`` entries
    with their ``predicate`` and ``level``)."""
    full = [t["level"] for t in through if t["predicate"] in FULL]
    partial = [t["level"] for t in through if t["predicate"] in PARTIAL]
    if "covered" in full:
        return "covered"
    if "partial" in full or {"covered", "partial"} & set(partial):
        return "partial"
    return "none" if full or partial else "unmapped"
