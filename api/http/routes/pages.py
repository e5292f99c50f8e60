"""Visualisation pages: the same self-contained HTML as `aimsgraph visualise`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse

from aimsgraph.api.http.deps import AsOf, QueriesDep, ReaderCaller
from aimsgraph.graph.questions.definitions import today
from aimsgraph.graph.questions.kinds import MOST_NEIGHBOURS, NodePageKind, WholePageKind
from aimsgraph.visualise import build_page, render_page

router = APIRouter(prefix="/visualise", tags=["visualisation"])
explore_router = APIRouter(tags=["visualisation"])

_HTML: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}}, "description": "A self-contained HTML page."},
         404: {"description": "No such node."}}


@router.get("/{kind}", response_class=HTMLResponse, summary="A page without a subject",
            responses=_HTML)
def whole(caller: ReaderCaller, queries: QueriesDep, as_of: AsOf,
          kind: Annotated[WholePageKind, Path()],
          check: Annotated[list[str] | None, Query(
              description="For gaps: only these checks (404 names the known ones).")] = None,
          label: Annotated[list[str] | None, Query(
              description="For gaps: only findings about these labels.")] = None,
          ) -> HTMLResponse:
    """The nodes with findings and what is next to them, with a findings panel and filters;
    or the ontology."""
    return HTMLResponse(render_page(build_page(queries, kind, ",".join(check or ()) or None,
                                               as_of, labels=label or ())))


@router.get("/{kind}/{node_id}", response_class=HTMLResponse, summary="A page about one node",
            responses=_HTML)
def about(caller: ReaderCaller, queries: QueriesDep, as_of: AsOf,
          kind: Annotated[NodePageKind, Path()],
          node_id: Annotated[str, Path(examples=["SYS-CLAIMS"])],
          depth: Annotated[int, Query(ge=1, le=4)] = 1,
          label: Annotated[list[str] | None, Query(description="Only these labels.")] = None,
          max_neighbours: Annotated[int, Query(
              ge=1, le=5000, description="On node pages, how many of each node's neighbours "
              "to follow (the first by label and id).")] = MOST_NEIGHBOURS,
          ) -> HTMLResponse:
    """A neighbourhood (`node`), an AI system's governance (`system`), or a control, risk or
    policy traced to its executive (`trace`)."""
    return HTMLResponse(render_page(build_page(queries, kind, node_id, as_of, depth,
                                               label or (), most=max_neighbours)))


@explore_router.get("/explore", response_class=HTMLResponse, summary="The live explorer",
                    responses={200: {"content": {"text/html": {}},
                                     "description": "An offline page that asks this API."}})
def explore() -> HTMLResponse:
    """Search entities, expand neighbours on click, filter labels, change the as-of date to
    re-mark the gaps, pin nodes and save the view as PNG. The page itself needs no key; it
    asks for one when the server has keys, and keeps it for the browser tab only."""
    from aimsgraph.visualise.explorer import render_explorer  # pyvis loads only for a page

    return HTMLResponse(render_explorer(today().isoformat()))
