"""Ingestion over HTTP: upload a bundle (.zip or .xlsx), and the run history.

The upload is read by the route itself, not by the framework before the route runs, so that
the caller's key and the declared ``Content-Length`` are checked before a byte of the body is
read, and the body is counted as it streams in: an upload over the limit is cut off at the
limit, whatever it declared. The file lands in an anonymous temporary file (nothing named is
left on disk if the process dies) and is read from there.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from pathlib import PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request, status
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import ClientDisconnect

from aimsgraph.api.http.deps import AdminCaller, ReaderCaller, SettingsDep, StoreDep
from aimsgraph.api.http.models import IngestReportModel, RunChangesModel, RunModel
from aimsgraph.ingest import UploadedBundle, ingest_bundle
from aimsgraph.ontology import NotFoundError

log = logging.getLogger(__name__)

router = APIRouter(prefix="/ingest", tags=["ingestion"])

_UPLOAD_SCHEMA = {
    "requestBody": {
        "required": True,
        "content": {"multipart/form-data": {"schema": {
            "type": "object",
            "required": ["file"],
            "properties": {
                "file": {"type": "string", "format": "binary",
                         "description": "The bundle: a .zip or .xlsx."},
                "dry_run": {"type": "boolean", "default": False,
                            "description": "Only report what would change."},
                "sync": {"type": "string", "description": "Sync mode for this source name."},
                "strict": {"type": "boolean", "default": False,
                           "description": "Reject the bundle on any warning (a skipped file "
                                          "or sheet, an undeclared column)."},
            },
        }}},
    },
}
_FLAG = TypeAdapter(bool)


class _TooLarge(Exception):
    pass


def _too_large(limit: int) -> HTTPException:
    return HTTPException(413,
                         f"the upload is larger than {limit} bytes (AIMSGRAPH_MAX_UPLOAD_BYTES)")


async def _read_form(request: Request, limit: int) -> FormData:
    """The multipart form, read from the body as it streams in, stopped past ``limit``."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "Content-Length is not a number")
        if int(declared) > limit:
            raise _too_large(limit)
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        raise HTTPException(415,
                            "send the bundle as multipart/form-data in the field 'file'")

    async def counted() -> AsyncGenerator[bytes, None]:
        total = 0
        async for chunk in request.stream():
            total += len(chunk)
            if total > limit:
                raise _TooLarge
            yield chunk

    try:
        return await MultiPartParser(request.headers, counted(), max_files=1,
                                     max_fields=5).parse()
    except _TooLarge:
        raise _too_large(limit) from None
    except MultiPartException as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST,
                            f"the upload is not a readable form: {exc.message}") from None
    except ClientDisconnect:  # the caller went away: one line in the log, not a traceback
        log.info("an upload to %s was cut off by the caller", request.url.path)
        raise HTTPException(status.HTTP_400_BAD_REQUEST,
                            "the upload ended before its body was complete") from None


def _shown_name(filename: str | None) -> str:
    """The upload's file name as runs and errors show it: its last part, printable, short
    (a name is never used as a path here)."""
    name = PurePosixPath((filename or "bundle.zip").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()) or "bundle.zip"
    suffix = PurePosixPath(name).suffix[:8]
    return name if len(name) <= 100 else f"{name[:80]}...{suffix}"


def _flag(form: FormData, name: str, query: bool | None) -> bool:
    """A yes/no option, from the form field or else the query parameter of the same name."""
    value = form.get(name)
    if value is None or value == "":
        return bool(query)
    try:
        return _FLAG.validate_python(value)
    except ValidationError:
        raise HTTPException(status.HTTP_400_BAD_REQUEST,
                            f"{name} must be true or false") from None


@router.post("", response_model=IngestReportModel, summary="Ingest a bundle",
             openapi_extra=_UPLOAD_SCHEMA,
             responses={400: {"description": "The bundle has errors; nothing was written."},
                        409: {"description": "Another ingest is writing to the store (the "
                                              "message names it); try again when it ends."},
                        413: {"description": "The upload is larger than allowed."},
                        415: {"description": "The body is not multipart/form-data."}})
async def ingest(caller: AdminCaller, settings: SettingsDep, request: Request,
                 store: StoreDep,
                 dry_run: Annotated[bool | None, Query(
                     description="Only report what would change (as the form field).")] = None,
                 strict: Annotated[bool | None, Query(
                     description="Reject the bundle on any warning (as the form field).")]
                 = None,
                 sync: Annotated[str | None, Query(
                     max_length=200, description="Sync mode for this source name (as the form "
                                                 "field).")] = None) -> dict[str, Any]:
    """All or nothing: a bundle with any error writes nothing and every error is listed.
    The options come as form fields or as query parameters (a form field wins)."""
    form = await _read_form(request, settings.max_upload_bytes)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise HTTPException(status.HTTP_400_BAD_REQUEST,
                                "the form has no file in the field 'file'")
        name = _shown_name(upload.filename)
        if PurePosixPath(name).suffix.lower() not in (".zip", ".xlsx"):
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "the bundle must be a .zip or .xlsx")
        source = form.get("sync", sync)
        if source is not None and not isinstance(source, str):
            raise HTTPException(status.HTTP_400_BAD_REQUEST, "sync must be a source name")
        report = await run_in_threadpool(
            ingest_bundle, store, UploadedBundle(name, upload.file),
            dry_run=_flag(form, "dry_run", dry_run), sync=source or None,
            limits=settings.read_limits(), strict=_flag(form, "strict", strict))
        return report.to_json()
    finally:
        await form.close()


@router.get("/runs", response_model=list[RunModel], summary="Ingestion runs")
def runs(caller: ReaderCaller, store: StoreDep,
         limit: Annotated[int, Query(ge=1, le=10_000, description="How many runs.")] = 100,
         offset: Annotated[int, Query(ge=0, le=1_000_000,
                                      description="How many of the newest to skip.")] = 0,
         ) -> list[dict[str, Any]]:
    """The most recent runs, newest first, failed ones included."""
    return [r.to_json() for r in store.runs(offset + limit)[offset:]]


@router.get("/runs/{run_id}", response_model=RunModel, summary="One ingestion run",
            responses={404: {"description": "No such run."}})
def run(caller: ReaderCaller, store: StoreDep,
        run_id: Annotated[str, Path(description="The run id.")]) -> dict[str, Any]:
    for record in store.runs(10000):
        if record.run_id == run_id:
            return record.to_json()
    raise NotFoundError(f"no ingestion run '{run_id}'")


@router.get("/runs/{run_id}/changes", response_model=RunChangesModel,
            summary="What one ingestion run changed", responses={404: {
                "description": "No such run."}})
def run_changes(caller: ReaderCaller, store: StoreDep,
                run_id: Annotated[str, Path(description="The run id.")],
                offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
                limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    """A page of the run's change ledger: each node and relationship it created (with its
    properties), updated (each property before and after) or removed."""
    total, page = store.run_changes(run_id, offset, limit)
    return {"run_id": run_id, "total": total, "offset": offset,
            "changes": [c.to_json() for c in page]}
