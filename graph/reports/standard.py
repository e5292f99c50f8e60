"""Audit reports: Statement of Applicability, clause coverage, the gap summary and the
internal audit programme.

Each report is data: a title, the as-of date, and sections of rows under named columns, plus a
JSON form with the full structure. :mod:`api.render` turns a report into CSV, Markdown or HTML.
"""

from __future__ import annotations

from typing import Any

from aimsgraph.graph.questions.checks import GapReport
from aimsgraph.graph.questions.checks.clause_coverage import coverage
from aimsgraph.graph.questions.kinds import REPORT_KINDS
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.reports.audit_programme import audit_programme_report
from aimsgraph.graph.reports.leadership import leadership_report
from aimsgraph.graph.reports.model import Report, Section
from aimsgraph.graph.store.records import NodeKey, natural_order
from aimsgraph.ontology import FRAMEWORK, NotFoundError, catalogue

__all__ = ["REPORT_KINDS", "Report", "Section", "audit_programme_report", "coverage_report",
           "gaps_report", "soa_report"]



def _evidence(sem: Semantics, item: NodeKey) -> list[dict[str, Any]]:
    """All evidence supporting ``item``, each with its validity on the as-of date and source."""
    found = []
    for evidence in natural_order(e for e, _ in sem.view.into(item, "SUPPORTS")):
        problem = sem.evidence_problem(evidence)
        until = sem.prop(evidence, "valid_until")
        found.append({**sem.ref(evidence), "valid": problem is None, "problem": problem,
                      "valid_until": until.isoformat() if until else None,
                      "source": sem.prop(evidence, "source")})
    return found


def _validity(evidence: dict[str, Any]) -> str:
    if evidence["valid"]:
        until = evidence["valid_until"]
        return "valid" + (f" until {until}" if until else "")
    return str(evidence["problem"]).removeprefix(f"{evidence['id']} ")


def soa_report(sem: Semantics) -> Report:
    """Every Annex A control with its decision, implementing controls, owners and evidence
    (valid or not, and why), and the source rows the decision and controls came from."""
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
        for control in natural_order(c for c, _ in sem.view.into(key, "IMPLEMENTS")):
            evidence = _evidence(sem, control)
            controls.append({
                **sem.ref(control), "status": sem.prop(control, "status"),
                "owners": [sem.ref(r) for r in sem.owner_roles(control)],
                "valid_evidence": [{k: e[k] for k in ("type", "id", "name")}
                                   for e in evidence if e["valid"]],
                "evidence": evidence, "source": sem.prop(control, "source"),
            })
        implemented = [c for c in controls if c["status"] in ("implemented", "operating")]
        evidenced = any(c["valid_evidence"] for c in implemented)
        decision_source = sem.prop(key, "source") if applicable is not None else None
        entry = {
            "requirement": item.ref, "title": item.title, "objective": item.parent,
            "applicable": applicable is not False,
            "decision": "default" if applicable is None else "explicit",
            "justification": sem.prop(key, "justification") or "",
            "decision_source": decision_source,
            "controls": controls, "implemented": bool(implemented), "evidenced": evidenced,
        }
        items.append(entry)
        sources = [f"decision: {decision_source}"] if decision_source else []
        sources += [f"{c['id']}: {c['source']}" for c in controls if c["source"]]
        rows.append([
            item.ref, item.title,
            ("yes" if entry["applicable"] else "no") + (" (no decision)" if applicable is None
                                                        else ""),
            entry["justification"],
            "; ".join(f"{c['id']} ({c['status'] or '-'})" for c in controls),
            "; ".join(sorted({o["id"] for c in controls for o in c["owners"]})),
            "yes" if entry["implemented"] else "no",
            "; ".join(f"{e['id']} ({_validity(e)})" for c in controls for e in c["evidence"]),
            "yes" if evidenced else "no",
            "; ".join(sources),
        ])
    section = Section("Annex A controls", ["control", "title", "applicable", "justification",
                                           "implemented by", "owners", "implemented",
                                           "evidence", "valid evidence", "sources"], rows)
    return Report("soa", f"Statement of Applicability ({FRAMEWORK})", sem.as_of.isoformat(),
                  [section], {"as_of": sem.as_of.isoformat(), "controls": items})


#: Coverage levels, best first (README.md, "Reports").
COVERAGE_LEVELS = ("covered", "partial", "none")


def coverage_level(sem: Semantics, found: dict[str, list[NodeKey]]) -> str:
    """``covered`` when an approved policy addresses the clause, an implemented control
    implements it or valid evidence supports it; ``partial`` when only draft (non-approved)
    policies or planned (non-implemented) controls do; ``none`` when nothing does, which is
    exactly when ``clause-without-coverage`` reports the clause."""
    if (found["evidence"] or any(sem.prop(p, "status") == "approved" for p in found["policies"])
            or any(sem.implemented(c) for c in found["controls"])):
        return "covered"
    return "partial" if any(found.values()) else "none"


def _parent_level(levels: list[str]) -> str:
    """A parent clause: covered when all its leaves are, none when none of them is covered
    at all, partial otherwise."""
    if all(level == "covered" for level in levels):
        return "covered"
    return "none" if all(level == "none" for level in levels) else "partial"


def coverage_report(sem: Semantics) -> Report:
    """Every clause of 4-10: what addresses, implements and evidences it, at which level."""
    clauses = [i for i in catalogue() if i.kind == "clause"]
    levels: dict[str, str] = {}
    entries: dict[str, dict[str, Any]] = {}
    for item in reversed(clauses):  # children before parents
        key = ("Requirement", item.node_id)
        found = coverage(sem, key)
        children = sem.children(key)
        leaf = not children
        level = (coverage_level(sem, found) if leaf
                 else _parent_level([levels[c[1]] for c in children]))
        levels[item.node_id] = level
        entries[item.ref] = {
            "clause": item.ref, "title": item.title, "leaf": leaf, "level": level,
            "covered": level == "covered",
            **{name: [{**sem.ref(k), "status": sem.prop(k, "status")} for k in keys]
               for name, keys in found.items()},
        }
    ordered = [entries[i.ref] for i in clauses]

    def listed(found: list[dict[str, Any]]) -> str:
        return "; ".join(f["id"] + (f" ({f['status']})" if f["status"] else "") for f in found)
    rows = [[e["clause"], e["title"], e["level"], listed(e["policies"]), listed(e["controls"]),
             "; ".join(v["id"] for v in e["evidence"])] for e in ordered]
    section = Section("Clauses 4-10", ["clause", "title", "coverage", "policies", "controls",
                                       "valid evidence"], rows)
    leaves = [e for e in ordered if e["leaf"]]
    summary = {"leaf_clauses": len(leaves),
               **{level: sum(e["level"] == level for e in leaves) for level in COVERAGE_LEVELS}}
    return Report("coverage", f"Clause coverage ({FRAMEWORK})", sem.as_of.isoformat(),
                  [section], {"as_of": sem.as_of.isoformat(), "summary": summary,
                              "clauses": ordered})


def gaps_report(report: GapReport) -> Report:
    """Counts per check, then every finding: what a management review needs."""
    counts = Section("Findings per check", ["check", "title", "severity", "findings"],
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
        return leadership_report(sem, gap_report)
    raise NotFoundError(f"unknown report '{kind}'; known reports: {', '.join(REPORT_KINDS)}")
