"""What a trace is, and how a reference names the node it starts from.

A trace is one declaration (:class:`Trace`) holding both of its twins: ``walk``, Python over
a :class:`~graph.questions.semantics.Semantics` view, and ``cypher``, the same answer asked
of a store that speaks Cypher. The query layer resolves the reference and picks the twin;
the differential test holds the twins' answers equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aimsgraph.graph.questions.results import GraphTraceModel, Result
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.interface import GraphStore
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.ontology import ONTOLOGY, NotFoundError, qualify_requirement

__all__ = ["CypherRows", "Trace", "lookup_ids", "pick_node", "resolve_node", "resolve_stored",
           "rows_about"]

#: A store's read-query runner: Cypher text and parameters in, a dict a row out.
CypherRows = Callable[..., list[dict[str, Any]]]
#: The Python twin: the view, the subject and (for a path) the far end.
Walk = Callable[[Semantics, NodeKey, NodeKey | None], dict[str, Any]]
#: The Cypher twin: the runner, the subject, the far end and the as-of date.
Ask = Callable[[CypherRows, NodeKey, NodeKey | None, dt.date], dict[str, Any]]


@dataclass(frozen=True)
class Trace:
    """One kind of trace (``aimsgraph trace KIND``) with both of its twins."""

    kind: str
    #: The label of the node it starts from (None: any label, for the path).
    label: str | None
    description: str
    walk: Walk
    cypher: Ask
    #: The type of its answer (both twins build the same JSON; the query layer types it).
    result: type[Result] = GraphTraceModel
    #: Whether it joins two nodes (``trace path A --to B``).
    two_ends: bool = False


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
    prefix, sep, _ = ref.partition(":")
    if sep and ONTOLOGY.has_label(prefix) and label is None:
        label = prefix
    # one label when it is known: on a lazy view each label asked is a read
    asked = ONTOLOGY.labels if label is None else (label,)
    for node_id in lookup_ids(ref):
        labels = {lbl for lbl in asked if sem.view.has((lbl, node_id))}
        if labels:
            found[node_id] = labels
    return pick_node(ref, label, found)


def rows_about(query: CypherRows, cypher: str, node: NodeKey, as_of: dt.date,
               **params: Any) -> list[dict[str, Any]]:
    """The rows of a trace's Cypher about ``node`` (``$id``, ``$as_of``); NotFoundError when
    there are none (the node is gone since it was resolved)."""
    rows = query(cypher, id=node[1], as_of=as_of, **params)
    if not rows:
        raise NotFoundError(f"no {node[0]} with id '{node[1]}'")
    return rows


def resolve_stored(store: GraphStore, ref: str, label: str | None = None) -> NodeKey:
    """:func:`resolve_node` by asking the store which labels the candidate ids exist under
    (one read, whatever the store)."""
    wanted = lookup_ids(ref)
    return pick_node(ref, label, store.read_transaction(lambda tx: tx.labels_by_id(wanted)))
