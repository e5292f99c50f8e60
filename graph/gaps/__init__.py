"""The gap checks of ONTOLOGY.md, one module each, and running them.

Each check is linear in the size of the graph: it visits the nodes of one label and their
immediate relationships; role holders are computed once per run and shared.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graph.gaps import (
    accountable_owner,
    ai_policy,
    annex_a_implementation,
    clause_coverage,
    control_evidence,
    finding_overdue,
    high_risk,
    impact_assessment,
    key_person,
    policy_approval,
    policy_review,
    responsible_executive,
    risk_owner,
    soa_decision,
    training,
    vacant_role,
)
from graph.gaps.base import SEVERITIES, Finding, GapCheck
from graph.semantics import CheckParams, Semantics
from graph.view import GraphView
from ontology import NotFoundError

__all__ = ["CHECKS", "SEVERITIES", "CheckResult", "Finding", "GapCheck", "GapReport",
           "check_by_id", "run_checks"]

CHECKS: tuple[GapCheck, ...] = tuple(m.CHECK for m in (
    accountable_owner, responsible_executive, vacant_role, annex_a_implementation, soa_decision,
    control_evidence, high_risk, risk_owner, ai_policy, policy_approval, policy_review,
    impact_assessment, training, finding_overdue, clause_coverage, key_person))
_BY_ID = {c.id: c for c in CHECKS}


def check_by_id(check_id: str) -> GapCheck:
    """The check with this stable id; raises NotFoundError naming the known ids."""
    try:
        return _BY_ID[check_id]
    except KeyError:
        raise NotFoundError(f"unknown gap check '{check_id}'; known checks: "
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
                "parameters": {"high_risk_threshold": self.params.high_risk_threshold,
                               "key_person_limit": self.params.key_person_limit},
                "checks": [r.to_json() for r in self.results]}


def run_checks(view: GraphView, as_of: dt.date, params: CheckParams | None = None,
               ids: Iterable[str] = ()) -> GapReport:
    """Run the checks named in ``ids`` (all when empty) as of ``as_of``."""
    params = params or CheckParams()
    chosen = [check_by_id(i) for i in ids] or list(CHECKS)
    sem = Semantics(view, as_of, params)
    return GapReport(as_of, params, [CheckResult(c, c.run_embedded(sem)) for c in chosen])
