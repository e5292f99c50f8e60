"""Every gap check's Cypher under ``PROFILE`` on a loaded Neo4j: where each spends its time.

For each check: its warm wall time (the query run once to warm the caches, then timed as the
store sends it, one record; making the findings in Python is not counted: ``bench.scale``
times the whole report), the rows it returns, the database hits of its plan, the operator with the
most hits, and whether the plan scans a whole label or runs a subquery per row (``Apply``
operators) where a set-based form might exist. Load the database first (``bench.scale`` with
``--uri`` leaves what it ingested; so does ``aimsgraph ingest``), then:

    python -m bench.profile_checks --uri bolt://127.0.0.1:7687 [--as-of 2026-06-15]

The table is printed as Markdown, to paste into ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

import neo4j

from aimsgraph.graph.questions.checks import CHECKS, FINDING_COLUMNS, cypher_parameters
from aimsgraph.graph.questions.definitions import CheckParams
from aimsgraph.graph.store.neo4j_view import one_record

#: Plan operators that read every node of a label, or every node.
SCANS = ("NodeByLabelScan", "AllNodesScan", "UnionNodeByLabelsScan")
#: Plan operators that run their right-hand side once per row of their left-hand side.
PER_ROW = ("Apply", "SemiApply", "AntiSemiApply", "RollUpApply", "SelectOrSemiApply",
           "SelectOrAntiSemiApply", "LetSemiApply", "ConditionalApply", "AntiConditionalApply")


@dataclass(frozen=True)
class Profiled:
    check: str
    warm_s: float
    rows: int
    db_hits: int
    top: str
    scans: tuple[str, ...]
    per_row: int


def _operators(plan: Any) -> list[tuple[str, int, str]]:
    """(operator, db hits, details) for every operator of a profiled plan, depth first."""
    name = plan.get("operatorType", "?").split("@")[0]
    args = plan.get("args", {})
    out = [(name, int(plan.get("dbHits", 0)), str(args.get("Details", "")))]
    for child in plan.get("children", []):
        out.extend(_operators(child))
    return out


def profile(driver: neo4j.Driver, check_id: str, cypher: str,
            parameters: dict[str, Any]) -> Profiled:
    """One check's profile and warm time."""
    with driver.session(database="neo4j", default_access_mode=neo4j.READ_ACCESS) as session:
        sent = one_record(cypher, FINDING_COLUMNS)  # as the store runs it
        session.run(sent, parameters).consume()  # warm: plan cache and page cache
        started = time.perf_counter()
        rows = len(session.run(sent, parameters).single(strict=True)[0])
        warm = time.perf_counter() - started
        result = session.run("PROFILE " + cypher, parameters)
        list(result)  # an embedded server fills the profile only once the rows are read
        summary = result.consume()
    operators = _operators(summary.profile or {})
    heaviest = max(operators, key=lambda o: o[1])
    scans = tuple(sorted({o[2].split(":")[-1].strip() or o[0] for o in operators
                          if o[0] in SCANS}))
    return Profiled(check_id, warm, rows, sum(o[1] for o in operators),
                    f"{heaviest[0]} ({heaviest[1]:,})", scans,
                    sum(1 for o in operators if o[0] in PER_ROW))


def table(results: list[Profiled]) -> str:
    """The profiles as Markdown, slowest first, with a total."""
    lines = ["| check | warm s | rows | db hits | heaviest operator | label scans | per-row "
             "subqueries |", "|---|---|---|---|---|---|---|"]
    for p in sorted(results, key=lambda p: -p.warm_s):
        lines.append(f"| {p.check} | {p.warm_s:.2f} | {p.rows:,} | {p.db_hits:,} | {p.top} | "
                     f"{', '.join(p.scans) or '-'} | {p.per_row} |")
    lines.append(f"| **all {len(results)}** | **{sum(p.warm_s for p in results):.2f}** | "
                 f"{sum(p.rows for p in results):,} | {sum(p.db_hits for p in results):,} "
                 "| | | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uri", required=True)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date(2026, 6, 15))
    args = parser.parse_args()
    parameters = cypher_parameters(args.as_of, CheckParams())
    with neo4j.GraphDatabase.driver(args.uri, notifications_min_severity="OFF") as driver:
        results = [profile(driver, check.id, check.cypher, parameters) for check in CHECKS]
    print(table(results))


if __name__ == "__main__":
    main()
