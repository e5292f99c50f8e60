"""Bundle ingestion: readers, validation against the ontology, planning and the run."""

from ingest.pipeline import IngestReport, ingest_bundle
from ingest.readers import ReadLimits, UploadedBundle, read_bundle

__all__ = ["IngestReport", "ReadLimits", "UploadedBundle", "ingest_bundle", "read_bundle"]
