"""What the stores keep about ingestion runs: the record of each run, and its change ledger
(every node and relationship it created, updated or removed, in the order it was planned).
History is rebuilt from the ledger (:mod:`graph.questions.history`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Change", "RunRecord", "freshness"]


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of a run's change ledger: a node or relationship created, updated or removed.

    ``key`` is ``[id]`` for a node and ``[start label, start id, end label, end id,
    identity]`` for a relationship. ``props`` are what was written (created) or what was held
    (removed); ``changed`` maps each updated property to ``[before, after]``; ``prior`` is
    the provenance an updated or removed item had (the run that wrote it, and when), which
    undoing the entry puts back. Values are JSON-ready (dates as ISO text), so the ledger
    reads the same from every store.
    """

    action: str
    kind: str
    type: str
    key: tuple[str, ...]
    props: dict[str, Any] = field(default_factory=dict)
    changed: dict[str, list[Any]] = field(default_factory=dict)
    prior: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"action": self.action, "kind": self.kind, "type": self.type}
        if self.kind == "node":
            entry["id"] = self.key[0]
        else:
            entry.update(start={"type": self.key[0], "id": self.key[1]},
                         end={"type": self.key[2], "id": self.key[3]}, identity=self.key[4])
        if self.props:
            entry["props"] = self.props
        if self.changed:
            entry["changed"] = {k: {"before": v[0], "after": v[1]} for k, v in self.changed.items()}
        if self.prior:
            entry["prior"] = self.prior
        return entry

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Change:
        """The inverse of :meth:`to_json`."""
        if data["kind"] == "node":
            key: tuple[str, ...] = (data["id"],)
        else:
            key = (data["start"]["type"], data["start"]["id"], data["end"]["type"],
                   data["end"]["id"], data["identity"])
        return cls(data["action"], data["kind"], data["type"], key, data.get("props") or {},
                   {k: [v["before"], v["after"]] for k, v in (data.get("changed") or {}).items()},
                   dict(data.get("prior") or {}))


@dataclass
class RunRecord:
    """The record of one ingestion run, kept for every run, failed ones included."""

    run_id: str
    source: str
    bundle: str
    started_at: dt.datetime
    ended_at: dt.datetime | None = None
    outcome: str = "running"
    sync: bool = False
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "source": self.source,
            "bundle": self.bundle,
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
            "outcome": self.outcome,
            "sync": self.sync,
            "counts": self.counts,
            "errors": self.errors,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunRecord:
        """The inverse of :meth:`to_json`."""
        ended = data.get("ended_at")
        return cls(
            run_id=data["run_id"], source=data["source"], bundle=data["bundle"],
            started_at=dt.datetime.fromisoformat(data["started_at"]),
            ended_at=dt.datetime.fromisoformat(ended) if ended else None,
            outcome=data["outcome"], sync=bool(data.get("sync")),
            counts=data.get("counts") or {}, errors=list(data.get("errors") or []))


def freshness(runs: list[RunRecord]) -> list[dict[str, Any]]:
    """Each source the runs came from (a bundle's name, a sync source, ``job:NAME``) with its
    last run and outcome and when it last succeeded: how fresh the graph is, source by
    source. ``runs`` newest first."""
    found: dict[str, dict[str, Any]] = {}
    for run in runs:
        entry = found.setdefault(run.source, {"source": run.source, "last_run": run.run_id,
                                              "last_outcome": run.outcome,
                                              "last_success": None})
        if entry["last_success"] is None and run.outcome == "succeeded":
            ended = run.ended_at or run.started_at
            entry["last_success"] = ended.isoformat()
    return sorted(found.values(), key=lambda e: e["source"])
