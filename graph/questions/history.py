"""The graph as recorded at a point: the current graph with every later run's ledger undone.

A **point** is a run id, or a date standing for the last successful run that ended on or before
the end of that day. Record time (which runs the store had seen) is independent of valid time
(``as_of``, the dates inside the facts): a question may fix both.
"""

from __future__ import annotations

import datetime as dt
import weakref
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from aimsgraph.graph.store.cache import AnswerCache
from aimsgraph.graph.store.runs import Change, RunRecord
from aimsgraph.graph.store.undo import (
    NODE_PROPS,
    REL_PROPS,
    before,
    held,
    labels_of,
    ledger_of,
)
from aimsgraph.graph.store.view import GraphView
from aimsgraph.ontology import NotFoundError, did_you_mean
from aimsgraph.ontology.values import decode_props, parse_date

if TYPE_CHECKING:
    from aimsgraph.graph.store.interface import GraphStore

__all__ = ["Point", "as_recorded_view", "kept_answers", "ledger", "recorded_states",
           "recorded_views", "resolve_point"]

#: How many graphs as recorded one store keeps: a diff's two ends
#: (each is a whole graph in memory).
KEPT_VIEWS = 2


class Point:
    """A resolved point: the runs recorded up to it, and those after it (newest first)."""

    def __init__(self, text: str, run: RunRecord | None, later: list[RunRecord]) -> None:
        self.text = text
        self.run = run
        self.later = later

    @property
    def day(self) -> dt.date | None:
        """The day the point's run ended (None before any run)."""
        if self.run is None:
            return None
        moment = self.run.ended_at or self.run.started_at
        return moment.date()

    def describe(self) -> str:
        """Which recorded state the point stands for, as a report header says it."""
        if self.run is None:
            return f"{self.text}: before any run, an empty graph"
        moment = self.run.ended_at or self.run.started_at
        return f"run {self.run.run_id} (ended {moment:%Y-%m-%d %H:%M} UTC)"


def resolve_point(store: GraphStore, text: str, empty: bool = False) -> Point:
    """The point ``text`` names: a whole run id, or a date (YYYY-MM-DD) standing for the last
    successful run that ended on or before that day.

    Nothing is chosen silently: a run id cut short or a date in another form is NotFoundError
    (naming the run meant, when one is), and so is a date before any successful run unless
    ``empty`` (a diff or review may start from the empty graph; an answer "as recorded" on
    nothing would only mislead).
    """
    runs = store.runs(1_000_000)  # newest first
    for index, run in enumerate(runs):
        if run.run_id == text:
            return Point(text, run, runs[:index])
    try:
        day = parse_date(text)
    except ValueError:
        raise NotFoundError(f"'{text}' is neither a run id nor a date (YYYY-MM-DD)"
                            f"{did_you_mean(text, [r.run_id for r in runs])}") from None
    for index, run in enumerate(runs):
        ended = run.ended_at or run.started_at
        if run.outcome == "succeeded" and ended.date() <= day:
            return Point(text, run, runs[:index])
    if not empty:
        first = [r for r in runs if r.outcome == "succeeded"]
        raise NotFoundError(f"no run had succeeded by {day.isoformat()}, so nothing was "
                            "recorded then" + (
                                f"; the first successful run ended on "
                                f"{(first[-1].ended_at or first[-1].started_at):%Y-%m-%d}"
                                if first else "; no run has succeeded yet"))
    return Point(text, None, runs)


def ledger(store: GraphStore, run_id: str) -> list[Change]:
    """A run's whole change ledger, in the order it was planned."""
    return ledger_of(store, run_id)


def _undo(graph: GraphView, change: Change) -> None:
    """Undo one ledger entry on ``graph``."""
    if change.kind == "node":
        node = (change.type, change.key[0])
        declared = NODE_PROPS.get(change.type, {})
        if change.action == "created":
            graph.remove_node(node)
        elif change.action == "removed":
            props = decode_props(held(change), declared)
            graph.add_node(node, labels_of(change.type, props), props)
        elif graph.has(node):
            props = decode_props(before(graph.props(node), change), declared)
            graph.add_node(node, labels_of(change.type, props), props)
        return
    start_label, start_id, end_label, end_id, identity = change.key
    start, end = (start_label, start_id), (end_label, end_id)
    declared = REL_PROPS.get(change.type, {})
    if change.action == "created":
        graph.remove_edge(start, end, change.type, identity)
    elif change.action == "removed":
        graph.add_edge(start, end, change.type, decode_props(held(change), declared), identity)
    else:
        current = graph.edge_props(start, end, change.type, identity)
        if current is not None:
            graph.add_edge(start, end, change.type,
                           decode_props(before(current, change), declared), identity)


def recorded_states(store: GraphStore, point: Point
                    ) -> Iterator[tuple[RunRecord | None, GraphView]]:
    """``(run, graph just after it)`` from now back to ``point``, newest first: the current
    graph (after the latest run), then one run undone at a time, ending with the graph at the
    point (its run, or None before any run). One copy of the graph, each ledger undone once;
    each view is good until the next is taken."""
    current = store.view()
    after = [*point.later, point.run]  # the run each successive state comes just after
    yield after[0], current
    if not point.later:
        return
    graph = current.copy()  # the store's view stays as it is
    for index, run in enumerate(point.later):
        for change in reversed(ledger(store, run.run_id)):
            _undo(graph, change)
        yield after[index + 1], graph


class _Kept:
    """What one store's history questions share, keyed by the store's generation (any write
    makes every older entry unreachable): graphs as recorded at a run, and answers computed
    on them (the findings of a trend)."""

    def __init__(self) -> None:
        self.views: AnswerCache[GraphView] = AnswerCache(KEPT_VIEWS)
        self.answers: AnswerCache[object] = AnswerCache(256)


_KEPT: weakref.WeakKeyDictionary[GraphStore, _Kept] = weakref.WeakKeyDictionary()


def _kept(store: GraphStore) -> _Kept:
    return _KEPT.setdefault(store, _Kept())


def kept_answers(store: GraphStore) -> AnswerCache[object]:
    """Answers about recorded states of ``store`` (their keys begin with the generation they
    were computed at), kept for as long as the store is open."""
    return _kept(store).answers


def _point_key(point: Point) -> str | None:
    return point.run.run_id if point.run is not None else None


def recorded_views(store: GraphStore, points: Sequence[Point]) -> list[GraphView]:
    """The whole graph as recorded at each of ``points`` (resolved at this generation): those
    kept are reused, the others come from one walk back through the ledger, each later run
    undone once however many points are asked for."""
    generation = store.generation()
    kept = _kept(store)
    views: dict[str | None, GraphView] = {}
    for point in points:
        if not point.later:
            views[_point_key(point)] = store.view()  # the current graph is the store's own
        elif (view := kept.views.get((generation, _point_key(point)))) is not None:
            views[_point_key(point)] = view
    missing = sorted((p for p in points if _point_key(p) not in views),
                     key=lambda p: len(p.later))
    if missing:
        wanted = {len(p.later): _point_key(p) for p in missing}
        deepest = max(wanted)
        for depth, (_, graph) in enumerate(recorded_states(store, missing[-1])):
            if depth in wanted:
                # the walk goes on undoing the working graph: a point short of the deepest
                # keeps a copy of it
                views[wanted[depth]] = graph if depth == deepest else graph.copy()
        if store.generation() == generation:  # nothing was written during the walk
            for point in missing:
                kept.views.put((generation, _point_key(point)), views[_point_key(point)])
    return [views[_point_key(p)] for p in points]


def as_recorded_view(store: GraphStore, point: Point) -> GraphView:
    """The whole graph as it was recorded at ``point``."""
    return recorded_views(store, [point])[0]
