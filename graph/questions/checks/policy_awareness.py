"""ai-policy-not-acknowledged: an owner of AI systems or controls who has not acknowledged the
AI policy in force (7.3 awareness, 5.2)."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import CURRENT, IN_SCOPE, JOIN, NAME, REF
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def acknowledged_ai_policy(sem: Semantics, person: NodeKey) -> bool:
    """Whether ``person`` acknowledged an AI policy by the as-of date: its version, or with no
    version stated."""
    for policy, rel in sem.view.out(person, "ACKNOWLEDGED"):
        if policy in sem.ai_policies and rel.get("on") is not None and rel["on"] <= sem.as_of:
            version = _text(rel.get("version"))
            if not version or version == _text(sem.prop(policy, "version")):
                return True
    return False


def _answering_roles(sem: Semantics) -> dict[NodeKey, list[NodeKey]]:
    """Current holders of roles accountable for a non-retired AI system or owning a
    non-retired control, with those roles."""
    held: dict[NodeKey, set[NodeKey]] = {}
    for role in sem.view.nodes("Role"):
        answers = any(sem.in_scope_system(s) for s, _ in sem.view.out(role, "ACCOUNTABLE_FOR")) \
            or any(c[0] == "Control" and sem.answerable(c)
                   for c, _ in sem.view.out(role, "OWNS"))
        if answers:
            for person in sem.holders(role):
                held.setdefault(person, set()).add(role)
    return {p: sorted(r) for p, r in held.items()}


def _policy_words(sem: Semantics, policy: NodeKey) -> str:
    version = _text(sem.prop(policy, "version"))
    return f"{policy[1]} version {version}" if version else policy[1]


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    if not sem.ai_policies:
        return []
    wanted = " or ".join(_policy_words(sem, p) for p in sem.ai_policies)
    found = []
    for person, roles in _answering_roles(sem).items():
        if not acknowledged_ai_policy(sem, person):
            reason = (f"holds {', '.join(r[1] for r in roles)} and has not acknowledged the "
                      f"AI policy ({wanted})")
            found.append(finding(sem, check, person, reason, [*roles, *sem.ai_policies]))
    return found


_POLICIES = JOIN("[ap IN policies | ap.id + CASE WHEN trim(coalesce(toString(ap.version), '')) "
                 "= '' THEN '' ELSE ' version ' + trim(toString(ap.version)) END]", " or ")

CYPHER = f"""
CALL () {{
  MATCH (:Requirement {{id: $ai_policy_clause}})<-[:ADDRESSES]-(ap:Policy {{status: 'approved'}})
  RETURN ap ORDER BY ap.id
}}
WITH collect(ap) AS policies
WHERE size(policies) > 0
MATCH (p:Person)-[h:HOLDS]->(r:Role) WHERE {CURRENT('h', 'p')}
  AND (EXISTS {{ MATCH (r)-[:ACCOUNTABLE_FOR]->(s:AISystem)
                WHERE {IN_SCOPE('s', 'AISystem')} }}
       OR EXISTS {{ MATCH (r)-[:OWNS]->(c:Control) WHERE {IN_SCOPE('c', 'Control')} }})
WITH policies, p, r ORDER BY r.id
WITH policies, p, collect(DISTINCT r) AS roles
WHERE NOT EXISTS {{
  MATCH (p)-[k:ACKNOWLEDGED]->(ap:Policy)
  WHERE ap IN policies AND k.on IS NOT NULL AND k.on <= $as_of
    AND (trim(coalesce(k.version, '')) = ''
         OR trim(k.version) = trim(coalesce(toString(ap.version), ''))) }}
RETURN 'Person' AS subject_type, p.id AS subject_id, {NAME('p', 'Person')} AS subject_name,
       'holds ' + {JOIN('[r IN roles | r.id]', ', ')}
       + ' and has not acknowledged the AI policy ('
       + {_POLICIES}
       + ')' AS reason,
       [r IN roles | {REF('r', 'Role')}] + [ap IN policies | {REF('ap', 'Policy')}] AS related,
       null AS severity
"""


CHECK = GapCheck(
    "ai-policy-not-acknowledged", "Owners who have not acknowledged the AI policy", "medium",
    "Current holder of a role accountable for a non-retired AI system or owning a non-retired "
    "control who has no acknowledgement, dated on or before the as-of date, of an AI policy "
    "in its current version (an acknowledgement without a version counts). Nothing when no AI "
    "policy exists.", _find, CYPHER,
    subjects=("Person",))
