"""One renderer per page kind of the command line: node, system, trace, gaps, schema."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from aimsgraph.graph.queries import Queries
from aimsgraph.graph.questions.checks import Finding, GapReport, check_by_id
from aimsgraph.graph.questions.definitions import today
from aimsgraph.graph.questions.entity import known_label
from aimsgraph.graph.questions.impact import IMPACT_LABELS
from aimsgraph.graph.questions.kinds import MOST_NEIGHBOURS, PAGE_KINDS
from aimsgraph.graph.questions.results import OwnerTraceModel, SystemTraceModel
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.questions.traces import TRACES, resolve_node
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.graph.store.view import GraphView
from aimsgraph.ontology import ONTOLOGY, NotFoundError, with_article
from aimsgraph.visualise.canvas import Canvas
from aimsgraph.visualise.page import PageData
from aimsgraph.visualise.requirement_page import requirement_page

__all__ = ["PAGE_KINDS", "build_page"]

#: The owner trace of each label a trace page is for (Control, Risk, Policy), from the traces'
#: own declarations.
_OWNER_KINDS = {spec.label: kind for kind, spec in TRACES.items()
                if spec.result is OwnerTraceModel and spec.label is not None}


Findings = dict[NodeKey, list[dict[str, str]]]
#: The findings about the nodes a page shows, asked once the page knows which they are.
Reasons = Callable[[Iterable[NodeKey]], Findings]


def _gap_reasons(report: GapReport) -> Findings:
    """Each subject's findings: check id and title, severity, reason."""
    reasons: Findings = {}
    for result in report.results:
        for item in result.findings:
            key = (item.subject["type"], item.subject["id"])
            reasons.setdefault(key, []).append(_reason(item))
    return reasons


def _reason(item: Finding) -> dict[str, str]:
    return {"check": item.check, "title": check_by_id(item.check).title,
            "severity": item.severity, "reason": item.reason}


def _reasons_of(queries: Queries, as_of: dt.date) -> Reasons:
    """The findings about some nodes, from the checks that can report on them alone
    (:meth:`Queries.findings_about`), not the whole gap report."""
    def reasons(keys: Iterable[NodeKey]) -> Findings:
        found = queries.findings_about(keys, as_of)
        return {key: [_reason(item) for item in items] for key, items in found.items() if items}
    return reasons


def _mark_gaps(canvas: Canvas, reasons: Reasons) -> int:
    found = reasons(list(canvas.nodes))
    for key, items in found.items():
        canvas.node(key, findings=items)
    return len(found)


def known_labels(labels: Iterable[str]) -> tuple[str, ...]:
    """``labels`` when the ontology declares each; else NotFoundError naming the labels."""
    return tuple(known_label(label) for label in labels)


def node_page(sem: Semantics, ref: str, depth: int, labels: Iterable[str],
              reasons: Reasons, most: int | None = MOST_NEIGHBOURS) -> PageData:
    """The neighbourhood of one node, ``depth`` relationships out in both directions, each
    node's neighbours followed up to the first ``most`` (a hub says how many it has beyond)."""
    start = resolve_node(sem, ref)
    around = sem.view.neighbourhood(start, depth, labels, most)
    canvas = Canvas(sem)
    canvas.node(start, highlight=True)
    for key in around.nodes:
        canvas.node(key)
    for key, count in around.left_out.items():
        canvas.node(key, extra=f"{count} more neighbours not shown")
    for a, b, rel_type in sem.view.edges_among(around.nodes):
        canvas.edge(rel_type, a, b)
    marked = _mark_gaps(canvas, reasons)
    notes = []
    if around.left_out:
        hubs, hidden = len(around.left_out), sum(around.left_out.values())
        notes.append(f"{hubs} node{'s have' if hubs > 1 else ' has'} more than {most} "
                     f"neighbours: the first {most} of each (by label and id) are followed, "
                     f"{hidden} others are not (ask for more neighbours to see them).")
    return canvas.page(f"{start[0]} {start[1]}: neighbourhood",
                       f"{len(around.nodes)} nodes within {depth} "
                       f"step{'s' if depth != 1 else ''}; {marked} with gaps", "node", notes)


def system_page(queries: Queries, sem: Semantics, ref: str, reasons: Reasons) -> PageData:
    """An AI system's governance: owner chain, risks, controls, evidence, assessments (the
    system trace, asked of the query layer like every other answer)."""
    data = queries.trace("system", ref, as_of=sem.as_of)
    assert isinstance(data, SystemTraceModel)
    subject = (data.subject.type, data.subject.id)
    canvas = Canvas(sem)
    canvas.node(subject, highlight=True)
    chain = data.executive_trace
    for step in chain.steps:
        canvas.node((step.node.type, step.node.id), highlight=True)
    if chain.executive:
        canvas.node((chain.executive.type, chain.executive.id), highlight=True)
    for rel in data.relationships:
        start = (rel.start.type, rel.start.id)
        end = (rel.end.type, rel.end.id)
        on_chain = rel.type in ("REPORTS_TO", "ACCOUNTABLE_FOR") or (
            rel.type == "HOLDS" and canvas.nodes.get(end, {}).get("highlight", False))
        canvas.edge(rel.type, start, end, highlight=on_chain)
    marked = _mark_gaps(canvas, reasons)
    executive = chain.executive.name if chain.executive else f"none ({chain.gap})"
    return canvas.page(f"AI system {subject[1]}: {data.subject.name}",
                       f"responsible executive: {executive}; {len(canvas.nodes)} nodes, "
                       f"{marked} with gaps", "system")


def _former_holders(canvas: Canvas, sem: Semantics, role: NodeKey, current: set[str],
                    level: int | None = None) -> None:
    """People who held ``role`` before the page's date (they left, or their period ended),
    drawn with a faint HOLDS edge and said so on hover."""
    for person, rel in sem.view.into(role, "HOLDS"):
        if person[1] in current or person[0] != "Person":
            continue
        left_on, until = sem.prop(person, "left_on"), rel.get("until")
        if left_on is not None and left_on <= sem.as_of:
            why = f"left on {left_on.isoformat()}"
        elif until is not None and until < sem.as_of:
            why = f"held it until {until.isoformat()}"
        else:
            continue  # a holder yet to start, or absent with no date: not a former holder
        canvas.node(person, extra=f"former holder of {role[1]}: {why}", level=level)
        canvas.edge("HOLDS", person, role, former=True, curved=True)


def trace_page(queries: Queries, sem: Semantics, ref: str) -> PageData:
    """A control, risk or policy up to its responsible executive, the chain highlighted (a
    requirement of another framework: its walk to the executives)."""
    key = resolve_node(sem, ref)
    if key[0] == "Requirement":
        return requirement_page(queries, sem, key)
    if key[0] not in _OWNER_KINDS:
        raise NotFoundError(f"a trace page is for {with_article(', '.join(_OWNER_KINDS))}, "
                            f"not {with_article(key[0])}")
    data = queries.trace(_OWNER_KINDS[key[0]], f"{key[0]}:{key[1]}", as_of=sem.as_of)
    assert isinstance(data, OwnerTraceModel)
    canvas = Canvas(sem)
    canvas.node(key, highlight=True, level=0)
    previous = key
    executive = data.executive.id if data.executive else None
    last = len(data.steps)
    for index, step in enumerate(data.steps):
        role = (step.node.type, step.node.id)
        canvas.node(role, highlight=True, level=index + 1, extra="current holders: " + (
            ", ".join(h.name for h in step.holders) or "none (vacant)"))
        if index == 0:
            canvas.edge("OWNS", role, key, highlight=True)
        else:
            canvas.edge("REPORTS_TO", previous, role, highlight=True)
        for holder in step.holders:
            person = (holder.type, holder.id)
            # The executive stands at the end of the chain; other holders beside their role.
            canvas.node(person, level=last + 1 if holder.id == executive else index + 1)
            canvas.edge("HOLDS", person, role, highlight=holder.id == executive,
                        curved=holder.id != executive)
        _former_holders(canvas, sem, role, {h.id for h in step.holders}, index + 1)
        previous = role
    if data.executive is None:
        where = previous
        canvas.node(where, gaps=[f"chain broken: {data.gap}"])
        for target, _ in sem.view.out(previous, "REPORTS_TO"):
            canvas.node(target, level=last + 1)
            canvas.edge("REPORTS_TO", previous, target, broken=True)
        summary = f"no responsible executive: {data.gap}"
    else:
        canvas.node((data.executive.type, data.executive.id), highlight=True, level=last + 1)
        steps = len(data.steps)
        summary = f"responsible executive: {data.executive.name} " \
                  f"({data.executive.id}), {steps} step{'s' if steps != 1 else ''}"
    return canvas.page(f"Trace of {key[0]} {key[1]}: {sem.name(key)}", summary, "trace")


def impact_page(queries: Queries, sem: Semantics, ref: str) -> PageData:
    """What a supplier or dataset's failure, or a person or role's absence, hits: the
    subject, the systems (each saying how it is hit), their risks and controls, what loses its
    owner, the executives who answer; the findings of the item-local checks marked."""
    key = resolve_node(sem, ref)
    kinds = {label: kind for kind, label in IMPACT_LABELS.items()}
    if key[0] not in kinds:
        raise NotFoundError(f"an impact page is for {with_article(', '.join(kinds))}, not "
                            f"{with_article(key[0])}")
    data = queries.impact(kinds[key[0]], f"{key[0]}:{key[1]}", sem.as_of)
    canvas = Canvas(sem)
    canvas.node(key, highlight=True)
    for system in data.systems:
        canvas.node((system.type, system.id), extra="hit: " + "; ".join(system.via))
    for refs in (data.datasets, data.suppliers, data.risks, data.controls, data.policies,
                 data.roles, data.executives, [w.item for w in data.loses]):
        for node in refs:
            canvas.node((node.type, node.id))
    for lost in data.loses:
        canvas.node((lost.item.type, lost.item.id), extra="loses " + ", ".join(lost.loses))
    for a, b, rel_type in sem.view.edges_among(set(canvas.nodes)):
        canvas.edge(rel_type, a, b)
    for item in data.checks:
        canvas.node((item.subject.type, item.subject.id), findings=[{
            "check": item.check, "title": check_by_id(item.check).title,
            "severity": item.severity,
            "reason": ("starts: " if item.starts else "") + item.reason}])
    return canvas.page(f"Impact of {key[0]} {key[1]}: {sem.name(key)}",
                       f"{len(data.systems)} AI systems hit, {len(data.checks)} findings on "
                       f"what is hit ({sum(c.starts for c in data.checks)} start)", "impact")


def gaps_page(sem: Semantics, view: GraphView, report: GapReport,
              labels: Iterable[str] = (),
              progress: Callable[[str], None] | None = None) -> PageData:
    """The nodes with findings (of the checks run, about nodes of ``labels`` when given) and
    what is next to them, every finding listed beside the graph; reasons on hover."""
    reasons = _gap_reasons(report)
    wanted = set(labels)
    subjects = sorted(k for k in reasons if view.has(k) and (not wanted or k[0] in wanted))
    canvas = Canvas(sem)
    around: set[NodeKey] = set(subjects)
    for key in subjects:
        canvas.node(key, findings=reasons[key])
        around |= view.neighbours(key)
    for key in around:
        canvas.node(key)
    for a, b, rel_type in view.edges_among(around):
        canvas.edge(rel_type, a, b)
    total = sum(len(reasons[k]) for k in subjects)
    checks = [r.check.id for r in report.results]
    scope = (f"{', '.join(checks)}" if len(checks) <= 3 else f"{len(checks)} checks") + \
        (f"; {', '.join(sorted(wanted))} only" if wanted else "")
    return canvas.page("Gaps",
                       f"{total} findings on {len(subjects)} nodes ({scope}), shown with the "
                       f"{len(around) - len(subjects)} nodes next to them", "gaps",
                       progress=progress)


def schema_page(sem: Semantics) -> PageData:
    """The ontology: a node per label and an edge per relationship type and endpoint pair."""
    canvas = Canvas(sem)
    for node in ONTOLOGY.nodes:
        canvas.node((node.label, node.label), extra=node.description)
    for rel in ONTOLOGY.relationships:
        for start, end in rel.endpoints:
            canvas.edge(rel.type, (start, start), (end, end))
    return canvas.page("The aimsgraph ontology",
                       f"{len(ONTOLOGY.nodes)} labels, {len(ONTOLOGY.relationships)} "
                       "relationship types", "schema")


def build_page(queries: Queries, kind: str, ref: str | None = None,
               as_of: dt.date | None = None, depth: int = 1,
               labels: Iterable[str] = (),
               progress: Callable[[str], None] | None = None,
               most: int | None = MOST_NEIGHBOURS) -> PageData:
    """The page of ``kind`` (see :data:`PAGE_KINDS`). For ``gaps``, ``ref`` names the checks
    to show (comma-separated; all when None); a node page follows up to ``most`` neighbours
    of each node."""
    if kind not in PAGE_KINDS:
        raise NotFoundError(f"unknown page kind '{kind}'; kinds: {', '.join(PAGE_KINDS)}")
    labels = known_labels(labels)
    if kind == "gaps":
        checks = [c.strip() for c in (ref or "").split(",") if c.strip()]
        for check in checks:
            check_by_id(check)  # an unknown check names the known ones
        step = progress or (lambda _stage: None)
        step("reading the graph")
        view = queries.whole_view()
        sem = Semantics(view, as_of or today(), queries.params)
        step("running the checks")
        report = queries.gaps(sem.as_of, checks)
        return gaps_page(sem, view, report, labels, progress)
    sem = queries.semantics(as_of)
    if kind == "schema":
        return schema_page(sem)
    if ref is None:
        raise NotFoundError(f"a {kind} page needs an id")
    if kind == "trace":
        return trace_page(queries, sem, ref)
    if kind == "impact":
        return impact_page(queries, sem, ref)
    reasons = _reasons_of(queries, sem.as_of)
    if kind == "system":
        return system_page(queries, sem, ref, reasons)
    return node_page(sem, ref, depth, labels, reasons, most)
