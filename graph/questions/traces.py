"""Traceability: from an item to the executive who answers for it, and around any node.

Shapes (the public JSON): the owner trace of a control, risk or policy returns ``subject``,
``as_of``, ``steps``, ``executive`` and ``gap``; the other traces return ``subject``, ``as_of``,
``nodes`` and ``relationships`` (plus fields particular to each kind).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aimsgraph.graph.questions.kinds import TRACE_KINDS
from aimsgraph.graph.questions.semantics import EXECUTIVE_ITEMS, Link, OwnerChain, Semantics
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.graph.store.view import View, in_order
from aimsgraph.ontology import ONTOLOGY, NotFoundError, qualify_requirement

__all__ = ["TRACE_KINDS", "resolve_node", "trace"]

_LABEL_OF = {"control": "Control", "risk": "Risk", "policy": "Policy", "system": "AISystem",
             "requirement": "Requirement", "person": "Person", "executive": "Person"}


def lookup_ids(ref: str) -> list[str]:
    """The ids a node reference may stand for: ``Type:id`` stripped, ``5.2`` qualified."""
    prefix, sep, rest = ref.partition(":")
    value = rest if sep and ONTOLOGY.has_label(prefix) else ref
    qualified = qualify_requirement(value)
    return [value] + ([qualified] if qualified and qualified != value else [])


def pick_node(ref: str, label: str | None, found: dict[str, set[str]]) -> NodeKey:
    """The one node ``ref`` names among ``found`` (id -> labels it exists under).

    Raises NotFoundError when nothing or more than one node matches.
    """
    prefix, sep, rest = ref.partition(":")
    if sep and ONTOLOGY.has_label(prefix) and (label is None or label == prefix):
        label = prefix
    value, *qualified = lookup_ids(ref)
    candidates = {(lbl, value) for lbl in found.get(value, set()) if label in (None, lbl)}
    for requirement in qualified:
        if "Requirement" in found.get(requirement, set()) and label in (None, "Requirement"):
            candidates.add(("Requirement", requirement))
    if len(candidates) == 1:
        return candidates.pop()
    if not candidates:
        raise NotFoundError(f"no {label or 'node'} with id '{value}'")
    options = " or ".join(f"{lbl}:{i}" for lbl, i in sorted(candidates))
    raise NotFoundError(f"'{value}' is ambiguous: write {options}")


def resolve_node(sem: Semantics, ref: str, label: str | None = None) -> NodeKey:
    """The node ``ref`` names: ``Type:id``, a bare id, or (for requirements) ``5.2``.

    Raises NotFoundError when nothing or more than one node matches.
    """
    found: dict[str, set[str]] = {}
    for node_id in lookup_ids(ref):
        labels = {lbl for lbl in ONTOLOGY.labels if sem.view.has((lbl, node_id))}
        if labels:
            found[node_id] = labels
    return pick_node(ref, label, found)


def _holder(sem: Semantics, person: NodeKey) -> dict[str, Any]:
    return {**sem.ref(person), "leader": sem.is_leader(person)}


def _step_source(sem: Semantics, subject: NodeKey, steps: list[Link], index: int) -> str | None:
    """Where the relationship that reached step ``index`` was read from (file:row): the role's
    OWNS or ACCOUNTABLE_FOR of the subject, or the REPORTS_TO from the step before."""
    step = steps[index]
    if index == 0:
        found = (props for role, props in sem.view.into(subject, step.via) if role == step.role)
    else:
        found = (props for role, props in sem.view.into(step.role, "REPORTS_TO")
                 if role == steps[index - 1].role)
    source = next(found, {}).get("source")
    return source if isinstance(source, str) else None


def chain_json(sem: Semantics, subject: NodeKey, chain: OwnerChain) -> dict[str, Any]:
    """The owner trace of ``subject`` as JSON."""
    return {
        "subject": sem.ref(subject),
        "as_of": sem.as_of.isoformat(),
        "steps": [{"node": sem.ref(step.role), "via": step.via,
                   "holders": [_holder(sem, h) for h in step.holders],
                   "source": _step_source(sem, subject, chain.steps, i)}
                  for i, step in enumerate(chain.steps)],
        "executive": sem.ref(chain.executive) if chain.executive else None,
        "executives": [sem.ref(p) for p in chain.executives],
        "gap": None if chain.executive else chain.gap,
    }


class _Collector:
    """Nodes and relationships gathered for a neighbourhood-style trace."""

    def __init__(self, sem: Semantics) -> None:
        self.sem = sem
        self.nodes: dict[NodeKey, dict[str, Any]] = {}
        self.rels: set[tuple[str, NodeKey, NodeKey]] = set()

    def node(self, key: NodeKey, **extra: Any) -> None:
        entry = self.nodes.setdefault(key, self.sem.ref(key))
        entry.update(extra)

    def rel(self, rel_type: str, start: NodeKey, end: NodeKey) -> None:
        self.node(start)
        self.node(end)
        self.rels.add((rel_type, start, end))

    def chain(self, chain: OwnerChain, item: NodeKey) -> None:
        previous = item
        for step in chain.steps:
            if step.via == "REPORTS_TO":
                self.rel("REPORTS_TO", previous, step.role)
            else:
                self.rel(step.via, step.role, item)
            for holder in step.holders:
                self.rel("HOLDS", holder, step.role)
            previous = step.role

    def to_json(self, subject: NodeKey, **extra: Any) -> dict[str, Any]:
        self.node(subject)
        return {
            "subject": self.sem.ref(subject), "as_of": self.sem.as_of.isoformat(),
            "nodes": [self.nodes[k] for k in sorted(self.nodes)],
            "relationships": [{"type": t, "from": self.sem.ref(s), "to": self.sem.ref(e)}
                              for t, s, e in sorted(self.rels)],
            **extra,
        }


def _evidence(c: _Collector, item: NodeKey) -> None:
    for evidence, _ in c.sem.view.into(item, "SUPPORTS"):
        problem = c.sem.evidence_problem(evidence)
        c.node(evidence, valid=problem is None, **({"problem": problem} if problem else {}))
        c.rel("SUPPORTS", evidence, item)


def _system(sem: Semantics, system: NodeKey) -> dict[str, Any]:
    c = _Collector(sem)
    chain = sem.owner_chain(system)
    c.chain(chain, system)
    for role in sem.owner_roles(system):
        c.rel("ACCOUNTABLE_FOR", role, system)
    controls: set[NodeKey] = {k for k, _ in sem.view.into(system, "APPLIES_TO")}
    for control in controls:
        c.rel("APPLIES_TO", control, system)
    for risk, _ in sem.view.into(system, "AFFECTS"):
        c.node(risk, score=sem.risk_score(risk), status=sem.prop(risk, "status"))
        c.rel("AFFECTS", risk, system)
        for control, _ in sem.view.into(risk, "MITIGATES"):
            c.rel("MITIGATES", control, risk)
            controls.add(control)
    for control in controls:
        c.node(control, status=sem.prop(control, "status"))
        _evidence(c, control)
        for requirement, _ in sem.view.out(control, "IMPLEMENTS"):
            c.rel("IMPLEMENTS", control, requirement)
    for assessment, _ in sem.view.into(system, "ASSESSES"):
        c.node(assessment, completed_on=sem.prop(assessment, "completed_on"),
               review_due=sem.prop(assessment, "review_due"))
        c.rel("ASSESSES", assessment, system)
    for committee, _ in sem.view.into(system, "OVERSEES"):
        c.rel("OVERSEES", committee, system)
    owners = [_holder(sem, h) for role in sem.owner_roles(system) for h in sem.holders(role)]
    return c.to_json(system, accountable_owners=owners,
                     executive_trace=chain_json(sem, system, chain))


def _descendants(sem: Semantics, root: NodeKey) -> list[NodeKey]:
    found, stack = [], [root]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.append(current)
        stack.extend(sem.children(current))
    return found


def _requirement(sem: Semantics, requirement: NodeKey) -> dict[str, Any]:
    c = _Collector(sem)
    for current in _descendants(sem, requirement):
        c.node(current, applicable=sem.prop(current, "applicable"))
        for child in sem.children(current):
            c.rel("PART_OF", child, current)
        _evidence(c, current)
        for rel_type in ("IMPLEMENTS", "ADDRESSES"):
            for item, _ in sem.view.into(current, rel_type):
                c.node(item, status=sem.prop(item, "status"))
                c.rel(rel_type, item, current)
                _evidence(c, item)
                for role in sem.owner_roles(item):
                    c.rel("OWNS", role, item)
                    for holder in sem.holders(role):
                        c.rel("HOLDS", holder, role)
    return c.to_json(requirement)


def _answers_for(sem: Semantics, item: NodeKey) -> tuple[bool, bool]:
    """(has an accountable owner, has a responsible executive) for ``item``."""
    owner = any(sem.holders(role) for role in sem.owner_roles(item))
    return owner, sem.owner_chain(item).executive is not None


def what_if_departure(sem: Semantics, person: NodeKey) -> list[dict[str, Any]]:
    """What would lose its accountable owner (every current holder of every role that owns
    or answers for it gone: an AI system, control, risk or policy alike) or its responsible
    executive if ``person`` left."""
    roles = {role for role, rel in sem.view.out(person, "HOLDS")
             if sem.assignment_current(rel)}
    below, stack = set(), list(roles)
    while stack:
        role = stack.pop()
        if role not in below:
            below.add(role)
            stack.extend(r for r, _ in sem.view.into(role, "REPORTS_TO"))
    items: set[NodeKey] = set()
    for role in below:
        items.update(s for s, _ in sem.view.out(role, "ACCOUNTABLE_FOR")
                     if sem.in_scope_system(s))
        items.update(i for i, _ in sem.view.out(role, "OWNS")
                     if i[0] in EXECUTIVE_ITEMS and sem.answerable(i))
    after = Semantics(sem.view, sem.as_of, sem.params)
    after.excluded = frozenset({person})
    lost = []
    for item in sorted(items):
        owner_before, exec_before = _answers_for(sem, item)
        owner_after, exec_after = _answers_for(after, item)
        losses = []
        if owner_before and not owner_after:
            losses.append("accountable owner")
        if exec_before and not exec_after:
            losses.append("responsible executive")
        if losses:
            lost.append({"item": sem.ref(item), "loses": losses,
                         "gap_after": after.owner_chain(item).gap})
    return lost


def _person(sem: Semantics, person: NodeKey) -> dict[str, Any]:
    c = _Collector(sem)
    holds = []
    for role, rel in in_order("HOLDS", sem.view.out(person, "HOLDS")):
        current = sem.assignment_current(rel) and sem.person_present(person)
        holds.append({**sem.ref(role), "current": current,
                      "since": rel.get("since"), "until": rel.get("until")})
        c.rel("HOLDS", person, role)
        if current:
            for rel_type in ("OWNS", "ACCOUNTABLE_FOR"):
                for item, _ in sem.view.out(role, rel_type):
                    c.rel(rel_type, role, item)
    incoming = {rel_type: sorted(k for k, _ in sem.view.into(person, rel_type))
                for rel_type in ("APPROVED_BY", "ACCEPTED_BY", "PROVIDED_BY", "LED_BY")}
    for rel_type, items in incoming.items():
        for item in items:
            c.rel(rel_type, item, person)
    for rel_type in ("CHAIRS", "MEMBER_OF", "COMPLETED"):
        for target, _ in sem.view.out(person, rel_type):
            c.rel(rel_type, person, target)
    return c.to_json(
        person, leader=sem.is_leader(person), present=sem.person_present(person), holds=holds,
        approved=[sem.ref(k) for k in incoming["APPROVED_BY"]],
        accepted=[sem.ref(k) for k in incoming["ACCEPTED_BY"]],
        chairs=[sem.ref(k) for k, _ in sorted(sem.view.out(person, "CHAIRS"))],
        what_if_departure=what_if_departure(sem, person))


def _path(sem: Semantics, start: NodeKey, end: NodeKey) -> dict[str, Any]:
    keys = sem.view.shortest_path(start, end)
    if keys is None:
        raise NotFoundError(f"no path between {start[0]}:{start[1]} and "
                            f"{end[0]}:{end[1]}")
    c = _Collector(sem)
    for a, b in zip(keys, keys[1:], strict=False):
        forward = sem.view.edge_types(a, b)
        backward = sem.view.edge_types(b, a)
        if forward:
            c.rel(forward[0], a, b)
        else:
            c.rel(backward[0], b, a)
    return c.to_json(start, target=sem.ref(end), length=len(keys) - 1,
                     path=[sem.ref(k) for k in keys])


def trace(sem: Semantics, kind: str, ref: str, to: str | None = None) -> dict[str, Any]:
    """The trace of ``kind`` for the node ``ref`` (``to`` is the far end of a ``path``)."""
    if kind not in TRACE_KINDS:
        raise NotFoundError(f"unknown trace kind '{kind}'; known kinds: {', '.join(TRACE_KINDS)}")
    if kind == "path":
        if to is None:
            raise NotFoundError("a path trace needs two nodes")
        return _path(sem, resolve_node(sem, ref), resolve_node(sem, to))
    key = resolve_node(sem, ref, _LABEL_OF[kind])
    if kind in ("control", "risk", "policy"):
        return chain_json(sem, key, sem.owner_chain(key))
    builders = {"system": _system, "requirement": _requirement, "person": _person,
                "executive": _executive}
    return builders[kind](sem, key)


def _executive(sem: Semantics, person: NodeKey) -> dict[str, Any]:
    """The reverse of the owner trace: everything ``person`` answers for as responsible
    executive on the as-of date, each with its chain."""
    return {"subject": sem.ref(person), "as_of": sem.as_of.isoformat(),
            "leader": sem.is_leader(person), "present": sem.person_present(person),
            "items": [{"item": sem.ref(item),
                       "chain": chain_json(sem, item, sem.owner_chain(item))}
                      for item in sem.executives_of.get(person, [])]}


def add_sources(view: View, trace: dict[str, Any]) -> None:
    """Give each relationship of a graph-shaped trace its ``source``: the bundle file and row
    it was read from (several, joined by '; ', where a repeated fact holds more than one
    relationship of the type between the two nodes). Reads the start nodes' relationships
    at once, so it costs what the trace shows on every store."""
    rels = trace.get("relationships")
    if not rels:
        return
    starts = {(r["from"]["type"], r["from"]["id"]) for r in rels}
    view.prefetch(starts, outgoing=True)
    for rel in rels:
        start, end = (rel["from"]["type"], rel["from"]["id"]), (rel["to"]["type"], rel["to"]["id"])
        sources = sorted({str(props["source"]) for key, props in view.out(start, rel["type"])
                          if key == end and props.get("source")})
        rel["source"] = "; ".join(sources) or None


def keys_of(items: Iterable[dict[str, Any]]) -> set[tuple[str, str]]:
    """(type, id) pairs of node references, for tests and callers comparing traces."""
    return {(item["type"], item["id"]) for item in items}
