"""The owner trace (control, risk or policy up to its responsible executive) in Cypher.

The same walk as :meth:`graph.semantics.Semantics.owner_chain`, for the Neo4j store; the
answer has the shape of :func:`graph.traces.chain_json`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from graph.gaps.cypher import CURRENT, NAME, OWNER_CHAIN, REF
from ontology import NotFoundError

__all__ = ["OWNER_TRACE_LABELS", "owner_trace_cypher", "owner_trace_query"]

OWNER_TRACE_LABELS = {"control": "Control", "risk": "Risk", "policy": "Policy"}


def owner_trace_query(label: str) -> str:
    """The Cypher of the owner trace for items of ``label`` (``$id``, ``$as_of``)."""
    return f"""MATCH (item:{label} {{id: $id}})
OPTIONAL MATCH (r0:Role)-[:OWNS]->(item)
CALL (r0) {{
  {OWNER_CHAIN('r0')}
}}
WITH item, r0, reaches, executive, gap, steps ORDER BY r0.id
WITH item, [c IN collect({{role: r0, reaches: reaches, executive: executive, gap: gap,
                          steps: steps}}) WHERE c.role IS NOT NULL] AS chains
WITH item, head([c IN chains WHERE c.reaches] + chains) AS chosen
UNWIND CASE WHEN chosen IS NULL THEN [null] ELSE range(0, size(chosen.steps) - 1) END AS i
WITH item, chosen, i, chosen.steps[i] AS role
WITH item, chosen, i, role,
     COLLECT {{ MATCH (p:Person)-[h:HOLDS]->(role) WHERE {CURRENT('h', 'p')}
               WITH p ORDER BY p.id
               RETURN {{type: 'Person', id: p.id, name: {NAME('p', 'Person')},
                       leader: p:Leader}} }} AS holders
ORDER BY i
WITH item, chosen,
     [s IN collect(CASE WHEN role IS NULL THEN null ELSE
        {{node: {REF('role', 'Role')}, via: CASE WHEN i = 0 THEN 'OWNS' ELSE 'REPORTS_TO' END,
         holders: holders}} END) WHERE s IS NOT NULL] AS steps
WITH item, chosen, steps, chosen.executive AS executive
RETURN {REF('item', label)} AS subject, steps,
       CASE WHEN executive IS NULL THEN null ELSE {REF('executive', 'Person')} END AS executive,
       CASE WHEN chosen IS NULL THEN 'it has no owner role'
            WHEN executive IS NULL THEN chosen.gap ELSE null END AS gap"""


def owner_trace_cypher(query: Callable[..., list[dict[str, Any]]], kind: str, ref: str,
                       as_of: dt.date) -> dict[str, Any]:
    """Run the owner trace of ``kind`` for ``ref`` through a store's read-query runner."""
    label = OWNER_TRACE_LABELS[kind]
    node_id = ref.removeprefix(f"{label}:")
    rows = query(owner_trace_query(label), id=node_id, as_of=as_of)
    if not rows:
        raise NotFoundError(f"no {label} with id '{node_id}'")
    row = rows[0]
    return {"subject": row["subject"], "as_of": as_of.isoformat(), "steps": row["steps"],
            "executive": row["executive"], "gap": row["gap"]}
