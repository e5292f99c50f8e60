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
           "Holding", "LeftOutModel", "NeighbourhoodModel", "NodeRef", "OwnerStep",
           "OwnerTraceModel", "PathTraceModel", "PersonTraceModel", "RelatedModel",
           "Relationship", "Result", "SearchPage", "SourcedRelationship", "SystemTraceModel",
           "TraceResult"]


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
               | PathTraceModel | GraphTraceModel)


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


class EntityDetailModel(EntityModel):
    """A node with its properties, provenance, and relationships by direction and type."""

    relationships: dict[str, dict[str, list[RelatedModel]]] = Field(
        description="'outgoing' and 'incoming', each by relationship type.")


class SearchPage(Result):
    """Entities that match a search, best first."""

    items: list[NodeRef]


class EntityPage(Result):
    total: int = Field(description="How many entities match, before paging.")
    limit: int
    offset: int
    items: list[EntityModel]
