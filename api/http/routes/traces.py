"""Traceability: owner chains to the executive, and the trace of systems, requirements, people
and paths."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from aimsgraph.api.http.deps import AsOf, QueriesDep, ReaderCaller
from aimsgraph.api.http.kept import kept_response
from aimsgraph.api.http.models import (
    ExecutiveTraceModel,
    GraphTraceModel,
    OwnerTraceModel,
    PathTraceModel,
    PersonTraceModel,
    RequirementTraceModel,
    SystemTraceModel,
)
from aimsgraph.graph.questions.kinds import ItemTraceKind

#: The answer of a trace of one item: its chain, or the graph around it.
ItemTrace = (OwnerTraceModel | SystemTraceModel | PersonTraceModel | RequirementTraceModel
             | GraphTraceModel)

router = APIRouter(prefix="/trace", tags=["traces"])

NotFound: dict[int | str, dict[str, Any]] = {404: {"description": "No such item."}}


@router.get("/path", response_model=PathTraceModel, summary="Shortest path", responses=NotFound)
def path(request: Request, caller: ReaderCaller, queries: QueriesDep, as_of: AsOf,
         source: Annotated[str, Query(alias="from", description="A node: id or Type:id.",
                                      examples=["P-22"])],
         target: Annotated[str, Query(alias="to", description="A node: id or Type:id.",
                                      examples=["A.6.2.6"])]) -> Response:
    """The shortest path between two nodes, with relationship types."""
    return kept_response(request, queries, ("path", source, target, as_of), PathTraceModel,
                         lambda: queries.trace("path", source, target, as_of))


@router.get("/executive/{node_id}", response_model=ExecutiveTraceModel,
            summary="Everything an executive answers for", responses=NotFound)
def executive(request: Request, caller: ReaderCaller, queries: QueriesDep, as_of: AsOf,
              node_id: Annotated[str, Path(description="A person's id.", examples=["P-03"])],
              ) -> Response:
    """The reverse of the owner trace: every AI system, control, risk and policy whose
    responsible executive on the date is this person, each with its chain and findings."""
    return kept_response(request, queries, ("executive", node_id, as_of), ExecutiveTraceModel,
                         lambda: queries.trace("executive", node_id, None, as_of))


@router.get("/{kind}/{node_id}", response_model=ItemTrace,
            summary="Trace an item", responses=NotFound)
def trace(request: Request, caller: ReaderCaller, queries: QueriesDep, as_of: AsOf,
          kind: Annotated[ItemTraceKind, Path(description="What the id names.")],
          node_id: Annotated[str, Path(description="The item's id.", examples=["C-16"])],
          system: Annotated[str | None, Query(
              description="For a requirement of another framework: only the controls "
                          "applying to this AI system or to none, and whether it is met.",
              examples=["SYS-CLAIMS"])] = None,
          ) -> Response:
    """A control, risk or policy up to its responsible executive; a system, requirement or
    person with everything around it (`what_if_departure` for people; `crosswalk` for a
    requirement of another framework: its mappings, controls, chains and executives)."""
    return kept_response(request, queries, ("trace", kind, node_id, as_of, system),
                         ItemTrace,
                         lambda: queries.trace(kind, node_id, None, as_of, system))
