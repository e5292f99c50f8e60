"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import StoreDep
from api.models import StatusModel

router = APIRouter(tags=["health"])


@router.get("/health", response_model=StatusModel, summary="Liveness")
async def health() -> StatusModel:
    """The process is up (does not touch the store, so it is answered on the event loop)."""
    return StatusModel(status="ok")


@router.get("/ready", response_model=StatusModel, summary="Readiness",
            responses={503: {"description": "The store cannot be reached."}})
def ready(store: StoreDep) -> StatusModel:
    """The store is reachable: answers 503 until it is."""
    store.stats()
    return StatusModel(status="ready", store=store.name)
