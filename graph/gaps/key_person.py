"""key-person-concentration: one person is the sole holder behind too many systems and controls."""

from __future__ import annotations

from graph.gaps.base import Finding, GapCheck, finding
from graph.records import NodeKey
from graph.semantics import Semantics


def _find(check: GapCheck, sem: Semantics) -> list[Finding]:
    load: dict[NodeKey, set[NodeKey]] = {}
    roles_of: dict[NodeKey, set[NodeKey]] = {}
    for role in sem.view.nodes("Role"):
        holders = sem.holders(role)
        if len(holders) != 1:
            continue
        items = {s for s, _ in sem.view.out(role, "ACCOUNTABLE_FOR") if sem.in_scope_system(s)}
        items |= {c for c, _ in sem.view.out(role, "OWNS")
                  if c[0] == "Control" and sem.prop(c, "status") != "retired"}
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


CHECK = GapCheck(
    "key-person-concentration", "Key-person concentration", "medium",
    "Person who is the only current holder of the accountable or owner role of more than N "
    "in-scope AI systems and non-retired controls, counted together.", _find)
