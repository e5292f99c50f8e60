"""Configuration, from the environment or the same keys in a settings file (README.md,
"Configuration")."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from aimsgraph.graph.questions.definitions import LIFECYCLE_CONTROLS, CheckParams
from aimsgraph.graph.questions.kinds import PARAMETERS
from aimsgraph.ingest.limits import ReadLimits
from aimsgraph.ontology import annex_a_controls, qualify_requirement
from aimsgraph.ontology.values import split_list

__all__ = ["Settings"]


def qualified_controls(text: str) -> tuple[str, ...]:
    """Annex A control references (``A.6.2.4;A.6.2.8``) as Requirement ids; a ValueError
    names any that is not an Annex A control of the catalogue."""
    known = annex_a_controls()
    ids = []
    for ref in split_list(text):
        node_id = qualify_requirement(ref)
        if node_id not in known:
            raise ValueError(f"{ref!r} is not an Annex A control (e.g. A.6.2.4)")
        ids.append(node_id)
    return tuple(ids)


def parameter_field(name: str) -> Any:
    """The setting of a gap check parameter: ``AIMSGRAPH_<NAME>``, with the default, range
    and meaning the parameter declares (:data:`PARAMETERS`)."""
    parameter = PARAMETERS[name]
    return Field(parameter.default, validation_alias=f"AIMSGRAPH_{name.upper()}",
                 ge=parameter.low, le=parameter.high, description=parameter.description)


class Settings(BaseSettings):
    """Every setting aimsgraph reads. Environment variables win over the settings file.

    The settings file is ``.env`` in the working folder, or the file named by
    ``AIMSGRAPH_SETTINGS_FILE``.
    """

    model_config = SettingsConfigDict(
        env_file=os.environ.get("AIMSGRAPH_SETTINGS_FILE", ".env"),
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    store: Literal["embedded", "neo4j"] = Field(
        "embedded", validation_alias="AIMSGRAPH_STORE", description="Which store to use.")
    data_dir: Path | None = Field(
        None, validation_alias="AIMSGRAPH_DATA_DIR",
        description="Where the embedded store keeps its data (default: a per-user folder).")
    neo4j_uri: str | None = Field(None, validation_alias="NEO4J_URI")
    neo4j_username: str | None = Field(None, validation_alias="NEO4J_USERNAME")
    neo4j_password: str | None = Field(None, validation_alias="NEO4J_PASSWORD")
    neo4j_database: str | None = Field(None, validation_alias="NEO4J_DATABASE")
    neo4j_check_workers: int = Field(
        2, validation_alias="AIMSGRAPH_NEO4J_CHECK_WORKERS", ge=1, le=32,
        description="How many gap checks Neo4j is given at once, each its own read "
                    "transaction (a server with more cores takes more).")
    neo4j_write_workers: int = Field(
        2, validation_alias="AIMSGRAPH_NEO4J_WRITE_WORKERS", ge=1, le=32,
        description="How many batches of nodes, or of relationships, a large ingest writes "
                    "to Neo4j at once, each its own write transaction (1: one batch at a time).")
    api_keys: str | None = Field(None, validation_alias="AIMSGRAPH_API_KEYS")
    high_risk_threshold: int = parameter_field("high_risk_threshold")
    key_person_limit: int = parameter_field("key_person_limit")
    audit_cycle_months: int = parameter_field("audit_cycle_months")
    committee_min_units: int = parameter_field("committee_min_units")
    review_interval_months: int = parameter_field("review_interval_months")
    data_quality_months: int = parameter_field("data_quality_months")
    supplier_review_months: int = parameter_field("supplier_review_months")
    incident_report_days: int = parameter_field("incident_report_days")
    incident_action_days: int = parameter_field("incident_action_days")
    lifecycle_controls: str = Field(
        ";".join(r.partition(":")[2] for r in LIFECYCLE_CONTROLS),
        validation_alias="AIMSGRAPH_LIFECYCLE_CONTROLS",
        description="Annex A controls (';'-separated) every deployed high-tier AI system "
                    "needs applied to it.")
    max_upload_bytes: int = Field(
        50 * 1024 * 1024, validation_alias="AIMSGRAPH_MAX_UPLOAD_BYTES", ge=1,
        description="Largest bundle upload the API accepts (413 beyond).")
    max_bundle_bytes: int = Field(
        ReadLimits.max_total_bytes, validation_alias="AIMSGRAPH_MAX_BUNDLE_BYTES", ge=1,
        description="Most bytes a bundle may hold, counted as decompressed (zip and xlsx).")
    max_bundle_files: int = Field(
        ReadLimits.max_members, validation_alias="AIMSGRAPH_MAX_BUNDLE_FILES", ge=1,
        description="Most files a zip bundle (or sheets a workbook) may hold.")
    max_file_bytes: int = Field(
        ReadLimits.max_member_bytes, validation_alias="AIMSGRAPH_MAX_FILE_BYTES", ge=1,
        description="Most bytes one file of a bundle may hold, counted as decompressed.")
    max_document_bytes: int = Field(
        ReadLimits.max_document_bytes, validation_alias="AIMSGRAPH_MAX_DOCUMENT_BYTES", ge=1,
        description="Most bytes of one YAML or JSON file (these are parsed whole).")
    max_rows: int = Field(
        ReadLimits.max_rows, validation_alias="AIMSGRAPH_MAX_ROWS", ge=1,
        description="Most rows (records) one file of a bundle may hold.")
    read_timeout_seconds: float = Field(
        30.0, validation_alias="AIMSGRAPH_READ_TIMEOUT_SECONDS", gt=0,
        description="Time budget of one API read; past it the answer is 503 with Retry-After.")
    cors_origins: str | None = Field(
        None, validation_alias="AIMSGRAPH_CORS_ORIGINS",
        description="Comma-separated origins allowed by CORS (off when empty).")

    smtp_host: str | None = Field(
        None, validation_alias="AIMSGRAPH_SMTP_HOST",
        description="SMTP server reminders are sent through (off when empty).")
    smtp_port: int | None = Field(
        None, validation_alias="AIMSGRAPH_SMTP_PORT", ge=1, le=65535,
        description="Its port (default 587 with starttls, 465 with tls, 25 with none).")
    smtp_from: str | None = Field(
        None, validation_alias="AIMSGRAPH_SMTP_FROM",
        description="The sender address of reminders.")
    smtp_security: Literal["none", "starttls", "tls"] = Field(
        "starttls", validation_alias="AIMSGRAPH_SMTP_SECURITY",
        description="none, starttls or tls (implicit TLS).")
    smtp_user: str | None = Field(None, validation_alias="AIMSGRAPH_SMTP_USER",
                                  description="SMTP login, when the server asks for one.")
    smtp_password: str | None = Field(None, validation_alias="AIMSGRAPH_SMTP_PASSWORD",
                                      description="Its password.")
    webhook_url: str | None = Field(
        None, validation_alias="AIMSGRAPH_WEBHOOK_URL",
        description="URL each reminder digest is POSTed to as JSON (off when empty).")
    webhook_format: Literal["json", "slack", "teams"] = Field(
        "json", validation_alias="AIMSGRAPH_WEBHOOK_FORMAT",
        description="json (the digest's structure), or slack or teams (a text message).")

    jobs_file: Path | None = Field(
        None, validation_alias="AIMSGRAPH_JOBS_FILE",
        description="The ingestion jobs file (docs/jobs.md).")

    @field_validator("lifecycle_controls")
    @classmethod
    def _annex_a_controls(cls, value: str) -> str:
        qualified_controls(value)
        return value

    def check_params(self, threshold: int | None = None, limit: int | None = None) -> CheckParams:
        """The gap checks' parameters: these settings, with a caller's overrides."""
        return CheckParams(threshold or self.high_risk_threshold,
                           limit or self.key_person_limit, self.audit_cycle_months,
                           qualified_controls(self.lifecycle_controls),
                           self.committee_min_units, self.review_interval_months,
                           self.data_quality_months, self.supplier_review_months,
                           self.incident_report_days, self.incident_action_days)

    def data_folder(self) -> Path:
        """Where the embedded store and the demo's page go: ``AIMSGRAPH_DATA_DIR``, else a
        per-user folder."""
        from aimsgraph.graph.store.embedded import default_data_dir  # the store: only now

        return self.data_dir or default_data_dir()

    def read_limits(self) -> ReadLimits:
        """The bounds on reading a bundle, the same for the command line and the API."""
        return ReadLimits(max_members=self.max_bundle_files,
                          max_total_bytes=self.max_bundle_bytes,
                          max_member_bytes=self.max_file_bytes,
                          max_document_bytes=self.max_document_bytes,
                          max_rows=self.max_rows)
