"""The definitions every embedded query relies on (docs/ontology.md, "Definitions"), in one place.

:class:`Semantics` binds a :class:`GraphView` to an as-of date and the check parameters, and
answers the defined questions (current holders, Leader, responsible executive, valid evidence,
...). Answers that several checks ask for are cached, so a whole gap run stays linear in the
size of the graph.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from aimsgraph.graph.questions.definitions import (
    AI_POLICY_CLAUSE,
    CLOSED,
    EXECUTIVE_ITEMS,
    HIGH_TIERS,
    IMPLEMENTED,
    RETIRED,
    CheckParams,
    add_months,
    noticed,
)
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.graph.store.view import View, in_order
from aimsgraph.ontology import ONTOLOGY

__all__ = ["Link", "OwnerChain", "Semantics"]


@dataclass(frozen=True)
class Link:
    """One step of an owner chain: a role, how it was reached, its current holders."""

    role: NodeKey
    via: str
    holders: tuple[NodeKey, ...]


@dataclass
class OwnerChain:
    """The walk from an item's owner role up REPORTS_TO to its responsible executive."""

    steps: list[Link] = field(default_factory=list)
    executive: NodeKey | None = None
    #: Every Leader holding the first role on the walk that a Leader holds (``executive`` is
    #: the first of them by id).
    executives: tuple[NodeKey, ...] = ()
    gap: str | None = None


class Semantics:
    """The defined terms, evaluated on ``view`` as of ``as_of``."""

    def __init__(self, view: View, as_of: dt.date, params: CheckParams | None = None):
        self.view = view
        self.as_of = as_of
        self.params = params or CheckParams()
        self._holders: dict[NodeKey, tuple[NodeKey, ...]] = {}
        self._chains: dict[NodeKey, OwnerChain] = {}
        self._role_chains: dict[tuple[NodeKey, str], OwnerChain] = {}
        self._covering: dict[NodeKey, list[NodeKey]] = {}
        self.excluded: frozenset[NodeKey] = frozenset()

    # -- naming ----------------------------------------------------------------------------
    def name(self, key: NodeKey) -> str:
        """The display name of a node: its name or title, else its id."""
        label, node_id = key
        props = self.view.props(key) if self.view.has(key) else {}
        if ONTOLOGY.has_label(label):
            attribute = ONTOLOGY.node(label).name_property
            if attribute != "id" and props.get(attribute):
                return str(props[attribute])
        return node_id

    def describe(self, key: NodeKey) -> str:
        """``R-12 (Model Owner - Claims)``, or just the id when the name is the id."""
        name = self.name(key)
        return key[1] if name == key[1] else f"{key[1]} ({name})"

    def ref(self, key: NodeKey) -> dict[str, Any]:
        """A node as it appears in JSON answers: type, id and name."""
        return {"type": key[0], "id": key[1], "name": self.name(key)}

    def status(self, key: NodeKey) -> str | None:
        """The ``status`` of a node, or None."""
        value = self.view.props(key).get("status")
        return value if isinstance(value, str) else None

    def prop(self, key: NodeKey, name: str) -> Any:
        return self.view.props(key).get(name)

    # -- people and roles ------------------------------------------------------------------
    def is_leader(self, person: NodeKey) -> bool:
        return "Leader" in self.view.labels(person)

    def person_present(self, person: NodeKey, on: dt.date | None = None) -> bool:
        """Present on ``on`` (default: the as-of date) and not excluded (what-if).

        ``left_on`` alone decides when it is given, so history before a departure stays
        true; ``active`` false without a ``left_on`` is absence on every date.
        """
        if person in self.excluded:
            return False
        props = self.view.props(person)
        left_on = props.get("left_on")
        if left_on is not None:
            return bool(left_on > (on or self.as_of))
        return props.get("active", True) is not False

    def assignment_current(self, rel: dict[str, Any], on: dt.date | None = None) -> bool:
        """A HOLDS period that includes ``on`` (default: the as-of date), both ends included."""
        day = on or self.as_of
        since, until = rel.get("since"), rel.get("until")
        return (since is None or since <= day) and (until is None or until >= day)

    def roles_held(self, person: NodeKey, on: dt.date | None = None) -> list[NodeKey]:
        """The roles ``person`` currently holds on ``on`` (default: the as-of date)."""
        if not self.person_present(person, on):
            return []
        return sorted({role for role, rel in self.view.out(person, "HOLDS")
                       if self.assignment_current(rel, on)})

    def holders(self, role: NodeKey) -> tuple[NodeKey, ...]:
        """Current holders of ``role`` on the as-of date, sorted by id."""
        cached = self._holders.get(role)
        if cached is None:
            cached = tuple(sorted(
                person for person, rel in self.view.into(role, "HOLDS")
                if self.assignment_current(rel) and self.person_present(person)))
            self._holders[role] = cached
        return cached

    def why_vacant(self, role: NodeKey) -> str:
        """Why a role has no current holder, in words an analyst can act on."""
        reasons = []
        for person, rel in in_order("HOLDS", self.view.into(role, "HOLDS")):
            name = self.name(person)
            props = self.view.props(person)
            since, until = rel.get("since"), rel.get("until")
            if person in self.excluded:
                reasons.append(f"{name} is assumed to leave")
            elif props.get("left_on") is not None and props["left_on"] <= self.as_of:
                reasons.append(f"{name} left on {props['left_on'].isoformat()}")
            elif props.get("left_on") is None and props.get("active", True) is False:
                reasons.append(f"{name} is not active")
            elif since is not None and since > self.as_of:
                reasons.append(f"{name} starts on {since.isoformat()}")
            elif until is not None and until < self.as_of:
                reasons.append(f"{name} held it until {until.isoformat()}")
        return "; ".join(reasons) if reasons else "nobody has been assigned to it"

    def vacancy(self, role: NodeKey) -> str:
        return f"{self.describe(role)} has no current holder: {self.why_vacant(role)}"

    def owner_roles(self, item: NodeKey) -> list[NodeKey]:
        """Roles that own a control, risk or policy, or are accountable for an AI system."""
        rel = "ACCOUNTABLE_FOR" if item[0] == "AISystem" else "OWNS"
        return sorted(role for role, _ in self.view.into(item, rel))

    def owner_gap(self, item: NodeKey, no_role: str) -> str | None:
        """Why nobody currently answers for ``item`` (``no_role`` when it has no owner role);
        None when a current holder of one of its owner roles does."""
        roles = self.owner_roles(item)
        if not roles:
            return no_role
        if any(self.holders(role) for role in roles):
            return None
        return "; ".join(f"owner role {self.vacancy(role)}" for role in roles)

    def reports_to(self, role: NodeKey) -> list[NodeKey]:
        return sorted(target for target, _ in self.view.out(role, "REPORTS_TO"))

    def owner_chain(self, item: NodeKey) -> OwnerChain:
        """The responsible-executive walk for ``item`` (first owner role that reaches one);
        computed once per item."""
        chain = self._chains.get(item)
        if chain is None:
            chain = self._chains[item] = self._owner_chain(item)
        return chain

    def _owner_chain(self, item: NodeKey) -> OwnerChain:
        roles = self.owner_roles(item)
        if not roles:
            what = "accountable" if item[0] == "AISystem" else "owner"
            return OwnerChain(gap=f"it has no {what} role")
        first: OwnerChain | None = None
        via = "ACCOUNTABLE_FOR" if item[0] == "AISystem" else "OWNS"
        for role in roles:
            chain = self.chain_from(role, via)
            if chain.executive is not None:
                return chain
            first = first or chain
        assert first is not None
        return first

    def chain_from(self, role: NodeKey, via: str) -> OwnerChain:
        """Walk up REPORTS_TO from ``role`` until a current holder is a Leader; computed once
        per role (many items share an owner role). The chain is shared: read it only."""
        chain = self._role_chains.get((role, via))
        if chain is None:
            chain = self._role_chains[(role, via)] = self._chain_from(role, via)
        return chain

    def _chain_from(self, role: NodeKey, via: str) -> OwnerChain:
        chain = OwnerChain()
        seen: set[NodeKey] = set()
        current: NodeKey | None = role
        while current is not None:
            if current in seen:
                chain.gap = (f"the reporting line loops back to {self.describe(current)} "
                             "without reaching a Leader")
                return chain
            seen.add(current)
            holders = self.holders(current)
            chain.steps.append(Link(current, via, holders))
            leaders = tuple(h for h in holders if self.is_leader(h))
            if leaders:
                chain.executive, chain.executives = leaders[0], leaders
                return chain
            above = self.reports_to(current)
            if not above:
                chain.gap = (f"the reporting line ends at {self.describe(current)} "
                             "without reaching a Leader")
                return chain
            current, via = above[0], "REPORTS_TO"
        return chain  # pragma: no cover - the loop always returns

    # -- controls, evidence, risks, policies -------------------------------------------------
    def implemented(self, control: NodeKey) -> bool:
        return self.prop(control, "status") in IMPLEMENTED

    def evidence_problem(self, evidence: NodeKey) -> str | None:
        """None when the evidence is valid on the as-of date, else why it is not."""
        collected = self.prop(evidence, "collected_on")
        valid_until = self.prop(evidence, "valid_until")
        if collected is None:
            return f"{evidence[1]} has no collection date"
        if collected > self.as_of:
            return f"{evidence[1]} was collected later, on {collected.isoformat()}"
        if valid_until is not None and valid_until < self.as_of:
            return f"{evidence[1]} expired on {valid_until.isoformat()}"
        return None

    def valid_evidence(self, item: NodeKey) -> list[NodeKey]:
        return sorted(ev for ev, _ in self.view.into(item, "SUPPORTS")
                      if self.evidence_problem(ev) is None)

    def evidence_gap(self, item: NodeKey) -> tuple[str, list[NodeKey]] | None:
        """Why nothing proves ``item`` on the as-of date, with the evidence that fails to (None
        when some evidence is valid); the Cypher twin is ``cypher_terms.EVIDENCE_GAP``."""
        if self.valid_evidence(item):
            return None
        evidence = sorted(ev for ev, _ in self.view.into(item, "SUPPORTS"))
        if not evidence:
            return "no evidence supports it", evidence
        problems = (self.evidence_problem(ev) for ev in evidence)
        return "no valid evidence: " + "; ".join(p for p in problems if p), evidence

    def risk_score(self, risk: NodeKey) -> int | None:
        score = self.prop(risk, "score")
        return score if isinstance(score, int) else None

    def is_high(self, risk: NodeKey) -> bool:
        score = self.risk_score(risk)
        return score is not None and score >= self.params.high_risk_threshold

    def mitigating_controls(self, risk: NodeKey) -> list[NodeKey]:
        return sorted(c for c, _ in self.view.into(risk, "MITIGATES") if self.implemented(c))

    def accepted_by_leader(self, risk: NodeKey) -> bool:
        return self.status(risk) == "accepted" and any(
            self.is_leader(p) for p, _ in self.view.out(risk, "ACCEPTED_BY"))

    def high_tier(self, system: NodeKey) -> bool:
        """Risk tier high or unacceptable (a property of the system, unlike a high risk)."""
        return self.prop(system, "risk_tier") in HIGH_TIERS

    def in_scope_system(self, system: NodeKey) -> bool:
        return bool(self.prop(system, "lifecycle") != RETIRED)

    def relied_on(self, item: NodeKey) -> bool:
        """A Dataset a non-retired AI system uses; a Supplier a non-retired AI system depends
        on, or that supplies a relied-on Dataset (docs/ontology.md)."""
        if item[0] == "Dataset":
            return any(self.in_scope_system(s) for s, _ in self.view.into(item, "USES_DATA"))
        if item[0] == "Supplier":
            return (any(self.in_scope_system(s) for s, _ in self.view.into(item, "DEPENDS_ON"))
                    or any(self.relied_on(d) for d, _ in self.view.into(item, "SUPPLIED_BY")))
        return False

    def known(self, incident: NodeKey) -> bool:
        """Detected (else occurred) on or before the as-of date; with neither date, always."""
        day = noticed(self.view.props(incident))
        return day is None or day <= self.as_of

    @cached_property
    def ai_policies(self) -> list[NodeKey]:
        """Approved policies that address clause 5.2."""
        clause = ("Requirement", AI_POLICY_CLAUSE)
        if not self.view.has(clause):
            return []
        return sorted(p for p, _ in self.view.into(clause, "ADDRESSES")
                      if self.prop(p, "status") == "approved")

    def completion_valid(self, rel: dict[str, Any], training: NodeKey) -> bool:
        """Completed on or before the as-of date and not expired (the expiry day still counts)."""
        done = rel.get("on")
        if done is None or done > self.as_of:
            return False
        expires = rel.get("expires_on")
        if expires is None:
            months = self.prop(training, "validity_months")
            expires = add_months(done, months) if isinstance(months, int) else None
        return bool(expires is None or expires >= self.as_of)

    def children(self, requirement: NodeKey) -> list[NodeKey]:
        return sorted(c for c, _ in self.view.into(requirement, "PART_OF")
                      if c[0] == "Requirement")

    # -- leadership --------------------------------------------------------------------------
    def answerable(self, item: NodeKey) -> bool:
        """In scope of the responsible-executive questions: a non-retired AI system, control or
        policy, or a non-closed risk."""
        if item[0] == "AISystem":
            return self.in_scope_system(item)
        return bool(self.prop(item, "status") != (CLOSED if item[0] == "Risk" else RETIRED))

    @cached_property
    def executives_of(self) -> dict[NodeKey, list[NodeKey]]:
        """Each responsible executive on the as-of date, with the items they answer for
        (AI systems, controls, risks and policies in scope), sorted."""
        found: dict[NodeKey, list[NodeKey]] = {}
        for label in EXECUTIVE_ITEMS:
            for item in self.view.nodes(label):
                if self.answerable(item):
                    for person in self.owner_chain(item).executives:
                        found.setdefault(person, []).append(item)
        return {person: sorted(items) for person, items in sorted(found.items())}

    @cached_property
    def leader_trainings(self) -> list[NodeKey]:
        """Trainings whose audience includes ``leaders``."""
        return sorted(t for t in self.view.nodes("Training")
                      if "leaders" in (self.prop(t, "audience") or []))

    # -- audits --------------------------------------------------------------------------------
    def below(self, requirement: NodeKey) -> list[NodeKey]:
        """``requirement`` and every requirement under it through PART_OF."""
        found, todo = {requirement}, [requirement]
        while todo:
            for child in self.children(todo.pop()):
                if child not in found:
                    found.add(child)
                    todo.append(child)
        return sorted(found)

    def covering_audits(self, requirement: NodeKey) -> list[NodeKey]:
        """Audits that cover ``requirement``: they COVER it or a requirement above it
        (computed once per requirement: the check and the audit programme both ask)."""
        cached = self._covering.get(requirement)
        if cached is None:
            cached = self._covering[requirement] = self._covering_audits(requirement)
        return cached

    def _covering_audits(self, requirement: NodeKey) -> list[NodeKey]:
        audits: set[NodeKey] = set()
        seen, current = set(), [requirement]
        while current:
            node = current.pop()
            seen.add(node)
            audits.update(a for a, _ in self.view.into(node, "COVERS") if a[0] == "Audit")
            current.extend(p for p, _ in self.view.out(node, "PART_OF")
                           if p[0] == "Requirement" and p not in seen)
        return sorted(audits)

    def internal_audit_date(self, audit: NodeKey) -> dt.date | None:
        """The date of an internal audit (None for other kinds and for undated audits)."""
        if self.prop(audit, "kind") != "internal":
            return None
        day = self.prop(audit, "date")
        return day if isinstance(day, dt.date) else None

    @cached_property
    def audit_cycle_start(self) -> dt.date:
        """The day before the audit cycle ending on the as-of date begins."""
        return add_months(self.as_of, -self.params.audit_cycle_months)
