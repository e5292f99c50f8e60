"""Audit reports in JSON, CSV, Markdown, HTML or an xlsx workbook (by `format`, else by the
Accept header)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from aimsgraph.api.http.deps import (
    AS_OF_SCHEMA,
    POINT_SCHEMA,
    AsOf,
    QueriesDep,
    ReaderCaller,
    as_of_value,
)
from aimsgraph.api.render import render
from aimsgraph.graph.questions.kinds import ReportFormat, ReportKind, TextFormat
from aimsgraph.graph.reports.standard import Report

router = APIRouter(prefix="/reports", tags=["reports"])
diff_router = APIRouter(tags=["history"])

MEDIA = {"json": "application/json", "csv": "text/csv", "markdown": "text/markdown",
          "html": "text/html",
          "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _negotiate(fmt: str | None, accept: str | None) -> str:
    if fmt:
        return fmt
    for media in (accept or "").split(","):
        kind = media.split(";")[0].strip()
        for name, known in MEDIA.items():
            if kind == known:
                return name
    return "json"


@router.get("/{kind}", summary="An audit report",
            responses={200: {"content": {m: {} for m in MEDIA.values()},
                             "description": "The report in the format asked for."}})
def report(caller: ReaderCaller, queries: QueriesDep, as_of: AsOf,
           kind: Annotated[ReportKind,
                           Path(description="soa, coverage, gaps, audit-programme, leadership "
                                            "or review (with since).")],
           since: Annotated[str | None, Query(
               **POINT_SCHEMA, description="For review: the point to look back to (a run "
               "id, or a date standing for the last successful run by that day).")] = None,
           framework: Annotated[str | None, Query(
               max_length=100, description="For coverage: another framework's coverage "
               "through its mappings to ISO/IEC 42001 (EU_AI_ACT, NIST_AI_RMF, ...; any "
               "case).")] = None,
           fmt: Annotated[ReportFormat | None,
                          Query(alias="format", description="Overrides the Accept header.")]
           = None,
           accept: Annotated[str | None, Header()] = None) -> Response:
    """The Statement of Applicability, clause coverage, the gap summary, the internal audit
    programme (9.2), leadership accountability (5), or the management review pack (9.3)."""
    return respond(queries.report(kind, as_of, since, framework), fmt, accept)


@diff_router.get("/diff", summary="What changed between two points",
                 responses={200: {"content": {m: {} for m in MEDIA.values()},
                                  "description": "The changes in the format asked for."},
                            404: {"description": "A point names no run or date."}})
def diff(caller: ReaderCaller, queries: QueriesDep,
         start: Annotated[str, Query(alias="from", **POINT_SCHEMA,
                                     description="A run id, or a date (YYYY-MM-DD) standing "
                                                 "for the last successful run by that day.")],
         end: Annotated[str | None, Query(alias="to", **POINT_SCHEMA,
                                          description="Another point (default: now).")]
         = None,
         as_of: Annotated[str | None, Query(
             **AS_OF_SCHEMA,
             description="Evaluate both sides on this date, YYYY-MM-DD (default: each "
                         "point's own).")]
         = None,
         fmt: Annotated[TextFormat | None,
                        Query(alias="format", description="Overrides the Accept header.")]
         = None,
         accept: Annotated[str | None, Header()] = None) -> Response:
    """The data changed between two points (net, with the run and source of each change) and
    the findings opened, closed or changed per check; the same JSON as `aimsgraph diff`."""
    return respond(queries.diff(start, end, as_of_value(as_of)), fmt, accept)


def respond(built: Report, fmt: str | None, accept: str | None) -> Response:
    chosen = _negotiate(fmt, accept)
    if chosen == "json":
        data: Any = built.data
        return JSONResponse(data)
    if chosen == "xlsx":
        from aimsgraph.api.workbook import to_xlsx  # openpyxl loads only for a workbook

        return Response(to_xlsx(built), media_type=MEDIA["xlsx"], headers={
            "Content-Disposition": f'attachment; filename="{built.kind}-{built.as_of}.xlsx"'})
    text = render(built, chosen)
    if chosen == "html":
        return HTMLResponse(text)
    return PlainTextResponse(text, media_type=MEDIA[chosen])
