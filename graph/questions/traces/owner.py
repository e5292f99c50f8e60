"""The owner trace: a control, risk, policy, dataset, supplier or incident (or an AI system)
up its owner roles and their reporting line to the responsible executive (the walk of
:meth:`~graph.questions.semantics.Semantics.owner_chain`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from aimsgraph.graph.questions.cypher_terms import CURRENT, NAME, OWNER_CHAIN, REF
from aimsgraph.graph.questions.results import OwnerTraceModel
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.questions.traces.base import CypherRows, Trace, rows_about
from aimsgraph.graph.questions.traces.shapes import chain_json
from aimsgraph.graph.store.records import NodeKey

__all__ = ["TRACES", "owner_trace", "owner_trace_cypher"]


def owner_trace(sem: Semantics, item: NodeKey, _end: NodeKey | None = None) -> dict[str, Any]:
    """The chain from ``item``'s owner role to its responsible executive, or the gap."""
    return chain_json(sem, item, sem.owner_chain(item))


def owner_trace_query(label: str) -> str:
    """The Cypher of the owner trace for items of ``label`` (``$id``, ``$as_of``); an AI
    system's chain starts at the role accountable for it."""
    via = "ACCOUNTABLE_FOR" if label == "AISystem" else "OWNS"
    missing = "it has no accountable role" if label == "AISystem" else "it has no owner role"
    return f"""MATCH (item:{label} {{id: $id}})
OPTIONAL MATCH (r0:Role)-[:{via}]->(item)
CALL (r0) {{
  {OWNER_CHAIN('r0')}
}}
WITH item, r0, reaches, executive, executives, gap, steps ORDER BY r0.id
WITH item, [c IN collect({{role: r0, reaches: reaches, executive: executive,
                          executives: executives, gap: gap, steps: steps}})
            WHERE c.role IS NOT NULL] AS chains
WITH item, head([c IN chains WHERE c.reaches] + chains) AS chosen
UNWIND CASE WHEN chosen IS NULL THEN [null] ELSE range(0, size(chosen.steps) - 1) END AS i
WITH item, chosen, i, chosen.steps[i] AS role
WITH item, chosen, i, role,
     CASE WHEN role IS NULL THEN null
          WHEN i = 0 THEN head([(role)-[r:{via}]->(item) | r.source])
          ELSE head([(up:Role)-[r:REPORTS_TO]->(role) WHERE up = chosen.steps[i - 1]
                     | r.source]) END AS source,
     COLLECT {{ MATCH (p:Person)-[h:HOLDS]->(role) WHERE {CURRENT('h', 'p')}
               WITH p ORDER BY p.id
               RETURN {{type: 'Person', id: p.id, name: {NAME('p', 'Person')},
                       leader: p:Leader}} }} AS holders
ORDER BY i
WITH item, chosen,
     [s IN collect(CASE WHEN role IS NULL THEN null ELSE
        {{node: {REF('role', 'Role')}, via: CASE WHEN i = 0 THEN '{via}' ELSE 'REPORTS_TO' END,
         holders: holders, source: source}} END) WHERE s IS NOT NULL] AS steps
WITH item, chosen, steps, chosen.executive AS executive
RETURN {REF('item', label)} AS subject, steps,
       CASE WHEN executive IS NULL THEN null ELSE {REF('executive', 'Person')} END AS executive,
       [p IN coalesce(chosen.executives, []) | {REF('p', 'Person')}] AS executives,
       CASE WHEN chosen IS NULL THEN '{missing}'
            WHEN executive IS NULL THEN chosen.gap ELSE null END AS gap"""


def owner_trace_cypher(query: CypherRows, item: NodeKey, _end: NodeKey | None,
                       as_of: dt.date) -> dict[str, Any]:
    """:func:`owner_trace` through a store's read-query runner."""
    row = rows_about(query, owner_trace_query(item[0]), item, as_of)[0]
    return {"subject": row["subject"], "as_of": as_of.isoformat(), "steps": row["steps"],
            "executive": row["executive"], "executives": row["executives"], "gap": row["gap"]}


TRACES = tuple(
    Trace(kind, label, f"A {kind} up to the executive who answers for it", owner_trace,
          owner_trace_cypher, OwnerTraceModel)
    for kind, label in (("control", "Control"), ("risk", "Risk"), ("policy", "Policy"),
                        ("dataset", "Dataset"), ("supplier", "Supplier"),
                        ("incident", "Incident")))
