"""Configuration, from the environment or the same keys in a settings file (INTERFACES.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings"]


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
    api_keys: str | None = Field(None, validation_alias="AIMSGRAPH_API_KEYS")
    high_risk_threshold: int = Field(
        12, validation_alias="AIMSGRAPH_HIGH_RISK_THRESHOLD", ge=1, le=25,
        description="A risk whose score reaches this is high.")
    key_person_limit: int = Field(5, validation_alias="AIMSGRAPH_KEY_PERSON_LIMIT", ge=1)
    max_upload_bytes: int = Field(
        50 * 1024 * 1024, validation_alias="AIMSGRAPH_MAX_UPLOAD_BYTES", ge=1,
        description="Largest bundle upload the API accepts (413 beyond).")
    max_bundle_bytes: int = Field(
        512 * 1024 * 1024, validation_alias="AIMSGRAPH_MAX_BUNDLE_BYTES", ge=1,
        description="Largest total uncompressed size of a zip bundle.")
    max_bundle_files: int = Field(
        1000, validation_alias="AIMSGRAPH_MAX_BUNDLE_FILES", ge=1,
        description="Most files a zip bundle may hold.")
    cors_origins: str | None = Field(
        None, validation_alias="AIMSGRAPH_CORS_ORIGINS",
        description="Comma-separated origins allowed by CORS (off when empty).")
