"""The system trace: everything that governs an AI system (its owners and their chain, the
controls that apply to it or mitigate its risks, their evidence and requirements, its impact
assessments and overseeing committees, the data it uses and the suppliers it depends on directly
or through that data, and the incidents that hit it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aimsgraph.graph.questions.cypher_terms import CURRENT, EVIDENCE_PROBLEM, REF
from aimsgraph.graph.questions.results import SystemTraceModel
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.questions.traces.base import CypherRows, Trace
from aimsgraph.graph.questions.traces.owner import owner_trace_cypher
from aimsgraph.graph.questions.traces.shapes import Collector, Refs, chain_json, holder
from aimsgraph.graph.store.records import NodeKey

__all__ = ["TRACE"]


def system_trace(sem: Semantics, system: NodeKey, _end: NodeKey | None = None
                 ) -> dict[str, Any]:
    c = Collector(sem)
    chain = sem.owner_chain(system)
    c.chain(chain, system)
    for role in sem.owner_roles(system):
        c.rel("ACCOUNTABLE_FOR", role, system)
    controls: set[NodeKey] = {k for k, _ in sem.view.into(system, "APPLIES_TO")}
    for control in controls:
        c.rel("APPLIES_TO", control, system)
    for risk, _ in sem.view.into(system, "AFFECTS"):
        if risk[0] == "Incident":
            c.node(risk, severity=sem.prop(risk, "severity"), status=sem.prop(risk, "status"))
            c.rel("AFFECTS", risk, system)
            continue
        c.node(risk, score=sem.risk_score(risk), status=sem.prop(risk, "status"))
        c.rel("AFFECTS", risk, system)
        for control, _ in sem.view.into(risk, "MITIGATES"):
            c.rel("MITIGATES", control, risk)
            controls.add(control)
    for control in controls:
        c.node(control, status=sem.prop(control, "status"))
        c.evidence(control)
        for requirement, _ in sem.view.out(control, "IMPLEMENTS"):
            c.rel("IMPLEMENTS", control, requirement)
    for assessment, _ in sem.view.into(system, "ASSESSES"):
        c.node(assessment, completed_on=sem.prop(assessment, "completed_on"),
               review_due=sem.prop(assessment, "review_due"))
        c.rel("ASSESSES", assessment, system)
    for committee, _ in sem.view.into(system, "OVERSEES"):
        c.rel("OVERSEES", committee, system)
    for dataset, _ in sem.view.out(system, "USES_DATA"):
        c.node(dataset, quality_checked_on=sem.prop(dataset, "quality_checked_on"))
        c.rel("USES_DATA", system, dataset)
        for supplier, _ in sem.view.out(dataset, "SUPPLIED_BY"):
            c.rel("SUPPLIED_BY", dataset, supplier)
    for supplier, _ in sem.view.out(system, "DEPENDS_ON"):
        c.rel("DEPENDS_ON", system, supplier)
    owners = [holder(sem, h) for role in sem.owner_roles(system) for h in sem.holders(role)]
    return c.to_json(system, accountable_owners=owners,
                     executive_trace=chain_json(sem, system, chain))


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
  UNION
  MATCH (i:Incident)-[:AFFECTS]->(s) RETURN 'AFFECTS' AS type, i AS a, s AS b
  UNION
  MATCH (s)-[:USES_DATA]->(d:Dataset) RETURN 'USES_DATA' AS type, s AS a, d AS b
  UNION
  MATCH (s)-[:USES_DATA]->(d:Dataset)-[:SUPPLIED_BY]->(p:Supplier)
  RETURN 'SUPPLIED_BY' AS type, d AS a, p AS b
  UNION
  MATCH (s)-[:DEPENDS_ON]->(p:Supplier) RETURN 'DEPENDS_ON' AS type, s AS a, p AS b
}}
RETURN type, {REF('a')} AS a, {REF('b')} AS b, a.status AS status, a.score AS score,
       a.completed_on AS completed_on, a.review_due AS review_due, a.severity AS severity,
       a.quality_checked_on AS quality_checked_on, b.quality_checked_on AS b_quality,
       {EVIDENCE_PROBLEM('a')} AS problem"""

SYSTEM_OWNERS = f"""MATCH (r:Role)-[:ACCOUNTABLE_FOR]->(s:AISystem {{id: $id}})
MATCH (p:Person)-[h:HOLDS]->(r) WHERE {CURRENT('h', 'p')}
RETURN {REF('p', 'Person')} AS person, p:Leader AS leader ORDER BY r.id, p.id"""


def system_trace_cypher(query: CypherRows, system: NodeKey, _end: NodeKey | None,
                        as_of: dt.date) -> dict[str, Any]:
    """Everything that governs an AI system, via Cypher."""
    node_id = system[1]
    chain = owner_trace_cypher(query, system, None, as_of)
    refs = Refs()
    previous = chain["subject"]
    for step in chain["steps"]:
        if step["via"] == "REPORTS_TO":
            refs.rel("REPORTS_TO", previous, step["node"])
        else:
            refs.rel(step["via"], step["node"], chain["subject"])
        for person in step["holders"]:
            refs.rel("HOLDS", person, step["node"])
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
        elif a["type"] == "Incident":
            refs.node(a, severity=row["severity"], status=row["status"])
        elif a["type"] == "Dataset":
            refs.node(a, quality_checked_on=row["quality_checked_on"])
        if row["b"]["type"] == "Dataset":
            refs.node(row["b"], quality_checked_on=row["b_quality"])
        refs.rel(row["type"], a, row["b"])
    owners = [{**row["person"], "leader": row["leader"]}
              for row in query(SYSTEM_OWNERS, id=node_id, as_of=as_of)]
    return refs.to_json(chain["subject"], as_of, accountable_owners=owners,
                        executive_trace=chain)


TRACE = Trace("system", "AISystem", "Everything that governs an AI system", system_trace,
              system_trace_cypher, SystemTraceModel)
