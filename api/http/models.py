"""Response models of the HTTP API: they become the OpenAPI documentation users read."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["CheckResultModel", "EntityModel", "EntityPage", "ErrorModel", "FindingModel",
           "GapReportModel", "GraphTraceModel", "IngestErrorModel", "IngestReportModel",
           "NodeRef", "OwnerTraceModel", "RunModel", "StatusModel"]


class NodeRef(BaseModel):
    """A node named by its label, id and display name."""

    model_config = ConfigDict(extra="allow", json_schema_extra={
        "examples": [{"type": "Role", "id": "R-MO-CLM", "name": "Model Owner - Claims"}]})
    type: str = Field(description="The node's label, e.g. AISystem, Role, Control.")
    id: str = Field(description="The node's id, unique within its label.")
    name: str = Field(description="Display name: name or title, else the id.")


class FindingModel(BaseModel):
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


class CheckResultModel(BaseModel):
    id: str = Field(description="Stable check id (docs/checks.md).")
    title: str
    severity: str = Field(description="The check's default severity.")
    description: str = Field(description="What the check looks for.")
    count: int = Field(description="How many findings the check made (before paging).")
    findings: list[FindingModel]


class GapReportModel(BaseModel):
    """The same JSON as ``aimsgraph gaps --format json``."""

    as_of: str = Field(description="The date the checks were evaluated on.")
    parameters: dict[str, Any] = Field(
        description="high_risk_threshold, key_person_limit, audit_cycle_months, "
                    "lifecycle_controls.")
    checks: list[CheckResultModel]


class OwnerStep(BaseModel):
    node: NodeRef = Field(description="A role on the chain.")
    via: str = Field(description="OWNS for the owner role, then REPORTS_TO.")
    holders: list[dict[str, Any]] = Field(description="Current holders, with leader true/false.")
    source: str | None = Field(None, description="Where the relationship that reached this "
                                                 "step was read from (bundle file:row).")


class OwnerTraceModel(BaseModel):
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


class ExecutiveItem(BaseModel):
    item: NodeRef = Field(description="An AI system, control, risk or policy.")
    chain: OwnerTraceModel = Field(description="Its owner trace up to this executive.")
    findings: list[FindingModel] = Field(description="The gap findings on the item.")


class ExecutiveTraceModel(BaseModel):
    """Everything a person answers for as responsible executive on the date."""

    subject: NodeRef
    as_of: str
    leader: bool
    present: bool
    items: list[ExecutiveItem]
    findings_by_severity: dict[str, int] = Field(description="Findings on those items.")


class GraphTraceModel(BaseModel):
    """A system, requirement, person or path trace: nodes and relationships."""

    model_config = ConfigDict(extra="allow")
    subject: NodeRef
    as_of: str
    nodes: list[dict[str, Any]]
    relationships: list[dict[str, Any]]


class LeftOutModel(BaseModel):
    """A node whose other neighbours a neighbourhood did not follow."""

    node: NodeRef
    neighbours: int = Field(description="How many of its neighbours were left out.")


class NeighbourhoodModel(GraphTraceModel):
    """A neighbourhood: nodes, the relationships among them, and what was left out."""

    left_out: list[LeftOutModel] = Field(
        description="Nodes with more neighbours than were followed, and how many more.")


class IngestErrorModel(BaseModel):
    file: str = Field(description="The bundle file (or workbook sheet).")
    row: str = Field(description="Spreadsheet row (header is 1), or 'line N' / 'record N'.")
    column: str
    message: str
    text: str = Field(description="The whole error as one line.")


class IngestReportModel(BaseModel):
    """What an ingestion did, or (dry run) would do; or why it was rejected."""

    run_id: str
    bundle: str
    dry_run: bool
    sync: str | None
    outcome: str = Field(description="succeeded, dry_run or rejected.")
    changes: dict[str, dict[str, dict[str, int]]] = Field(
        description="created/updated/unchanged/removed per label and relationship type.")
    changed: int = Field(0, description="Nodes and relationships created, updated or removed "
                                        "(0: the graph already held the bundle as it is).")
    errors: list[IngestErrorModel]
    planned: list[dict[str, Any]] = Field(
        default_factory=list, description="A dry run's change ledger: what it would create, "
        "update (before and after) and remove.")
    warnings: list[IngestErrorModel] = Field(
        default_factory=list,
        description="What was kept or skipped but is worth a look: an unrecognised "
                    "frequency, a column the file does not declare, a file or sheet that is "
                    "not a bundle file (the first 1,000).")
    warnings_total: int = Field(0, description="How many warnings there were, listed or not.")


class RunChangesModel(BaseModel):
    """A page of a run's change ledger (the same JSON as `aimsgraph runs show RUN`)."""

    run_id: str
    total: int = Field(description="How many changes the run made.")
    offset: int
    changes: list[dict[str, Any]] = Field(
        description="action (created, updated, removed), kind (node or relationship), type, "
                    "id or start/end/identity, props or changed {property: {before, after}}.")


class RunModel(BaseModel):
    run_id: str
    source: str
    bundle: str
    started_at: str
    ended_at: str | None
    outcome: str
    sync: bool
    counts: dict[str, dict[str, int]]
    errors: list[str]


class EntityModel(BaseModel):
    """A node with all its properties, provenance (source, run_id, updated_at) included."""

    type: str
    id: str
    name: str
    labels: list[str]
    properties: dict[str, Any]
    provenance: dict[str, Any] = Field(
        default_factory=dict, description="Where the graph heard the fact: source (bundle "
        "file:row), run_id, updated_at, sync_source.")


class RelatedModel(BaseModel):
    """A relationship seen from one of its ends."""

    node: NodeRef = Field(description="The node at the other end.")
    properties: dict[str, Any]
    provenance: dict[str, Any]


class EntityDetailModel(EntityModel):
    """A node with its properties, provenance, and relationships by direction and type."""

    relationships: dict[str, dict[str, list[RelatedModel]]] = Field(
        description="'outgoing' and 'incoming', each by relationship type.")


class SearchPage(BaseModel):
    """Entities that match a search, best first."""

    items: list[NodeRef]


class EntityPage(BaseModel):
    total: int = Field(description="How many entities match, before paging.")
    limit: int
    offset: int
    items: list[EntityModel]


class StatusModel(BaseModel):
    status: str
    store: str | None = None


class ErrorModel(BaseModel):
    detail: Any = Field(description="What went wrong (a list of errors for rejected bundles).")
