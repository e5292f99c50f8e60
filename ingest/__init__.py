"""Bundle ingestion: readers, validation against the ontology, planning and the run.

The names below are imported on first use, so that importing a light module of this package
(``ingest.limits``, say, for the settings) does not import the whole pipeline.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aimsgraph.ingest.pipeline import IngestReport, ingest_bundle
    from aimsgraph.ingest.readers import ReadLimits, UploadedBundle, read_bundle

__all__ = ["IngestReport", "ReadLimits", "UploadedBundle", "ingest_bundle", "read_bundle"]

_WHERE = {"IngestReport": "aimsgraph.ingest.pipeline", "ingest_bundle": "aimsgraph.ingest.pipeline",
          "ReadLimits": "aimsgraph.ingest.limits", "UploadedBundle": "aimsgraph.ingest.readers",
          "read_bundle": "aimsgraph.ingest.readers"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'aimsgraph.ingest' has no attribute '{name}'")
