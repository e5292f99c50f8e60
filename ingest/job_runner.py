"""Running jobs and saying where they stand: what the command line, the API and the
scheduler of ``aimsgraph serve --jobs`` share.

A job's state comes from the run ledger alone (runs recorded under ``job:NAME``), so every
process sees the same: its last run and outcome, its last success, when it is next due, and
whether it is stale (no success for twice its schedule's period).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from aimsgraph.graph.store.interface import GraphStore
from aimsgraph.graph.store.runs import RunRecord
from aimsgraph.ingest.job_sources import job_bundle
from aimsgraph.ingest.jobs import Job, job_source, next_run
from aimsgraph.ingest.limits import ReadLimits
from aimsgraph.ingest.pipeline import ingest_bundle, new_run_id
from aimsgraph.ontology import AimsgraphError, BundleError

__all__ = ["JobScheduler", "due_jobs", "job_state", "run_job"]

log = logging.getLogger(__name__)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def job_state(job: Job, runs: list[RunRecord], now: dt.datetime) -> dict[str, Any]:
    """A job's last run, last success, next run, and whether it is stale (its last success
    older than twice its schedule's period, or none yet); ``runs`` newest first."""
    mine = [r for r in runs if r.source == job_source(job.name)]
    last = mine[0] if mine else None
    success = next((r for r in mine if r.outcome == "succeeded"), None)
    due = next_run(job, last.started_at) if last else now
    period = next_run(job, next_run(job, now)) - next_run(job, now)
    ended = (success.ended_at or success.started_at) if success else None
    return {**job.to_json(), "last_run": last.run_id if last else None,
            "last_outcome": last.outcome if last else None,
            "last_success": ended.isoformat() if ended else None,
            "next_run": due.isoformat(), "stale": ended is None or now - ended > 2 * period}


def due_jobs(jobs: list[Job], runs: list[RunRecord], now: dt.datetime) -> list[Job]:
    """The jobs whose next run has come."""
    return [j for j in jobs
            if dt.datetime.fromisoformat(job_state(j, runs, now)["next_run"]) <= now]


def run_job(store: GraphStore, job: Job, limits: ReadLimits,
            dry_run: bool = False) -> dict[str, Any]:
    """Run one job; a failure (a source that cannot be read, a rejected bundle, a busy
    store) is its outcome, recorded as a failed run, never a half write."""
    import httpx  # only a job that runs reads from the network

    source = job_source(job.name)
    try:
        with job_bundle(job, limits, store) as bundle:
            report = ingest_bundle(store, bundle, sync=source if job.sync else None,
                                   source=source, dry_run=dry_run, limits=limits)
        changed = sum(v for table in report.changes.values() for actions in table.values()
                      for k, v in actions.items() if k != "unchanged")
        return {"job": job.name, "run_id": report.run_id, "outcome": report.outcome,
                "detail": f"{changed} change{'s' if changed != 1 else ''}"}
    except BundleError as exc:
        first = str(exc.issues[0]) if exc.issues else str(exc)
        return {"job": job.name, "run_id": None, "outcome": "failed",
                "detail": f"rejected, nothing written ({exc.total} errors; {first})"}
    except (AimsgraphError, httpx.HTTPError, OSError) as exc:
        now = _now()
        message = str(exc) if isinstance(exc, AimsgraphError) else \
            f"{type(exc).__name__}: {exc}"
        if not dry_run:
            store.record_run(RunRecord(new_run_id(now), source, job.name, now, now, "failed",
                                       errors=[f"the source could not be read: {message}"]))
        return {"job": job.name, "run_id": None, "outcome": "failed",
                "detail": f"nothing written: {message}"}


class JobScheduler:
    """Runs due jobs in the background of ``aimsgraph serve --jobs``, one at a time (one
    thread; the store's writer lease keeps any other ingest out meanwhile), every
    ``interval`` seconds; the jobs file is read again each time, so an edit takes effect
    without a restart."""

    def __init__(self, store: GraphStore, load: Any, limits: ReadLimits,
                 interval: float = 30.0) -> None:
        self.store, self.load, self.limits, self.interval = store, load, limits, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="aimsgraph-jobs", daemon=True)
        self.ran: list[dict[str, Any]] = []

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)

    def tick(self) -> list[dict[str, Any]]:
        """Run what is due now, one job after the other."""
        jobs = self.load()
        done = []
        for job in due_jobs(jobs, self.store.runs(100_000), _now()):
            if self._stop.is_set():
                break
            result = run_job(self.store, job, self.limits)
            log.info("job %s: %s (%s)", job.name, result["outcome"], result["detail"])
            done.append(result)
        self.ran.extend(done)
        return done

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # a bad jobs file or a store down: said, and tried again
                log.exception("the job scheduler could not run the due jobs")
            self._stop.wait(self.interval)
