"""What changed between two points: the data (net, per label and type, each change with the run
and source that made it) and the findings that opened, closed or changed reason per check,
each side evaluated as recorded at its point and, unless told otherwise, as of its date."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from aimsgraph.graph.questions.checks import GapReport, run_checks
from aimsgraph.graph.questions.definitions import CheckParams, today
from aimsgraph.graph.questions.history import (
    Point,
    kept_answers,
    ledger,
    recorded_views,
    resolve_point,
)
from aimsgraph.graph.reports.model import Report, Section
from aimsgraph.graph.store.records import rel_identity
from aimsgraph.graph.store.runs import RunRecord
from aimsgraph.graph.store.view import GraphView

if TYPE_CHECKING:
    from aimsgraph.graph.store.interface import GraphStore

__all__ = ["diff_report", "recorded_findings"]

_QUIET = frozenset({"run_id", "updated_at"})


def _now_point(store: GraphStore) -> Point:
    runs = store.runs(1)
    return Point("now", runs[0] if runs else None, [])


def _nodes(view: GraphView) -> dict[tuple[str, ...], dict[str, Any]]:
    return {("node", label, node_id): props for (label, node_id), _, props in view.node_items()}


def _edges(view: GraphView) -> dict[tuple[str, ...], dict[str, Any]]:
    found: dict[tuple[str, ...], dict[str, Any]] = {}
    for start, end, rel_type, props in view.edge_items():
        found[("relationship", rel_type, f"{start[0]}:{start[1]}", f"{end[0]}:{end[1]}",
               rel_identity(rel_type, props))] = props
    return found


def _text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _changes(before: GraphView, after: GraphView,
             made_by: dict[tuple[str, ...], dict[str, str]]) -> list[dict[str, Any]]:
    old, new = {**_nodes(before), **_edges(before)}, {**_nodes(after), **_edges(after)}
    entries = []
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        changed: dict[str, dict[str, Any]]
        if a is None:
            action, changed = "created", {}
        elif b is None:
            action, changed = "removed", {}
        else:
            changed = {k: {"before": _text(a.get(k)), "after": _text(b.get(k))}
                       for k in sorted(a.keys() | b.keys() - _QUIET)
                       if k not in _QUIET and a.get(k) != b.get(k)}
            if not changed:
                continue
            action = "updated"
        entry: dict[str, Any] = {"action": action, "kind": key[0], "type": key[1],
                 "which": key[2] if key[0] == "node" else f"{key[2]} -> {key[3]}"
                 + (f" ({key[4]})" if key[4] else "")}
        if changed:
            entry["changed"] = changed
        entry.update(made_by.get(key, {}))
        if not entry.get("source"):  # the row the fact was last read from
            entry["source"] = (b or a or {}).get("source") or ""
        entries.append(entry)
    return entries


def _made_by(store: GraphStore, start: Point, end: Point) -> dict[tuple[str, ...], dict[str, str]]:
    """For each entity the runs between the points changed, the last run and source."""
    later_than_end = {r.run_id for r in end.later}
    between = [r for r in reversed(start.later) if r.run_id not in later_than_end]
    found: dict[tuple[str, ...], dict[str, str]] = {}
    for run in between:  # oldest first, so the last change wins
        for change in ledger(store, run.run_id):
            if change.kind == "node":
                key: tuple[str, ...] = ("node", change.type, change.key[0])
            else:
                sl, si, el, ei, identity = change.key
                key = ("relationship", change.type, f"{sl}:{si}", f"{el}:{ei}", identity)
            source = change.props.get("source") or change.changed.get("source", [None, None])[1]
            found[key] = {"run_id": run.run_id, "source": source or ""}
    return found


def _finding_changes(before: GapReport, after: GapReport) -> dict[str, dict[str, list[Any]]]:
    result = {}
    for old, new in zip(before.results, after.results, strict=True):
        was = {(f.subject["type"], f.subject["id"]): f for f in old.findings}
        now = {(f.subject["type"], f.subject["id"]): f for f in new.findings}
        result[old.check.id] = {
            "opened": [now[k].to_json() for k in sorted(now.keys() - was.keys())],
            "closed": [was[k].to_json() for k in sorted(was.keys() - now.keys())],
            "changed": [{"subject": now[k].subject, "before": was[k].reason,
                         "after": now[k].reason}
                        for k in sorted(was.keys() & now.keys())
                        if was[k].reason != now[k].reason]}
    return result


def _point_json(point: Point, as_of: dt.date) -> dict[str, Any]:
    return {"point": point.text, "run_id": point.run.run_id if point.run else None,
            "as_of": as_of.isoformat()}


def recorded_findings(store: GraphStore, generation: str, run: RunRecord | None,
                      view: Callable[[], GraphView], day: dt.date,
                      params: CheckParams) -> GapReport:
    """The findings as of ``day`` on the graph as recorded just after ``run`` (None: before
    any run), kept per (generation, run, day, parameters): the dashboard's trend, a diff or a
    review asked again costs a lookup until the next write, and ``view`` is only built when
    they are not kept."""
    key = (generation, "findings", run.run_id if run else None, day, params)
    answers = kept_answers(store)
    found = answers.get(key)
    if found is None:
        found = answers.put(key, run_checks(view(), day, params))
    return cast(GapReport, found)


def diff_report(store: GraphStore, start_text: str, end_text: str | None,
                params: CheckParams, start_as_of: dt.date | None = None,
                end_as_of: dt.date | None = None) -> Report:
    """The changes between two points (``end_text`` None: now) as a report."""
    start = resolve_point(store, start_text, empty=True)
    end = resolve_point(store, end_text, empty=True) if end_text else _now_point(store)
    first = start_as_of or start.day or today()
    last = end_as_of or (end.day if end_text else None) or today()
    before, after = recorded_views(store, [start, end])  # one walk back for both
    changes = _changes(before, after, _made_by(store, start, end))
    counts: dict[str, Counter[str]] = {}
    for entry in changes:
        counts.setdefault(f"{entry['kind']} {entry['type']}", Counter())[entry["action"]] += 1
    generation = store.generation()
    findings = _finding_changes(
        recorded_findings(store, generation, start.run, lambda: before, first, params),
        recorded_findings(store, generation, end.run, lambda: after, last, params))
    data = {"from": _point_json(start, first), "to": _point_json(end, last),
            "data": {name: dict(c) for name, c in sorted(counts.items())},
            "changes": changes, "findings": findings}
    sections = [
        Section("Data changed", ["kind and type", "created", "updated", "removed"],
                [[name, c["created"], c["updated"], c["removed"]]
                 for name, c in sorted(counts.items())]),
        Section("Findings", ["check", "opened", "closed", "reason changed"],
                [[check, len(f["opened"]), len(f["closed"]), len(f["changed"])]
                 for check, f in findings.items()
                 if f["opened"] or f["closed"] or f["changed"]]),
        Section("Findings in detail", ["check", "change", "subject", "reason"],
                [[check, what, f"{item['subject']['type']} {item['subject']['id']}",
                  item.get("reason") or f"{item['before']} -> {item['after']}"]
                 for check, f in findings.items()
                 for what in ("opened", "closed", "changed") for item in f[what]]),
        Section("Changes", ["action", "type", "which", "run", "source", "before -> after"],
                [[e["action"], e["type"], e["which"], e.get("run_id", ""), e.get("source", ""),
                  "; ".join(f"{k}: {v['before']} -> {v['after']}"
                            for k, v in e.get("changed", {}).items())] for e in changes]),
    ]
    title = f"Changes from {start_text} to {end_text or 'now'}"
    return Report("diff", title, f"{first.isoformat()} -> {last.isoformat()}", sections, data,
                  recorded=f"from {start.describe()} to "
                           + (end.describe() if end_text else "now"))
