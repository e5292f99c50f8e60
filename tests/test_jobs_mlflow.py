"""The MLflow model registry as a job's source, against a real MLflow tracking server
(`mlflow server` with a SQLite backend on a free loopback port; mlflow is a test dependency):
registered models become AI systems with owners and tiers, a changed tag updates the system
(and `diff` says so), a deleted model is retired with sync, and a registry that is down
is a failed run that writes nothing."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from aimsgraph.api.cli import app
from aimsgraph.graph import GraphStore
from aimsgraph.graph.store.bundled_neo4j import free_port
from aimsgraph.ingest import ingest_bundle
from bench.mlflow_job import mlflow_command, mlflow_server
from tests.stores import point_cli_at, unavailable


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real MLflow tracking server on loopback, for the module."""
    if mlflow_command() is None:
        unavailable("mlflow is not installed (pip install -e '.[dev]')")
    with mlflow_server(tmp_path_factory.mktemp("mlflow")) as url:
        yield url


def _api(url: str, path: str, body: dict[str, Any], method: str = "POST") -> None:
    response = httpx.request(method, f"{url}/api/2.0/mlflow/{path}", json=body, timeout=30)
    assert response.status_code == 200, response.text


def _register(url: str, name: str, tags: dict[str, str], versions: int = 1) -> None:
    _api(url, "registered-models/create", {
        "name": name, "description": f"{name} model",
        "tags": [{"key": k, "value": v} for k, v in tags.items()]})
    for number in range(1, versions + 1):
        _api(url, "model-versions/create", {"name": name, "source": f"s3://models/{name}/"
                                            f"{number}", "run_id": f"run{number}"})


@pytest.fixture
def runner(store: GraphStore, sample_dir: Path, monkeypatch: pytest.MonkeyPatch,
           tmp_path: Path) -> CliRunner:
    ingest_bundle(store, sample_dir)  # the roles the models' tags name
    point_cli_at(store, monkeypatch)
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def _jobs(tmp_path: Path, url: str, prefix: str) -> Path:
    path = tmp_path / "jobs.yaml"
    path.write_text(f"jobs:\n  registry:\n    source: mlflow\n    url: {url}\n"
                    f"    tag_prefix: '{prefix}'\n    schedule: '0 * * * *'\n    sync: true\n",
                    encoding="utf-8")
    return path


def _run(runner: CliRunner, jobs: Path) -> dict[str, Any]:
    result = runner.invoke(app, ["jobs", "run", "--jobs-file", str(jobs), "-f", "json"])
    return {"code": result.exit_code, **json.loads(result.stdout)["runs"][0]}


def test_registered_models_become_ai_systems_and_follow_the_registry(
        runner: CliRunner, store: GraphStore, registry: str, tmp_path: Path) -> None:
    listed = httpx.get(f"{registry}/api/2.0/mlflow/registered-models/search",
                       params={"max_results": 1000}, timeout=30).json()
    for model in listed.get("registered_models") or []:  # the server is the module's
        _api(registry, "registered-models/delete", {"name": model["name"]}, method="DELETE")
    prefix = f"t{uuid.uuid4().hex[:6]}."  # this test's own tags
    names = [f"{prefix}fraud", f"{prefix}chat", f"{prefix}llm"]
    _register(registry, names[0], {f"{prefix}owner_role": "R-MO-FRD",
                                   f"{prefix}risk_tier": "high",
                                   f"{prefix}eu_ai_act_role": "provider"}, versions=2)
    _register(registry, names[1], {f"{prefix}owner_role": "R-AIGL",
                                   f"{prefix}risk_tier": "limited"})
    _register(registry, names[2], {f"{prefix}id": "SYS-REG-LLM",
                                   f"{prefix}owner_role": "R-AIGL",
                                   f"{prefix}risk_tier": "minimal"})
    _api(registry, "registered-models/alias", {"name": names[0], "alias": "production",
                                                "version": "2"})
    jobs = _jobs(tmp_path, registry, prefix)
    first = _run(runner, jobs)
    assert first["code"] == 0 and first["outcome"] == "succeeded", first

    def systems() -> dict[str, dict[str, Any]]:
        return {n.id: n.props for n in store.iter_nodes()
                if n.label == "AISystem" and n.props.get("sync_source") == "job:registry"}
    found = systems()
    assert set(found) == {names[0], names[1], "SYS-REG-LLM"}
    assert (found[names[0]]["risk_tier"], found[names[0]]["lifecycle"]) == ("high", "deployed")
    assert found[names[1]]["lifecycle"] == "development"
    assert found[names[0]]["source"] == f"job registry: mlflow {registry}:model {names[0]}"
    owners = {r.end[1]: r.start[1] for r in store.iter_relationships()
              if r.type == "ACCOUNTABLE_FOR" and r.end[1] in found}
    assert owners == {names[0]: "R-MO-FRD", names[1]: "R-AIGL", "SYS-REG-LLM": "R-AIGL"}
    versions = {n.id for n in store.iter_nodes() if n.label == "Evidence"
                and n.props.get("sync_source") == "job:registry"}
    assert versions == {f"{names[0]}:v1", f"{names[0]}:v2", f"{names[1]}:v1",
                        "SYS-REG-LLM:v1"}

    _api(registry, "registered-models/set-tag", {"name": names[1],
                                                 "key": f"{prefix}risk_tier", "value": "high"})
    assert _run(runner, jobs)["outcome"] == "succeeded"
    assert systems()[names[1]]["risk_tier"] == "high"
    diff = runner.invoke(app, ["diff", "--from", first["run_id"], "-f", "json"])
    changed = [c for c in json.loads(diff.stdout)["changes"]
               if c["which"] == names[1] and c["action"] == "updated"]
    assert changed[0]["changed"]["risk_tier"] == {"before": "limited", "after": "high"}

    _api(registry, "registered-models/delete", {"name": names[2]}, method="DELETE")
    assert _run(runner, jobs)["outcome"] == "succeeded"
    assert systems()["SYS-REG-LLM"]["lifecycle"] == "retired"  # kept, retired
    assert "SYS-REG-LLM:v1" not in {n.id for n in store.iter_nodes() if n.label == "Evidence"}


def test_a_registry_that_is_down_is_a_failed_run_that_writes_nothing(
        runner: CliRunner, store: GraphStore, tmp_path: Path) -> None:
    down = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    before = store.stats()
    failed = _run(runner, _jobs(tmp_path, down, "aimsgraph."))
    assert failed["code"] == 1 and failed["outcome"] == "failed"
    assert "ConnectError" in failed["detail"] and "nothing written" in failed["detail"]
    assert store.stats() == before
    run = store.runs(1)[0]
    assert (run.source, run.outcome) == ("job:registry", "failed")
    assert "the source could not be read" in run.errors[0]
