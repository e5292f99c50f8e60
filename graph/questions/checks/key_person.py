"""key-person-concentration: one person is the sole holder behind too many systems and controls."""

from __future__ import annotations

from aimsgraph.graph.questions.checks.base import Finding, GapCheck, finding
from aimsgraph.graph.questions.cypher_terms import CURRENT, IN_SCOPE, JOIN, NAME, REF
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    load: dict[NodeKey, set[NodeKey]] = {}
    roles_of: dict[NodeKey, set[NodeKey]] = {}
    for role in sem.view.nodes("Role"):
        holders = sem.holders(role)
        if len(holders) != 1:
            continue
        items = {s for s, _ in sem.view.out(role, "ACCOUNTABLE_FOR") if sem.in_scope_system(s)}
        items |= {c for c, _ in sem.view.out(role, "OWNS")
                  if c[0] == "Control" and sem.answerable(c)}
        if items:
            load.setdefault(holders[0], set()).update(items)
            roles_of.setdefault(holders[0], set()).add(role)
    found = []
    limit = sem.params.key_person_limit
    for person, items in load.items():
        if len(items) > limit:
            systems = sum(1 for i in items if i[0] == "AISystem")
            roles = ", ".join(r[1] for r in sorted(roles_of[person]))
            reason = (f"sole current holder of {roles}, answering for {systems} AI system"
                      f"{'s' if systems != 1 else ''} and {len(items) - systems} control"
                      f"{'s' if len(items) - systems != 1 else ''} ({len(items)} > {limit})")
            found.append(finding(sem, check, person, reason, [*roles_of[person], *items]))
    return found


CYPHER = f"""
MATCH (r:Role)
WITH r, COLLECT {{ MATCH (p:Person)-[h:HOLDS]->(r) WHERE {CURRENT('h', 'p')} RETURN p }} AS holders
WHERE size(holders) = 1
WITH r, holders[0] AS p,
     COLLECT {{ MATCH (r)-[:ACCOUNTABLE_FOR]->(s:AISystem)
               WHERE {IN_SCOPE('s', 'AISystem')} RETURN s }}
     + COLLECT {{ MATCH (r)-[:OWNS]->(c:Control)
                 WHERE {IN_SCOPE('c', 'Control')} RETURN c }} AS items
WHERE size(items) > 0
WITH p, r, items ORDER BY r.id
WITH p, collect(r) AS roles,
     reduce(acc = [], x IN collect(items) | acc + [i IN x WHERE NOT i IN acc]) AS items
WHERE size(items) > $key_person_limit
WITH p, roles, items, size([i IN items WHERE i:AISystem]) AS systems
RETURN 'Person' AS subject_type, p.id AS subject_id,
       {NAME('p', 'Person')} AS subject_name,
       'sole current holder of ' + {JOIN('[r IN roles | r.id]', ', ')} + ', answering for '
       + toString(systems) + ' AI system' + CASE WHEN systems <> 1 THEN 's' ELSE '' END
       + ' and ' + toString(size(items) - systems) + ' control'
       + CASE WHEN size(items) - systems <> 1 THEN 's' ELSE '' END
       + ' (' + toString(size(items)) + ' > ' + toString($key_person_limit) + ')' AS reason,
       [r IN roles | {REF('r', 'Role')}]
         + [i IN items | {REF('i', among=('AISystem', 'Control'))}] AS related,
       null AS severity
"""


CHECK = GapCheck(
    "key-person-concentration", "Key-person concentration", "medium",
    "Person who is the only current holder of the accountable or owner role of more than N "
    "in-scope AI systems and non-retired controls, counted together.", _find, CYPHER,
    subjects=("Person",))
