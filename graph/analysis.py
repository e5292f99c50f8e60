"""The governance graph handed to networkx, for analysts' own algorithms and for Gephi and yEd.

The stores never use networkx for their own lookups (they walk their views, SQL or Cypher);
this is where analysts do: :func:`to_networkx` gives the whole graph, or one node's
neighbourhood, as a ``networkx.MultiDiGraph`` whose nodes carry their label and properties
and whose edges carry their relationship type and properties. :func:`graph_file` makes
it a GraphML or GEXF file.

    >>> from aimsgraph.graph import EmbeddedStore, Queries, to_networkx
    >>> with EmbeddedStore("data") as store, Queries(store) as queries:
    ...     graph = to_networkx(queries)
"""

from __future__ import annotations

import datetime as dt
import enum
import io
from collections.abc import Iterable, Iterator
from typing import Any

import networkx as nx

from aimsgraph.graph.queries import Queries
from aimsgraph.graph.questions.traces import resolve_node
from aimsgraph.graph.store.records import NodeKey, rel_identity
from aimsgraph.graph.store.view import View
from aimsgraph.ontology import NotFoundError

__all__ = ["GraphFormat", "edge_key", "graph_file", "node_name", "to_networkx"]


class GraphFormat(enum.StrEnum):
    """The file formats ``aimsgraph export`` writes."""

    graphml = "graphml"
    gexf = "gexf"


def node_name(key: NodeKey) -> str:
    """The name a node has in the networkx graph and in exported files: ``Label:id``."""
    return f"{key[0]}:{key[1]}"


def edge_key(rel_type: str, props: dict[str, Any]) -> str:
    """The key of a relationship among those between the same two nodes: its type, and the
    identity that keeps repeated facts apart (two periods of HOLDS, say) where it has one."""
    identity = rel_identity(rel_type, props)
    return f"{rel_type} {identity}" if identity else rel_type


def _in_force(props: dict[str, Any], as_of: dt.date | None) -> bool:
    """A relationship is in force on ``as_of`` unless it starts after it (``since``) or has
    ended before it (``until``); with no date, every relationship is."""
    if as_of is None:
        return True
    since, until = props.get("since"), props.get("until")
    return not (isinstance(since, dt.date) and since > as_of) and \
        not (isinstance(until, dt.date) and until < as_of)


def _edges(view: View, keys: Iterable[NodeKey], among: set[NodeKey] | None
           ) -> Iterator[tuple[NodeKey, NodeKey, str, dict[str, Any]]]:
    """Every relationship starting at one of ``keys`` (and ending among ``among``, when
    given), with its properties."""
    for start in keys:
        for rel_type, end, props in view.outgoing(start):
            if among is None or end in among:
                yield start, end, rel_type, props


def to_networkx(queries: Queries, around: str | None = None, depth: int = 1,
                as_of: dt.date | None = None) -> nx.MultiDiGraph[str]:
    """The graph (as recorded at the facade's point, when it has one) as a MultiDiGraph.

    ``around``: only the nodes within ``depth`` relationships of that node (``Label:id`` or
    an id), every neighbour followed. ``as_of``: relationships not in force that day are left
    out (nodes stay). Node attributes: ``id``, ``label``, ``labels`` (a sorted list) and the
    node's properties; edge attributes: ``type`` and the relationship's properties; edges are
    keyed by :func:`edge_key`. Costs what it reads: the whole graph, or the neighbourhood.
    """
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    view: View
    if around is None:
        whole = queries.whole_view()
        view, keys, among = whole, sorted(whole.all_nodes()), None
    else:
        sem = queries.semantics(as_of)
        view = sem.view
        start = resolve_node(sem, around)
        keys = sorted(view.neighbourhood(start, depth, (), None).nodes)
        among = set(keys)
    view.prefetch(keys, outgoing=True)
    for key in keys:
        graph.add_node(node_name(key), **{**view.props(key), "id": key[1], "label": key[0],
                                          "labels": sorted(view.labels(key))})
    for start, end, rel_type, props in _edges(view, keys, among):
        if _in_force(props, as_of):
            graph.add_edge(node_name(start), node_name(end), key=edge_key(rel_type, props),
                           **{**props, "type": rel_type})
    return graph


def _plain(value: Any) -> str | int | float | bool:
    """A value GraphML and GEXF can hold: dates as ISO text, lists joined by '; '."""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(_plain(item)) for item in value)
    return str(value)


def _renamed(attrs: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    return {names.get(k, k): _plain(v) for k, v in attrs.items() if v is not None}


def _for_file(graph: nx.MultiDiGraph[str], fmt: GraphFormat) -> nx.MultiDiGraph[str]:
    """A copy whose attribute values are all ones the file formats can hold (absent values
    dropped: GraphML has no null). GEXF gives ``id`` and ``label`` meanings of its own (the
    node's identity, the text Gephi shows): there the node's id and label are kept as
    ``node_id`` and ``node_label``, Gephi shows ``Label:id``, and an edge shows its type."""
    names = {"id": "node_id", "label": "node_label"} if fmt is GraphFormat.gexf else {}
    plain: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for name, attrs in graph.nodes(data=True):
        shown = {"label": name} if fmt is GraphFormat.gexf else {}
        plain.add_node(name, **_renamed(attrs, names), **shown)
    for start, end, key, attrs in graph.edges(keys=True, data=True):
        shown = {"label": attrs["type"]} if fmt is GraphFormat.gexf else {}
        plain.add_edge(start, end, key=key, **_renamed(attrs, {"id": "edge_id"}), **shown)
    return plain


def graph_file(graph: nx.MultiDiGraph[str], fmt: str) -> bytes:
    """``graph`` as a GraphML or GEXF file (NotFoundError for another format)."""
    try:
        chosen = GraphFormat(fmt)
    except ValueError:
        raise NotFoundError(f"unknown graph format '{fmt}'; formats: "
                            f"{', '.join(GraphFormat)}") from None
    plain, out = _for_file(graph, chosen), io.BytesIO()
    if chosen is GraphFormat.graphml:
        nx.write_graphml(plain, out)
    else:
        nx.write_gexf(plain, out)
    return out.getvalue()
