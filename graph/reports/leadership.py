"""The leadership accountability report: what each Leader present on the date answers for,
the findings on it, the incidents, suppliers and datasets whose chain ends at them, and what
would lose its executive if they left (clause 5).

Built on the definitions the checks and traces use (``Semantics.executives_of``, the what-if
departure of the person trace, the leadership training state of ``leader-training-lapsed``)
and on the store's own gap report, so its figures are those of ``gaps`` and ``trace
executive``.
"""

from __future__ import annotations

from typing import Any

from aimsgraph.graph.questions.checks import SEVERITIES, GapReport
from aimsgraph.graph.questions.checks.leader_training import answers_for, leadership_training_state
from aimsgraph.graph.questions.definitions import EXECUTIVE_ITEMS
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.questions.traces.person import what_if_departure
from aimsgraph.graph.reports.model import Report, Section
from aimsgraph.graph.store.records import NodeKey

__all__ = ["leadership_report"]

#: The dependencies and incidents a Leader answers for, counted beside the AI systems,
#: controls, risks and policies: each label with its key in the report.
DEPENDENCIES = (("Incident", "incidents"), ("Supplier", "suppliers"), ("Dataset", "datasets"))


def _dependencies_of(sem: Semantics) -> dict[NodeKey, dict[str, list[NodeKey]]]:
    """Each executive's incidents known on the date and relied-on suppliers and datasets
    (the owner chain of each, as for a control)."""
    found: dict[NodeKey, dict[str, list[NodeKey]]] = {}
    for label, key in DEPENDENCIES:
        for item in sem.view.nodes(label):
            if sem.known(item) if label == "Incident" else sem.relied_on(item):
                for person in sem.owner_chain(item).executives:
                    found.setdefault(person, {}).setdefault(key, []).append(item)
    return found


def _findings_by_subject(report: GapReport) -> dict[NodeKey, list[dict[str, Any]]]:
    found: dict[NodeKey, list[dict[str, Any]]] = {}
    for result in report.results:
        for item in result.findings:
            found.setdefault((item.subject["type"], item.subject["id"]), []).append(
                item.to_json())
    return found


def _leader(sem: Semantics, person: NodeKey, findings: dict[NodeKey, list[dict[str, Any]]],
            dependencies: dict[str, list[NodeKey]]) -> dict[str, Any]:
    items = sem.executives_of.get(person, [])
    on_items = [f for item in items for f in findings.get(item, [])]
    training = (leadership_training_state(sem, person) if sem.leader_trainings
                else "no leadership training exists")
    return {
        **sem.ref(person),
        "roles": [sem.ref(r) for r in sem.roles_held(person)],
        "answers_for": {label: [sem.ref(i) for i in items if i[0] == label]
                        for label in EXECUTIVE_ITEMS},
        "findings_by_severity": {s: sum(1 for f in on_items if f["severity"] == s)
                                 for s in SEVERITIES},
        "items": [{"item": sem.ref(i), "findings": findings.get(i, [])} for i in items],
        "policies_approved": [sem.ref(p) for p in sorted(
            p for p, _ in sem.view.into(person, "APPROVED_BY") if p[0] == "Policy")],
        "risks_accepted": [sem.ref(k) for k in sorted(
            k for k, _ in sem.view.into(person, "ACCEPTED_BY") if k[0] == "Risk")],
        "committees_chaired": [sem.ref(c) for c in sorted(
            c for c, _ in sem.view.out(person, "CHAIRS"))],
        "audits_led": [sem.ref(a) for a in sorted(
            a for a, _ in sem.view.into(person, "LED_BY") if a[0] == "Audit")],
        **{key: [sem.ref(i) for i in sorted(dependencies.get(key, []))]
           for _, key in DEPENDENCIES},
        "leadership_training": training or "valid",
        "would_lose_executive": [entry["item"] for entry in what_if_departure(sem, person)
                                 if "responsible executive" in entry["loses"]],
    }


def _ids(refs: list[dict[str, Any]]) -> str:
    return "; ".join(r["id"] for r in refs)


def leadership_report(sem: Semantics, gaps: GapReport) -> Report:
    """Every Leader present on the as-of date, ordered by high findings on what they answer
    for (most first), then a section per Leader."""
    findings = _findings_by_subject(gaps)
    dependencies = _dependencies_of(sem)
    leaders = [_leader(sem, p, findings, dependencies.get(p, {}))
               for p in sem.view.nodes("Leader") if sem.person_present(p)]
    leaders.sort(key=lambda e: (-e["findings_by_severity"]["high"], e["id"]))
    summary = Section("Leaders", [
        "leader", "id", "roles", "answers for", "high", "medium", "low",
        *(key for _, key in DEPENDENCIES), "policies approved",
        "risks accepted", "committees chaired", "audits led", "leadership training",
        "would lose their executive"], [
        [e["name"], e["id"], _ids(e["roles"]),
         answers_for([(i["item"]["type"], i["item"]["id"]) for i in e["items"]]) or "nothing",
         *e["findings_by_severity"].values(), *(len(e[key]) for _, key in DEPENDENCIES),
         _ids(e["policies_approved"]),
         _ids(e["risks_accepted"]), _ids(e["committees_chaired"]), _ids(e["audits_led"]),
         e["leadership_training"], _ids(e["would_lose_executive"])] for e in leaders])
    sections = [summary]
    for e in leaders:
        sections.append(Section(
            f"{e['name']} ({e['id']})", ["type", "id", "name", "severity", "check", "finding"],
            [[i["item"]["type"], i["item"]["id"], i["item"]["name"], f["severity"],
              f["check"], f["reason"]] for i in e["items"] for f in i["findings"]]
            + [[i["item"]["type"], i["item"]["id"], i["item"]["name"], "", "", "no findings"]
               for i in e["items"] if not i["findings"]]))
    return Report("leadership", "Leadership accountability", sem.as_of.isoformat(), sections,
                  {"as_of": sem.as_of.isoformat(), "leaders": leaders})
