"""The trace page of a requirement of another framework: from the article (or subcategory)
through its mappings to ISO/IEC 42001, the controls implementing those, their owner roles
and reporting lines, to the executives, laid out left to right; a broken chain is marked
where it breaks, and what is not covered says its level."""

from __future__ import annotations

from aimsgraph.graph.queries import Queries
from aimsgraph.graph.questions.frameworks import framework_of
from aimsgraph.graph.questions.results import RequirementTraceModel, WalkControl
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.ontology import FRAMEWORK, NotFoundError
from aimsgraph.visualise.canvas import Canvas
from aimsgraph.visualise.page import PageData

__all__ = ["requirement_page"]

#: Columns of the layout, left to right (an owner chain continues to the right of OWNER).
SUBJECT, LEAF, ISO, CONTROL, OWNER = range(5)


def requirement_page(queries: Queries, sem: Semantics, key: NodeKey) -> PageData:
    """The walk of ``key`` drawn; NotFoundError for an ISO/IEC 42001 requirement (its own
    trace is a node page's business)."""
    if framework_of(sem, key) == FRAMEWORK:
        raise NotFoundError("a trace page of a requirement is for another framework's "
                            "(an EU AI Act article, a NIST AI RMF subcategory); for an ISO/IEC "
                            "42001 requirement, open its node page")
    data = queries.trace("requirement", f"Requirement:{key[1]}", as_of=sem.as_of)
    assert isinstance(data, RequirementTraceModel) and data.crosswalk is not None
    canvas = Canvas(sem)
    canvas.node(key, highlight=True, level=SUBJECT)
    for leaf in data.crosswalk.requirements:
        leaf_key = (leaf.type, leaf.id)
        canvas.node(leaf_key, level=SUBJECT if leaf_key == key else LEAF,
                    highlight=leaf.level == "covered" or leaf_key == key,
                    extra=f"coverage: {leaf.level}",
                    gaps=[] if leaf.level == "covered" else [f"coverage: {leaf.level}"])
        for parent in sem.view.out(leaf_key, "PART_OF"):
            if parent[0] == key:
                canvas.edge("PART_OF", leaf_key, key)
        for through in leaf.through:
            iso = (through.type, through.id)
            canvas.node(iso, level=ISO, extra=f"{through.predicate}; coverage {through.level}")
            canvas.edge("MAPS_TO", leaf_key, iso, highlight=through.level == "covered")
            for control in through.controls:
                _control(canvas, iso, control)
        for related in leaf.related:
            canvas.node((related.type, related.id), level=ISO, extra="related: never counted")
            canvas.edge("MAPS_TO", leaf_key, (related.type, related.id), curved=True)
    leaves = data.crosswalk.requirements
    covered = sum(leaf.level == "covered" for leaf in leaves)
    executives = ", ".join(f"{p.name} ({p.id})" for p in data.crosswalk.executives) or "none"
    return canvas.page(f"Trace of {key[0]} {key[1]}: {sem.name(key)}",
                       f"{covered} of {len(leaves)} requirements covered; executives: "
                       f"{executives}", "trace")


def _control(canvas: Canvas, iso: NodeKey, control: WalkControl) -> None:
    """A control, its owner role and the chain up to the executive (or where it breaks)."""
    key = (control.type, control.id)
    canvas.node(key, level=CONTROL, extra=f"status: {control.status}")
    canvas.edge("IMPLEMENTS", key, iso)
    chain = control.chain
    previous = key
    for index, step in enumerate(chain.steps):
        role = (step.node.type, step.node.id)
        canvas.node(role, level=OWNER + index)
        canvas.edge("OWNS" if index == 0 else "REPORTS_TO",
                    role if index == 0 else previous, key if index == 0 else role,
                    highlight=chain.executive is not None)
        previous = role
    if chain.executive is not None:
        person = (chain.executive.type, chain.executive.id)
        canvas.node(person, highlight=True, level=OWNER + len(chain.steps))
        canvas.edge("HOLDS", person, previous, highlight=True)
    else:
        canvas.node(previous, gaps=[f"no responsible executive: {chain.gap}"])
