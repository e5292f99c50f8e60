"""The internal audit programme (9.2): what each audit covered within the cycle, by whom, and
what falls due next.

Built on the same definitions as ``clause-not-audited`` and ``auditor-not-impartial`` (their
helpers, not copies), so the report and those checks cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aimsgraph.graph.questions.checks.clause_audit import audits_in_cycle, last_before_cycle
from aimsgraph.graph.questions.checks.clause_coverage import leaf_clauses
from aimsgraph.graph.questions.checks.impartiality import impartiality_problem
from aimsgraph.graph.questions.definitions import add_months
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.reports.model import Report, Section
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.ontology import FRAMEWORK, catalogue

__all__ = ["DUE_WITHIN_DAYS", "audit_programme_report"]

#: How far ahead the report looks for requirements falling due.
DUE_WITHIN_DAYS = 90


def _applicable_annex_controls(sem: Semantics) -> list[NodeKey]:
    """Annex A controls the SoA does not exclude (no decision counts as applicable)."""
    keys = [("Requirement", i.node_id) for i in catalogue() if i.kind == "annex_a_control"]
    return [k for k in keys if not sem.view.has(k) or sem.prop(k, "applicable") is not False]


def _leads(sem: Semantics, audit: NodeKey) -> list[NodeKey]:
    return sorted(p for p, _ in sem.view.out(audit, "LED_BY") if p[0] == "Person")


def _entry(sem: Semantics, requirement: NodeKey, kind: str,
           impartial: dict[NodeKey, str | None]) -> dict[str, Any]:
    in_cycle = audits_in_cycle(sem, requirement)
    entry: dict[str, Any] = {
        **sem.ref(requirement), "kind": kind,
        "audits": [{**sem.ref(a), "date": d.isoformat()} for d, a in in_cycle]}
    if in_cycle:
        last_date, last = in_cycle[0]
        due = add_months(last_date, sem.params.audit_cycle_months)
        problem = impartial.setdefault(last, _problem(sem, last))
        entry.update(last_audit=sem.ref(last), last_date=last_date.isoformat(),
                     leads=[sem.ref(p) for p in _leads(sem, last)],
                     lead_impartial=problem is None, due=due.isoformat(),
                     status="due soon" if due <= sem.as_of + dt.timedelta(DUE_WITHIN_DAYS)
                     else "in cycle")
    else:
        earlier = last_before_cycle(sem, requirement)
        entry.update(last_audit=sem.ref(earlier[1]) if earlier else None,
                     last_date=earlier[0].isoformat() if earlier else None,
                     leads=[sem.ref(p) for p in _leads(sem, earlier[1])] if earlier else [],
                     lead_impartial=None, due=None, status="not audited in cycle")
    return entry


def _problem(sem: Semantics, audit: NodeKey) -> str | None:
    found = impartiality_problem(sem, audit)
    return found[0] if found else None


def _row(entry: dict[str, Any]) -> list[Any]:
    impartial = {True: "yes", False: "no", None: ""}[entry["lead_impartial"]]
    return [entry["id"].split(":", 1)[-1], entry["name"], entry["status"],
            "; ".join(a["id"] for a in entry["audits"]), entry["last_date"] or "",
            "; ".join(p["name"] for p in entry["leads"]), impartial, entry["due"] or ""]


_COLUMNS = ["requirement", "title", "status", "audits in cycle", "last audited", "lead",
            "lead impartial", "next due"]


def audit_programme_report(sem: Semantics) -> Report:
    """Every leaf clause of 4-10 and applicable Annex A control against the audit cycle."""
    impartial: dict[NodeKey, str | None] = {}
    clauses = [_entry(sem, k, "clause", impartial) for k in leaf_clauses(sem)]
    controls = [_entry(sem, k, "annex_a_control", impartial)
                for k in sorted(_applicable_annex_controls(sem))]
    order = {i.node_id: n for n, i in enumerate(catalogue())}
    clauses.sort(key=lambda e: order.get(e["id"], len(order)))
    controls.sort(key=lambda e: order.get(e["id"], len(order)))
    audits = []
    for audit in sorted(sem.view.nodes("Audit")):
        day = sem.internal_audit_date(audit)
        if day is None or not sem.audit_cycle_start < day <= sem.as_of:
            continue
        problem = impartial.setdefault(audit, _problem(sem, audit))
        audits.append({**sem.ref(audit), "date": day.isoformat(),
                       "leads": [sem.ref(p) for p in _leads(sem, audit)],
                       "covers": [sem.ref(r) for r in sorted(
                           q for q, _ in sem.view.out(audit, "COVERS"))],
                       "lead_impartial": problem is None, "impartiality_problem": problem})
    audits.sort(key=lambda a: (a["date"], a["id"]))
    due_soon = [e for e in clauses + controls if e["status"] == "due soon"]
    summary = {
        "leaf_clauses": len(clauses),
        "clauses_audited": sum(1 for e in clauses if e["audits"]),
        "annex_a_controls": len(controls),
        "annex_a_controls_audited": sum(1 for e in controls if e["audits"]),
        "audits_in_cycle": len(audits),
        "audits_not_impartial": sum(1 for a in audits if not a["lead_impartial"]),
        "due_within_days": DUE_WITHIN_DAYS, "due_soon": len(due_soon)}
    start = sem.audit_cycle_start
    sections = [
        Section("Summary", ["measure", "value"], [
            ["leaf clauses of 4-10", summary["leaf_clauses"]],
            ["of which audited in the cycle", summary["clauses_audited"]],
            ["applicable Annex A controls", summary["annex_a_controls"]],
            ["of which audited in the cycle", summary["annex_a_controls_audited"]],
            [f"internal audits after {start.isoformat()}", summary["audits_in_cycle"]],
            ["of which led by someone auditing their own work",
             summary["audits_not_impartial"]],
            [f"falling due within {DUE_WITHIN_DAYS} days", summary["due_soon"]]]),
        Section("Leaf clauses 4-10", _COLUMNS, [_row(e) for e in clauses]),
        Section("Applicable Annex A controls", _COLUMNS, [_row(e) for e in controls]),
        Section(f"Falling due within {DUE_WITHIN_DAYS} days", _COLUMNS,
                [_row(e) for e in due_soon]),
        Section("Internal audits in the cycle", ["audit", "date", "lead", "covers",
                                                 "lead impartial"],
                [[a["id"], a["date"], "; ".join(p["name"] for p in a["leads"]),
                  "; ".join(r["id"].split(":", 1)[-1] for r in a["covers"]),
                  "yes" if a["lead_impartial"] else f"no: {a['impartiality_problem']}"]
                 for a in audits]),
    ]
    data = {"as_of": sem.as_of.isoformat(), "cycle_months": sem.params.audit_cycle_months,
            "cycle_start_after": start.isoformat(), "summary": summary,
            "clauses": clauses, "annex_a_controls": controls, "audits": audits,
            "due_soon": [e["id"] for e in due_soon]}
    return Report("audit-programme",
                  f"Internal audit programme ({FRAMEWORK}, "
                  f"{sem.params.audit_cycle_months}-month cycle)", sem.as_of.isoformat(),
                  sections, data)
