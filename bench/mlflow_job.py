"""A registry job's run against a baseline, both reading a real MLflow server, in one process.

Setup (not timed): an ``mlflow server`` with a SQLite backend on a free loopback port, ``--models``
registered models each with owner and tier tags and one version, and two embedded stores with the
sample organisation (whose roles the tags name). Timed:

- the job: ``run_job`` with a ``source: mlflow`` job, everything a scheduled run does (reading
  the registry, validating, planning, writing, recording the run);
- the baseline: what a competent hand-written loader would do for the same result: the models
  and the versions listed by paged searches, the rows written as a bundle's CSV files and
  ingested into the other store.

Both end with the same AI systems and evidence. The result is seconds for both and their ratio
(job / baseline).

    python -m bench.mlflow_job --models 1000
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from aimsgraph.graph import EmbeddedStore
from aimsgraph.graph.store.bundled_neo4j import free_port
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ingest.job_runner import run_job
from aimsgraph.ingest.jobs import Job
from aimsgraph.ingest.limits import ReadLimits
from aimsgraph.ingest.sample import sample_bundle

PREFIX = "aimsgraph."
ROLES = ("R-AIGL", "R-MO-FRD")
TIERS = ("minimal", "limited", "high")


def mlflow_command() -> str | None:
    """The ``mlflow`` command beside this Python, else on the PATH (None: not installed)."""
    beside = Path(sys.executable).parent / "mlflow"
    return str(beside) if beside.exists() else shutil.which("mlflow")


@contextmanager
def mlflow_server(folder: Path) -> Iterator[str]:
    """A real MLflow tracking server on loopback (SQLite backend in ``folder``), its URL,
    stopped on exit; RuntimeError when it is not installed or does not start."""
    command = mlflow_command()
    if command is None:
        raise RuntimeError("mlflow is not installed (pip install -e '.[dev]')")
    port = free_port()
    server = subprocess.Popen(
        [command, "server", "--backend-store-uri", f"sqlite:///{folder / 'mlflow.db'}",
         "--default-artifact-root", str(folder / "artifacts"), "--host", "127.0.0.1",
         "--port", str(port), "--workers", "1"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/api/2.0/mlflow/registered-models/search",
                             timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the MLflow server did not start")
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def register(url: str, models: int) -> None:
    """``models`` registered models with tags and one version each."""
    with httpx.Client(base_url=f"{url}/api/2.0/mlflow/", timeout=30) as client:
        for number in range(models):
            name = f"model-{number}"
            tags = {"owner_role": ROLES[number % 2], "risk_tier": TIERS[number % 3]}
            client.post("registered-models/create", json={
                "name": name, "description": f"{name} model",
                "tags": [{"key": PREFIX + k, "value": v} for k, v in tags.items()],
            }).raise_for_status()
            client.post("model-versions/create", json={
                "name": name, "source": f"s3://models/{name}/1", "run_id": f"run{number}",
            }).raise_for_status()


def _listed(client: httpx.Client, path: str, key: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    token = None
    while True:
        page = client.get(path, params={"max_results": 1000,
                                        **({"page_token": token} if token else {})}).json()
        found += page.get(key) or []
        token = page.get("next_page_token")
        if not token:
            return found


def baseline(url: str, store: EmbeddedStore, folder: Path) -> None:
    """Two paged searches, the rows as CSV files, one ingest."""
    with httpx.Client(base_url=f"{url}/api/2.0/mlflow/", timeout=30) as client:
        models = _listed(client, "registered-models/search", "registered_models")
        versions = _listed(client, "model-versions/search", "model_versions")
    folder.mkdir()
    with (folder / "ai_systems.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "name", "purpose", "lifecycle", "owner_role", "risk_tier"])
        for model in models:
            tags = {t["key"]: t["value"] for t in model.get("tags") or []}
            writer.writerow([model["name"], model["name"], model.get("description", ""),
                             "development", tags.get(PREFIX + "owner_role", ""),
                             tags.get(PREFIX + "risk_tier", "")])
    with (folder / "evidence.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "title", "kind", "uri", "collected_on", "supports"])
        for version in versions:
            created = dt.datetime.fromtimestamp(int(version["creation_timestamp"]) / 1000,
                                                dt.UTC).date()
            writer.writerow([f"{version['name']}:v{version['version']}",
                             f"{version['name']} version {version['version']}",
                             "model_version", version.get("source", ""), created.isoformat(),
                             "A.6.2.3"])
    ingest_bundle(store, folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, mlflow_server(Path(tmp)) as url:
        started = time.perf_counter()
        register(url, args.models)
        print(f"registered {args.models} models in {time.perf_counter() - started:.1f} s")
        with EmbeddedStore(Path(tmp) / "job") as job_store, \
                EmbeddedStore(Path(tmp) / "base") as base_store:
            for store in (job_store, base_store):
                ingest_bundle(store, sample_bundle())
            job = Job("registry", "mlflow", "0 * * * *", False, {"url": url})
            started = time.perf_counter()
            outcome = run_job(job_store, job, ReadLimits())
            job_seconds = time.perf_counter() - started
            assert outcome["outcome"] == "succeeded", outcome
            started = time.perf_counter()
            baseline(url, base_store, Path(tmp) / "bundle")
            base_seconds = time.perf_counter() - started
            counts = [sum(1 for n in s.iter_nodes() if n.label in ("AISystem", "Evidence"))
                      for s in (job_store, base_store)]
            assert counts[0] == counts[1], counts
    print(f"job run: {job_seconds:.2f} s ({outcome['detail']}); baseline: {base_seconds:.2f} s; "
          f"ratio job/baseline: {job_seconds / base_seconds:.2f}")


if __name__ == "__main__":
    main()
