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
from dataclasses import replace
from typing import Any

from aimsgraph.graph.questions.checks import (
    CHECKS,
    SEVERITIES,
    Finding,
    GapReport,
    findings_about,
    gap_report,
    local_for,
    run_checks,
)
from aimsgraph.graph.questions.definitions import CheckParams, today
from aimsgraph.graph.questions.entity import (
    entity_detail,
    entity_page,
    find_entity,
    neighbourhood_detail,
)
from aimsgraph.graph.questions.frameworks import framework_list, framework_of
from aimsgraph.graph.questions.history import Point, as_recorded_view, resolve_point
from aimsgraph.graph.questions.impact import IMPACT_LABELS, impact
from aimsgraph.graph.questions.kinds import MOST_NEIGHBOURS
from aimsgraph.graph.questions.requirement_walk import requirement_walk
from aimsgraph.graph.questions.results import (
    EntityDetailModel,
    EntityPage,
    ImpactModel,
    NeighbourhoodModel,
    NodeRef,
    TraceResult,
)
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.questions.traces import (
    add_sources,
    resolve_node,
    resolve_stored,
    trace_by_kind,
)
from aimsgraph.graph.reports.crosswalk import framework_coverage_report
from aimsgraph.graph.reports.dashboard import dashboard_report
from aimsgraph.graph.reports.diff import diff_report
from aimsgraph.graph.reports.due import due_report
from aimsgraph.graph.reports.review import review_report
from aimsgraph.graph.reports.standard import Report, build_report
from aimsgraph.graph.store.budget import check_trace_size
from aimsgraph.graph.store.cache import AnswerCache
from aimsgraph.graph.store.interface import GraphStore
from aimsgraph.graph.store.lazy_view import LazyView
from aimsgraph.graph.store.matching import folded
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.graph.store.runs import freshness
from aimsgraph.graph.store.view import GraphView
from aimsgraph.ontology import FRAMEWORK, NotFoundError

__all__ = ["FOCUSED_SUBJECTS", "Queries"]

#: How many nodes the checks are asked about one by one at most: past this (an executive who
#: answers for thousands of items), the whole report costs less, being a single pass (0.7 s
#: for the 10,000-system organisation embedded, where asking about each of its 29,000 items
#: alone took 1.5 s more).
FOCUSED_SUBJECTS = 1000


class Queries:
    """Queries against one open store."""

    def __init__(self, store: GraphStore, params: CheckParams | None = None,
                 cache: AnswerCache[GapReport] | None = None,
                 as_recorded: str | None = None) -> None:
        self.store = store
        self.params = params or CheckParams()
        self.cache = cache
        #: A point (run id or date): every answer is then on the graph as recorded there.
        self.as_recorded = as_recorded
        self._lazy: LazyView | None = None
        self._recorded: GraphView | None = None
        self._point: Point | None = None

    def point(self) -> Point:
        """This facade's point, resolved once (NotFoundError for a point that names none)."""
        if self._point is None:

            assert self.as_recorded is not None
            self._point = resolve_point(self.store, self.as_recorded)
        return self._point

    def recorded_view(self) -> GraphView:
        """The whole graph as recorded at this facade's point (built once)."""
        if self._recorded is None:

            self._recorded = as_recorded_view(self.store, self.point())
        return self._recorded

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
        """The defined terms on a view that reads only what is asked of it (or on the graph
        as recorded at this facade's point)."""
        if self.as_recorded is not None:
            return Semantics(self.recorded_view(), as_of or today(), self.params)
        if self._lazy is None:
            self._lazy = self.store.lazy_view()
        return Semantics(self._lazy, as_of or today(), self.params)

    def whole_view(self) -> GraphView:
        """The whole graph (as recorded at this facade's point, if it has one), for
        whole-graph work only."""
        return self.recorded_view() if self.as_recorded is not None else self.store.view()

    def gaps(self, as_of: dt.date | None = None, ids: Iterable[str] = (),
             as_recorded: str | None = None) -> GapReport:
        """Run the named gap checks (all when none are named), as the store runs them (each
        check's Cypher on Neo4j, its Python twin over the whole view on the embedded store);
        kept per store generation when this facade has a cache. With ``as_recorded`` (a
        point: a run id or a date), on the graph as recorded then, by the Python checks over
        the reconstructed graph on every store."""
        day = as_of or today()
        chosen = tuple(ids)
        as_recorded = as_recorded or self.as_recorded

        def compute() -> GapReport:
            if as_recorded is not None:
                view = (self.recorded_view() if as_recorded == self.as_recorded else
                        as_recorded_view(self.store, resolve_point(self.store, as_recorded)))
                return run_checks(view, day, self.params, chosen)
            return gap_report(self.store, day, self.params, chosen)

        if self.cache is None:
            return compute()
        key = (id(self.store), self.store.generation(), day, self.params, chosen, as_recorded)
        return self.cache.get_or_compute(key, compute)

    def findings_about(self, keys: Iterable[NodeKey], as_of: dt.date | None = None
                       ) -> dict[NodeKey, list[Finding]]:
        """Every finding about each node of ``keys``, as the whole gap report gives them. On
        the graph as it is now, the local checks are asked of those nodes alone over the lazy
        view (:func:`graph.questions.checks.findings_about`), and only the few checks that
        compare nodes with one another (about people and clauses) are run over the whole
        graph, when a node of their labels is asked about. On the graph as recorded, or for
        more than :data:`FOCUSED_SUBJECTS` nodes, the whole report is read instead."""
        day = as_of or today()
        wanted = sorted(set(keys))
        labels = {key[0] for key in wanted} if self.as_recorded is None else set()
        focused = {label for label in labels if local_for([label]) is not None}
        local = [key for key in wanted if key[0] in focused]
        if len(local) > FOCUSED_SUBJECTS:
            local = []
        found = findings_about(self.semantics(day), local) if local else {}
        rest = set(wanted) - set(local)
        if rest:
            others = {key[0] for key in rest}
            chosen = [c.id for c in CHECKS if others.intersection(c.subjects)]
            found.update({key: [] for key in rest})
            for result in self.gaps(day, chosen).results:
                for item in result.findings:
                    key = (item.subject["type"], item.subject["id"])
                    if key in rest:
                        found[key].append(item)
        return found

    def trace(self, kind: str, ref: str, to: str | None = None,
              as_of: dt.date | None = None, system: str | None = None) -> TraceResult:
        """A trace of ``kind`` (:data:`graph.questions.traces.TRACES`) by the twin the store
        answers best (its Cypher where the store speaks Cypher and the question is about the
        graph as it is now, else its walk of a lazy view); refused when broader than a trace
        may be (:func:`graph.store.budget.check_trace_size`). A requirement of another
        framework than ISO/IEC 42001 is also walked through its mappings to the executives
        (for the AI system ``system``, when given)."""
        day = as_of or today()
        spec = trace_by_kind(kind)
        if spec.two_ends and to is None:
            raise NotFoundError(f"a {kind} trace needs two nodes")
        if system is not None and kind != "requirement":
            raise NotFoundError("--system is for a requirement trace")
        reader = self.store.cypher() if self.as_recorded is None else None
        if reader is None:
            sem = self.semantics(day)
            start = resolve_node(sem, ref, spec.label)
            end = resolve_node(sem, to) if spec.two_ends and to is not None else None
            found = spec.walk(sem, start, end)
        else:
            start = resolve_stored(self.store, ref, spec.label)
            end = resolve_stored(self.store, to) if spec.two_ends and to is not None else None
            found = spec.cypher(reader.query, start, end, day)
        check_trace_size(kind, ref, len(found.get("nodes") or found.get("steps") or []))
        add_sources(self.semantics(day).view, found)
        if kind == "executive":
            self._add_findings(found, day)
        if kind == "requirement":
            self._add_walk(found, day, system)
        if kind == "system":
            subject = (found["subject"]["type"], found["subject"]["id"])
            found["findings"] = [f.to_json() for f in self.findings_about([subject], day)[subject]]
        return spec.result.model_validate(found)  # type: ignore[return-value]

    def _add_walk(self, found: dict[str, Any], day: dt.date, system: str | None) -> None:
        """A requirement of another framework's walk to the executives, in ``found``."""
        sem = self.semantics(day)
        subject = (found["subject"]["type"], found["subject"]["id"])
        if framework_of(sem, subject) == FRAMEWORK:
            if system is not None:
                raise NotFoundError("--system is for a requirement of another framework than "
                                    "ISO/IEC 42001 (an EU AI Act article, a NIST AI RMF "
                                    "subcategory)")
            return
        target = resolve_node(sem, system, "AISystem") if system is not None else None
        found["crosswalk"] = requirement_walk(sem, subject, target)

    def impact(self, kind: str, ref: str, as_of: dt.date | None = None) -> ImpactModel:
        """What is hit if the supplier or dataset ``ref`` fails, or the person or role is gone
        (:func:`graph.questions.impact.impact`): a walk out from it over a lazy view, on
        every store."""
        if kind not in IMPACT_LABELS:
            raise NotFoundError(f"unknown impact kind '{kind}'; known kinds: "
                                f"{', '.join(IMPACT_LABELS)}")
        sem = self.semantics(as_of)
        return ImpactModel.model_validate(
            impact(sem, resolve_node(sem, ref, IMPACT_LABELS[kind])))

    def frameworks(self) -> list[dict[str, Any]]:
        """The frameworks the graph holds (:func:`graph.questions.frameworks.framework_list`)."""
        return framework_list(self.semantics())

    def _add_findings(self, trace: dict[str, Any], day: dt.date) -> None:
        """The findings on each item of an executive trace, and their count by severity."""
        subjects: dict[tuple[str, str], list[dict[str, Any]]] = {
            (entry["item"]["type"], entry["item"]["id"]): [] for entry in trace["items"]}
        for key, found in self.findings_about(subjects, day).items():
            subjects[key] = [item.to_json() for item in found]
        counts = dict.fromkeys(SEVERITIES, 0)
        for entry in trace["items"]:
            entry["findings"] = subjects[(entry["item"]["type"], entry["item"]["id"])]
            for item in entry["findings"]:
                counts[item["severity"]] += 1
        trace["findings_by_severity"] = counts

    def entity(self, label: str, node_id: str) -> EntityDetailModel:
        """One node with its properties and provenance and its relationships (each with its
        provenance), grouped by direction and type
        (:func:`graph.questions.entity.entity_detail`)."""

        sem = self.semantics()
        return EntityDetailModel.model_validate(entity_detail(sem, find_entity(sem, label,
                                                                               node_id)))

    def entities(self, label: str, text: str | None = None, status: str | None = None,
                 limit: int = 100, offset: int = 0) -> EntityPage:
        """A page of the nodes of ``label`` (:func:`graph.questions.entity.entity_page`):
        filtered by
        text in the id or name and by status, in natural id order, with the total."""

        return EntityPage.model_validate(
            entity_page(self.semantics(), label, text, status, limit, offset))

    def neighbourhood(self, label: str, node_id: str, depth: int = 1,
                      most: int | None = MOST_NEIGHBOURS) -> NeighbourhoodModel:
        """Nodes within ``depth`` relationships of one node and the relationships among them
        (:func:`graph.questions.entity.neighbourhood_detail`): each node's neighbours followed
        up to the
        first ``most`` in key order (None: all), the others counted."""

        sem = self.semantics()
        return NeighbourhoodModel.model_validate(
            neighbourhood_detail(sem, find_entity(sem, label, node_id), depth, most))

    def search(self, text: str, limit: int = 20) -> list[NodeRef]:
        """Nodes of any label whose id or name holds ``text`` (any case): an exact id first,
        then ids that start with it, then the rest, each group in natural order."""

        sem = self.semantics()
        return [NodeRef.model_validate(sem.ref(key))
                for key in sem.view.search(folded(text), limit)]

    def diff(self, start: str, end: str | None = None,
             as_of: dt.date | None = None) -> Report:
        """What changed between two points (a run id or a date; ``end`` None: now): data and
        findings, each side as recorded at its point and as of its date unless ``as_of``."""

        return diff_report(self.store, start, end, self.params, as_of, as_of)

    def due(self, as_of: dt.date | None = None, within: int = 30, person: str | None = None,
            overdue_only: bool = False) -> Report:
        """Every open deadline up to ``within`` days ahead (late ones included), with who
        must act and whom to escalate to (:mod:`graph.questions.due`)."""
        sem = self.semantics(as_of)
        if person is not None:
            resolve_node(sem, person, "Person")  # an unknown person is an error, not silence
        return due_report(sem, within, person, overdue_only)

    def report(self, kind: str, as_of: dt.date | None = None,
               since: str | None = None, framework: str | None = None) -> Report:
        """:meth:`_report`, its header saying how fresh each source is (on a recorded
        state, as it was then)."""
        built = self._report(kind, as_of, since, framework)
        runs = self.store.runs(100_000)
        if self.as_recorded is not None:
            later = {r.run_id for r in self.point().later}
            runs = [r for r in runs if r.run_id not in later]
        return replace(built, sources=freshness(runs))

    def _report(self, kind: str, as_of: dt.date | None = None,
                since: str | None = None, framework: str | None = None) -> Report:
        """The report ``kind`` (:data:`graph.questions.kinds.REPORT_KINDS`); ``review`` needs
        ``since``,
        the point the management review pack looks back to."""
        sem = self.semantics(as_of)
        if framework is not None:
            if kind != "coverage":
                raise NotFoundError("only the coverage report takes a framework")
            built = framework_coverage_report(sem, framework)
            return (replace(built, recorded=self.point().describe())
                    if self.as_recorded is not None else built)
        if kind == "review":

            if since is None:
                raise NotFoundError("the review report needs a point to look back to: "
                                    "since, a run id or a date (YYYY-MM-DD)")
            return review_report(self.store, sem, since, self.params, self.gaps(sem.as_of))
        if kind == "dashboard":
            built = dashboard_report(self.store, sem, self.gaps(sem.as_of))
            return (replace(built, recorded=self.point().describe())
                    if self.as_recorded is not None else built)
        gap_report = self.gaps(sem.as_of) if kind in ("gaps", "leadership") else None
        built = build_report(kind, sem, gap_report)
        if self.as_recorded is not None:
            return replace(built, recorded=self.point().describe())
        return built
