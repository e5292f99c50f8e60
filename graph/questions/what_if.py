"""What-if: what loses its accountable owner or responsible executive when people leave or
roles stand vacant, found by walking down the reporting lines from the roles touched (the
person trace's departure and the impact question share it)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey

__all__ = ["Vacated", "items_below", "losses", "prefetch_chains", "roles_below"]


class Vacated(Semantics):
    """The defined terms as if ``vacant`` roles had no holder (their holders stay in their
    other roles): the role half of a what-if."""

    def __init__(self, sem: Semantics, vacant: Iterable[NodeKey]) -> None:
        super().__init__(sem.view, sem.as_of, sem.params)
        self.vacant = frozenset(vacant)

    def holders(self, role: NodeKey) -> tuple[NodeKey, ...]:
        return () if role in self.vacant else super().holders(role)

    def why_vacant(self, role: NodeKey) -> str:
        return "it is assumed vacant" if role in self.vacant else super().why_vacant(role)


def roles_below(sem: Semantics, roles: Iterable[NodeKey]) -> set[NodeKey]:
    """``roles`` and every role reporting to one of them, however far down: the roles whose
    chain to an executive may pass through them."""
    below: set[NodeKey] = set()
    frontier = sorted(set(roles))
    while frontier:
        below.update(frontier)
        sem.view.prefetch(frontier, outgoing=False)
        frontier = sorted({r for role in frontier for r, _ in sem.view.into(role, "REPORTS_TO")}
                          - below)
    return below


def items_below(sem: Semantics, roles: Iterable[NodeKey], labels: Iterable[str]) -> set[NodeKey]:
    """The in-scope items of ``labels`` that a role of ``roles`` is accountable for or owns."""
    wanted = frozenset(labels)
    roles = sorted(roles)
    sem.view.prefetch(roles, outgoing=True)
    found: set[NodeKey] = set()
    for role in roles:
        for rel_type in ("ACCOUNTABLE_FOR", "OWNS"):
            found.update(item for item, _ in sem.view.out(role, rel_type)
                         if item[0] in wanted and sem.answerable(item))
    return found


def prefetch_chains(sem: Semantics, items: Iterable[NodeKey]) -> None:
    """Read what the owner chains of ``items`` walk, a batch per step up the reporting lines
    (the items' relationships, then each level of roles with their holders and the roles
    they report to), so that a question over a lazy view pays a round trip per level rather
    than one per role and person."""
    batch = sorted(set(items))
    sem.view.prefetch(batch, outgoing=False)
    roles = {r for item in batch for rel_type in ("OWNS", "ACCOUNTABLE_FOR")
             for r, _ in sem.view.into(item, rel_type)}
    seen: set[NodeKey] = set()
    while roles - seen:
        level = sorted(roles - seen)
        seen.update(level)
        sem.view.prefetch(level, outgoing=False)  # holders (their people come along)
        sem.view.prefetch(level, outgoing=True)  # the roles reported to, and what they own
        roles = {up for role in level for up, _ in sem.view.out(role, "REPORTS_TO")}


def _answers_for(sem: Semantics, item: NodeKey) -> tuple[bool, bool]:
    """(has an accountable owner, has a responsible executive) for ``item``."""
    owner = any(sem.holders(role) for role in sem.owner_roles(item))
    return owner, sem.owner_chain(item).executive is not None


def losses(before: Semantics, after: Semantics, items: Iterable[NodeKey]
           ) -> list[dict[str, Any]]:
    """Each of ``items`` that has an accountable owner or a responsible executive ``before``
    and not ``after``, with what it loses and the gap its owner trace would end in."""
    lost = []
    for item in sorted(items):
        owner_before, exec_before = _answers_for(before, item)
        owner_after, exec_after = _answers_for(after, item)
        loses = []
        if owner_before and not owner_after:
            loses.append("accountable owner")
        if exec_before and not exec_after:
            loses.append("responsible executive")
        if loses:
            lost.append({"item": before.ref(item), "loses": loses,
                         "gap_after": after.owner_chain(item).gap})
    return lost
