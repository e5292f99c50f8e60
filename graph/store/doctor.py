"""``aimsgraph doctor``: is the store whole, and can every command read it?

Three examinations, each a problem a person can act on:

- **unreadable values**: a stored JSON text that does not read back (a lone surrogate
  written by an earlier version, a hand edit). Repaired by reading it leniently and writing
  each lone surrogate or non-character as U+FFFD, the replacement character; a text that
  does not read even leniently is reported, not guessed at.
- **dangling relationships**: a relationship whose start or end node is gone. Repaired by
  removing it.
- **the ledger against the data**: replaying every successful run's ledger in order must
  leave exactly the nodes and relationships that the store holds (the built-in catalogue,
  which no run writes, aside), and every ledger entry must belong to a recorded run. This is
  what history (as recorded, diff, the review pack) stands on; it is reported, never
  changed: the fix is to ingest the bundle again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import orjson

from aimsgraph.graph.store.catalogue import catalogue_sources
from aimsgraph.graph.store.integrity import StoredText
from aimsgraph.graph.store.interface import GraphStore
from aimsgraph.graph.store.jsonio import json_text
from aimsgraph.graph.store.records import NodeKey, RelKey
from aimsgraph.ontology.values import ill_formed, well_formed

__all__ = ["DoctorReport", "Problem", "examine", "readable"]

#: The most problems of one kind a report lists (the rest are counted).
MOST_LISTED = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the store: its ``kind``, where it is, what is wrong, and whether
    ``--repair`` mends it."""

    kind: str
    where: str
    detail: str
    repairable: bool

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "where": self.where, "detail": self.detail,
                "repairable": self.repairable}


@dataclass
class DoctorReport:
    """What the examination found, counted by kind, and what was repaired."""

    store: str
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    repaired: int = 0

    def add(self, problem: Problem) -> None:
        self.counts[problem.kind] = self.counts.get(problem.kind, 0) + 1
        if self.counts[problem.kind] <= MOST_LISTED:
            self.problems.append(problem)

    @property
    def healthy(self) -> bool:
        return not self.counts

    def to_json(self) -> dict[str, Any]:
        return {"store": self.store, "healthy": self.healthy, "counts": self.counts,
                "repaired": self.repaired, "problems": [p.to_json() for p in self.problems]}


def _mended(value: Any) -> Any:
    """``value`` with every text made well-formed (keys too)."""
    if isinstance(value, str):
        return well_formed(value)
    if isinstance(value, list):
        return [_mended(item) for item in value]
    if isinstance(value, dict):
        return {well_formed(k): _mended(v) for k, v in value.items()}
    return value


def _unreadable(stored: StoredText) -> tuple[str, str | None]:
    """Why ``stored`` does not read back, and its mended text (None when it cannot be
    mended); ``("", None)`` when it reads."""
    try:
        orjson.loads(stored.text)
        return "", None
    except orjson.JSONDecodeError as exc:
        reason = exc.msg
    try:
        value = json.loads(stored.text)
    except ValueError:
        return f"{reason}; it is not JSON at all", None
    return _first_ill_formed(value, "") or reason, json_text(_mended(value))


def _first_ill_formed(value: Any, path: str) -> str | None:
    """Which text of ``value`` is ill-formed and why: ``name holds a lone surrogate...``."""
    if isinstance(value, str):
        problem = ill_formed(value)
        return f"{path or 'the value'} {problem}" if problem else None
    items = value.items() if isinstance(value, dict) else enumerate(value) \
        if isinstance(value, list) else ()
    for key, item in items:
        found = ill_formed(key) if isinstance(key, str) else None
        found = (f"a key {found}" if found else
                 _first_ill_formed(item, f"{path}.{key}" if path else str(key)))
        if found:
            return found
    return None


def readable(store: GraphStore) -> str | None:
    """A cheap look for the readiness probe: the first stored text that does not read back,
    among those that could (:meth:`StoreIntegrity.texts` ``suspect_only``), or None."""
    for stored in store.integrity().texts(suspect_only=True):
        reason, _ = _unreadable(stored)
        if reason:
            return f"{stored.where} cannot be read back ({reason})"
    return None


def examine(store: GraphStore, repair: bool = False) -> DoctorReport:
    """Examine ``store`` (see the module); with ``repair``, mend what can be mended in one
    transaction and examine again, so the report says what is left."""
    integrity = store.integrity()
    report = DoctorReport(store.name)
    mended: dict[StoredText, str] = {}
    ledger_runs: set[str | int] = set()
    for stored in integrity.texts():
        if stored.table == "changes":
            ledger_runs.add(stored.key[0])
        reason, text = _unreadable(stored)
        if reason:
            report.add(Problem("unreadable-value", stored.where, reason, text is not None))
            if text is not None:
                mended[stored] = text
    dangling = integrity.dangling()
    for rel_type, start, end, _identity in dangling:
        report.add(Problem("dangling-relationship", f"{start[0]} {start[1]} -[{rel_type}]-> "
                           f"{end[0]} {end[1]}", "an end of it is not in the store", True))
    if repair and (mended or dangling):
        integrity.mend(mended, dangling)
        again = examine(store)
        again.repaired = len(mended) + len(dangling)
        return again
    if "unreadable-value" not in report.counts:  # the ledger is read only when it reads
        _ledger(store, integrity.node_keys(), integrity.relationship_keys(), ledger_runs,
                report)
    return report


def _ledger(store: GraphStore, nodes: set[NodeKey], rels: set[RelKey],
            ledger_runs: set[str | int], report: DoctorReport) -> None:
    """Replay the ledger of every successful run, oldest first, against the data."""
    runs = list(reversed(store.runs(10_000_000)))
    succeeded = {r.run_id for r in runs if r.outcome == "succeeded"}
    for run_id in sorted(map(str, ledger_runs - {r.run_id for r in runs})):
        report.add(Problem("ledger", f"run {run_id}", "the ledger holds changes of a run that "
                           "is not recorded", False))
    present: dict[NodeKey | RelKey, str] = {}
    gone: dict[NodeKey | RelKey, str] = {}
    for run in runs:
        total, entries = store.changes(run.run_id, 0, 10_000_000)
        if total and run.run_id not in succeeded:
            report.add(Problem("ledger", f"run {run.run_id}", f"the run is recorded as "
                               f"{run.outcome} but its ledger holds {total} changes", False))
        for change in entries:
            key: NodeKey | RelKey = (change.type, change.key[0]) if change.kind == "node" else (
                change.type, (change.key[0], change.key[1]), (change.key[2], change.key[3]),
                change.key[4])
            if change.action == "removed":
                present.pop(key, None)
                gone[key] = run.run_id
            else:
                present[key] = run.run_id
                gone.pop(key, None)
    held: set[NodeKey | RelKey] = {*nodes, *rels}
    for key, run_id in present.items():
        if key not in held:
            report.add(Problem("ledger", _shown(key), f"run {run_id} wrote it and no later "
                               "run removed it, but the store does not hold it", False))
    for key, run_id in gone.items():
        if key in held:
            report.add(Problem("ledger", _shown(key), f"run {run_id} removed it, but the "
                               "store holds it", False))
    catalogue = _catalogue_keys(store)
    for key in held - present.keys() - gone.keys() - catalogue:
        report.add(Problem("ledger", _shown(key), "the store holds it, but no run's ledger "
                           "wrote it", False))


def _catalogue_keys(store: GraphStore) -> set[NodeKey | RelKey]:
    """What the built-in catalogues install (no run's ledger holds it)."""
    found: set[NodeKey | RelKey] = set()
    sources = catalogue_sources()
    for node in store.iter_nodes():
        if node.props.get("source") in sources:
            found.add(node.key)
    for rel in store.iter_relationships():
        if rel.props.get("source") in sources:
            found.add(rel.key)
    return found


def _shown(key: NodeKey | RelKey) -> str:
    if len(key) == 2:
        return f"node {key[0]} {key[1]}"
    rel_type, start, end, identity = key
    return (f"relationship {start[0]} {start[1]} -[{rel_type}]-> {end[0]} {end[1]}"
            + (f" ({identity})" if identity else ""))
