"""Entities: list any label, read one node with its provenance, and its neighbours."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from aimsgraph.api.http.deps import QueriesDep, ReaderCaller
from aimsgraph.api.http.models import (
    EntityDetailModel,
    EntityPage,
    NeighbourhoodModel,
    SearchPage,
)
from aimsgraph.graph.questions.kinds import MOST_NEIGHBOURS

router = APIRouter(prefix="/entities", tags=["entities"])

Label = Annotated[str, Path(description="A label of the ontology.", examples=["Control"])]


@router.get("", response_model=SearchPage, summary="Search entities of every label")
def search(caller: ReaderCaller, queries: QueriesDep,
           q: Annotated[str, Query(min_length=1, max_length=200,
                                   description="Text in the id or name, any case.")],
           limit: Annotated[int, Query(ge=1, le=200)] = 20) -> SearchPage:
    """Entities whose id or name holds ``q`` (any case), ids that start with it first."""
    return SearchPage(items=queries.search(q, limit))


@router.get("/{label}", response_model=EntityPage, summary="List entities of a label",
            responses={404: {"description": "Unknown label."}})
def list_entities(caller: ReaderCaller, queries: QueriesDep, label: Label,
                  q: Annotated[str | None, Query(description="Text in the id or name.")] = None,
                  status: Annotated[str | None, Query(description="Only this status.")] = None,
                  limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                  offset: Annotated[int, Query(ge=0)] = 0) -> EntityPage:
    """Entities of one label, sorted by id, filtered by text and status, paged."""
    return queries.entities(label, q, status, limit, offset)


@router.get("/{label}/{node_id}", response_model=EntityDetailModel, summary="One entity",
            responses={404: {"description": "No such entity."}})
def get_entity(caller: ReaderCaller, queries: QueriesDep, label: Label,
               node_id: Annotated[str, Path(examples=["C-16"])]) -> EntityDetailModel:
    """A node with every property and its provenance (source file and row, run, time), and
    its relationships grouped by direction and type, each with its own provenance; the same
    JSON as `aimsgraph show TYPE ID`."""
    return queries.entity(label, node_id)


@router.get("/{label}/{node_id}/neighbours", response_model=NeighbourhoodModel,
            summary="Neighbours of an entity", responses={404: {"description": "No such entity."}})
def neighbours(caller: ReaderCaller, queries: QueriesDep, label: Label,
               node_id: Annotated[str, Path(examples=["SYS-CLAIMS"])],
               depth: Annotated[int, Query(ge=1, le=3)] = 1,
               max_neighbours: Annotated[int, Query(
                   ge=1, le=1000, description="How many of each node's neighbours to "
                   "follow, the first in (label, id) order; the others are counted in "
                   "`left_out`.")] = MOST_NEIGHBOURS) -> NeighbourhoodModel:
    """Nodes within `depth` relationships (either direction) and the relationships among them;
    a node with more than `max_neighbours` neighbours is listed in `left_out` with how many
    were not followed."""
    return queries.neighbourhood(label, node_id, depth, max_neighbours)
