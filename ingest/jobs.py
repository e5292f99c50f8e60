"""Ingestion jobs: named sources the graph is kept current from, each on a schedule.

The jobs file (``--jobs-file PATH`` or ``AIMSGRAPH_JOBS_FILE``) is YAML with a top-level
``jobs:`` mapping from a name to its settings: ``source`` (``bundle``, ``folder``, ``http``,
``mlflow``), ``schedule`` (a cron expression, read by croniter), ``sync`` (default false) and
the source's options. Secrets are never in the file: a header's value is ``env:VARIABLE``,
and a literal where a secret goes (a header, or an option named like a password or token)
is refused naming the job and the option.

Every job run is an ordinary ingestion run whose source is ``job:NAME`` (its sync source
too, with ``sync``), so ``runs``, ``diff``, ``--as-recorded`` and the review pack see jobs
as they see bundles, and a job takes the store's writer lease like any ingest.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from aimsgraph.ontology import ConfigError

__all__ = ["SOURCES", "Job", "job_source", "load_jobs", "next_run"]

#: The kinds of source a job reads.
SOURCES = ("bundle", "folder", "http", "mlflow")
#: Options every job takes; the others belong to its source.
_COMMON = {"source", "schedule", "sync"}
_OPTIONS = {"bundle": {"path"}, "folder": {"path", "include", "exclude"},
            "http": {"url", "stem", "headers", "timeout"},
            "mlflow": {"url", "headers", "tag_prefix", "requirement", "timeout"}}
_SECRET_NAME = re.compile(r"(pass(word)?|secret|token|api[_-]?key|auth)", re.IGNORECASE)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def job_source(name: str) -> str:
    """The source (and sync source) a job's runs are recorded under."""
    return f"job:{name}"


@dataclass(frozen=True)
class Job:
    """One job as the file declares it."""

    name: str
    source: str
    schedule: str
    sync: bool = False
    options: dict[str, Any] = field(default_factory=dict)

    def header_values(self) -> dict[str, str]:
        """The headers with their values read from the environment now."""
        found = {}
        for header, value in (self.options.get("headers") or {}).items():
            variable = str(value)[4:]
            if variable not in os.environ:
                raise ConfigError(f"job {self.name}: header {header} reads ${variable}, which "
                                  "is not set")
            found[str(header)] = os.environ[variable]
        return found

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "source": self.source, "schedule": self.schedule,
                "sync": self.sync}


def next_run(job: Job, after: dt.datetime) -> dt.datetime:
    """When the job is next due after ``after`` (UTC)."""
    from croniter import croniter  # only the jobs read cron expressions

    due: dt.datetime = croniter(job.schedule, after).get_next(dt.datetime)
    return due


def load_jobs(path: Path) -> list[Job]:
    """The jobs of the file at ``path``; ConfigError naming the job and option at fault."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"the jobs file {path} cannot be read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"the jobs file {path} is not YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), dict):
        raise ConfigError(f"the jobs file {path} needs a top-level 'jobs:' mapping from a job's "
                          "name to its settings")
    return [_job(str(name), settings) for name, settings in data["jobs"].items()]


def _job(name: str, settings: Any) -> Job:
    from croniter import croniter

    if not _NAME.match(name):
        raise ConfigError(f"job name {name!r}: letters, digits, '.', '_' and '-' only")
    if not isinstance(settings, dict):
        raise ConfigError(f"job {name}: its settings are not a mapping")
    source = settings.get("source")
    if source not in SOURCES:
        raise ConfigError(f"job {name}: source {source!r} is not one of: {', '.join(SOURCES)}")
    schedule = str(settings.get("schedule") or "")
    if not croniter.is_valid(schedule):
        raise ConfigError(f"job {name}: schedule {schedule!r} is not a cron expression "
                          "(e.g. '0 6 * * *', every day at 06:00)")
    unknown = set(settings) - _COMMON - _OPTIONS[source]
    if unknown:
        raise ConfigError(f"job {name}: {', '.join(sorted(unknown))} is not an option of a "
                          f"{source} job (options: {', '.join(sorted(_OPTIONS[source]))})")
    options = {k: v for k, v in settings.items() if k not in _COMMON}
    _no_secrets(name, options)
    needed = "url" if source in ("http", "mlflow") else "path"
    if not options.get(needed):
        raise ConfigError(f"job {name}: a {source} job needs {needed}")
    return Job(name, source, schedule, bool(settings.get("sync", False)), options)


def _no_secrets(name: str, options: dict[str, Any]) -> None:
    """Secrets come from the environment: a header is ``env:VARIABLE``, and an option named
    like a secret may not hold a literal."""
    headers = options.get("headers") or {}
    if not isinstance(headers, dict):
        raise ConfigError(f"job {name}: headers is not a mapping of header to env:VARIABLE")
    for header, value in headers.items():
        if not (isinstance(value, str) and re.match(r"^env:[A-Za-z_][A-Za-z0-9_]*$", value)):
            raise ConfigError(f"job {name}: header {header} must be env:VARIABLE (a secret is "
                              "read from the environment, never written in the jobs file)")
    for option, value in options.items():
        if _SECRET_NAME.search(option) and isinstance(value, str) and \
                not value.startswith("env:"):
            raise ConfigError(f"job {name}: {option} looks like a secret: write "
                              "env:VARIABLE and set it in the environment")
