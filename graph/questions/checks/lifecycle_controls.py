"""high-tier-system-without-lifecycle-control: a deployed high-tier AI system without the
verification, monitoring and logging controls applied to it (A.6.2), not merely somewhere in
the organisation."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import HIGH_TIER, IMPLEMENTED, JOIN, NAME, REF
from aimsgraph.graph.questions.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for system in sem.view.nodes("AISystem"):
        if sem.prop(system, "lifecycle") != "deployed" or not sem.high_tier(system):
            continue
        met = {r for c, _ in sem.view.into(system, "APPLIES_TO")
               if c[0] == "Control" and sem.implemented(c)
               for r, _ in sem.view.out(c, "IMPLEMENTS")}
        missing = [r for r in sem.params.lifecycle_controls if ("Requirement", r) not in met]
        if missing:
            reason = ("no implemented control applied to it implements "
                      + ", ".join(r.split(":", 1)[-1] for r in missing))
            found.append(finding(sem, check, system, reason,
                                 [("Requirement", r) for r in missing
                                  if sem.view.has(("Requirement", r))]))
    return found


CYPHER = f"""
MATCH (s:AISystem {{lifecycle: 'deployed'}})
WHERE {HIGH_TIER('s')}
WITH s, [l IN $lifecycle_controls WHERE NOT EXISTS {{
  MATCH (s)<-[:APPLIES_TO]-(c:Control)-[:IMPLEMENTS]->(q:Requirement {{id: l}})
  WHERE {IMPLEMENTED('c')} }}] AS missing
WHERE size(missing) > 0
RETURN 'AISystem' AS subject_type, s.id AS subject_id, {NAME('s', 'AISystem')} AS subject_name,
       'no implemented control applied to it implements '
       + {JOIN("[l IN missing | last(split(l, ':'))]", ', ')} AS reason,
       COLLECT {{ MATCH (q:Requirement) WHERE q.id IN missing
                 RETURN {REF('q', 'Requirement')} }} AS related,
       null AS severity
"""


CHECK = GapCheck(
    "high-tier-system-without-lifecycle-control",
    "High-tier AI systems without lifecycle controls applied", "high",
    "Deployed AI system of risk tier high or unacceptable for which some lifecycle control "
    "(AIMSGRAPH_LIFECYCLE_CONTROLS, by default A.6.2.4, A.6.2.6, A.6.2.8) has no implemented "
    "control that both APPLIES_TO the system and IMPLEMENTS it; one finding per system.",
    _find, CYPHER,
    subjects=("AISystem",), local=True)
