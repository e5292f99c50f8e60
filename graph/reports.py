"""Audit reports: Statement of Applicability, clause coverage, the gap summary and the
internal audit programme.

Each report is data: a title, the as-of date, and sections of rows under named columns, plus a
JSON form with the full structure. :mod:`api.render` turns a report into CSV, Markdown or HTML.
"""

from __future__ import annotations

from typing import Any

from graph.audit_programme import audit_programme_report
from graph.gaps import GapReport
from graph.gaps.clause_coverage import coverage
from graph.kinds import REPORT_KINDS
from graph.records import NodeKey
from graph.report_model import Report, Section
from graph.semantics import Semantics
from ontology import FRAMEWORK, NotFoundError, catalogue

__all__ = ["REPORT_KINDS", "Report", "Section", "audit_programme_report", "coverage_report",
           "gaps_report", "soa_report"]



def _ids(keys: list[NodeKey]) -> str:
    return "; ".join(k[1] for k in keys)


def soa_report(sem: Semantics) -> Report:
    """Every Annex A control with its decision, implementing controls, owners and evidence."""
    rows, items = [], []
    requirements = [("Requirement", i.node_id) for i in catalogue()
                    if i.kind == "annex_a_control"]
    sem.view.prefetch(requirements, outgoing=False)  # their implementing controls, at once
    sem.view.prefetch({c for key in requirements for c, _ in sem.view.into(key, "IMPLEMENTS")},
                      outgoing=False)  # and those controls' owners and evidence
    for item in catalogue():
        if item.kind != "annex_a_control":
            continue
        key = ("Requirement", item.node_id)
        applicable = sem.prop(key, "applicable") if sem.view.has(key) else None
        controls = []
        for control in sorted(c for c, _ in sem.view.into(key, "IMPLEMENTS")):
            controls.append({
                **sem.ref(control), "status": sem.prop(control, "status"),
                "owners": [sem.ref(r) for r in sem.owner_roles(control)],
                "valid_evidence": [sem.ref(e) for e in sem.valid_evidence(control)],
            })
        implemented = [c for c in controls if c["status"] in ("implemented", "operating")]
        evidenced = any(c["valid_evidence"] for c in implemented)
        entry = {
            "requirement": item.ref, "title": item.title, "objective": item.parent,
            "applicable": applicable is not False,
            "decision": "default" if applicable is None else "explicit",
            "justification": sem.prop(key, "justification") or "",
            "controls": controls, "implemented": bool(implemented), "evidenced": evidenced,
        }
        items.append(entry)
        rows.append([
            item.ref, item.title,
            ("yes" if entry["applicable"] else "no") + (" (no decision)" if applicable is None
                                                        else ""),
            entry["justification"],
            "; ".join(f"{c['id']} ({c['status'] or '-'})" for c in controls),
            "; ".join(sorted({o["id"] for c in controls for o in c["owners"]})),
            "yes" if entry["implemented"] else "no",
            "yes" if evidenced else "no",
        ])
    section = Section("Annex A controls", ["control", "title", "applicable", "justification",
                                           "implemented by", "owners", "implemented",
                                           "valid evidence"], rows)
    return Report("soa", f"Statement of Applicability ({FRAMEWORK})", sem.as_of.isoformat(),
                  [section], {"as_of": sem.as_of.isoformat(), "controls": items})


def coverage_report(sem: Semantics) -> Report:
    """Every clause of 4-10: what addresses, implements and evidences it; covered or not.

    A leaf clause is covered when anything covers it; a parent clause when all its leaves are.
    """
    clauses = [i for i in catalogue() if i.kind == "clause"]
    covered: dict[str, bool] = {}
    entries: dict[str, dict[str, Any]] = {}
    for item in reversed(clauses):  # children before parents
        key = ("Requirement", item.node_id)
        found = coverage(sem, key)
        children = sem.children(key)
        leaf = not children
        is_covered = any(found.values()) if leaf else all(covered[c[1]] for c in children)
        covered[item.node_id] = is_covered
        entries[item.ref] = {
            "clause": item.ref, "title": item.title, "leaf": leaf, "covered": is_covered,
            **{name: [sem.ref(k) for k in keys] for name, keys in found.items()},
        }
    ordered = [entries[i.ref] for i in clauses]
    rows = [[e["clause"], e["title"], "yes" if e["covered"] else "no",
             "; ".join(p["id"] for p in e["policies"]), "; ".join(c["id"] for c in e["controls"]),
             "; ".join(v["id"] for v in e["evidence"])] for e in ordered]
    section = Section("Clauses 4-10", ["clause", "title", "covered", "policies", "controls",
                                       "valid evidence"], rows)
    leaves = [e for e in ordered if e["leaf"]]
    summary = {"leaf_clauses": len(leaves), "covered": sum(e["covered"] for e in leaves)}
    return Report("coverage", f"Clause coverage ({FRAMEWORK})", sem.as_of.isoformat(),
                  [section], {"as_of": sem.as_of.isoformat(), "summary": summary,
                              "clauses": ordered})


def gaps_report(report: GapReport) -> Report:
    """Counts per check, then every finding: what a management review needs."""
    counts = Section("Summary", ["check", "title", "severity", "findings"],
                     [[r.check.id, r.check.title, r.check.severity, len(r.findings)]
                      for r in report.results])
    sections = [counts]
    for result in report.results:
        if result.findings:
            sections.append(Section(
                f"{result.check.title} ({result.check.id})",
                ["subject", "name", "severity", "reason"],
                [[f"{f.subject['type']} {f.subject['id']}", f.subject["name"], f.severity,
                  f.reason] for f in result.findings]))
    return Report("gaps", "AI management system gap report", report.as_of.isoformat(),
                  sections, report.to_json())


def build_report(kind: str, sem: Semantics, gap_report: GapReport | None = None) -> Report:
    """The report ``kind`` (``gaps`` and ``leadership`` need the gap run)."""
    if kind == "soa":
        return soa_report(sem)
    if kind == "coverage":
        return coverage_report(sem)
    if kind == "audit-programme":
        return audit_programme_report(sem)
    if kind == "gaps" and gap_report is not None:
        return gaps_report(gap_report)
    if kind == "leadership" and gap_report is not None:
        from graph.leadership import leadership_report  # it needs the traces

        return leadership_report(sem, gap_report)
    raise NotFoundError(f"unknown report '{kind}'; known reports: {', '.join(REPORT_KINDS)}")
