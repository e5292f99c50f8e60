"""Entities: list any label, read one node with its provenance, and its neighbours."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import QueriesDep, ReaderCaller
from api.models import EntityModel, EntityPage, GraphTraceModel
from graph.records import NodeKey
from graph.semantics import Semantics
from ontology import ONTOLOGY, NotFoundError

router = APIRouter(prefix="/entities", tags=["entities"])

Label = Annotated[str, Path(description="A label of the ontology.", examples=["Control"])]


def _entity(sem: Semantics, key: NodeKey) -> EntityModel:
    props = {k: (v.isoformat() if hasattr(v, "isoformat") else v)
             for k, v in sem.view.props(key).items()}
    return EntityModel(type=key[0], id=key[1], name=sem.name(key),
                       labels=sorted(sem.view.labels(key)), properties=props)


def _label(label: str) -> str:
    if not ONTOLOGY.has_label(label) and label not in ONTOLOGY.derived_labels:
        raise NotFoundError(f"unknown label '{label}'; labels: {', '.join(ONTOLOGY.labels)}")
    return label


@router.get("/{label}", response_model=EntityPage, summary="List entities of a label",
            responses={404: {"description": "Unknown label."}})
def list_entities(caller: ReaderCaller, queries: QueriesDep, label: Label,
                  q: Annotated[str | None, Query(description="Text in the id or name.")] = None,
                  status: Annotated[str | None, Query(description="Only this status.")] = None,
                  limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                  offset: Annotated[int, Query(ge=0)] = 0) -> EntityPage:
    """Entities of one label, sorted by id, filtered by text and status, paged."""
    sem = queries.semantics()
    keys = sorted(sem.view.nodes(_label(label)))
    if q:
        needle = q.lower()
        keys = [k for k in keys if needle in k[1].lower() or needle in sem.name(k).lower()]
    if status:
        keys = [k for k in keys if sem.prop(k, "status") == status]
    return EntityPage(total=len(keys), limit=limit, offset=offset,
                      items=[_entity(sem, k) for k in keys[offset:offset + limit]])


def _find(sem: Semantics, label: str, node_id: str) -> NodeKey:
    key = (_label(label), node_id)
    if label in ONTOLOGY.derived_labels:
        key = next((k for k in sem.view.nodes(label) if k[1] == node_id), key)
    if not sem.view.has(key):
        raise NotFoundError(f"no {label} with id '{node_id}'")
    return key


@router.get("/{label}/{node_id}", response_model=EntityModel, summary="One entity",
            responses={404: {"description": "No such entity."}})
def get_entity(caller: ReaderCaller, queries: QueriesDep, label: Label,
               node_id: Annotated[str, Path(examples=["C-16"])]) -> EntityModel:
    """A node with every property, provenance (source file and row, run, time) included."""
    sem = queries.semantics()
    return _entity(sem, _find(sem, label, node_id))


@router.get("/{label}/{node_id}/neighbours", response_model=GraphTraceModel,
            summary="Neighbours of an entity", responses={404: {"description": "No such entity."}})
def neighbours(caller: ReaderCaller, queries: QueriesDep, label: Label,
               node_id: Annotated[str, Path(examples=["SYS-CLAIMS"])],
               depth: Annotated[int, Query(ge=1, le=3)] = 1) -> dict[str, Any]:
    """Nodes within `depth` relationships (either direction) and the relationships among them."""
    sem = queries.semantics()
    start = _find(sem, label, node_id)
    seen = sem.view.neighbourhood(start, depth)
    rels = [{"type": t, "from": sem.ref(a), "to": sem.ref(b)}
            for a, b, t in sem.view.edges_among(seen)]
    return {"subject": sem.ref(start), "as_of": sem.as_of.isoformat(),
            "nodes": [sem.ref(k) for k in sorted(seen)],
            "relationships": sorted(rels, key=lambda r: (r["type"], r["from"]["id"],
                                                         r["to"]["id"]))}
