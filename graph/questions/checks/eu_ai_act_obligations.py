"""eu-ai-act-obligation-unmet: an AI system whose EU AI Act obligations are not met on the
date, whose high tier has no recorded role, or whose tier is prohibited (Art. 5)."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import (
    IMPLEMENTED,
    IN_SCOPE,
    NAME,
    REF,
    VALID_EVIDENCE,
)
from aimsgraph.graph.questions.obligations import (
    FULL_PREDICATES,
    obligation_state,
    obligations_of,
    roles_of,
)
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.ontology import EU_AI_ACT, FRAMEWORK, eu_obligations

PROHIBITED = "its risk tier is unacceptable: a prohibited practice (Art. 5)"
NO_ROLE = "it is high-tier and no EU AI Act role is recorded for it"
UNMET = "EU AI Act obligations not met: "


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    found = []
    for system in sem.view.nodes("AISystem"):
        if not sem.in_scope_system(system):
            continue
        tier = sem.prop(system, "risk_tier")
        if tier == "unacceptable":
            found.append(finding(sem, check, system, PROHIBITED,
                                 [("Requirement", f"{EU_AI_ACT}:Art.5")]))
            continue
        if tier == "high" and not roles_of(sem, system):
            found.append(finding(sem, check, system, NO_ROLE))
            continue
        unmet = [a for a in obligations_of(sem, system)
                 if not obligation_state(sem, system, a)["met"]]
        if unmet:
            reason = UNMET + ", ".join(a[1].removeprefix(f"{EU_AI_ACT}:") for a in unmet)
            found.append(finding(sem, check, system, reason, unmet))
    return found


#: The obligations as a Cypher list of maps (shipped data, the same on every run).
_TABLE = "[" + ", ".join(f"{{article: {o.node_id!r}, tier: {o.tier!r}, roles: {list(o.roles)!r}}}"
                         for o in eu_obligations()) + "]"

CYPHER = f"""
MATCH (s:AISystem) WHERE {IN_SCOPE('s', 'AISystem')}
WITH s, coalesce(s.eu_ai_act_role, []) AS roles
WITH s, roles, [o IN {_TABLE} WHERE o.tier = s.risk_tier
                 AND any(r IN o.roles WHERE r IN roles) | o.article] AS owed
WITH s, roles, [a IN owed WHERE NOT EXISTS {{
       MATCH (t:Requirement {{id: a}})-[m:MAPS_TO]-(q:Requirement {{framework: '{FRAMEWORK}'}})
       WHERE m.predicate IN {list(FULL_PREDICATES)!r}
       MATCH (c:Control)-[:IMPLEMENTS]->(q)
       WHERE {IMPLEMENTED('c')}
         AND (NOT EXISTS {{ (c)-[:APPLIES_TO]->(:AISystem) }}
              OR EXISTS {{ (c)-[:APPLIES_TO]->(s) }})
         AND EXISTS {{ MATCH (e:Evidence)-[:SUPPORTS]->(c) WHERE {VALID_EVIDENCE('e')} }}
     }}] AS unmet
WHERE s.risk_tier = 'unacceptable' OR (s.risk_tier = 'high' AND size(roles) = 0)
   OR size(unmet) > 0
RETURN 'AISystem' AS subject_type, s.id AS subject_id, {NAME('s', 'AISystem')} AS subject_name,
       CASE WHEN s.risk_tier = 'unacceptable' THEN '{PROHIBITED}'
            WHEN s.risk_tier = 'high' AND size(roles) = 0 THEN '{NO_ROLE}'
            ELSE '{UNMET}' + reduce(t = '', a IN unmet |
                   t + CASE WHEN t = '' THEN '' ELSE ', ' END
                   + substring(a, size('{EU_AI_ACT}:'))) END AS reason,
       COLLECT {{ UNWIND CASE WHEN s.risk_tier = 'unacceptable' THEN ['{EU_AI_ACT}:Art.5']
                             WHEN s.risk_tier = 'high' AND size(roles) = 0 THEN []
                             ELSE unmet END AS a
                 MATCH (q:Requirement {{id: a}}) RETURN {REF('q', 'Requirement')} }}
         AS related, null AS severity
"""


CHECK = GapCheck(
    "eu-ai-act-obligation-unmet", "AI systems with EU AI Act obligations unmet", "high",
    "Non-retired AI system with risk_tier unacceptable (a prohibited practice, Art. 5); or "
    "high-tier with no eu_ai_act_role; or with an obligation of its tier and role (high and "
    "provider: Art. 9-15, 17, 72, 73; high and deployer: Art. 26, 27; limited: Art. 50) that "
    "no full mapping to an ISO/IEC 42001 requirement meets through an implemented control "
    "applying to it (or to no system) with valid evidence. Related: the unmet articles.",
    _find, CYPHER,
    subjects=("AISystem",), local=True)
