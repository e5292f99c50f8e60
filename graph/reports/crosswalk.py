"""The coverage of any framework through its mappings to ISO/IEC 42001 (docs/ontology.md,
"Frameworks and crosswalks").

Each assessable requirement of the framework takes a level from the ISO/IEC 42001
requirements it maps to: ``covered`` when a fully mapped (exact, close) requirement is
covered; ``partial`` when a fully mapped one is partial, or a partially mapped (broad,
narrow) one is covered or partial; ``none`` when it has full or partial mappings and none of
those holds; ``unmapped`` when it has none. Related mappings are shown and never counted; a
mapping is read from either end. The level of an ISO/IEC 42001 requirement is the clause
coverage level (an Annex A control excluded in the SoA has none; an item with sub-items takes
its leaves'). Parents summarise their leaves.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from aimsgraph.graph.questions.crosswalk import (
    CROSSWALK_LEVELS,
    FULL,
    PARTIAL,
    iso_level,
    level_of,
    mappings_of,
    through_entry,
)
from aimsgraph.graph.questions.frameworks import framework_of, requirements_of
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.reports.model import Report, Section
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.ontology import FRAMEWORK, NotFoundError, framework_id
from aimsgraph.ontology.values import natural_key

__all__ = ["framework_coverage_report"]

def _summary(levels: list[str]) -> str:
    """A parent's level: its leaves' one when they agree, else partial (none when nothing
    below is covered or partial but some of it is mapped)."""
    distinct = set(levels)
    if len(distinct) == 1:
        return distinct.pop()
    if not distinct & {"covered", "partial"}:
        return "none"
    return "partial"


def resolve_framework(frameworks: list[str], wanted: str) -> str:
    """The framework id ``wanted`` names, in any case; NotFoundError naming the known ones."""
    named = framework_id(wanted)  # a library's ref_id as written: AI Act for AI_ACT
    for framework in frameworks:
        if framework.casefold() == wanted.strip().casefold() or framework == named:
            return framework
    raise NotFoundError(f"unknown framework '{wanted}'; frameworks: {', '.join(frameworks)}")


def framework_coverage_report(sem: Semantics, wanted: str) -> Report:
    """Each requirement of the framework ``wanted`` with its coverage level through its
    mappings to ISO/IEC 42001, what it goes through, and its parents' summaries."""
    by_framework, leaves = requirements_of(sem)
    framework = resolve_framework(sorted(by_framework), wanted)
    if framework == FRAMEWORK:
        raise NotFoundError("ISO/IEC 42001's own coverage is `report coverage` without "
                            "--framework")
    keys = sorted(by_framework[framework], key=lambda k: natural_key(k[1]))
    memo: dict[NodeKey, str] = {}
    entries: dict[NodeKey, dict[str, Any]] = {}
    sem.view.prefetch(keys, outgoing=False)
    sem.view.prefetch(keys, outgoing=True)
    for key in keys:
        if key not in leaves:
            continue
        through, related, elsewhere = [], [], []
        for other, predicate in mappings_of(sem, key):
            if framework_of(sem, other) != FRAMEWORK:
                elsewhere.append({**sem.ref(other), "predicate": predicate})
            elif predicate in FULL or predicate in PARTIAL:
                through.append(through_entry(sem, other, predicate, iso_level(sem, other, memo)))
            else:
                related.append({**sem.ref(other), "predicate": predicate})
        entries[key] = {**sem.ref(key), "ref": sem.prop(key, "ref"),
                        "kind": sem.prop(key, "kind"), "assessable": True,
                        "level": level_of(through), "through": through, "related": related,
                        "other_mappings": elsewhere}
    for key in keys:
        if key in leaves:
            continue
        below = [entries[k]["level"] for k in sem.below(key) if k in entries]
        counts = Counter(below)
        entries[key] = {**sem.ref(key), "ref": sem.prop(key, "ref"),
                        "kind": sem.prop(key, "kind"), "assessable": False,
                        "level": _summary(below) if below else "unmapped",
                        "counts": {level: counts.get(level, 0) for level in CROSSWALK_LEVELS}}
    ordered = [entries[k] for k in keys]
    assessable = [e for e in ordered if e["assessable"]]
    summary = {"assessable": len(assessable),
               **{level: sum(e["level"] == level for e in assessable)
                  for level in CROSSWALK_LEVELS}}
    rows = [[e["ref"], e["name"], e["level"],
             "; ".join(f"{t['id']} ({t['predicate'].removeprefix('skos:')}, {t['level']})"
                       for t in e.get("through", [])) or (
                 ", ".join(f"{n} {lv}" for lv, n in e["counts"].items() if n)
                 if not e["assessable"] else ""),
             "; ".join(sorted({c["id"] for t in e.get("through", []) for c in t["controls"]})),
             "; ".join(sorted({o["id"] for t in e.get("through", []) for c in t["controls"]
                               for o in c["owners"]})),
             "; ".join(sorted({v["id"] for t in e.get("through", [])
                               for v in [*t["valid_evidence"],
                                         *(x for c in t["controls"]
                                           for x in c["valid_evidence"])]})),
             "; ".join(r["id"] for r in e.get("related", []))] for e in ordered]
    section = Section(f"{framework} requirements", [
        "requirement", "title", "coverage", "through (ISO/IEC 42001)", "controls", "owners",
        "valid evidence", "related (not counted)"], rows)
    return Report("coverage", f"Coverage of {framework} through ISO/IEC 42001",
                  sem.as_of.isoformat(), [section],
                  {"as_of": sem.as_of.isoformat(), "framework": framework, "summary": summary,
                   "requirements": ordered})
