"""The typed answers of the question layer: traces, entities, neighbourhoods and findings.

Both twins of a trace build the same JSON-shaped answer; the query layer validates it into
these types, so the command line, the pages and analysts read attributes, and the HTTP API
documents and sends the very same types (its OpenAPI schema is theirs). ``to_json()`` gives
the public JSON: the keys an answer has, by their public names (``from``, ``to``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Departure", "EntityDetailModel", "EntityModel", "EntityPage", "ExecutiveItem",
           "ExecutiveTraceModel", "FindingModel", "GraphNode", "GraphTraceModel", "Holder",
           "Holding", "ImpactCheck", "ImpactModel", "ImpactSystem", "LeftOutModel",
           "NeighbourhoodModel", "NodeRef", "ObligationModel", "OwnerStep",
           "OwnerTraceModel", "PathTraceModel", "PersonTraceModel", "RelatedModel",
           "Relationship", "RequirementTraceModel", "RequirementWalkModel", "Result",
           "SearchPage", "SourcedRelationship", "SystemTraceModel", "TraceResult",
           "WalkControl", "WalkRequirement", "WalkThrough"]


class Result(BaseModel):
    """An answer of the question layer."""

    # Built on first use: a command answers with one or two of these types, not all of them.
    model_config = ConfigDict(populate_by_name=True, defer_build=True)

    def to_json(self) -> dict[str, Any]:
        """The public JSON of the answer: its keys as given, by their public names (dates
        stay dates; the JSON encoders of the CLI and the API write them as ISO text)."""
        return self.model_dump(by_alias=True, exclude_unset=True)


class NodeRef(Result):
    """A node named by its label, id and display name."""

    model_config = ConfigDict(extra="allow", json_schema_extra={
        "examples": [{"type": "Role", "id": "R-MO-CLM", "name": "Model Owner - Claims"}]})
    type: str = Field(description="The node's label, e.g. AISystem, Role, Control.")
    id: str = Field(description="The node's id, unique within its label.")
    name: str = Field(description="Display name: name or title, else the id.")


class Holder(NodeRef):
    """A person holding a role now."""

    leader: bool = Field(description="Whether the person is a Leader (top management).")


class FindingModel(Result):
    """One gap found by a check."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "check": "ai-system-without-accountable-owner",
        "subject": {"type": "AISystem", "id": "SYS-CLAIMS", "name": "Claims triage model"},
        "reason": "owner role R-MO-CLM (Model Owner - Claims) has no current holder: "
                  "Elena Petrova left on 2026-03-31",
        "severity": "high",
        "related": [{"type": "Role", "id": "R-MO-CLM", "name": "Model Owner - Claims"}]}]})
    check: str = Field(description="The stable id of the check that found it.")
    subject: NodeRef = Field(description="What the gap is about.")
    reason: str = Field(description="Why, in words an analyst can act on.")
    severity: str = Field(description="high, medium or low.")
    related: list[NodeRef] = Field(description="Nodes that explain the finding.")


class OwnerStep(Result):
    node: NodeRef = Field(description="A role on the chain.")
    via: str = Field(description="OWNS (ACCOUNTABLE_FOR for a system) for the owner role, "
                                 "then REPORTS_TO.")
    holders: list[Holder] = Field(description="Current holders.")
    source: str | None = Field(None, description="Where the relationship that reached this "
                                                 "step was read from (bundle file:row).")


class OwnerTraceModel(Result):
    """A control, risk or policy traced up to its responsible executive."""

    subject: NodeRef
    as_of: str
    steps: list[OwnerStep]
    executive: NodeRef | None = Field(description="The responsible executive, if reached (the "
                                                  "first by id when several Leaders are).")
    executives: list[NodeRef] = Field(
        default_factory=list,
        description="Every responsible executive: all Leaders holding the role reached.")
    gap: str | None = Field(description="Why no executive was reached, else null.")


class ExecutiveItem(Result):
    item: NodeRef = Field(description="An AI system, control, risk or policy.")
    chain: OwnerTraceModel = Field(description="Its owner trace up to this executive.")
    findings: list[FindingModel] = Field(description="The gap findings on the item.")


class ExecutiveTraceModel(Result):
    """Everything a person answers for as responsible executive on the date."""

    subject: NodeRef
    as_of: str
    leader: bool
    present: bool
    items: list[ExecutiveItem]
    findings_by_severity: dict[str, int] = Field(description="Findings on those items.")


#: A node of a trace, with what the trace says of it (status, score, validity...) as extras.
GraphNode = NodeRef


class Relationship(Result):
    type: str = Field(description="The relationship type.")
    start: NodeRef = Field(alias="from", description="The node it starts at.")
    end: NodeRef = Field(alias="to", description="The node it ends at.")


class SourcedRelationship(Relationship):
    source: str | None = Field(description="Where it was read from (bundle file:row; several "
                                           "joined by '; ' for a repeated fact).")


class GraphTraceModel(Result):
    """A requirement trace, or the nodes and relationships of any graph-shaped trace."""

    model_config = ConfigDict(extra="allow")
    subject: NodeRef
    as_of: str
    nodes: list[GraphNode]
    relationships: list[SourcedRelationship]


class WalkControl(NodeRef):
    """A control a requirement of another framework goes through."""

    status: str | None = Field(description="The control's status.")
    owners: list[NodeRef] = Field(description="Its owner roles.")
    valid_evidence: list[NodeRef] = Field(description="Evidence valid on the date.")
    applies_to: list[NodeRef] = Field(description="The AI systems it applies to (none: all).")
    chain: OwnerTraceModel = Field(description="Its owner chain to the responsible "
                                               "executive.")


class WalkThrough(NodeRef):
    """An ISO/IEC 42001 requirement a mapping goes through."""

    predicate: str = Field(description="The mapping's SKOS predicate (full: exact, close; "
                                       "partial: broad, narrow).")
    level: str = Field(description="Its coverage level on the date.")
    controls: list[WalkControl] = Field(description="Controls implementing it or an item "
                                                    "under it.")
    valid_evidence: list[NodeRef] = Field(description="Evidence valid on the date that "
                                                      "supports it directly.")


class WalkRequirement(NodeRef):
    """An assessable requirement of the framework, walked."""

    level: str = Field(description="covered, partial, none or unmapped.")
    through: list[WalkThrough]
    related: list[NodeRef] = Field(description="Related mappings: shown, never counted.")
    met: bool | None = Field(description="For a system: whether it is met (a full mapping to "
                                         "a requirement implemented by a control applying to "
                                         "it or to none, with valid evidence); else null.")
    why: str | None = Field(description="Why it is not met, for a system.")


class RequirementWalkModel(Result):
    """A requirement of another framework through its mappings to the executives."""

    framework: str
    system: NodeRef | None = Field(description="The AI system asked about, if any.")
    requirements: list[WalkRequirement]
    executives: list[NodeRef] = Field(description="Every executive the controls' chains "
                                                  "reach.")


class RequirementTraceModel(GraphTraceModel):
    """A requirement with what implements it; for another framework's requirement, also its
    walk through the crosswalks to the executives."""

    crosswalk: RequirementWalkModel | None = Field(
        default=None, description="For a requirement of another framework than ISO/IEC "
                                  "42001: its mappings, controls, chains and executives.")


class SystemTraceModel(GraphTraceModel):
    """Everything that governs an AI system."""

    accountable_owners: list[Holder] = Field(description="Current holders of its "
                                                         "accountable roles.")
    executive_trace: OwnerTraceModel = Field(description="Its chain to the responsible "
                                                         "executive.")
    findings: list[FindingModel] = Field(description="The gap findings on the system.")


class Holding(NodeRef):
    """A role a person holds or held."""

    current: bool
    since: dt.date | None
    until: dt.date | None


class Departure(Result):
    item: NodeRef = Field(description="What would lose its owner or executive.")
    loses: list[str] = Field(description="accountable owner, responsible executive.")
    gap_after: str | None = Field(description="The gap its owner trace would end in.")


class PersonTraceModel(GraphTraceModel):
    """What a person holds, owns, approved, accepted and chairs, and their departure's cost."""

    leader: bool
    present: bool
    holds: list[Holding]
    approved: list[NodeRef]
    accepted: list[NodeRef]
    chairs: list[NodeRef]
    what_if_departure: list[Departure]


class PathTraceModel(GraphTraceModel):
    """A shortest path between two nodes."""

    target: NodeRef
    length: int = Field(description="How many relationships the path has.")
    path: list[NodeRef] = Field(description="The nodes in order.")


#: Any trace's answer.
TraceResult = (OwnerTraceModel | ExecutiveTraceModel | SystemTraceModel | PersonTraceModel
               | PathTraceModel | RequirementTraceModel | GraphTraceModel)


class LeftOutModel(Result):
    """A node whose other neighbours a neighbourhood did not follow."""

    node: NodeRef
    neighbours: int = Field(description="How many of its neighbours were left out.")


class NeighbourhoodModel(Result):
    """A neighbourhood: nodes, the relationships among them, and what was left out."""

    subject: NodeRef
    as_of: str
    nodes: list[NodeRef]
    relationships: list[Relationship]
    left_out: list[LeftOutModel] = Field(
        description="Nodes with more neighbours than were followed, and how many more.")


class EntityModel(Result):
    """A node with all its properties, provenance (source, run_id, updated_at) included."""

    type: str
    id: str
    name: str
    labels: list[str]
    properties: dict[str, Any]
    provenance: dict[str, Any] = Field(
        default_factory=dict, description="Where the graph heard the fact: source (bundle "
        "file:row), run_id, updated_at, sync_source.")


class RelatedModel(Result):
    """A relationship seen from one of its ends."""

    node: NodeRef = Field(description="The node at the other end.")
    properties: dict[str, Any]
    provenance: dict[str, Any]


class ObligationModel(Result):
    """An EU AI Act article owed for an AI system, met on the date or not."""

    article: NodeRef
    met: bool
    why: str | None = Field(description="Why it is not met (null when it is).")
    through: list[dict[str, Any]] = Field(description="The ISO/IEC 42001 requirement, "
                                                      "control and valid evidence that meet it.")


class EntityDetailModel(EntityModel):
    """A node with its properties, provenance, and relationships by direction and type."""

    relationships: dict[str, dict[str, list[RelatedModel]]] = Field(
        description="'outgoing' and 'incoming', each by relationship type.")
    obligations: list[ObligationModel] | None = Field(
        default=None, description="For an AI system: its EU AI Act obligations (from its risk "
        "tier and eu_ai_act_role), each met on the date or not, and why.")


class SearchPage(Result):
    """Entities that match a search, best first."""

    items: list[NodeRef]


class EntityPage(Result):
    total: int = Field(description="How many entities match, before paging.")
    limit: int
    offset: int
    items: list[EntityModel]


class ImpactSystem(NodeRef):
    """An AI system an impact hits."""

    risk_tier: str | None = Field(description="Its risk tier.")
    lifecycle: str | None = Field(description="Its lifecycle stage.")
    via: list[str] = Field(description="How it is hit: DEPENDS_ON, USES_DATA (via a dataset "
                                       "or supplier), or what it loses.")


class ImpactCheck(FindingModel):
    """A finding of an item-local check on what an impact hits."""

    starts: bool = Field(description="True when the departure or vacancy starts it; false "
                                     "when it already stands.")


class ImpactModel(Result):
    """What is hit if a supplier or dataset fails, or a person or role is gone."""

    kind: str = Field(description="supplier, dataset, person or role.")
    subject: NodeRef
    as_of: dt.date
    systems: list[ImpactSystem] = Field(description="The AI systems hit, high-tier first.")
    datasets: list[NodeRef] = Field(description="The datasets hit.")
    suppliers: list[NodeRef] = Field(description="The suppliers hit.")
    risks: list[NodeRef] = Field(description="The risks of the systems hit (and risks that "
                                             "lose their owner).")
    controls: list[NodeRef] = Field(description="The controls that apply to the systems hit or "
                                                "mitigate their risks (and controls that lose "
                                                "their owner or executive).")
    policies: list[NodeRef] = Field(description="The policies that lose their owner or "
                                                "executive.")
    roles: list[NodeRef] = Field(description="The roles left with no current holder.")
    loses: list[Departure] = Field(description="What loses its accountable owner or "
                                               "responsible executive (person, role).")
    checks: list[ImpactCheck] = Field(description="Findings of the item-local checks on what "
                                                  "is hit.")
    executives: list[NodeRef] = Field(description="The responsible executives who answer for "
                                                  "what is hit, as of the date.")
