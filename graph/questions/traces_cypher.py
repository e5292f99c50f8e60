"""Every trace in Cypher, for the Neo4j store: the owner trace (a control, risk or policy up to
its responsible executive, the walk of :meth:`graph.questions.semantics.Semantics.owner_chain`), the
system, person (with what-if departure) and requirement traces, and the shortest path.
Answers have the shapes of :mod:`graph.questions.traces`; the differential test holds them equal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from aimsgraph.graph.questions.cypher_terms import (
    CURRENT,
    EVIDENCE_PROBLEM,
    EXECUTIVES,
    HELD,
    NAME,
    OWNER_CHAIN,
    PRESENT,
    REF,
    TYPE,
)
from aimsgraph.ontology import ONTOLOGY, NotFoundError

__all__ = ["OWNER_TRACE_LABELS", "owner_trace_cypher", "owner_trace_query",
           "path_trace_cypher", "requirement_trace_cypher"]

OWNER_TRACE_LABELS = {"control": "Control", "risk": "Risk", "policy": "Policy"}


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


def owner_trace_cypher(query: Callable[..., list[dict[str, Any]]], kind: str, ref: str,
                       as_of: dt.date) -> dict[str, Any]:
    """Run the owner trace of ``kind`` for ``ref`` through a store's read-query runner."""
    label = OWNER_TRACE_LABELS.get(kind, "AISystem")
    node_id = ref.removeprefix(f"{label}:")
    rows = query(owner_trace_query(label), id=node_id, as_of=as_of)
    if not rows:
        raise NotFoundError(f"no {label} with id '{node_id}'")
    row = rows[0]
    return {"subject": row["subject"], "as_of": as_of.isoformat(), "steps": row["steps"],
            "executive": row["executive"], "executives": row["executives"], "gap": row["gap"]}


class _Refs:
    """Nodes and relationships of a Cypher-answered trace, as graph.questions.traces shapes them."""

    def __init__(self) -> None:
        self.nodes: dict[tuple[str, str], dict[str, Any]] = {}
        self.rels: set[tuple[str, tuple[str, str], tuple[str, str]]] = set()

    def node(self, ref: dict[str, Any], **extra: Any) -> tuple[str, str]:
        key = (ref["type"], ref["id"])
        self.nodes.setdefault(key, {"type": ref["type"], "id": ref["id"], "name": ref["name"]})
        self.nodes[key].update(extra)
        return key

    def rel(self, rel_type: str, start: dict[str, Any], end: dict[str, Any]) -> None:
        self.rels.add((rel_type, self.node(start), self.node(end)))

    def to_json(self, subject: dict[str, Any], as_of: dt.date, **extra: Any) -> dict[str, Any]:
        self.node(subject)
        return {"subject": {k: subject[k] for k in ("type", "id", "name")},
                "as_of": as_of.isoformat(),
                "nodes": [self.nodes[k] for k in sorted(self.nodes)],
                "relationships": [{"type": t, "from": {k: self.nodes[s][k]
                                                       for k in ("type", "id", "name")},
                                   "to": {k: self.nodes[e][k] for k in ("type", "id", "name")}}
                                  for t, s, e in sorted(self.rels)],
                **extra}


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


def requirement_trace_cypher(query: Callable[..., list[dict[str, Any]]], node_id: str,
                             as_of: dt.date) -> dict[str, Any]:
    """The requirement trace (its tree, controls, policies, evidence, owners) via Cypher."""
    rows = query(REQUIREMENT_TRACE, id=node_id, as_of=as_of)
    if not rows:
        raise NotFoundError(f"no Requirement with id '{node_id}'")
    refs = _Refs()
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


def path_trace_query(start_label: str, end_label: str) -> str:
    """The shortest-path Cypher between nodes of two ontology labels."""
    for label in (start_label, end_label):
        if not ONTOLOGY.has_label(label):
            raise NotFoundError(f"unknown label '{label}'")
    return f"""MATCH (a:`{start_label}` {{id: $from_id}}), (b:`{end_label}` {{id: $to_id}})
MATCH p = shortestPath((a)-[*..50]-(b))
RETURN [n IN nodes(p) | {REF('n')}] AS path,
       [r IN relationships(p) | {{type: type(r), from: startNode(r).id,
                                 from_labels: labels(startNode(r)), to: endNode(r).id,
                                 to_labels: labels(endNode(r))}}] AS rels"""


def path_trace_cypher(query: Callable[..., list[dict[str, Any]]], start: tuple[str, str],
                      end: tuple[str, str], as_of: dt.date) -> dict[str, Any]:
    """A shortest path between two resolved nodes, via Cypher."""
    rows = query(path_trace_query(start[0], end[0]), from_id=start[1], to_id=end[1])
    if not rows:
        raise NotFoundError(f"no path between {start[0]}:{start[1]} and {end[0]}:{end[1]}")
    path = rows[0]["path"]
    by_key = {(n["type"], n["id"]): n for n in path}
    refs = _Refs()
    for node in path:
        refs.node(node)
    for rel in rows[0]["rels"]:
        a = next(by_key[(label, rel["from"])] for label in rel["from_labels"]
                 if (label, rel["from"]) in by_key)
        b = next(by_key[(label, rel["to"])] for label in rel["to_labels"]
                 if (label, rel["to"]) in by_key)
        refs.rel(rel["type"], a, b)
    return refs.to_json(path[0], as_of, target=path[-1], length=len(path) - 1, path=path)


_GOVERNED = "((c)-[:APPLIES_TO]->(s) OR EXISTS { MATCH (c)-[:MITIGATES]->(:Risk)-[:AFFECTS]->(s) })"

SYSTEM_TRACE = f"""MATCH (s:AISystem {{id: $id}})
CALL (s) {{
  MATCH (r:Role)-[:ACCOUNTABLE_FOR]->(s) RETURN 'ACCOUNTABLE_FOR' AS type, r AS a, s AS b
  UNION
  MATCH (c:Control)-[:APPLIES_TO]->(s) RETURN 'APPLIES_TO' AS type, c AS a, s AS b
  UNION
  MATCH (k:Risk)-[:AFFECTS]->(s) RETURN 'AFFECTS' AS type, k AS a, s AS b
  UNION
  MATCH (c:Control)-[:MITIGATES]->(k:Risk)-[:AFFECTS]->(s)
  RETURN 'MITIGATES' AS type, c AS a, k AS b
  UNION
  MATCH (e:Evidence)-[:SUPPORTS]->(c:Control) WHERE {_GOVERNED}
  RETURN 'SUPPORTS' AS type, e AS a, c AS b
  UNION
  MATCH (c:Control)-[:IMPLEMENTS]->(q:Requirement) WHERE {_GOVERNED}
  RETURN 'IMPLEMENTS' AS type, c AS a, q AS b
  UNION
  MATCH (x:ImpactAssessment)-[:ASSESSES]->(s) RETURN 'ASSESSES' AS type, x AS a, s AS b
  UNION
  MATCH (m:Committee)-[:OVERSEES]->(s) RETURN 'OVERSEES' AS type, m AS a, s AS b
}}
RETURN type, {REF('a')} AS a, {REF('b')} AS b, a.status AS status, a.score AS score,
       a.completed_on AS completed_on, a.review_due AS review_due,
       {EVIDENCE_PROBLEM('a')} AS problem"""

SYSTEM_OWNERS = f"""MATCH (r:Role)-[:ACCOUNTABLE_FOR]->(s:AISystem {{id: $id}})
MATCH (p:Person)-[h:HOLDS]->(r) WHERE {CURRENT('h', 'p')}
RETURN {REF('p', 'Person')} AS person, p:Leader AS leader ORDER BY r.id, p.id"""


def system_trace_cypher(query: Callable[..., list[dict[str, Any]]], node_id: str,
                        as_of: dt.date) -> dict[str, Any]:
    """Everything that governs an AI system, via Cypher (the shape of graph.questions.traces)."""
    chain = owner_trace_cypher(query, "system", node_id, as_of)
    refs = _Refs()
    previous = chain["subject"]
    for step in chain["steps"]:
        if step["via"] == "REPORTS_TO":
            refs.rel("REPORTS_TO", previous, step["node"])
        else:
            refs.rel(step["via"], step["node"], chain["subject"])
        for holder in step["holders"]:
            refs.rel("HOLDS", holder, step["node"])
        previous = step["node"]
    for row in query(SYSTEM_TRACE, id=node_id, as_of=as_of):
        a = row["a"]
        if a["type"] == "Risk":
            refs.node(a, score=row["score"], status=row["status"])
        elif a["type"] == "Control":
            refs.node(a, status=row["status"])
        elif a["type"] == "Evidence":
            problem = row["problem"]
            refs.node(a, valid=problem is None, **({"problem": problem} if problem else {}))
        elif a["type"] == "ImpactAssessment":
            refs.node(a, completed_on=row["completed_on"], review_due=row["review_due"])
        refs.rel(row["type"], a, row["b"])
    owners = [{**row["person"], "leader": row["leader"]}
              for row in query(SYSTEM_OWNERS, id=node_id, as_of=as_of)]
    return refs.to_json(chain["subject"], as_of, accountable_owners=owners,
                        executive_trace=chain)


WHAT_IF_DEPARTURE = f"""MATCH (me:Person {{id: $id}})-[mh:HOLDS]->(held:Role)
WHERE (mh.since IS NULL OR mh.since <= $as_of) AND (mh.until IS NULL OR mh.until >= $as_of)
MATCH (below:Role)-[:REPORTS_TO*0..]->(held)
WITH DISTINCT below
MATCH (below)-[:ACCOUNTABLE_FOR|OWNS]->(item)
WHERE (item:AISystem AND coalesce(item.lifecycle, '') <> 'retired')
   OR ((item:Control OR item:Policy) AND coalesce(item.status, '') <> 'retired')
   OR (item:Risk AND coalesce(item.status, '') <> 'closed')
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


EXECUTIVE_ITEMS = f"""MATCH (me:Person {{id: $id}})
OPTIONAL CALL (me) {{
  {EXECUTIVES()}
  WITH p, item WHERE p = me
  RETURN DISTINCT {TYPE('item')} AS type, item.id AS id
}}
RETURN {REF('me', 'Person')} AS subject, me:Leader AS leader, {PRESENT('me')} AS present,
       type, id ORDER BY type, id"""

#: The owner trace kind of each item a responsible executive answers for.
_OWNER_KIND = {"AISystem": "system", "Control": "control", "Risk": "risk", "Policy": "policy"}


def executive_trace_cypher(query: Callable[..., list[dict[str, Any]]], node_id: str,
                           as_of: dt.date) -> dict[str, Any]:
    """Everything a person answers for as responsible executive, each with its owner trace."""
    rows = query(EXECUTIVE_ITEMS, id=node_id, as_of=as_of)
    if not rows:
        raise NotFoundError(f"no Person with id '{node_id}'")
    items = []
    for row in rows:
        if row["type"] is not None:
            chain = owner_trace_cypher(query, _OWNER_KIND[row["type"]], row["id"], as_of)
            items.append({"item": chain["subject"], "chain": chain})
    first = rows[0]
    return {"subject": first["subject"], "as_of": as_of.isoformat(), "leader": first["leader"],
            "present": first["present"], "items": items}


def person_trace_cypher(query: Callable[..., list[dict[str, Any]]], node_id: str,
                        as_of: dt.date) -> dict[str, Any]:
    """What a person holds, owns, approved, accepted and chairs, and what would lose its
    accountable owner or responsible executive if they left: via Cypher."""
    rows = query(PERSON_TRACE, id=node_id, as_of=as_of)
    if not rows:
        raise NotFoundError(f"no Person with id '{node_id}'")
    refs = _Refs()
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
