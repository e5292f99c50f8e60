"""The questions analysts and auditors ask, answered on any store.

This facade is what the CLI and the API call: gap checks, traces and reports as of a date, with
check parameters. Whole-graph work (the gap checks on the embedded store, the overview page)
walks the store's whole view; every other question (a trace, an entity, a neighbourhood, the
SoA) walks a lazy view that reads only what the question touches. Close it (or use it as a
context manager) when done: the lazy view holds a read transaction or a session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from graph.budget import check_trace_size
from graph.cache import AnswerCache
from graph.gaps import GapReport, run_checks, run_checks_cypher
from graph.neo4j_store import Neo4jStore
from graph.records import NodeKey
from graph.reports import Report, build_report
from graph.semantics import CheckParams, Semantics
from graph.store import GraphStore
from graph.traces import lookup_ids as _lookup_ids
from graph.traces import pick_node, trace
from graph.traces_cypher import (
    OWNER_TRACE_LABELS,
    owner_trace_cypher,
    path_trace_cypher,
    person_trace_cypher,
    requirement_trace_cypher,
    system_trace_cypher,
)
from graph.view import GraphView, LazyView
from ontology import NotFoundError

__all__ = ["Queries"]


class Queries:
    """Queries against one open store."""

    def __init__(self, store: GraphStore, params: CheckParams | None = None,
                 cache: AnswerCache[GapReport] | None = None) -> None:
        self.store = store
        self.params = params or CheckParams()
        self.cache = cache
        self._lazy: LazyView | None = None

    def __enter__(self) -> Queries:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the lazy view's hold on the store; safe to call twice."""
        if self._lazy is not None:
            self._lazy.close()
            self._lazy = None

    def semantics(self, as_of: dt.date | None = None) -> Semantics:
        """The defined terms on a view that reads only what is asked of it."""
        if self._lazy is None:
            self._lazy = self.store.lazy_view()
        return Semantics(self._lazy, as_of or dt.date.today(), self.params)

    def whole_view(self) -> GraphView:
        """The whole graph, for whole-graph work only."""
        return self.store.view()

    def gaps(self, as_of: dt.date | None = None, ids: Iterable[str] = ()) -> GapReport:
        """Run the named gap checks (all when none are named): each check's Cypher on Neo4j,
        its embedded implementation elsewhere."""
        day = as_of or dt.date.today()
        chosen = tuple(ids)

        def compute() -> GapReport:
            if isinstance(self.store, Neo4jStore):
                return run_checks_cypher(self.store.query, day, self.params, chosen)
            return run_checks(self.store.view(), day, self.params, chosen)

        if self.cache is None:
            return compute()
        key = (id(self.store), self.store.generation(), day, self.params, chosen)
        return self.cache.get_or_compute(key, compute)

    def trace(self, kind: str, ref: str, to: str | None = None,
              as_of: dt.date | None = None) -> dict[str, Any]:
        """A trace of ``kind`` (see :data:`graph.traces.TRACE_KINDS`).

        On Neo4j every trace runs as Cypher (:mod:`graph.traces_cypher`); elsewhere it walks
        the graph view.
        """
        day = as_of or dt.date.today()
        if isinstance(self.store, Neo4jStore) and kind in OWNER_TRACE_LABELS:
            found = owner_trace_cypher(self.store.query, kind, ref, day)
        elif isinstance(self.store, Neo4jStore) and kind in ("requirement", "path", "system",
                                                             "person"):
            found = self._cypher_trace(self.store, kind, ref, to, day)
        else:
            found = trace(self.semantics(as_of), kind, ref, to)
        check_trace_size(kind, ref, len(found.get("nodes", found.get("steps", []))))
        return found

    def _cypher_trace(self, store: Neo4jStore, kind: str, ref: str, to: str | None,
                      day: dt.date) -> dict[str, Any]:
        """System, person, requirement and path traces through Cypher."""
        def resolve(text: str, label: str | None) -> NodeKey:
            wanted = _lookup_ids(text)
            found = store.read_transaction(lambda tx: tx.labels_by_id(wanted))
            return pick_node(text, label, found)
        if kind == "requirement":
            key = resolve(ref, "Requirement")
            return requirement_trace_cypher(store.query, key[1], day)
        if kind == "system":
            return system_trace_cypher(store.query, resolve(ref, "AISystem")[1], day)
        if kind == "person":
            return person_trace_cypher(store.query, resolve(ref, "Person")[1], day)
        if to is None:
            raise NotFoundError("a path trace needs two nodes")
        return path_trace_cypher(store.query, resolve(ref, None), resolve(to, None), day)

    def report(self, kind: str, as_of: dt.date | None = None) -> Report:
        """The report ``kind``: soa, coverage or gaps."""
        sem = self.semantics(as_of)
        gap_report = self.gaps(sem.as_of) if kind == "gaps" else None
        return build_report(kind, sem, gap_report)
