"""The shapes every trace answers in, built the same way by both twins.

The owner trace of a control, risk or policy returns ``subject``, ``as_of``, ``steps``,
``executive`` and ``gap``; the other traces return ``subject``, ``as_of``, ``nodes`` and
``relationships`` (plus fields particular to each kind). :class:`Collector` gathers them from
a view, :class:`Refs` from Cypher rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from aimsgraph.graph.questions.semantics import Link, OwnerChain, Semantics
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.graph.store.view import View

__all__ = ["Collector", "Refs", "add_sources", "chain_json", "holder", "keys_of"]


def holder(sem: Semantics, person: NodeKey) -> dict[str, Any]:
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
                   "holders": [holder(sem, h) for h in step.holders],
                   "source": _step_source(sem, subject, chain.steps, i)}
                  for i, step in enumerate(chain.steps)],
        "executive": sem.ref(chain.executive) if chain.executive else None,
        "executives": [sem.ref(p) for p in chain.executives],
        "gap": None if chain.executive else chain.gap,
    }


class Collector:
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

    def evidence(self, item: NodeKey) -> None:
        """The evidence supporting ``item``, each marked valid or with its problem."""
        for evidence, _ in self.sem.view.into(item, "SUPPORTS"):
            problem = self.sem.evidence_problem(evidence)
            self.node(evidence, valid=problem is None, **({"problem": problem} if problem else {}))
            self.rel("SUPPORTS", evidence, item)


class Refs:
    """Nodes and relationships of a Cypher-answered trace, in the shape :class:`Collector`
    gives."""

    def __init__(self) -> None:
        self.nodes: dict[tuple[str, str], dict[str, Any]] = {}
        self.rels: set[tuple[str, tuple[str, str], tuple[str, str]]] = set()

    def node(self, ref: dict[str, Any], **extra: Any) -> tuple[str, str]:
        key = (ref["type"], ref["id"])
        self.nodes.setdefault(key, {"type": ref["type"], "id": ref["id"], "name": ref["name"]})
        self.nodes[key].update(extra)
        return key

    def rel(self, rel_type: str, start: dict[str, Any], end: dict[str, Any]) -> None:
        self.rels.add((rel_type, self.node(start), self.node(end)))

    def to_json(self, subject: dict[str, Any], as_of: dt.date, **extra: Any) -> dict[str, Any]:
        self.node(subject)
        return {"subject": {k: subject[k] for k in ("type", "id", "name")},
                "as_of": as_of.isoformat(),
                "nodes": [self.nodes[k] for k in sorted(self.nodes)],
                "relationships": [{"type": t, "from": {k: self.nodes[s][k]
                                                       for k in ("type", "id", "name")},
                                   "to": {k: self.nodes[e][k] for k in ("type", "id", "name")}}
                                  for t, s, e in sorted(self.rels)],
                **extra}


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
