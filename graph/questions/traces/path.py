"""The path trace: a shortest path between any two nodes, whatever the relationships'
directions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aimsgraph.graph.questions.cypher_terms import REF
from aimsgraph.graph.questions.results import PathTraceModel
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.questions.traces.base import CypherRows, Trace
from aimsgraph.graph.questions.traces.shapes import Collector, Refs
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.ontology import ONTOLOGY, NotFoundError

__all__ = ["TRACE"]


def path_trace(sem: Semantics, start: NodeKey, end: NodeKey | None) -> dict[str, Any]:
    assert end is not None  # the query layer asks a path of two nodes
    keys = sem.view.shortest_path(start, end)
    if keys is None:
        raise NotFoundError(f"no path between {start[0]}:{start[1]} and "
                            f"{end[0]}:{end[1]}")
    c = Collector(sem)
    for a, b in zip(keys, keys[1:], strict=False):
        forward = sem.view.edge_types(a, b)
        backward = sem.view.edge_types(b, a)
        if forward:
            c.rel(forward[0], a, b)
        else:
            c.rel(backward[0], b, a)
    return c.to_json(start, target=sem.ref(end), length=len(keys) - 1,
                     path=[sem.ref(k) for k in keys])


def path_trace_query(start_label: str, end_label: str) -> str:
    """The shortest-path Cypher between nodes of two ontology labels."""
    for label in (start_label, end_label):
        if not ONTOLOGY.has_label(label):
            raise NotFoundError(f"unknown label '{label}'")
    return f"""MATCH (a:`{start_label}` {{id: $from_id}}), (b:`{end_label}` {{id: $to_id}})
CALL (a, b) {{
  MATCH p = shortestPath((a)-[*..50]-(b)) WHERE a <> b RETURN p
  UNION
  MATCH p = (a) WHERE a = b RETURN p
}}
RETURN [n IN nodes(p) | {REF('n')}] AS path,
       [r IN relationships(p) | {{type: type(r), from: startNode(r).id,
                                 from_labels: labels(startNode(r)), to: endNode(r).id,
                                 to_labels: labels(endNode(r))}}] AS rels"""


def path_trace_cypher(query: CypherRows, start: NodeKey, end: NodeKey | None,
                      as_of: dt.date) -> dict[str, Any]:
    """A shortest path between two resolved nodes, via Cypher."""
    assert end is not None
    rows = query(path_trace_query(start[0], end[0]), from_id=start[1], to_id=end[1])
    if not rows:
        raise NotFoundError(f"no path between {start[0]}:{start[1]} and {end[0]}:{end[1]}")
    path = rows[0]["path"]
    by_key = {(n["type"], n["id"]): n for n in path}
    refs = Refs()
    for node in path:
        refs.node(node)
    for rel in rows[0]["rels"]:
        a = next(by_key[(label, rel["from"])] for label in rel["from_labels"]
                 if (label, rel["from"]) in by_key)
        b = next(by_key[(label, rel["to"])] for label in rel["to_labels"]
                 if (label, rel["to"]) in by_key)
        refs.rel(rel["type"], a, b)
    return refs.to_json(path[0], as_of, target=path[-1], length=len(path) - 1, path=path)


TRACE = Trace("path", None, "A shortest path between two nodes", path_trace, path_trace_cypher,
              PathTraceModel, two_ends=True)
