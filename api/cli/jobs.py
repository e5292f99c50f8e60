"""Ingestion jobs: ``jobs list`` (each job, its schedule, last run, next run, whether it is
stale) and ``jobs run [NAME ...] [--due] [--dry-run]`` (run now; ``--due`` for a system cron
or timer to call every few minutes)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from aimsgraph.api.cli.base import (
    app,
    fail,
    load_settings,
    open_store,
    reported_run,
    shows_progress,
)
from aimsgraph.api.output import Format, emit, print_plain, stderr_console

if TYPE_CHECKING:
    from aimsgraph.ingest.jobs import Job

jobs_app = typer.Typer(help="Ingestion jobs: keep the graph current from the systems where "
                            "the facts live (docs/jobs.md).", no_args_is_help=True)
app.add_typer(jobs_app, name="jobs")

JobsFileOption = Annotated[Path | None, typer.Option(
    "--jobs-file", metavar="PATH", help="The jobs file (default: AIMSGRAPH_JOBS_FILE).")]
FormatOption = Annotated[Format, typer.Option("--format", "-f", metavar="table|json|csv",
                                              help="Output format.")]


def _jobs(path: Path | None) -> list[Job]:
    from aimsgraph.ingest.jobs import load_jobs  # start-up
    from aimsgraph.ontology import ConfigError

    chosen = path or load_settings().jobs_file
    if chosen is None:
        raise ConfigError("no jobs file: give --jobs-file PATH or set AIMSGRAPH_JOBS_FILE")
    return load_jobs(chosen)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@jobs_app.command("list")
def list_jobs(
    jobs_file: JobsFileOption = None,
    fail_on: Annotated[str | None, typer.Option(
        "--fail-on", metavar="stale", help="Exit 3 when a job is stale (for monitoring).")]
    = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Each job: source, schedule, last run and its outcome, last success, next run, and
    whether it is stale (no success within twice its schedule's period)."""
    if fail_on not in (None, "stale"):
        raise fail("--fail-on takes: stale")

    def action() -> list[dict[str, Any]]:
        jobs = _jobs(jobs_file)
        from aimsgraph.ingest.job_runner import job_state  # start-up

        with open_store() as store:
            runs = store.runs(100_000)
        now = _now()
        return [job_state(job, runs, now) for job in jobs]
    states = reported_run(action, fmt)
    emit(fmt, {"jobs": states}, ["job", "source", "schedule", "last run", "outcome",
                                 "last success", "next run", "stale"],
         [[s["name"], s["source"], s["schedule"], s["last_run"] or "-",
           s["last_outcome"] or "-", s["last_success"] or "never", s["next_run"],
           "yes" if s["stale"] else "no"] for s in states], "ingestion jobs")
    if fail_on == "stale" and any(s["stale"] for s in states):
        raise fail(f"stale: {', '.join(s['name'] for s in states if s['stale'])}", code=3)


@jobs_app.command("run")
def run_jobs(
    names: Annotated[list[str] | None, typer.Argument(metavar="[NAME]...",
                                                      help="The jobs to run (default: all).")]
    = None,
    due: Annotated[bool, typer.Option("--due", help="Only the jobs whose next run has come "
                                      "(for a system cron or timer).")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Read and validate; write "
                                          "nothing.")] = False,
    jobs_file: JobsFileOption = None,
    fmt: FormatOption = Format.table,
) -> None:
    """Run jobs now, one after the other, each an ingestion run recorded under job:NAME
    (exit 1 when one failed; the others still ran)."""
    def action() -> list[dict[str, Any]]:
        jobs = _jobs(jobs_file)
        known = {j.name for j in jobs}
        unknown = [n for n in names or [] if n not in known]
        if unknown:
            from aimsgraph.ontology import NotFoundError, did_you_mean

            raise NotFoundError(f"no job {unknown[0]!r}{did_you_mean(unknown[0], known)}; "
                                f"jobs: {', '.join(sorted(known))}")
        chosen = [j for j in jobs if not names or j.name in names]
        from aimsgraph.ingest.job_runner import due_jobs, run_job  # start-up

        settings = load_settings()
        with open_store() as store:
            if due:
                chosen = due_jobs(chosen, store.runs(100_000), _now())
            results = []
            for job in chosen:
                if shows_progress():
                    print_plain(stderr_console(), f"job {job.name}: running ({job.source})")
                results.append(run_job(store, job, settings.read_limits(), dry_run))
            return results
    results = reported_run(action, fmt)
    emit(fmt, {"runs": results}, ["job", "run", "outcome", "detail"],
         [[r["job"], r["run_id"] or "-", r["outcome"], r["detail"]] for r in results],
         "job runs" + (" (dry run)" if dry_run else ""))
    if any(r["outcome"] == "failed" for r in results):
        raise typer.Exit(1)
