"""The management review pack (9.3): what changed since a point, findings now against findings
as recorded then, the trend per check across the runs in between, audits and findings raised
since, the incidents of the period with their reporting and corrective-action state, overdue
corrective actions and policies due for review."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING, Any

from aimsgraph.graph.questions.checks import SEVERITIES, GapReport
from aimsgraph.graph.questions.definitions import GRAVE, SERIOUS, CheckParams, noticed
from aimsgraph.graph.questions.history import Point, recorded_states, resolve_point
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.reports.diff import diff_report, recorded_findings
from aimsgraph.graph.reports.model import Report, Section
from aimsgraph.graph.store.runs import RunRecord
from aimsgraph.graph.store.view import GraphView

if TYPE_CHECKING:
    from aimsgraph.graph.store.interface import GraphStore

__all__ = ["TREND_RUNS", "review_report"]

#: How many runs (at most) the trend shows, the most recent ones.
TREND_RUNS = 12
#: Policies whose review falls due within this many days are listed.
REVIEW_DUE_DAYS = 90


def _subjects(report: GapReport) -> dict[str, set[tuple[str, str]]]:
    return {r.check.id: {(f.subject["type"], f.subject["id"]) for f in r.findings}
            for r in report.results}


def _day(run: RunRecord) -> dt.date:
    return (run.ended_at or run.started_at).date()


class _Walk:
    """The states as recorded from now back to a point, taken in order and only as far as
    asked (the ledgers of older runs are not read when no one needs them)."""

    def __init__(self, store: GraphStore, point: Point) -> None:
        self._states = enumerate(recorded_states(store, point))

    def at(self, index: int) -> GraphView:
        """The state ``index`` runs back from now (asked in increasing order)."""
        for depth, (_, view) in self._states:
            if depth == index:
                return view
        raise LookupError(f"no recorded state {index} runs back")


def findings_trend(store: GraphStore, point: Point, params: CheckParams, now: GapReport,
                   today: dt.date, by_severity: bool = False
                   ) -> tuple[GapReport, list[str], dict[str, list[int]]]:
    """The findings as recorded at the point (as of its date), and per check (or, with
    ``by_severity``, per severity) across the succeeded runs since (the most recent ones),
    then now: one walk back through the runs."""
    generation = store.generation()
    after = [*point.later, point.run]  # the run each state comes just after, newest first
    # the states shown: the point's, and the succeeded runs since (the most recent ones); the
    # newest state after later runs is the store's own answer, ``now``
    shown: list[tuple[int, RunRecord | None]] = []
    for index, run in enumerate(after):
        if index == 0 and point.later:
            continue
        if run is point.run or (run is not None and run.outcome == "succeeded"
                                and len(shown) < TREND_RUNS - 1):
            shown.append((index, run))

    def day_of(run: RunRecord | None) -> dt.date:
        return (point.day or today) if run is point.run or run is None else _day(run)

    walk = _Walk(store, point)  # walked back only as far as a state whose findings are not kept
    found = {index: recorded_findings(store, generation, run, partial(walk.at, index),
                                      day_of(run), params)
             for index, run in shown}
    labels, counts, then = ["now"], [now], now
    for index, run in shown:
        if run is point.run:
            then = found[index]
        if run is not None:
            labels.append(_day(run).isoformat())
            counts.append(found[index])
    labels.reverse()
    counts.reverse()
    if by_severity:
        return then, labels, {severity: [sum(f.severity == severity for r in c.results
                                              for f in r.findings) for c in counts]
                              for severity in SEVERITIES}
    series = {r.check.id: [len(c.results[i].findings) for c in counts]
              for i, r in enumerate(now.results)}
    return then, labels, {k: v for k, v in series.items() if any(v)}


def _incidents(sem: Semantics, start_day: dt.date | None, now: GapReport
               ) -> list[dict[str, Any]]:
    """The incidents of the period (noticed after ``start_day`` and on or before the date, or
    undated), each with its reporting and corrective-action state in the words of the checks
    that judge them."""
    said = {(f.check, f.subject["id"]): f.reason for r in now.results for f in r.findings
            if f.subject["type"] == "Incident"}
    found = []
    for incident in sem.view.nodes("Incident"):
        day = noticed(sem.view.props(incident))
        if not sem.known(incident) or (day is not None and start_day is not None
                                       and day <= start_day):
            continue
        severity = sem.prop(incident, "severity")
        reported = sem.prop(incident, "reported_on")
        reporting = said.get(("serious-incident-not-reported", incident[1])) or (
            "not required" if severity != SERIOUS else
            f"reported on {reported.isoformat()}, in time"
            if reported is not None and reported <= sem.as_of else "not yet due")
        actions = sorted(f for f, _ in sem.view.into(incident, "CONCERNS") if f[0] == "Finding")
        action = said.get(("incident-without-corrective-action", incident[1])) or "; ".join(
            f"{f[1]} assigned to " + (", ".join(a[1] for a, _ in sorted(
                sem.view.out(f, "ASSIGNED_TO"))) or "nobody") for f in actions) or (
            "none yet" if severity in GRAVE else "not required")
        found.append({**sem.ref(incident), "severity": severity,
                      "status": sem.prop(incident, "status"),
                      "noticed_on": day.isoformat() if day else None, "reporting": reporting,
                      "corrective_action": action,
                      "realises": [sem.ref(k) for k, _ in sorted(
                          sem.view.out(incident, "REALISES"))]})
    return sorted(found, key=lambda i: (i["noticed_on"] or "", i["id"]))


def review_report(store: GraphStore, sem: Semantics, since: str, params: CheckParams,
                  now: GapReport) -> Report:
    """The management review pack since the point ``since``, evaluated on ``sem``'s date."""
    point = resolve_point(store, since, empty=True)
    start_day = point.day
    then, labels, series = findings_trend(store, point, params, now, sem.as_of)
    was, is_now = _subjects(then), _subjects(now)
    per_check = [[r.check.id, len(is_now[r.check.id] - was[r.check.id]),
                  len(was[r.check.id] - is_now[r.check.id]),
                  len(is_now[r.check.id] & was[r.check.id])] for r in now.results]
    changed = diff_report(store, since, None, params, start_day, sem.as_of)
    audits = sorted((a for a in sem.view.nodes("Audit")
                     if isinstance(d := sem.prop(a, "date"), dt.date)
                     and (start_day is None or d > start_day) and d <= sem.as_of),
                    key=lambda a: (sem.prop(a, "date"), a))
    raised = sorted({f for a in audits for f, _ in sem.view.into(a, "RAISED_IN")
                     if f[0] == "Finding"})
    overdue = next(r for r in now.results if r.check.id == "finding-overdue").findings
    horizon = sem.as_of + dt.timedelta(REVIEW_DUE_DAYS)
    due = sorted((p for p in sem.view.nodes("Policy") if sem.prop(p, "status") == "approved"
                  and isinstance(d := sem.prop(p, "review_due"), dt.date) and d <= horizon),
                 key=lambda p: (sem.prop(p, "review_due"), p))
    incidents = _incidents(sem, start_day, now)
    sections = [
        Section("Findings now against then", ["check", "opened", "closed", "still open"],
                [row for row in per_check if any(row[1:])]),
        *(s for s in changed.sections if s.title in ("Data changed", "Findings in detail")),
        Section("Audits since", ["audit", "kind", "date", "findings raised"],
                [[a[1], sem.prop(a, "kind") or "", sem.prop(a, "date").isoformat(),
                  "; ".join(f[1] for f, _ in sorted(sem.view.into(a, "RAISED_IN")))]
                 for a in audits]),
        Section("Incidents of the period", ["incident", "severity", "status", "noticed",
                                            "reporting", "corrective action", "realises"],
                [[i["id"], i["severity"] or "", i["status"] or "", i["noticed_on"] or "undated",
                  i["reporting"], i["corrective_action"],
                  "; ".join(k["id"] for k in i["realises"]) or "no registered risk"]
                 for i in incidents]),
        Section("Overdue corrective actions", ["finding", "severity", "reason"],
                [[f.subject["id"], f.severity, f.reason] for f in overdue]),
        Section(f"Policies due for review within {REVIEW_DUE_DAYS} days",
                ["policy", "title", "review due"],
                [[p[1], sem.name(p), sem.prop(p, "review_due").isoformat()] for p in due]),
        Section("Finding trend", ["check", *labels],
                [[check, *values] for check, values in series.items()]),
    ]
    data = {"since": {"point": since, "run_id": point.run.run_id if point.run else None,
                      "as_of": (start_day or sem.as_of).isoformat()},
            "as_of": sem.as_of.isoformat(),
            "findings": [{"check": c, "opened": o, "closed": cl, "still_open": s}
                         for c, o, cl, s in per_check],
            "changes": changed.data, "trend": {"labels": labels, "series": series},
            "audits_since": [sem.ref(a) for a in audits],
            "findings_raised": [sem.ref(f) for f in raised],
            "incidents": incidents,
            "overdue": [f.to_json() for f in overdue],
            "policies_due": [{**sem.ref(p), "review_due": sem.prop(p, "review_due").isoformat()}
                             for p in due]}
    moving = {check: values for check, values in series.items() if len(set(values)) > 1}
    total = [sum(values[i] for values in series.values()) for i in range(len(labels))]
    chart = {"title": "Findings run by run: all, and each check that moved",
             "labels": labels, "series": {"all findings": total, **moving}}
    return Report("review", f"Management review pack since {since}", sem.as_of.isoformat(),
                  sections, data, chart=chart, recorded=f"since {point.describe()}")
