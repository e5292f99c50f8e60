"""One entity as an auditor looks at it: its properties, where it came from, and what it is
related to, with where each relationship came from.

Provenance is what every write records (:data:`ontology.schema.PROVENANCE`): the bundle file
and row, the run, the time, the sync source. It is split out of the properties here so that a
reader sees at once what the organisation said and where the graph heard it. The answer reads
the node and its own relationships only (a lazy view), on every store.
"""

from __future__ import annotations

from typing import Any

from aimsgraph.graph.questions.obligations import obligation_state, obligations_of
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.matching import folded
from aimsgraph.graph.store.records import NodeKey, natural_order, rel_identity
from aimsgraph.ontology import ONTOLOGY, NotFoundError, did_you_mean, qualify_requirement

__all__ = ["PROVENANCE_NAMES", "entity_detail", "entity_page", "entity_summary",
           "find_entity", "known_label", "neighbourhood_detail"]

#: The properties every write records about itself.
PROVENANCE_NAMES = tuple(p.name for p in ONTOLOGY.provenance)


def known_label(label: str) -> str:
    """The label ``label`` names in any case (``control`` is Control) when the ontology
    declares it (or derives it), else NotFoundError naming the labels."""
    derived = list(ONTOLOGY.derived_labels)
    by_case = {name.casefold(): name for name in [*ONTOLOGY.labels, *derived]}
    found = by_case.get(label.casefold())
    if found is None:
        raise NotFoundError(f"unknown label '{label}'"
                            f"{did_you_mean(label, [*ONTOLOGY.labels, *derived])}; labels: "
                            f"{', '.join(ONTOLOGY.labels)}")
    return found


def find_entity(sem: Semantics, label: str, node_id: str) -> NodeKey:
    """The node of ``label`` (any case; a derived label such as Leader included) with
    ``node_id``, written bare or as ``Type:id`` of the same label (requirements also
    short: ``A.6.2.4``)."""
    label = known_label(label)
    prefix, sep, rest = node_id.partition(":")
    if sep and rest and prefix.casefold() == label.casefold() and \
            not sem.view.has((label, node_id)):  # an id may itself hold a colon
        node_id = rest
    if label == "Requirement" and not sem.view.has((label, node_id)):
        node_id = qualify_requirement(node_id) or node_id
    key = (label, node_id)
    if ONTOLOGY.has_label(label) and not sem.view.has(key):  # c-22 for C-22, when only one
        same = [k for k in sem.view.nodes(label) if k[1].casefold() == node_id.casefold()]
        key = same[0] if len(same) == 1 else key
    if not ONTOLOGY.has_label(label):
        key = next((k for k in sem.view.nodes(label) if k[1] == node_id), key)
    if not sem.view.has(key):
        raise NotFoundError(f"no {label} with id '{node_id}'")
    return key


def _json_value(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def split_provenance(props: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(every property as JSON, provenance included as the API has always listed it; the
    provenance alone: where and when the graph heard the fact)."""
    return ({k: _json_value(v) for k, v in props.items()},
            {k: props.get(k) for k in PROVENANCE_NAMES})


def entity_summary(sem: Semantics, key: NodeKey) -> dict[str, Any]:
    """The node with its labels, properties and provenance (no relationships)."""
    props, provenance = split_provenance(sem.view.props(key))
    return {**sem.ref(key), "labels": sorted(sem.view.labels(key)), "properties": props,
            "provenance": provenance}


def entity_page(sem: Semantics, label: str, text: str | None, status: str | None,
                limit: int, offset: int) -> dict[str, Any]:
    """Nodes of ``label`` in natural id order, those whose id or name holds ``text`` (any
    case) and whose status is ``status`` when given: ``limit`` of them from ``offset``, with
    how many there are in all (asked of the store's database where the view is lazy)."""
    total, keys = sem.view.page(known_label(label), folded(text) if text else None,
                                status or None, limit, offset)
    return {"total": total, "limit": limit, "offset": offset,
            "items": [entity_summary(sem, k) for k in keys]}


def entity_detail(sem: Semantics, key: NodeKey) -> dict[str, Any]:
    """The node with its properties and provenance, and its relationships grouped by
    direction and type, each with the node at the other end, its properties and provenance."""
    groups: dict[str, dict[str, list[dict[str, Any]]]] = {"outgoing": {}, "incoming": {}}
    for direction, edges in (("outgoing", sem.view.outgoing(key)),
                             ("incoming", sem.view.incoming(key))):
        by_key: dict[tuple[str, NodeKey], list[dict[str, Any]]] = {
            (rel_type, other): [] for rel_type, other, _ in edges}
        for rel_type, other, rel_props in edges:
            by_key[(rel_type, other)].append(rel_props)
        for rel_type in sorted({t for t, _ in by_key}):
            entries = []
            for other in natural_order(o for t, o in by_key if t == rel_type):
                facts = by_key[(rel_type, other)]
                for rel_props in sorted(facts, key=lambda p: rel_identity(rel_type, p)):
                    said, heard = split_provenance(rel_props)
                    entries.append({"node": sem.ref(other), "properties": said,
                                    "provenance": heard})
            groups[direction][rel_type] = entries
    found = {**entity_summary(sem, key), "relationships": groups}
    if key[0] == "AISystem":
        found["obligations"] = [{"article": sem.ref(article),
                                 **obligation_state(sem, key, article)}
                                for article in obligations_of(sem, key)]
    return found


def neighbourhood_detail(sem: Semantics, start: NodeKey, depth: int,
                         most: int | None) -> dict[str, Any]:
    """The nodes within ``depth`` relationships of ``start`` (either direction), each node's
    neighbours followed up to the first ``most``, and the relationships among them; with the
    nodes whose other neighbours were left out, and how many."""
    around = sem.view.neighbourhood(start, depth, most=most)
    rels = [{"type": t, "from": sem.ref(a), "to": sem.ref(b)}
            for a, b, t in sem.view.edges_among(around.nodes)]
    return {"subject": sem.ref(start), "as_of": sem.as_of.isoformat(),
            "nodes": [sem.ref(k) for k in sorted(around.nodes)],
            "relationships": sorted(rels, key=lambda r: (r["type"], r["from"]["id"],
                                                         r["to"]["id"])),
            "left_out": [{"node": sem.ref(k), "neighbours": n}
                         for k, n in sorted(around.left_out.items())]}
