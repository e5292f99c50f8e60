"""Gap checks: every check, or one, with filters and paging."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from aimsgraph.api.http.deps import AsOf, QueriesDep, ReaderCaller
from aimsgraph.api.http.kept import kept_response
from aimsgraph.api.http.models import GapReportModel
from aimsgraph.graph.questions.checks import GapReport, check_by_id

router = APIRouter(prefix="/gaps", tags=["gaps"])

Severity = Annotated[str | None, Query(pattern="^(high|medium|low)$",
                                       description="Only findings of this severity.")]
SubjectType = Annotated[str | None, Query(description="Only findings about this label "
                                          "(404 names the labels when it is unknown).")]
Limit = Annotated[int, Query(ge=1, le=10000, description="Findings per check, at most.")]
Offset = Annotated[int, Query(ge=0, description="Findings of each check to skip.")]
Every = Annotated[bool, Query(alias="all", description="Also list checks without findings "
                              "(after the filters); false leaves them out.")]


def _shape(report: GapReport, severity: str | None, subject_type: str | None, limit: int,
           offset: int, every: bool = True) -> dict[str, Any]:
    data = report.filtered(severity, subject_type).to_json()
    if not every:
        data["checks"] = [c for c in data["checks"] if c["count"]]
    for check in data["checks"]:
        check["findings"] = check["findings"][offset:offset + limit]
    return data


@router.get("", response_model=GapReportModel, summary="Run every gap check")
def all_gaps(request: Request, caller: ReaderCaller, queries: QueriesDep, as_of: AsOf,
             severity: Severity = None, subject_type: SubjectType = None,
             limit: Limit = 1000, offset: Offset = 0, every: Every = True) -> Response:
    """Every gap check as of a date; the same JSON as `aimsgraph gaps`."""
    return kept_response(request, queries, ("gaps", as_of, severity, subject_type, limit,
                                            offset, every), GapReportModel,
                         lambda: _shape(queries.gaps(as_of), severity, subject_type, limit,
                                        offset, every))


@router.get("/{check_id}", response_model=GapReportModel, summary="Run one gap check",
            responses={404: {"description": "No check has this id."}})
def one_gap(request: Request, caller: ReaderCaller, queries: QueriesDep, as_of: AsOf,
            check_id: Annotated[str, Path(description="A stable check id.",
                                          examples=["high-risk-untreated"])],
            severity: Severity = None, subject_type: SubjectType = None,
            limit: Limit = 1000, offset: Offset = 0) -> Response:
    """One check; the same JSON as `aimsgraph gaps CHECK_ID`."""
    check_by_id(check_id)
    return kept_response(request, queries, ("gap", check_id, as_of, severity, subject_type,
                                            limit, offset), GapReportModel,
                         lambda: _shape(queries.gaps(as_of, [check_id]), severity,
                                        subject_type, limit, offset))
