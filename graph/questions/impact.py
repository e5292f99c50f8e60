"""Impact ("blast radius"): if this supplier or dataset fails, or this person or role is gone,
what is hit: the AI systems (high-tier first), their risks and controls, what loses its owner
or executive, the roles left vacant, the checks that fail on what is hit, and the executives
who answer for it.

It reads what it shows: a walk out from the subject over a lazy view (a batched read per
step), never the whole graph, so the same code answers on both stores. The checks are the
item-local ones (:data:`IMPACT_CHECKS`), run on just the nodes hit: for a person or role both
before and after the departure, so a finding that appears only after is one the departure
starts; for a supplier or dataset (whose failure changes no recorded fact) the findings that
already stand on it and its data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aimsgraph.graph.questions.checks import check_by_id
from aimsgraph.graph.questions.checks.base import sort_findings
from aimsgraph.graph.questions.definitions import EXECUTIVE_ITEMS
from aimsgraph.graph.questions.focus import FocusedView
from aimsgraph.graph.questions.kinds import IMPACT_KINDS
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.questions.what_if import (
    Vacated,
    items_below,
    losses,
    prefetch_chains,
    roles_below,
)
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.ontology.values import natural_key

__all__ = ["IMPACT_CHECKS", "IMPACT_LABELS", "impact"]

#: The label each impact kind (:data:`~graph.questions.kinds.IMPACT_KINDS`) names.
IMPACT_LABELS = dict(zip(IMPACT_KINDS, ("Supplier", "Dataset", "Person", "Role"), strict=True))

#: The checks an impact reports on what it hits; each is local (its finding on an item depends
#: only on the item's neighbourhood), so they can be run on just the nodes an impact hits.
IMPACT_CHECKS = ("ai-system-without-accountable-owner", "vacant-accountable-role",
                 "risk-without-owner", "control-without-responsible-executive",
                 "dependency-without-owner", "dataset-without-provenance",
                 "dataset-quality-unchecked", "supplier-assessment-overdue")

#: What a departure can leave without an owner or executive.
_OWNED = (*EXECUTIVE_ITEMS, "Dataset", "Supplier", "Incident")


def _focused(sem: Semantics, keys: Iterable[NodeKey]) -> Semantics:
    """``sem``'s terms (a what-if's vacancies and departures included) on a focus view."""
    focused = (Vacated(sem, sem.vacant) if isinstance(sem, Vacated)
               else Semantics(sem.view, sem.as_of, sem.params))
    focused.view = FocusedView(sem.view, keys)
    focused.excluded = sem.excluded
    return focused


def _findings(sem: Semantics, keys: set[NodeKey]) -> dict[tuple[str, str, str], Any]:
    """The item-local checks' findings on ``keys``, by (check, subject type, subject id)."""
    focused = _focused(sem, keys)
    found = {}
    for check_id in IMPACT_CHECKS:
        check = check_by_id(check_id)
        for item in sort_findings(check.embedded(check, focused)):
            found[(item.check, item.subject["type"], item.subject["id"])] = item
    return found


def _relying(sem: Semantics, subject: NodeKey) -> tuple[list[NodeKey], dict[NodeKey, set[str]]]:
    """The datasets a supplier supplies (or the dataset itself), and the in-scope AI systems
    that rely on the subject, each with how."""
    datasets = ([subject] if subject[0] == "Dataset" else
                sorted(d for d, _ in sem.view.into(subject, "SUPPLIED_BY")))
    via: dict[NodeKey, set[str]] = {}
    sem.view.prefetch(datasets, outgoing=False)
    for dataset in datasets:
        for system, _ in sem.view.into(dataset, "USES_DATA"):
            via.setdefault(system, set()).add(
                "USES_DATA" if dataset == subject else f"USES_DATA {dataset[1]}")
    if subject[0] == "Supplier":
        for system, _ in sem.view.into(subject, "DEPENDS_ON"):
            via.setdefault(system, set()).add("DEPENDS_ON")
    return datasets, {s: v for s, v in via.items() if sem.in_scope_system(s)}


def _departure(sem: Semantics, subject: NodeKey) -> tuple[Semantics, list[NodeKey],
                                                          list[NodeKey]]:
    """The what-if of a person's departure or a role's vacancy: the terms after it, the
    roles it touches (a person's current roles; the role) and the roles it leaves vacant."""
    if subject[0] == "Role":
        return Vacated(sem, [subject]), [subject], ([subject] if sem.holders(subject) else [])
    after = Semantics(sem.view, sem.as_of, sem.params)
    after.excluded = frozenset({subject})
    touched = sem.roles_held(subject)
    return after, touched, [r for r in touched if not after.holders(r)]


def impact(sem: Semantics, subject: NodeKey) -> dict[str, Any]:
    """What is hit if ``subject`` (a Supplier, Dataset, Person or Role) fails or is gone, as
    of ``sem``'s date (the JSON of :class:`~graph.questions.results.ImpactModel`)."""
    vacant: list[NodeKey] = []
    lost: list[dict[str, Any]] = []
    if subject[0] in ("Supplier", "Dataset"):
        datasets, via = _relying(sem, subject)
        suppliers = [subject] if subject[0] == "Supplier" else []
        after = sem
        hit = {subject, *datasets}
    else:
        after, touched, vacant = _departure(sem, subject)
        owned = items_below(sem, roles_below(sem, touched), _OWNED)
        lost = losses(sem, after, owned)
        hit = {(entry["item"]["type"], entry["item"]["id"]) for entry in lost} | set(vacant)
        datasets = sorted(k for k in hit if k[0] == "Dataset")
        suppliers = sorted(k for k in hit if k[0] == "Supplier")
        via = {k: {"loses " + " and ".join(e["loses"])} for e in lost
               for k in [(e["item"]["type"], e["item"]["id"])] if k[0] == "AISystem"}
        for item in (*datasets, *suppliers):
            for system, how in _relying(sem, item)[1].items():
                via.setdefault(system, set()).update(f"{h} via {item[1]}" for h in how)
    systems = sorted(via, key=lambda s: (not sem.high_tier(s), natural_key(s[1])))
    sem.view.prefetch(systems, outgoing=False)
    risks = sorted({r for s in systems for r, _ in sem.view.into(s, "AFFECTS")
                    if r[0] == "Risk" and sem.answerable(r)}
                   | {k for k in hit if k[0] == "Risk"})
    sem.view.prefetch(risks, outgoing=False)
    controls = sorted({c for s in systems for c, _ in sem.view.into(s, "APPLIES_TO")}
                      | {c for r in risks for c, _ in sem.view.into(r, "MITIGATES")}
                      | {k for k in hit if k[0] == "Control"})
    controls = [c for c in controls if sem.answerable(c)]
    hit |= {*systems, *risks, *controls}
    prefetch_chains(sem, hit)
    before_findings = _findings(sem, hit)
    after_findings = before_findings if after is sem else _findings(after, hit)
    executives = sorted({p for item in (*systems, *([subject] if subject[0] in (
        "Supplier", "Dataset") else []), *(k for k in hit if k[0] in _OWNED))
        for p in sem.owner_chain(item).executives})
    return {
        "kind": next(k for k, label in IMPACT_LABELS.items() if label == subject[0]),
        "subject": sem.ref(subject), "as_of": sem.as_of.isoformat(),
        "systems": [{**sem.ref(s), "risk_tier": sem.prop(s, "risk_tier"),
                     "lifecycle": sem.prop(s, "lifecycle"), "via": sorted(via[s])}
                    for s in systems],
        "datasets": [sem.ref(d) for d in datasets],
        "suppliers": [sem.ref(s) for s in suppliers],
        "risks": [{**sem.ref(r), "score": sem.risk_score(r), "status": sem.status(r)}
                  for r in risks],
        "controls": [{**sem.ref(c), "status": sem.status(c)} for c in controls],
        "policies": [sem.ref(k) for k in sorted(hit) if k[0] == "Policy"],
        "roles": [sem.ref(r) for r in vacant],
        "loses": lost,
        "checks": [{**item.to_json(), "starts": key not in before_findings}
                   for key, item in sorted(after_findings.items())],
        "executives": [sem.ref(p) for p in executives],
    }
