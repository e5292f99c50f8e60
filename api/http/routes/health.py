"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter

from aimsgraph.api.http.deps import StoreDep
from aimsgraph.api.http.models import StatusModel
from aimsgraph.graph.store.cache import AnswerCache
from aimsgraph.graph.store.doctor import readable
from aimsgraph.ontology import DamagedStoreError

router = APIRouter(tags=["health"])

#: Whether the store reads back, per store and generation (a look at every stored text that
#: could fail to, once per write rather than once per probe).
_READABLE: AnswerCache[str | None] = AnswerCache(size=8)


@router.get("/health", response_model=StatusModel, summary="Liveness")
async def health() -> StatusModel:
    """The process is up (does not touch the store, so it is answered on the event loop)."""
    return StatusModel(status="ok")


@router.get("/ready", response_model=StatusModel, summary="Readiness",
            responses={503: {"description": "The store cannot be reached, or holds a value "
                                            "it cannot read back (aimsgraph doctor)."}})
def ready(store: StoreDep) -> StatusModel:
    """The store is reachable and what it holds reads back: answers 503 until it is."""
    store.stats()
    problem = _READABLE.get_or_compute((id(store), store.generation()),
                                       lambda: readable(store))
    if problem:
        raise DamagedStoreError(f"the store holds a value it cannot read back: {problem}")
    return StatusModel(status="ready", store=store.name)
