"""Ingestion over HTTP: upload a bundle (.zip or .xlsx), and the run history."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Path, UploadFile, status

from api.deps import AdminCaller, ReaderCaller, SettingsDep, StoreDep
from api.models import IngestReportModel, RunModel
from ingest import ReadLimits, ingest_bundle
from ontology import NotFoundError

router = APIRouter(prefix="/ingest", tags=["ingestion"])

_CHUNK = 1 << 20


@router.post("", response_model=IngestReportModel, summary="Ingest a bundle",
             responses={400: {"description": "The bundle has errors; nothing was written."},
                        413: {"description": "The upload is larger than allowed."}})
def ingest(caller: AdminCaller, store: StoreDep, settings: SettingsDep,
           file: Annotated[UploadFile, File(description="The bundle: a .zip or .xlsx.")],
           dry_run: Annotated[bool, Form(description="Only report what would change.")] = False,
           sync: Annotated[str | None, Form(description="Sync mode for this source name.")]
           = None) -> dict[str, Any]:
    """All or nothing: a bundle with any error writes nothing and every error is listed."""
    name = FilePath(file.filename or "bundle.zip").name
    if FilePath(name).suffix.lower() not in (".zip", ".xlsx"):
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "the bundle must be a .zip or .xlsx")
    folder = FilePath(tempfile.mkdtemp(prefix="aimsgraph-upload-"))
    try:
        target = folder / name
        written = 0
        with target.open("wb") as out:
            while chunk := file.file.read(_CHUNK):
                written += len(chunk)
                if written > settings.max_upload_bytes:
                    raise HTTPException(413,
                                        f"the upload is larger than {settings.max_upload_bytes} "
                                        "bytes")
                out.write(chunk)
        limits = ReadLimits(settings.max_bundle_files, settings.max_bundle_bytes)
        return ingest_bundle(store, target, dry_run=dry_run, sync=sync or None,
                             limits=limits).to_json()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@router.get("/runs", response_model=list[RunModel], summary="Ingestion runs")
def runs(caller: ReaderCaller, store: StoreDep) -> list[dict[str, Any]]:
    """The most recent runs, newest first, failed ones included."""
    return [r.to_json() for r in store.runs(100)]


@router.get("/runs/{run_id}", response_model=RunModel, summary="One ingestion run",
            responses={404: {"description": "No such run."}})
def run(caller: ReaderCaller, store: StoreDep,
        run_id: Annotated[str, Path(description="The run id.")]) -> dict[str, Any]:
    for record in store.runs(10000):
        if record.run_id == run_id:
            return record.to_json()
    raise NotFoundError(f"no ingestion run '{run_id}'")
