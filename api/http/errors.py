"""The one place the project's errors become HTTP answers (no stack trace, no internal path)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from aimsgraph.ontology import (
    AimsgraphError,
    BundleError,
    ConfigError,
    DamagedStoreError,
    NotFoundError,
    OutputError,
    ReadTimeoutError,
    StoreBusyError,
    StoreError,
    StoreUnavailableError,
    TooBroadError,
)

__all__ = ["install_error_handlers"]

log = logging.getLogger(__name__)

#: What a client over its read budget is told to wait before asking again.
RETRY_AFTER_SECONDS = 30


#: What the schema says of a request whose parameters or body are not valid.
BAD_REQUEST = "A parameter or the body is not valid (the detail names each, with why)"


def install_error_handlers(app: FastAPI) -> None:
    """Map the exception tree: 400 bad bundle or bad parameter, 404 unknown, 400 too broad,
    503 store down or read over its time budget (with Retry-After), 500 otherwise."""

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        # a bad parameter is the client's mistake, said as every other one is: 400, with
        # each problem's place and reason as the validator gives them
        return JSONResponse(status_code=400, content={"detail": jsonable_encoder(exc.errors())})

    @app.exception_handler(AimsgraphError)
    async def project_error(request: Request, exc: AimsgraphError) -> JSONResponse:
        if isinstance(exc, BundleError):
            return JSONResponse(status_code=400, content={"detail": [
                {"file": i.file, "row": i.row, "column": i.column, "message": i.message,
                 "text": str(i)} for i in exc.issues], "total_errors": exc.total})
        if isinstance(exc, NotFoundError):
            return JSONResponse(status_code=404, content={"detail": str(exc)})
        if isinstance(exc, TooBroadError):
            return JSONResponse(status_code=400, content={"detail": str(exc)})
        if isinstance(exc, ReadTimeoutError):
            log.warning("read over budget on %s: %s", request.url.path, exc)
            return JSONResponse(status_code=503, content={"detail": str(exc)},
                                headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
        if isinstance(exc, DamagedStoreError):
            log.error("damaged store: %s", exc)
            return JSONResponse(status_code=503, content={
                "detail": "the graph store holds a value it cannot read back; an "
                          "administrator runs 'aimsgraph doctor --repair'"})
        if isinstance(exc, OutputError):
            log.error("output error: %s", exc)
            return JSONResponse(status_code=500, content={"detail": "a result could not be "
                                                                    "written"})
        if isinstance(exc, StoreBusyError):  # another ingest writes: try again later
            return JSONResponse(status_code=409, content={"detail": str(exc)})
        if isinstance(exc, StoreUnavailableError | StoreError):
            request.app.state.store_holder.reset()
            log.warning("store unavailable: %s", exc)
            return JSONResponse(status_code=503, content={
                "detail": "the graph store is unavailable; try again shortly"})
        if isinstance(exc, ConfigError):
            log.error("configuration error: %s", exc)
            return JSONResponse(status_code=500, content={"detail": "server misconfigured"})
        return JSONResponse(status_code=400, content={"detail": str(exc)})

    _document_bad_requests(app)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse(status_code=500, content={"detail": "internal error"})


def _document_bad_requests(app: FastAPI) -> None:
    """The schema says what the handler above answers: every operation that documents
    FastAPI's 422 documents a 400 instead (the error model, its description extended)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = generate()
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.get("responses", {})
                if responses.pop("422", None) is None:
                    continue
                if "400" in responses:
                    responses["400"]["description"] += "; or " + BAD_REQUEST[0].lower() + \
                        BAD_REQUEST[1:]
                else:
                    responses["400"] = {"description": BAD_REQUEST, "content": {
                        "application/json": {"schema": {
                            "$ref": "#/components/schemas/ErrorModel"}}}}
        models = schema.get("components", {}).get("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            models.pop(unused, None)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
