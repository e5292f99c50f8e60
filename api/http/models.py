"""Response models of the HTTP API: they become the OpenAPI documentation users read.

The answers of the question layer are typed there (:mod:`graph.questions.results`) and the
API sends those very types; the models here are the API's own (ingestion, runs, status)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from aimsgraph.graph.questions.results import (
    EntityDetailModel,
    EntityModel,
    EntityPage,
    ExecutiveTraceModel,
    FindingModel,
    GraphTraceModel,
    ImpactModel,
    NeighbourhoodModel,
    NodeRef,
    OwnerTraceModel,
    PathTraceModel,
    PersonTraceModel,
    RequirementTraceModel,
    SearchPage,
    SystemTraceModel,
)

__all__ = ["CheckResultModel", "EntityDetailModel", "EntityModel", "EntityPage", "ErrorModel",
           "ExecutiveTraceModel", "FindingModel", "GapReportModel", "GraphTraceModel",
           "ImpactModel", "IngestErrorModel", "IngestReportModel", "NeighbourhoodModel", "NodeRef",
           "OwnerTraceModel", "PathTraceModel", "PersonTraceModel", "RequirementTraceModel",
           "RunChangesModel",
           "RunModel", "SearchPage", "StatusModel", "SystemTraceModel"]


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
                    "lifecycle_controls, committee_min_units, review_interval_months, "
                    "data_quality_months, supplier_review_months, incident_report_days, "
                    "incident_action_days.")
    checks: list[CheckResultModel]



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


class StatusModel(BaseModel):
    status: str
    store: str | None = None


class ErrorModel(BaseModel):
    detail: Any = Field(description="What went wrong (a list of errors for rejected bundles).")
