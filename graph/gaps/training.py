"""training-missing: a current role holder without a valid completion of a required training."""

from __future__ import annotations

import datetime as dt

from graph.gaps.base import Finding, GapCheck, finding
from graph.records import NodeKey
from graph.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    needed: dict[tuple[NodeKey, NodeKey], list[NodeKey]] = {}
    for role in sem.view.nodes("Role"):
        trainings = [t for t, _ in sem.view.out(role, "REQUIRES")]
        for person in sem.holders(role):
            for training in trainings:
                needed.setdefault((person, training), []).append(role)
    found = []
    for (person, training), roles in needed.items():
        records = [rel for t, rel in sem.view.out(person, "COMPLETED") if t == training]
        if any(sem.completion_valid(rel, training) for rel in records):
            continue
        for_roles = ", ".join(r[1] for r in sorted(roles))
        if records:
            dates: list[dt.date] = [r["on"] for r in records if r.get("on")]
            last = max(dates, default=None)
            state = f"completion of {last.isoformat()} is no longer valid" if last \
                else "completion has no date"
        else:
            state = "never completed"
        reason = f"{training[1]} {sem.name(training)} required for {for_roles}: {state}"
        severity = "high" if sem.is_leader(person) else "medium"
        found.append(finding(sem, check, person, reason, [training, *roles], severity))
    return found


CHECK = GapCheck(
    "training-missing", "Required training missing or lapsed", "medium",
    "Current holder of a role that REQUIRES a training without a completion valid on the as-of "
    "date (completed on or before it, not past expires_on, else completion plus the "
    "training's validity_months, else no expiry). High for Leaders.", _find)
