"""The gap checks (docs/checks.md), a module per check or theme, found here by the registry,
and running them by the twin each store answers best.

Each check is linear in the size of the graph: it visits the nodes of one label and their
immediate relationships; role holders are computed once per run and shared.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from aimsgraph.graph.questions.checks.base import (
    SEVERITIES,
    Finding,
    GapCheck,
    finding_from_row,
    sort_findings,
)
from aimsgraph.graph.questions.definitions import AI_POLICY_CLAUSE, FREQUENCY_PERIODS, CheckParams
from aimsgraph.graph.questions.focus import FocusedView
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.collector import collector_paused
from aimsgraph.graph.store.interface import GraphStore
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.graph.store.view import GraphView
from aimsgraph.ontology import ONTOLOGY, NotFoundError, did_you_mean

__all__ = ["CHECKS", "FINDING_COLUMNS", "SEVERITIES", "CheckResult", "Finding", "GapCheck",
           "GapReport", "check_by_id", "cypher_parameters", "findings_about", "gap_report",
           "local_for", "run_checks", "run_checks_cypher"]

def _declared() -> tuple[GapCheck, ...]:
    """Every check declared in this package: each module's ``CHECK`` (or its ``CHECKS``, for
    a module of several), modules in the order of their names."""
    found: list[GapCheck] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda module: module.name):
        if info.name != "base":
            module = importlib.import_module(f"{__name__}.{info.name}")
            found.extend(getattr(module, "CHECKS", None) or (module.CHECK,))
    return tuple(found)


#: Every gap check, in the order reports list them. Adding a check is a module here declaring
#: ``CHECK`` (both twins: the Python walk and the Cypher) and its cases in tests/gaps/cases.py.
CHECKS = _declared()
_BY_ID = {c.id: c for c in CHECKS}


def check_by_id(check_id: str) -> GapCheck:
    """The check with this stable id; raises NotFoundError naming the known ids."""
    try:
        return _BY_ID[check_id]
    except KeyError:
        raise NotFoundError(f"unknown gap check '{check_id}'{did_you_mean(check_id, _BY_ID)}; "
                            "known checks: "
                            f"{', '.join(_BY_ID)}") from None


@dataclass(frozen=True)
class CheckResult:
    check: GapCheck
    findings: list[Finding]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.check.id, "title": self.check.title,
                "severity": self.check.severity, "description": self.check.description,
                "count": len(self.findings), "findings": [f.to_json() for f in self.findings]}


@dataclass(frozen=True)
class GapReport:
    as_of: dt.date
    params: CheckParams
    results: list[CheckResult]

    def to_json(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(),
                "parameters": self.params.to_json(),
                "checks": [r.to_json() for r in self.results]}

    def filtered(self, severity: str | None = None, subject_type: str | None = None
                 ) -> GapReport:
        """Only the findings of ``severity`` about nodes of ``subject_type`` (None: any);
        every check stays, with what is left of its findings."""
        if severity is not None and severity not in SEVERITIES:
            raise NotFoundError(f"unknown severity '{severity}'; severities: "
                                f"{', '.join(SEVERITIES)}")
        if subject_type is not None and not ONTOLOGY.has_label(subject_type):
            raise NotFoundError(f"unknown subject type '{subject_type}'"
                                f"{did_you_mean(subject_type, ONTOLOGY.labels)}; labels: "
                                f"{', '.join(ONTOLOGY.labels)}")
        return GapReport(self.as_of, self.params, [CheckResult(r.check, [
            f for f in r.findings if (severity is None or f.severity == severity)
            and (subject_type is None or f.subject["type"] == subject_type)])
            for r in self.results])

    def at_or_above(self, severity: str) -> int:
        """How many findings are of ``severity`` or more severe (for ``--fail-on``)."""
        if severity not in SEVERITIES:
            raise NotFoundError(f"unknown severity '{severity}'; severities: "
                                f"{', '.join(SEVERITIES)}")
        worst = SEVERITIES[:SEVERITIES.index(severity) + 1]
        return sum(f.severity in worst for r in self.results for f in r.findings)


def run_checks(view: GraphView, as_of: dt.date, params: CheckParams | None = None,
               ids: Iterable[str] = ()) -> GapReport:
    """Run the checks named in ``ids`` (all when empty) as of ``as_of`` on a graph view."""
    params = params or CheckParams()
    chosen = [check_by_id(i) for i in ids] or list(CHECKS)
    sem = Semantics(view, as_of, params)
    with collector_paused():  # findings are acyclic; 100,000s of them set the collector off
        return GapReport(as_of, params, [CheckResult(c, c.run_embedded(sem)) for c in chosen])


def local_for(labels: Iterable[str]) -> list[GapCheck] | None:
    """The checks whose findings may be about nodes of ``labels``, when every one of them is
    local (can be asked of a few subjects); None when one is not."""
    wanted = set(labels)
    about = [c for c in CHECKS if wanted.intersection(c.subjects)]
    return about if all(c.local for c in about) else None


def findings_about(sem: Semantics, subjects: Iterable[NodeKey]) -> dict[NodeKey, list[Finding]]:
    """Every finding about each of ``subjects`` as a whole run on ``sem`` would give them,
    each check reporting in its turn, found by asking only the local checks that report on
    their labels, of those subjects alone (:class:`~graph.questions.focus.FocusedView`).
    Raises ValueError when a check that could report on one of their labels is not local:
    the caller then runs the whole report."""
    keys = sorted(set(subjects))
    checks = local_for(key[0] for key in keys)
    if checks is None:
        raise ValueError("a check about these subjects is not local")
    found: dict[NodeKey, list[Finding]] = {key: [] for key in keys}
    focused: dict[tuple[str, ...], Semantics] = {}  # one per set of labels narrowed
    with collector_paused():
        for check in checks:
            if check.subjects not in focused:
                focused[check.subjects] = Semantics(
                    FocusedView(sem.view, keys, check.subjects), sem.as_of, sem.params)
            for item in check.run_embedded(focused[check.subjects]):
                key = (item.subject["type"], item.subject["id"])
                if key not in found:
                    raise ValueError(f"check {check.id}, declared local, reported on "
                                     f"{key[0]} {key[1]}, which was not asked about")
                found[key].append(item)
    return found


CypherRunner = Callable[..., list[dict[str, Any]]]
#: What every check's Cypher returns, a row a finding.
FINDING_COLUMNS = ("subject_type", "subject_id", "subject_name", "reason", "related",
                   "severity")


def cypher_parameters(as_of: dt.date, params: CheckParams) -> dict[str, Any]:
    """The parameters every check's Cypher takes."""
    return {"as_of": as_of, **params.to_json(), "ai_policy_clause": AI_POLICY_CLAUSE,
            "frequency_periods": {name: {"days": days, "months": months}
                                  for name, (days, months) in FREQUENCY_PERIODS.items()}}


def run_checks_cypher(query: CypherRunner, as_of: dt.date, params: CheckParams | None = None,
                      ids: Iterable[str] = (), workers: int = 1) -> GapReport:
    """Run the checks' Cypher through ``query`` (a Neo4j store's read-query runner, safe to
    call from several threads), ``workers`` checks at a time.

    The client mostly waits while the server runs a check, on one of its cores; with more
    than one worker the server runs the next checks meanwhile, and the findings of one are
    made while the others run. The report lists the checks in their order either way.
    """
    params = params or CheckParams()
    chosen = [check_by_id(i) for i in ids] or list(CHECKS)
    arguments = cypher_parameters(as_of, params)

    def rows(check: GapCheck) -> list[dict[str, Any]]:
        return query(check.cypher, **arguments)

    results = []
    pool = ThreadPoolExecutor(max(1, workers))
    try:
        # Paused for the reads too: the driver builds every finding's lists and maps, and
        # each collection it set off walked the findings of the checks before (a quarter of
        # the time).
        with collector_paused():
            for check, found in zip(chosen, pool.map(rows, chosen), strict=True):
                results.append(CheckResult(check, sort_findings(
                    [finding_from_row(check, row) for row in found])))
    finally:  # on an error, the checks not yet started are not run
        pool.shutdown(cancel_futures=True)
    return GapReport(as_of, params, results)


def gap_report(store: GraphStore, as_of: dt.date, params: CheckParams | None = None,
               ids: Iterable[str] = ()) -> GapReport:
    """The named checks (all when none are named) on ``store``, each by the twin the store
    answers best: its Cypher where the store speaks Cypher (the server walks the graph, a few
    checks at a time), else its Python over the store's whole view. The findings are the same
    either way (the differential test holds them so)."""
    reader = store.cypher()
    if reader is None:
        return run_checks(store.view(), as_of, params, ids)

    # a finding's columns are text and lists of maps of text: nothing to convert
    def rows(cypher: str, **arguments: Any) -> list[dict[str, Any]]:
        return reader.plain_rows(cypher, FINDING_COLUMNS, **arguments)

    return run_checks_cypher(rows, as_of, params, ids, reader.parallel_reads)
