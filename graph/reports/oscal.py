"""OSCAL documents (JSON, OSCAL 1.1): a framework's requirements as a ``catalog``, and the gap
findings with the frameworks' coverage as ``assessment-results``, for the tools of the OSCAL
ecosystem (GRC platforms, compliance-trestle) to take aimsgraph's results.

How aimsgraph's terms land in OSCAL's:

- A requirement is a control whose id is an OSCAL token made from its qualified id
  (``ISO42001:5.2`` -> ``iso42001-5.2``, ``NIST_AI_RMF:GOVERN 1.1`` ->
  ``nist_ai_rmf-GOVERN-1.1``); the id as aimsgraph writes it is its ``label`` property, its
  kind its ``class``. A requirement with no parent that has sub-items is a group; the
  sub-items nest as controls. The framework's licence is the catalog's remarks.
- The gap findings are one result: each finding an OSCAL finding whose target is the check
  (objective ``ai-system-without-accountable-owner``, not satisfied), with the check, the
  severity and the subject as properties and the reason as its description.
- Each framework's coverage is a result: each assessable requirement a finding targeting its
  control, satisfied when covered, its level a property (ISO/IEC 42001 by the clause
  coverage levels; another framework through its mappings).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from aimsgraph.graph.questions.checks import GapReport
from aimsgraph.graph.questions.crosswalk import iso_level
from aimsgraph.graph.questions.frameworks import framework_list, requirements_of
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.reports.crosswalk import framework_coverage_report, resolve_framework
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.ontology import FRAMEWORK
from aimsgraph.ontology.values import natural_key

__all__ = ["OSCAL_VERSION", "assessment_results", "catalog", "mapped_frameworks", "oscal_id"]

#: The OSCAL version the documents follow.
OSCAL_VERSION = "1.1.2"
#: The namespace of aimsgraph's own properties.
NS = "urn:aimsgraph:oscal"
_NOT_TOKEN = re.compile(r"[^A-Za-z0-9._-]+")


def oscal_id(requirement_id: str) -> str:
    """An OSCAL token for a requirement id: framework in lower case, reference with any
    character a token cannot hold as ``-``."""
    framework, _, ref = requirement_id.partition(":")
    return f"{framework.lower()}-{_NOT_TOKEN.sub('-', ref).strip('-') or 'item'}"


def _metadata(title: str, version: str, remarks: str | None = None) -> dict[str, Any]:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return {"title": title, "last-modified": now.isoformat(), "version": version,
            "oscal-version": OSCAL_VERSION, **({"remarks": remarks} if remarks else {})}


def _prop(name: str, value: Any, ns: str | None = NS) -> dict[str, Any]:
    text = " ".join(str(value).split()) or "-"
    return {"name": name, "value": text, **({"ns": ns} if ns else {})}


# -- catalog -------------------------------------------------------------------------------
def catalog(sem: Semantics, framework: str | None = None) -> dict[str, Any]:
    """The requirements of ``framework`` (ISO/IEC 42001 when None) as an OSCAL catalog."""
    by_framework, _ = requirements_of(sem)
    chosen = resolve_framework(sorted(by_framework), framework or FRAMEWORK)
    listed = next(f for f in framework_list(sem) if f["id"] == chosen)
    keys = sorted(by_framework[chosen], key=lambda k: natural_key(k[1]))
    inside = set(keys)
    roots = [k for k in keys if not any(p in inside for p, _ in sem.view.out(k, "PART_OF"))]
    groups = [_group(sem, root) for root in roots if sem.children(root)]
    controls = [_control(sem, root) for root in roots if not sem.children(root)]
    licence = listed.get("licence")
    body: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "metadata": _metadata(f"{listed['name']} ({chosen})", sem.as_of.isoformat(),
                              f"Licence: {licence}" if licence else None),
    }
    if groups:
        body["groups"] = groups
    if controls:
        body["controls"] = controls
    return {"catalog": body}


def _title(sem: Semantics, key: NodeKey) -> str:
    return " ".join(str(sem.prop(key, "title") or sem.prop(key, "ref") or key[1]).split())


def _props(sem: Semantics, key: NodeKey) -> list[dict[str, Any]]:
    return [_prop("label", key[1], None), _prop("framework", key[1].partition(":")[0])]


def _group(sem: Semantics, key: NodeKey) -> dict[str, Any]:
    kind = sem.prop(key, "kind")
    return {"id": oscal_id(key[1]), **({"class": str(kind)} if kind else {}),
            "title": _title(sem, key), "props": _props(sem, key),
            "controls": [_control(sem, child) for child in _children(sem, key)]}


def _control(sem: Semantics, key: NodeKey) -> dict[str, Any]:
    kind = sem.prop(key, "kind")
    found: dict[str, Any] = {"id": oscal_id(key[1]), **({"class": str(kind)} if kind else {}),
                             "title": _title(sem, key), "props": _props(sem, key)}
    description = sem.prop(key, "description")
    if description and str(description).strip():
        found["parts"] = [{"id": f"{found['id']}_smt", "name": "statement",
                           "prose": str(description).strip()}]
    children = _children(sem, key)
    if children:
        found["controls"] = [_control(sem, child) for child in children]
    return found


def _children(sem: Semantics, key: NodeKey) -> list[NodeKey]:
    return sorted(sem.children(key), key=lambda k: natural_key(k[1]))


# -- assessment results --------------------------------------------------------------------
def assessment_results(sem: Semantics, report: GapReport,
                       frameworks: list[str] | None = None) -> dict[str, Any]:
    """The gap findings and the coverage of ``frameworks`` (None: ISO/IEC 42001 and every
    framework with a full or partial mapping to it) as OSCAL assessment results."""
    start = dt.datetime.combine(sem.as_of, dt.time(), dt.UTC).isoformat()
    results = [_gap_result(report, start)]
    known = sorted(requirements_of(sem)[0])
    chosen = ([resolve_framework(known, f) for f in frameworks] if frameworks is not None
              else mapped_frameworks(sem))
    for framework in chosen:
        results.append(_coverage_result(sem, framework, start))
    return {"assessment-results": {
        "uuid": str(uuid.uuid4()),
        "metadata": _metadata(f"aimsgraph assessment results as of {sem.as_of.isoformat()}",
                              sem.as_of.isoformat()),
        "import-ap": {"href": "urn:aimsgraph:assessment-plan",
                      "remarks": "The gap checks and coverage levels of aimsgraph "
                                 "(docs/checks.md, docs/frameworks.md) are the plan."},
        "results": results,
    }}


def _result(title: str, description: str, start: str,
            findings: list[dict[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {
        "uuid": str(uuid.uuid4()), "title": title, "description": description,
        "start": start, "reviewed-controls": {"control-selections": [{"include-all": {}}]}}
    if findings:
        found["findings"] = findings
    return found


def _gap_result(report: GapReport, start: str) -> dict[str, Any]:
    findings = []
    for result in report.results:
        for item in result.findings:
            subject = item.subject
            findings.append({
                "uuid": str(uuid.uuid4()),
                "title": f"{result.check.title}: {subject['type']} {subject['id']}",
                "description": item.reason,
                "props": [_prop("check", result.check.id), _prop("severity", item.severity),
                          _prop("subject-type", subject["type"]),
                          _prop("subject-id", subject["id"])],
                "target": {"type": "objective-id", "target-id": result.check.id,
                           "status": {"state": "not-satisfied"}},
            })
    count = len(findings)
    return _result(f"Gap analysis as of {report.as_of.isoformat()}",
                   f"{count} finding{'s' if count != 1 else ''} of "
                   f"{len(report.results)} gap checks.", start, findings)


def mapped_frameworks(sem: Semantics) -> list[str]:
    """ISO/IEC 42001, then each framework with a full or partial mapping to it."""
    mapped: set[str] = set()
    for key in sem.view.nodes("Requirement"):
        ends = [*sem.view.out(key, "MAPS_TO"), *sem.view.into(key, "MAPS_TO")]
        if key[1].startswith(f"{FRAMEWORK}:"):
            mapped.update(other[1].partition(":")[0] for other, rel in ends
                          if rel.get("predicate") != "skos:relatedMatch")
    mapped.discard(FRAMEWORK)
    return [FRAMEWORK, *sorted(mapped)]


def _coverage_result(sem: Semantics, framework: str, start: str) -> dict[str, Any]:
    levels: list[tuple[str, str, str]] = []  # (id, title, level)
    if framework == FRAMEWORK:
        by_framework, leaves = requirements_of(sem)
        memo: dict[NodeKey, str] = {}
        for key in sorted(by_framework.get(FRAMEWORK, []), key=lambda k: natural_key(k[1])):
            if key in leaves:
                levels.append((key[1], _title(sem, key), iso_level(sem, key, memo)))
        title = "ISO/IEC 42001 coverage"
    else:
        data = framework_coverage_report(sem, framework).data
        framework = data["framework"]
        levels = [(r["id"], r["name"], r["level"]) for r in data["requirements"]
                  if r["assessable"]]
        title = f"{framework} coverage through ISO/IEC 42001"
    findings = [{
        "uuid": str(uuid.uuid4()), "title": f"{requirement}: {name}",
        "description": f"{requirement} is {level} on {sem.as_of.isoformat()}.",
        "props": [_prop("coverage", level), _prop("label", requirement, None)],
        "target": {"type": "statement-id", "target-id": f"{oscal_id(requirement)}_smt",
                   "status": {"state": "satisfied" if level == "covered"
                              else "not-satisfied"}},
    } for requirement, name, level in levels]
    counts = {lv: sum(1 for *_, x in levels if x == lv)
              for lv in ("covered", "partial", "none", "unmapped")}
    summary = ", ".join(f"{n} {lv}" for lv, n in counts.items() if n)
    return _result(f"{title} as of {sem.as_of.isoformat()}",
                   f"{len(levels)} assessable requirements: {summary or 'none'}.", start,
                   findings)
