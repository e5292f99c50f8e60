"""Following the graph: ``trace`` (to the executive and around any node) and ``show``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from aimsgraph.api.output import (
    Format,
    emit,
    print_plain,
)
from aimsgraph.graph.questions.kinds import TRACE_KINDS

if TYPE_CHECKING:  # imported by the commands that use them, not at start-up
    from aimsgraph.graph.questions.results import (
        EntityDetailModel,
        ExecutiveTraceModel,
        NodeRef,
        OwnerTraceModel,
        PathTraceModel,
        RequirementWalkModel,
        SystemTraceModel,
        TraceResult,
    )
from aimsgraph.api.cli.base import (
    AsOfOption,
    AsRecordedOption,
    FormatOption,
    app,
    as_of_date,
    open_store,
    queries_for,
    reported_run,
)


@app.command("trace")
def trace_command(
    kind: Annotated[str, typer.Argument(metavar="KIND",
                                        help=f"One of: {', '.join(TRACE_KINDS)}.")],
    node: Annotated[str, typer.Argument(metavar="ID", help="The item's id (or Type:id).")],
    to: Annotated[str | None, typer.Argument(metavar="TO",
                                             help="For path: the other end.")] = None,
    system: Annotated[str | None, typer.Option(
        "--system", metavar="ID", help="For a requirement of another framework (an EU AI Act "
        "article): only the controls applying to this AI system or to none, and whether it "
        "is met for it.")] = None,
    as_of: AsOfOption = None,
    as_recorded: AsRecordedOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Trace an item: a control, risk or policy to its executive; a system, requirement or
    person with everything around it (a requirement of another framework through its
    mappings to the executives); everything an executive answers for; or the shortest path
    between two nodes."""
    day = as_of_date(as_of)

    def action() -> TraceResult:
        with open_store() as store, queries_for(store, as_recorded=as_recorded) as queries:
            return queries.trace(kind, node, to, day, system)
    _print_trace(kind, reported_run(action, fmt), fmt)


def _refs(items: Sequence[NodeRef], extra: Callable[[NodeRef], str] | None = None) -> str:
    return "; ".join(i.id + (f" ({extra(i)})" if extra else "") for i in items) or "-"


def _said(node: NodeRef, name: str) -> Any:
    """What a trace says of a node beyond its reference (score, status, validity...)."""
    return (node.model_extra or {}).get(name)


def _ref(node: NodeRef) -> str:
    return f"{node.type} {node.id}"


def _print_trace(kind: str, data: TraceResult, fmt: Format) -> None:
    """A trace as JSON or CSV, or as the tables a person reads: the chain for owner traces,
    the items for an executive, the steps in order for a path, a summary (and the what-if
    departure) for systems and people, then the relationships with where each was read."""
    from aimsgraph.graph.questions.results import (  # start-up: pydantic only for an answer
        ExecutiveTraceModel,
        OwnerTraceModel,
        PathTraceModel,
        PersonTraceModel,
        RequirementTraceModel,
        SystemTraceModel,
    )

    if isinstance(data, OwnerTraceModel):
        _print_owner_trace(data, fmt)
        return
    if isinstance(data, ExecutiveTraceModel):
        _print_executive_trace(data, fmt)
        return
    subject = _ref(data.subject)
    if fmt is Format.table and isinstance(data, PathTraceModel):
        emit(fmt, data.to_json(), ["step", "from", "relationship", "to", "source"],
             _path_rows(data), f"path from {subject} to {_ref(data.target)} "
             f"({_count(data.length, 'step')})")
        return
    if fmt is Format.table and isinstance(data, SystemTraceModel):
        emit(fmt, None, ["", ""], _system_rows(data), f"{subject} ({data.subject.name})")
    if fmt is Format.table and isinstance(data, RequirementTraceModel) and data.crosswalk:
        _print_walk(subject, data.crosswalk)
        if not data.relationships:
            return
    if fmt is Format.table and isinstance(data, PersonTraceModel):
        emit(fmt, None, ["item", "name", "loses", "gap after departure"],
             [[_ref(w.item), w.item.name, ", ".join(w.loses), w.gap_after or "-"]
              for w in data.what_if_departure],
             f"if {data.subject.name} ({data.subject.id}) left on {data.as_of}: "
             + _count(len(data.what_if_departure), "item")
             + " would lose an owner or executive")
    if fmt is Format.table:
        emit(fmt, data.to_json(), ["from", "relationship", "to", "source"],
             [[_ref(r.start), r.type, _ref(r.end), r.source or "-"]
              for r in data.relationships], f"{kind} trace of {subject}: relationships")
        return
    emit(fmt, data.to_json(), ["from type", "from", "relationship", "to type", "to", "source"],
         [[r.start.type, r.start.id, r.type, r.end.type, r.end.id, r.source or ""]
          for r in data.relationships])


def _print_walk(subject: str, walk: RequirementWalkModel) -> None:
    """A requirement of another framework walked: a row per control gone through, with its
    owner, its executive (or the gap) and its evidence."""
    rows: list[list[Any]] = []
    for leaf in walk.requirements:
        state = "" if leaf.met is None else ("met" if leaf.met else f"not met: {leaf.why}")
        head = [leaf.id, " ".join(x for x in (leaf.level, state) if x)]
        if not leaf.through:
            rows.append([*head, "-", "-", "-", "-", "-"])
        for through in leaf.through:
            kind = "full" if through.predicate in ("skos:exactMatch", "skos:closeMatch") \
                else "partial"
            iso = f"{through.id} ({kind}, {through.level})"
            if not through.controls:
                rows.append([*head, iso, "-", "-", "-", "-"])
            for control in through.controls:
                chain = control.chain
                executive = (f"{chain.executive.name} ({chain.executive.id})"
                             if chain.executive else f"none: {chain.gap}")
                rows.append([*head, iso, f"{control.id} ({control.status})",
                             _refs(control.owners), executive,
                             _refs(control.valid_evidence)])
    system = f" for {walk.system.id}" if walk.system else ""
    emit(Format.table, None, ["requirement", "level", "through (ISO/IEC 42001)", "control",
                              "owner", "responsible executive", "valid evidence"], rows,
         f"{subject} through its mappings{system}: executives "
         + (", ".join(f"{p.name} ({p.id})" for p in walk.executives) or "none"))


def _count(n: int, noun: str) -> str:
    """``1 item``, ``2 items``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _path_rows(data: PathTraceModel) -> list[list[Any]]:
    """A path's relationships in the order of the path, each with its direction."""
    by_pair = {((r.start.type, r.start.id), (r.end.type, r.end.id)): r
               for r in data.relationships}
    rows: list[list[Any]] = []
    path = [(n.type, n.id) for n in data.path]
    for index, (a, b) in enumerate(zip(path, path[1:], strict=False), start=1):
        forward = by_pair.get((a, b))
        rel = forward or by_pair[(b, a)]
        arrow = f"-[{rel.type}]->" if forward else f"<-[{rel.type}]-"
        rows.append([index, f"{a[0]} {a[1]}", arrow, f"{b[0]} {b[1]}", rel.source or "-"])
    return rows


def _system_rows(data: SystemTraceModel) -> list[list[Any]]:
    """What governs an AI system, a line per kind of thing."""
    nodes: dict[str, list[NodeRef]] = {}
    for node in data.nodes:
        nodes.setdefault(node.type, []).append(node)
    chain = data.executive_trace
    executive = chain.executive
    return [
        ["accountable owner", "; ".join(f"{o.name} ({o.id})" for o in data.accountable_owners)
         or f"none: {chain.gap or 'no current holder'}"],
        ["responsible executive", f"{executive.name} ({executive.id})" if executive
         else f"none: {chain.gap}"],
        ["risks", _refs(nodes.get("Risk", []), lambda r: f"score {_said(r, 'score')}, "
                                                          f"{_said(r, 'status')}")],
        ["controls", _refs(nodes.get("Control", []), lambda c: str(_said(c, "status")))],
        ["evidence", _refs(nodes.get("Evidence", []), lambda e: "valid" if _said(e, "valid")
                           else str(_said(e, "problem")))],
        ["impact assessments", _refs(nodes.get("ImpactAssessment", []),
                                     lambda a: f"review due {_said(a, 'review_due') or '-'}")],
        ["committees", _refs(nodes.get("Committee", []))],
        ["datasets", _refs(nodes.get("Dataset", []), lambda d: "quality checked "
                           f"{_said(d, 'quality_checked_on') or 'never'}")],
        ["suppliers", _refs(nodes.get("Supplier", []))],
        ["incidents", _refs(nodes.get("Incident", []), lambda i: f"{_said(i, 'severity')}, "
                                                                  f"{_said(i, 'status')}")],
        ["findings", "; ".join(f"{f.severity}: {f.check}: {f.reason}" for f in data.findings)
         or "-"],
    ]


def _print_owner_trace(data: OwnerTraceModel, fmt: Format) -> None:
    """An owner trace: its steps up to the responsible executive."""
    rows = [[i + 1, s.via, s.node.id, s.node.name,
             "; ".join(h.name + (" (Leader)" if h.leader else "") for h in s.holders)
             or "(vacant)", s.source or "-"]
            for i, s in enumerate(data.steps)]
    executive = data.executive
    title = (f"{_ref(data.subject)}: responsible executive "
             + (f"{executive.name} ({executive.id})" if executive else f"none - {data.gap}"))
    emit(fmt, data.to_json(), ["step", "via", "role", "name", "current holders", "source"],
         rows, title)


def _print_executive_trace(data: ExecutiveTraceModel, fmt: Format) -> None:
    """An executive trace: the items a person answers for, each with its chain."""
    rows = [[e.item.type, e.item.id, e.item.name, " > ".join(s.node.id for s in e.chain.steps),
             "; ".join(f"{f.severity}: {f.check}" for f in e.findings)]
            for e in data.items]
    counts = ", ".join(f"{n} {severity}" for severity, n in data.findings_by_severity.items())
    emit(fmt, data.to_json(), ["type", "id", "name", "chain", "findings"], rows,
         f"{data.subject.name} ({data.subject.id}) is the responsible executive "
         f"for {len(rows)} items; findings on them: {counts}")


@app.command()
def show(
    label: Annotated[str, typer.Argument(metavar="TYPE", help="A label, e.g. Control.")],
    node: Annotated[str, typer.Argument(metavar="ID", help="The entity's id.")],
    as_recorded: AsRecordedOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """One entity: its properties, where it was read from (file, row, run, time), and its
    relationships by type with where each was read from."""
    def action() -> EntityDetailModel:
        with open_store() as store, queries_for(store, as_recorded=as_recorded) as queries:
            return queries.entity(label, node)
    entity = reported_run(action, fmt)
    data = entity.to_json()
    from aimsgraph.graph.questions.entity import PROVENANCE_NAMES  # start-up

    said = [[k, v] for k, v in entity.properties.items() if k not in PROVENANCE_NAMES]
    rels = [[direction, rel_type, e.node.type, e.node.id, e.node.name,
             "; ".join(f"{k}={v}" for k, v in e.properties.items()
                       if k not in PROVENANCE_NAMES),
             e.provenance.get("source") or ""]
            for direction, groups in entity.relationships.items()
            for rel_type, entries in groups.items() for e in entries]
    if fmt is not Format.table:
        emit(fmt, data, ["direction", "type", "node type", "node", "name", "properties",
                         "source"], rels)
        return
    heard = entity.provenance
    emit(fmt, data, ["property", "value"], said,
         f"{entity.type} {entity.id} ({entity.name}); labels: {', '.join(entity.labels)}")
    print_plain(Console(), f"read from {heard.get('source') or '-'} by run "
                f"{heard.get('run_id') or '-'} at {heard.get('updated_at') or '-'}"
                + (f", owned by sync source {heard['sync_source']}"
                   if heard.get("sync_source") else ""))
    if entity.obligations is not None:
        emit(fmt, data, ["EU AI Act obligation", "title", "met", "why / through"],
             [[o.article.id, o.article.name, "yes" if o.met else "no",
               o.why or "; ".join(f"{t['control']['id']} implements {t['requirement']['id']}"
                                  for t in o.through)] for o in entity.obligations],
             f"EU AI Act obligations ({len(entity.obligations)})")
    emit(fmt, data, ["relationship", "node", "properties", "source"],
         [[f"-[{t}]->" if d == "outgoing" else f"<-[{t}]-", f"{label} {i}"
           + (f" ({name})" if name != i else ""), props or "-", source or "-"]
          for d, t, label, i, name, props, source in rels], f"relationships ({len(rels)})")


@app.command()
def search(
    text: Annotated[str, typer.Argument(metavar="TEXT", help="Part of an id or a name.")],
    limit: Annotated[int, typer.Option(metavar="N", min=1, max=1000,
                                       help="How many to list, 1-1000.")] = 20,
    fmt: FormatOption = Format.table,
) -> None:
    """Find nodes of any label by id or name (any case): an exact id first, then ids that
    start with the text, then the rest; each with the `show` command that opens it."""
    def action() -> list[NodeRef]:
        with open_store() as store, queries_for(store) as queries:
            return queries.search(text, limit)
    found = reported_run(action, fmt)
    emit(fmt, {"query": text, "items": [n.to_json() for n in found]},
         ["type", "id", "name", "open with"],
         [[n.type, n.id, n.name, f"aimsgraph show {n.type} {n.id}"] for n in found],
         f"{len(found)} match{'es' if len(found) != 1 else ''} for '{text}'")
