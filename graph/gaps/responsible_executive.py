"""control-without-responsible-executive: a control whose owner chain reaches no Leader."""

from __future__ import annotations

from graph.gaps.base import Finding, GapCheck, finding
from graph.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for control in sem.view.nodes("Control"):
        if sem.prop(control, "status") == "retired":
            continue
        chain = sem.owner_chain(control)
        if chain.executive is None:
            related = [step.role for step in chain.steps]
            found.append(finding(sem, check, control, chain.gap or "no Leader found", related))
    return found


CHECK = GapCheck(
    "control-without-responsible-executive", "Controls without a responsible executive", "high",
    "Non-retired control whose owner role chain (up REPORTS_TO) reaches no current holder who "
    "is a Leader: no owner role, a chain that ends, or a loop.", _find)
