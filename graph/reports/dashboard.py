"""The dashboard: what a person would rather see than read, in five charts' worth of data.

- the findings over the recorded runs, by severity (the management review's trend);
- the coverage of every ISO/IEC 42001 clause and Annex A control, for a heat map;
- each other framework's coverage, when crosswalks to it are loaded;
- the AI systems by risk tier with their open findings;
- each executive's load: the items they answer for and the findings on them.

Each entry carries the link a chart opens (the gap page, a system's page, a trace), relative
to the server's root, so the same data draws the served dashboard and the file one.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import quote

from aimsgraph.graph.questions.checks import SEVERITIES, GapReport
from aimsgraph.graph.questions.crosswalk import iso_level
from aimsgraph.graph.questions.frameworks import requirements_of
from aimsgraph.graph.questions.history import resolve_point
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.reports.crosswalk import framework_coverage_report
from aimsgraph.graph.reports.leadership import leadership_report
from aimsgraph.graph.reports.model import Report, Section
from aimsgraph.graph.reports.oscal import mapped_frameworks
from aimsgraph.graph.reports.review import TREND_RUNS, findings_trend
from aimsgraph.graph.store.interface import GraphStore
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.ontology import FRAMEWORK
from aimsgraph.ontology.values import natural_key

__all__ = ["TIERS", "dashboard_report"]

#: Risk tiers, most severe first (an AI system with no tier is counted as "unset").
TIERS = ("unacceptable", "high", "limited", "minimal", "unset")


def dashboard_report(store: GraphStore, sem: Semantics, gaps: GapReport) -> Report:
    """The dashboard's data on the date, as a report (its sections are the charts' tables)."""
    recent = store.runs(TREND_RUNS)  # the trend's runs: the most recent ones
    point = resolve_point(store, recent[-1].run_id if recent else "1970-01-01", empty=True)
    _, labels, series = findings_trend(store, point, sem.params, gaps, sem.as_of,
                                       by_severity=True)
    trend = {"labels": labels, "series": series, "link": "visualise/gaps"}
    heat = _heat(sem)
    frameworks = [_framework(sem, f) for f in mapped_frameworks(sem) if f != FRAMEWORK]
    systems = _systems(sem, gaps)
    executives = [{"id": leader["id"], "name": leader["name"], "items": len(leader["items"]),
                   **{s: leader["findings_by_severity"].get(s, 0) for s in SEVERITIES},
                   "link": _node_page("Person", leader["id"])}
                  for leader in leadership_report(sem, gaps).data["leaders"]]
    data = {"as_of": sem.as_of.isoformat(), "trend": trend, "coverage": heat,
            "frameworks": frameworks, "systems": systems, "executives": executives}
    sections = [
        Section("Findings run by run", ["run", *series], [
            [label, *(values[i] for values in series.values())]
            for i, label in enumerate(labels)]),
        Section("ISO/IEC 42001 coverage", ["requirement", "title", "level"],
                [[c["id"], c["title"], c["level"]] for group in heat for c in group["cells"]]),
        Section("Other frameworks", ["framework", "covered", "partial", "none", "unmapped"],
                [[f["id"], f["covered"], f["partial"], f["none"], f["unmapped"]]
                 for f in frameworks]),
        Section("AI systems by tier", ["tier", "system", "name", *SEVERITIES],
                [[s["tier"], s["id"], s["name"], *(s[v] for v in SEVERITIES)]
                 for s in systems]),
        Section("Executives", ["executive", "name", "items", *SEVERITIES],
                [[e["id"], e["name"], e["items"], *(e[v] for v in SEVERITIES)]
                 for e in executives]),
    ]
    return Report("dashboard", "aimsgraph dashboard", sem.as_of.isoformat(), sections, data)


def _node_page(label: str, node_id: str) -> str:
    """The address of a node's page, relative to the server's root."""
    return f"visualise/node/{quote(f'{label}:{node_id}', safe=':')}"


def _heat(sem: Semantics) -> list[dict[str, Any]]:
    """The coverage level of each assessable ISO/IEC 42001 requirement, grouped by its
    clause (4 to 10) or Annex A objective (A.2 to A.10), in the standard's order."""
    by_framework, leaves = requirements_of(sem)
    memo: dict[NodeKey, str] = {}
    groups: dict[str, list[dict[str, Any]]] = {}
    for key in sorted(by_framework.get(FRAMEWORK, []), key=lambda k: natural_key(k[1])):
        if key not in leaves:
            continue
        ref = str(sem.prop(key, "ref") or key[1].partition(":")[2])
        group = ".".join(ref.split(".")[:2]) if ref.startswith("A.") else ref.split(".")[0]
        groups.setdefault(group, []).append({
            "id": key[1], "ref": ref, "title": sem.name(key), "level": iso_level(sem, key, memo),
            "link": _node_page("Requirement", key[1])})
    return [{"group": g, "cells": cells} for g, cells in groups.items()]


def _framework(sem: Semantics, framework: str) -> dict[str, Any]:
    summary = framework_coverage_report(sem, framework).data["summary"]
    return {"id": framework, **{k: summary.get(k, 0) for k in ("covered", "partial", "none",
                                                             "unmapped")},
            "link": f"reports/coverage?framework={framework}&format=html"}


def _systems(sem: Semantics, gaps: GapReport) -> list[dict[str, Any]]:
    """Each non-retired AI system with its tier and the findings on it, by severity."""
    found: dict[str, Counter[str]] = {}
    for result in gaps.results:
        for item in result.findings:
            if item.subject["type"] == "AISystem":
                found.setdefault(item.subject["id"], Counter())[item.severity] += 1
    systems = []
    for key in sem.view.nodes("AISystem"):
        if not sem.in_scope_system(key):
            continue
        tier = str(sem.prop(key, "risk_tier") or "unset")
        counts = found.get(key[1], Counter())
        systems.append({"id": key[1], "name": sem.name(key),
                        "tier": tier if tier in TIERS else "unset",
                        **{s: counts.get(s, 0) for s in SEVERITIES},
                        "link": f"visualise/system/{key[1]}"})
    return sorted(systems, key=lambda s: (TIERS.index(s["tier"]),
                                          -sum(s[v] for v in SEVERITIES),
                                          natural_key(s["id"])))
