"""Gap checks: every check, or one, with filters and paging."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import AsOf, QueriesDep, ReaderCaller
from api.models import GapReportModel
from graph.gaps import GapReport, check_by_id

router = APIRouter(prefix="/gaps", tags=["gaps"])

Severity = Annotated[str | None, Query(pattern="^(high|medium|low)$",
                                       description="Only findings of this severity.")]
SubjectType = Annotated[str | None, Query(description="Only findings about this label.")]
Limit = Annotated[int, Query(ge=1, le=10000, description="Findings per check, at most.")]
Offset = Annotated[int, Query(ge=0, description="Findings of each check to skip.")]


def _shape(report: GapReport, severity: str | None, subject_type: str | None, limit: int,
           offset: int) -> dict[str, Any]:
    data = report.to_json()
    for check in data["checks"]:
        found = [f for f in check["findings"]
                 if (severity is None or f["severity"] == severity)
                 and (subject_type is None or f["subject"]["type"] == subject_type)]
        check["count"] = len(found)
        check["findings"] = found[offset:offset + limit]
    return data


@router.get("", response_model=GapReportModel, summary="Run every gap check")
def all_gaps(caller: ReaderCaller, queries: QueriesDep, as_of: AsOf,
             severity: Severity = None, subject_type: SubjectType = None,
             limit: Limit = 1000, offset: Offset = 0) -> dict[str, Any]:
    """Every gap check as of a date; the same JSON as `aimsgraph gaps`."""
    return _shape(queries.gaps(as_of), severity, subject_type, limit, offset)


@router.get("/{check_id}", response_model=GapReportModel, summary="Run one gap check",
            responses={404: {"description": "No check has this id."}})
def one_gap(caller: ReaderCaller, queries: QueriesDep, as_of: AsOf,
            check_id: Annotated[str, Path(description="A stable check id.",
                                          examples=["high-risk-untreated"])],
            severity: Severity = None, subject_type: SubjectType = None,
            limit: Limit = 1000, offset: Offset = 0) -> dict[str, Any]:
    """One check; the same JSON as `aimsgraph gaps CHECK_ID`."""
    check_by_id(check_id)
    return _shape(queries.gaps(as_of, [check_id]), severity, subject_type, limit, offset)
