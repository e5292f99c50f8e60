"""The FastAPI application factory: settings and store injected, nothing connected at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline

from aimsgraph.api.http.deps import StoreHolder, read_budget
from aimsgraph.api.http.errors import install_error_handlers
from aimsgraph.api.http.hardening import HardeningMiddleware
from aimsgraph.api.http.models import ErrorModel
from aimsgraph.api.http.routes import (
    due,
    entities,
    gaps,
    health,
    home,
    impact,
    ingestion,
    jobs,
    pages,
    reports,
    traces,
)
from aimsgraph.api.http.security import parse_keys
from aimsgraph.api.settings import Settings
from aimsgraph.graph import GraphStore
from aimsgraph.graph.questions.checks import GapReport
from aimsgraph.graph.store.cache import AnswerCache
from aimsgraph.ontology import ConfigError

__all__ = ["create_app"]

def _version() -> str:
    return version("aimsgraph")


DESCRIPTION = """
Governance and traceability for ISO/IEC 42001 AI management systems.

Authenticate with `Authorization: Bearer KEY`: reader keys read, admin keys also ingest.
Without configured keys the API serves reads to loopback clients only and refuses writes.
Dates are `YYYY-MM-DD`; every gap and trace takes `as_of` (default today).

What the labels, properties, allowed values and gap checks mean is in the reference pages
`docs/ontology.md`, `docs/bundles.md` and `docs/checks.md` of the source (`aimsgraph docs`
writes them).
"""


def create_app(settings: Settings | None = None, store: GraphStore | None = None,
               run_jobs: bool = False, jobs_interval: float = 30.0) -> FastAPI:
    """A new app. ``store`` (not yet opened) overrides the one the settings name;
    ``run_jobs`` runs the jobs file's due jobs in the background, one at a time."""
    settings = settings or Settings()
    holder = StoreHolder(settings, store)
    if run_jobs and settings.jobs_file is None:
        raise ConfigError("--jobs needs a jobs file: set AIMSGRAPH_JOBS_FILE")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        scheduler = None
        if run_jobs and settings.jobs_file is not None:
            from aimsgraph.ingest.job_runner import JobScheduler
            from aimsgraph.ingest.jobs import load_jobs

            jobs_file = settings.jobs_file
            scheduler = JobScheduler(holder.get(), lambda: load_jobs(jobs_file),
                                     settings.read_limits(), jobs_interval)
            scheduler.start()
        app.state.scheduler = scheduler
        yield
        if scheduler is not None:
            scheduler.stop()
        holder.close()

    app = FastAPIOffline(title="aimsgraph", version=_version(), description=DESCRIPTION,
                         lifespan=lifespan, static_url="/docs-assets")
    app.state.settings = settings
    app.state.store_holder = holder
    app.state.gap_cache = AnswerCache[GapReport]()  # gap reports per store generation
    # /gaps and /trace responses as sent: many small ones, or a few reports of 10,000s of
    # findings, within 64 MiB
    app.state.body_cache = AnswerCache[bytes](256, budget=64 * 2**20, weigh=len)
    app.state.api_keys = parse_keys(settings.api_keys)  # a bad entry fails at start-up
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins.split(","),
                           allow_methods=["GET", "POST"], allow_headers=["Authorization"])
    app.add_middleware(HardeningMiddleware, loopback_hosts_only=not app.state.api_keys)
    install_error_handlers(app)
    common: dict[int | str, dict[str, Any]] = {
        401: {"model": ErrorModel, "description": "No API key, or an unknown one."},
        403: {"model": ErrorModel, "description": "The key's role may not do this."},
        503: {"model": ErrorModel, "description": "The graph store is unavailable."},
    }
    app.include_router(home.router)
    app.include_router(pages.explore_router)
    app.include_router(health.router, responses={503: common[503]})
    budgeted = {**common, 503: {"model": ErrorModel, "description": "The graph store is "
                                "unavailable, or the read ran past its time budget "
                                "(see Retry-After)."},
                400: {"model": ErrorModel, "description": "The answer would be broader than "
                      "allowed; the message names a narrower request."},
                404: {"model": ErrorModel, "description": "Something the request names does "
                      "not exist: an id, a check, or an as_recorded point."}}
    for module in (gaps, traces, impact, entities, reports, due, pages):
        app.include_router(module.router, responses=budgeted,
                           dependencies=[Depends(read_budget)])
    app.include_router(reports.diff_router, responses=budgeted,
                       dependencies=[Depends(read_budget)])
    app.include_router(ingestion.router, responses=common)
    app.include_router(jobs.router, responses=common)
    return app
