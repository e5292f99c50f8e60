"""Visualisation pages: the same self-contained HTML as `aimsgraph visualise`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse

from api.deps import AsOf, QueriesDep, ReaderCaller
from visualise import build_page, render_page

router = APIRouter(prefix="/visualise", tags=["visualisation"])

_HTML: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}}, "description": "A self-contained HTML page."},
         404: {"description": "No such node."}}


@router.get("/{kind}", response_class=HTMLResponse, summary="A page without a subject",
            responses=_HTML)
def whole(caller: ReaderCaller, queries: QueriesDep, as_of: AsOf,
          kind: Annotated[Literal["gaps", "schema"], Path()]) -> HTMLResponse:
    """The graph with every gap marked, or the ontology."""
    return HTMLResponse(render_page(build_page(queries, kind, None, as_of)))


@router.get("/{kind}/{node_id}", response_class=HTMLResponse, summary="A page about one node",
            responses=_HTML)
def about(caller: ReaderCaller, queries: QueriesDep, as_of: AsOf,
          kind: Annotated[Literal["node", "system", "trace"], Path()],
          node_id: Annotated[str, Path(examples=["SYS-CLAIMS"])],
          depth: Annotated[int, Query(ge=1, le=4)] = 1,
          label: Annotated[list[str] | None, Query(description="Only these labels.")] = None,
          ) -> HTMLResponse:
    """A neighbourhood (`node`), an AI system's governance (`system`), or a control, risk or
    policy traced to its executive (`trace`)."""
    return HTMLResponse(render_page(build_page(queries, kind, node_id, as_of, depth,
                                               label or ())))
