"""Ingestion jobs over HTTP: where each stands (`GET /jobs`, readers) and one run now
(`POST /jobs/{name}/run`, admins); `aimsgraph serve --jobs` also runs the due ones."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.concurrency import run_in_threadpool

from aimsgraph.api.http.deps import AdminCaller, ReaderCaller, SettingsDep, StoreDep
from aimsgraph.api.settings import Settings
from aimsgraph.ingest.job_runner import job_state, run_job
from aimsgraph.ingest.jobs import Job, load_jobs
from aimsgraph.ontology import ConfigError, NotFoundError, did_you_mean

router = APIRouter(prefix="/jobs", tags=["jobs"])


def _jobs(settings: Settings) -> list[Job]:
    if settings.jobs_file is None:
        raise NotFoundError("this server has no jobs file (AIMSGRAPH_JOBS_FILE)")
    try:
        return load_jobs(settings.jobs_file)
    except ConfigError as exc:  # the file is the operator's: say what is wrong with it
        raise NotFoundError(f"the jobs file cannot be used: {exc}") from None


@router.get("", summary="Each ingestion job and where it stands",
            responses={404: {"description": "No jobs file is configured."}})
def jobs(caller: ReaderCaller, settings: SettingsDep, store: StoreDep) -> dict[str, Any]:
    """Each job: name, source, schedule, last run id and outcome, last success, next run,
    and whether it is stale (the same as `aimsgraph jobs list --format json`)."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    runs = store.runs(100_000)
    return {"jobs": [job_state(job, runs, now) for job in _jobs(settings)]}


@router.post("/{name}/run", summary="Run one ingestion job now",
             responses={404: {"description": "No such job, or no jobs file."}})
async def run(caller: AdminCaller, settings: SettingsDep, store: StoreDep,
              name: Annotated[str, Path(max_length=64, description="The job's name.")]
              ) -> dict[str, Any]:
    """Run the job now (whatever its schedule) and answer with its outcome: the run id,
    `succeeded` or `failed`, and what it changed or why it failed (a failed run writes
    nothing; another ingest writing meanwhile makes it fail, naming that ingest)."""
    chosen = {j.name: j for j in _jobs(settings)}
    if name not in chosen:
        raise NotFoundError(f"no job {name!r}{did_you_mean(name, list(chosen))}")
    return await run_in_threadpool(run_job, store, chosen[name], settings.read_limits())
