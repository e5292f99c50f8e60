"""The requirement trace: a clause or Annex A control with the requirements below it, what
implements or addresses them, their evidence and their owners."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aimsgraph.graph.questions.cypher_terms import CURRENT, EVIDENCE_PROBLEM, REF
from aimsgraph.graph.questions.results import RequirementTraceModel
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.questions.traces.base import CypherRows, Trace, rows_about
from aimsgraph.graph.questions.traces.shapes import Collector, Refs
from aimsgraph.graph.store.records import NodeKey

__all__ = ["TRACE"]


def _descendants(sem: Semantics, root: NodeKey) -> list[NodeKey]:
    found, stack = [], [root]
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.append(current)
        stack.extend(sem.children(current))
    return found


def requirement_trace(sem: Semantics, requirement: NodeKey, _end: NodeKey | None = None
                      ) -> dict[str, Any]:
    c = Collector(sem)
    for current in _descendants(sem, requirement):
        c.node(current, applicable=sem.prop(current, "applicable"))
        for child in sem.children(current):
            c.rel("PART_OF", child, current)
        c.evidence(current)
        for rel_type in ("IMPLEMENTS", "ADDRESSES"):
            for item, _ in sem.view.into(current, rel_type):
                c.node(item, status=sem.prop(item, "status"))
                c.rel(rel_type, item, current)
                c.evidence(item)
                for role in sem.owner_roles(item):
                    c.rel("OWNS", role, item)
                    for holder in sem.holders(role):
                        c.rel("HOLDS", holder, role)
    return c.to_json(requirement)


REQUIREMENT_TRACE = f"""MATCH (root:Requirement {{id: $id}})
MATCH (q:Requirement)-[:PART_OF*0..]->(root)
WITH root, collect(DISTINCT q) AS tree
UNWIND tree AS q
CALL (q) {{
  MATCH (c:Requirement)-[:PART_OF]->(q) RETURN 'PART_OF' AS type, c AS a, q AS b
  UNION
  MATCH (e:Evidence)-[:SUPPORTS]->(q) RETURN 'SUPPORTS' AS type, e AS a, q AS b
  UNION
  MATCH (i)-[r:IMPLEMENTS|ADDRESSES]->(q) RETURN type(r) AS type, i AS a, q AS b
  UNION
  MATCH (e:Evidence)-[:SUPPORTS]->(i)-[:IMPLEMENTS|ADDRESSES]->(q)
  RETURN 'SUPPORTS' AS type, e AS a, i AS b
  UNION
  MATCH (o:Role)-[:OWNS]->(i)-[:IMPLEMENTS|ADDRESSES]->(q)
  RETURN 'OWNS' AS type, o AS a, i AS b
  UNION
  MATCH (p:Person)-[h:HOLDS]->(o:Role)-[:OWNS]->(i)-[:IMPLEMENTS|ADDRESSES]->(q)
  WHERE {CURRENT('h', 'p')}
  RETURN 'HOLDS' AS type, p AS a, o AS b
}}
RETURN {REF('root', 'Requirement')} AS subject, {REF('q', 'Requirement')} AS requirement,
       q.applicable AS applicable, type, {REF('a')} AS a, {REF('b')} AS b,
       a.status AS a_status, {EVIDENCE_PROBLEM('a')} AS a_problem
UNION
MATCH (root:Requirement {{id: $id}})
MATCH (q:Requirement)-[:PART_OF*0..]->(root)
RETURN {REF('root', 'Requirement')} AS subject, {REF('q', 'Requirement')} AS requirement,
       q.applicable AS applicable, null AS type, null AS a, null AS b, null AS a_status,
       null AS a_problem"""


def requirement_trace_cypher(query: CypherRows, requirement: NodeKey, _end: NodeKey | None,
                             as_of: dt.date) -> dict[str, Any]:
    """The requirement trace (its tree, controls, policies, evidence, owners) via Cypher."""
    rows = rows_about(query, REQUIREMENT_TRACE, requirement, as_of)
    refs = Refs()
    for row in rows:
        refs.node(row["requirement"], applicable=row["applicable"])
    for row in rows:
        if row["type"] is None:
            continue
        if row["type"] in ("IMPLEMENTS", "ADDRESSES"):
            refs.node(row["a"], status=row["a_status"])
        if row["type"] == "SUPPORTS":
            problem = row["a_problem"]
            refs.node(row["a"], valid=problem is None, **({"problem": problem} if problem
                                                          else {}))
        refs.rel(row["type"], row["a"], row["b"])
    return refs.to_json(rows[0]["subject"], as_of)


TRACE = Trace("requirement", "Requirement",
              "A requirement with what implements it, its evidence and owners (another "
              "framework's: through its mappings, to the executives)",
              requirement_trace, requirement_trace_cypher, RequirementTraceModel)
