"""The person trace: what a person holds, owns, approved, accepted and chairs, and what would
lose its accountable owner or responsible executive if they left (what-if departure)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aimsgraph.graph.questions.cypher_terms import (
    CURRENT,
    HELD,
    IN_SCOPE,
    OWNER_CHAIN,
    PRESENT,
    REF,
)
from aimsgraph.graph.questions.definitions import EXECUTIVE_ITEMS
from aimsgraph.graph.questions.results import PersonTraceModel
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.questions.traces.base import CypherRows, Trace, rows_about
from aimsgraph.graph.questions.traces.shapes import Collector, Refs
from aimsgraph.graph.questions.what_if import items_below, losses, roles_below
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.graph.store.view import in_order

__all__ = ["TRACE", "what_if_departure"]


def what_if_departure(sem: Semantics, person: NodeKey) -> list[dict[str, Any]]:
    """What would lose its accountable owner (every current holder of every role that owns
    or answers for it gone: an AI system, control, risk or policy alike) or its responsible
    executive if ``person`` left."""
    roles = {role for role, rel in sem.view.out(person, "HOLDS")
             if sem.assignment_current(rel)}
    after = Semantics(sem.view, sem.as_of, sem.params)
    after.excluded = frozenset({person})
    return losses(sem, after, items_below(sem, roles_below(sem, roles), EXECUTIVE_ITEMS))


def person_trace(sem: Semantics, person: NodeKey, _end: NodeKey | None = None) -> dict[str, Any]:
    c = Collector(sem)
    holds = []
    for role, rel in in_order("HOLDS", sem.view.out(person, "HOLDS")):
        current = sem.assignment_current(rel) and sem.person_present(person)
        holds.append({**sem.ref(role), "current": current,
                      "since": rel.get("since"), "until": rel.get("until")})
        c.rel("HOLDS", person, role)
        if current:
            for rel_type in ("OWNS", "ACCOUNTABLE_FOR"):
                for item, _ in sem.view.out(role, rel_type):
                    c.rel(rel_type, role, item)
    incoming = {rel_type: sorted(k for k, _ in sem.view.into(person, rel_type))
                for rel_type in ("APPROVED_BY", "ACCEPTED_BY", "PROVIDED_BY", "LED_BY")}
    for rel_type, items in incoming.items():
        for item in items:
            c.rel(rel_type, item, person)
    for rel_type in ("CHAIRS", "MEMBER_OF", "COMPLETED"):
        for target, _ in sem.view.out(person, rel_type):
            c.rel(rel_type, person, target)
    return c.to_json(
        person, leader=sem.is_leader(person), present=sem.person_present(person), holds=holds,
        approved=[sem.ref(k) for k in incoming["APPROVED_BY"]],
        accepted=[sem.ref(k) for k in incoming["ACCEPTED_BY"]],
        chairs=[sem.ref(k) for k, _ in sorted(sem.view.out(person, "CHAIRS"))],
        what_if_departure=what_if_departure(sem, person))


WHAT_IF_DEPARTURE = f"""MATCH (me:Person {{id: $id}})-[mh:HOLDS]->(held:Role)
WHERE (mh.since IS NULL OR mh.since <= $as_of) AND (mh.until IS NULL OR mh.until >= $as_of)
MATCH (below:Role)-[:REPORTS_TO*0..]->(held)
WITH DISTINCT below
MATCH (below)-[:ACCOUNTABLE_FOR|OWNS]->(item)
WHERE (item:AISystem AND {IN_SCOPE('item', 'AISystem')})
   OR ((item:Control OR item:Policy) AND {IN_SCOPE('item', 'Control')})
   OR (item:Risk AND {IN_SCOPE('item', 'Risk')})
WITH DISTINCT item
MATCH (r0:Role)-[:ACCOUNTABLE_FOR|OWNS]->(item)
CALL (r0) {{
  {OWNER_CHAIN('r0')}
}}
WITH item, r0, reaches AS reaches_before
CALL (r0) {{
  {OWNER_CHAIN('r0', excluding=True)}
}}
WITH item, r0, reaches_before, reaches AS reaches_after, gap AS gap_after,
     {HELD('r0')} AS held_before, {HELD('r0', excluding=True)} AS held_after
ORDER BY r0.id
WITH item, any(x IN collect(held_before) WHERE x) AS owner_before,
     any(x IN collect(held_after) WHERE x) AS owner_after,
     any(x IN collect(reaches_before) WHERE x) AS exec_before,
     collect(reaches_after) AS reached_after, collect(gap_after) AS gaps_after
WITH item, owner_before, owner_after, exec_before,
     any(x IN reached_after WHERE x) AS exec_after, gaps_after
WITH item, exec_after, gaps_after,
     CASE WHEN owner_before AND NOT owner_after
          THEN ['accountable owner'] ELSE [] END
     + CASE WHEN exec_before AND NOT exec_after THEN ['responsible executive'] ELSE [] END
       AS loses
WHERE size(loses) > 0
RETURN {REF('item')} AS item, loses,
       CASE WHEN exec_after THEN null ELSE gaps_after[0] END AS gap_after
ORDER BY item.type, item.id"""


PERSON_TRACE = f"""MATCH (me:Person {{id: $id}})
CALL (me) {{
  RETURN null AS type, me AS a, me AS b
  UNION
  MATCH (me)-[h:HOLDS]->(r:Role) RETURN 'HOLDS' AS type, me AS a, r AS b
  UNION
  MATCH (me)-[h:HOLDS]->(r:Role)-[x:OWNS|ACCOUNTABLE_FOR]->(i)
  WHERE {CURRENT('h', 'me')}
  RETURN type(x) AS type, r AS a, i AS b
  UNION
  MATCH (i)-[x:APPROVED_BY|ACCEPTED_BY|PROVIDED_BY|LED_BY]->(me)
  RETURN type(x) AS type, i AS a, me AS b
  UNION
  MATCH (me)-[x:CHAIRS|MEMBER_OF|COMPLETED]->(t) RETURN type(x) AS type, me AS a, t AS b
}}
RETURN {REF('me', 'Person')} AS subject, me:Leader AS leader,
       {PRESENT('me')} AS present,
       type, {REF('a')} AS a, {REF('b')} AS b"""


PERSON_HOLDS = f"""MATCH (me:Person {{id: $id}})-[h:HOLDS]->(r:Role)
RETURN {REF('r', 'Role')} AS role, {CURRENT('h', 'me')} AS current, h.since AS since,
       h.until AS until ORDER BY r.id, coalesce(toString(h.since), '')"""


def person_trace_cypher(query: CypherRows, person: NodeKey, _end: NodeKey | None,
                        as_of: dt.date) -> dict[str, Any]:
    """What a person holds, owns, approved, accepted and chairs, and what would lose its
    accountable owner or responsible executive if they left: via Cypher."""
    node_id = person[1]
    rows = rows_about(query, PERSON_TRACE, person, as_of)
    refs = Refs()
    for row in rows:
        if row["type"] is not None:
            refs.rel(row["type"], row["a"], row["b"])
    first = rows[0]
    holds = [{**r["role"], "current": r["current"], "since": r["since"], "until": r["until"]}
             for r in query(PERSON_HOLDS, id=node_id, as_of=as_of)]

    def pointing(rel_type: str) -> list[dict[str, Any]]:
        found = {(r["a"]["type"], r["a"]["id"]): r["a"] for r in rows
                 if r["type"] == rel_type and r["b"]["id"] == node_id
                 and r["b"]["type"] == "Person"}
        return [found[k] for k in sorted(found)]

    chairs = {(r["b"]["type"], r["b"]["id"]): r["b"] for r in rows if r["type"] == "CHAIRS"}
    departure = [{"item": r["item"], "loses": r["loses"], "gap_after": r["gap_after"]}
                 for r in query(WHAT_IF_DEPARTURE, id=node_id, as_of=as_of,
                                excluded=[node_id])]
    return refs.to_json(first["subject"], as_of, leader=first["leader"],
                        present=first["present"], holds=holds, approved=pointing("APPROVED_BY"),
                        accepted=pointing("ACCEPTED_BY"),
                        chairs=[chairs[k] for k in sorted(chairs)],
                        what_if_departure=departure)


TRACE = Trace("person", "Person", "What a person holds and answers for, and what their "
              "departure would leave without an owner", person_trace, person_trace_cypher,
              PersonTraceModel)
