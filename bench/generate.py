"""A synthetic enterprise bundle of any size, for benchmarks.

``systems`` AI systems give about ten nodes and thirty relationships each: people, roles in a
reporting tree, risks, controls implementing Annex A, evidence, impact assessments, trainings,
and the suppliers, datasets and incidents around them. Deterministic for a given size and seed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aimsgraph.ontology import catalogue

ANNEX = [i.ref for i in catalogue() if i.kind == "annex_a_control"]
CLAUSES = [i.ref for i in catalogue() if i.kind == "clause"]


def _writer(folder: Path, name: str, header: list[str]):  # type: ignore[no-untyped-def]
    handle = (folder / name).open("w", newline="", encoding="utf-8")
    writer = csv.writer(handle)
    writer.writerow(header)
    return handle, writer


def generate(folder: Path, systems: int, seed: int = 7) -> Path:
    """Write the bundle into ``folder`` and return it."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    day = dt.date(2026, 6, 15)
    people, roles = systems * 2, systems
    files = {}

    def date(spread: int = 700) -> str:
        return (day + dt.timedelta(days=rng.randint(-spread, spread // 2))).isoformat()

    def later(start: str) -> str:
        return (dt.date.fromisoformat(start) + dt.timedelta(days=rng.randint(30, 900))).isoformat()

    handle, w = _writer(folder, "people.csv", ["id", "name", "seniority", "active"])
    files["people"] = handle
    for i in range(people):
        seniority = "executive" if i % 200 == 0 else ("manager" if i % 10 == 0 else "staff")
        w.writerow([f"P{i}", f"Person {i}", seniority, "true"])
    handle, w = _writer(folder, "roles.csv", ["id", "name", "reports_to"])
    files["roles"] = handle
    for i in range(roles):
        w.writerow([f"R{i}", f"Role {i}", f"R{(i - 1) // 8}" if i else ""])
    handle, w = _writer(folder, "role_assignments.csv", ["person", "role", "since"])
    files["role_assignments"] = handle
    for i in range(roles):
        w.writerow([f"P{(i * 200) % people if i % 50 == 0 else i * 2 + 1}", f"R{i}", date()])
    handle, w = _writer(folder, "ai_systems.csv", ["id", "name", "lifecycle", "risk_tier",
                                                   "owner_role"])
    files["ai_systems"] = handle
    for i in range(systems):
        w.writerow([f"S{i}", f"System {i}", rng.choice(["design", "development", "deployed",
                                                         "deployed"]),
                    rng.choice(["minimal", "limited", "high"]), f"R{rng.randrange(roles)}"])
    handle, w = _writer(folder, "risks.csv", ["id", "title", "systems", "owner_role",
                                              "likelihood", "impact", "status"])
    files["risks"] = handle
    for i in range(systems):
        w.writerow([f"K{i}", f"Risk {i}", f"S{i}", f"R{rng.randrange(roles)}",
                    rng.randint(1, 5), rng.randint(1, 5), rng.choice(["open", "treated"])])
    handle, w = _writer(folder, "controls.csv", ["id", "name", "status", "owner_role",
                                                 "implements", "mitigates", "applies_to"])
    files["controls"] = handle
    for i in range(systems):
        w.writerow([f"C{i}", f"Control {i}", rng.choice(["implemented", "operating", "planned"]),
                    f"R{rng.randrange(roles)}", rng.choice(ANNEX), f"K{i}",
                    f"S{i};S{rng.randrange(systems)}"])
    handle, w = _writer(folder, "evidence.csv", ["id", "title", "supports", "collected_on",
                                                 "valid_until", "provided_by"])
    files["evidence"] = handle
    for i in range(systems * 2):
        target = f"Control:C{i // 2}" if i % 10 else rng.choice(CLAUSES)
        collected = date()
        w.writerow([f"E{i}", f"Evidence {i}", target, collected, later(collected),
                    f"P{rng.randrange(people)}"])
    handle, w = _writer(folder, "impact_assessments.csv", ["id", "system", "completed_on",
                                                           "review_due", "approved_by"])
    files["impact_assessments"] = handle
    for i in range(systems // 2):
        completed = date()
        w.writerow([f"IA{i}", f"S{i * 2}", completed, later(completed), "P0"])
    handle, w = _writer(folder, "trainings.csv", ["id", "name", "validity_months",
                                                  "required_for"])
    files["trainings"] = handle
    w.writerow(["T0", "Responsible AI", 12, ";".join(f"R{i}" for i in range(0, roles, 97))])
    handle, w = _writer(folder, "training_records.csv", ["person", "training", "completed_on"])
    files["training_records"] = handle
    for i in range(0, people, 3):
        w.writerow([f"P{i}", "T0", date()])
    _dependencies(folder, files, rng, systems, date, later)
    for handle in files.values():
        handle.close()
    return folder


def _dependencies(folder: Path, files: dict[str, Any], rng: random.Random, systems: int,
                  date: Callable[[], str], later: Callable[[str], str]) -> None:
    """Suppliers (one per 20 systems), datasets (one per 5) and incidents (one per 10), in
    the proportions of the sample organisation: each supplier serves a few systems directly
    and supplies a few datasets, each dataset feeds one or two systems."""
    roles, suppliers, datasets = systems, max(1, systems // 20), max(1, systems // 5)
    handle, w = _writer(folder, "suppliers.csv", ["id", "name", "owner_role", "assessed_on",
                                                  "reassess_due", "systems"])
    files["suppliers"] = handle
    for i in range(suppliers):
        assessed = date()
        w.writerow([f"SUP{i}", f"Supplier {i}", f"R{rng.randrange(roles)}" if i % 7 else "",
                    assessed, later(assessed) if i % 3 else "",
                    ";".join(f"S{rng.randrange(systems)}" for _ in range(3))])
    handle, w = _writer(folder, "datasets.csv", ["id", "name", "owner_role", "supplier",
                                                 "used_by", "provenance_uri",
                                                 "quality_checked_on"])
    files["datasets"] = handle
    for i in range(datasets):
        w.writerow([f"DS{i}", f"Dataset {i}", f"R{rng.randrange(roles)}" if i % 5 else "",
                    f"SUP{rng.randrange(suppliers)}" if i % 2 else "",
                    ";".join(f"S{rng.randrange(systems)}" for _ in range(rng.randint(1, 2))),
                    f"lineage://ds/{i}" if i % 3 else "", date() if i % 4 else ""])
    handle, w = _writer(folder, "incidents.csv", ["id", "title", "severity", "systems",
                                                  "owner_role", "occurred_on", "detected_on",
                                                  "reported_on", "realises"])
    files["incidents"] = handle
    for i in range(max(1, systems // 10)):
        occurred = date()
        system = rng.randrange(systems)
        reported = (dt.date.fromisoformat(occurred)
                    + dt.timedelta(days=rng.randint(2, 30))).isoformat()
        w.writerow([f"I{i}", f"Incident {i}", rng.choice(["serious", "major", "minor"]),
                    f"S{system}", f"R{rng.randrange(roles)}", occurred, occurred,
                    reported if i % 3 else "", f"K{system}" if i % 2 else ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--systems", type=int, default=1000)
    args = parser.parse_args()
    generate(args.folder, args.systems)


if __name__ == "__main__":
    main()
