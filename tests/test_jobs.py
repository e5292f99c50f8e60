"""Ingestion jobs on both stores: the jobs file and its refusals (a secret written in it, a
schedule that is no cron expression), `jobs run` and `jobs list` for a bundle, an evidence
folder (hashes, an edited, a removed and an added file, each seen by `diff` and `show`) and
an HTTP export served by a real server on loopback with a header read from the
environment."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aimsgraph.api.cli import app
from aimsgraph.graph import GraphStore
from aimsgraph.ingest.jobs import load_jobs
from aimsgraph.ontology import ConfigError
from tests.stores import point_cli_at


def _jobs_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "aimsgraph.jobs.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "error"), [
    ("jobs:\n  hr:\n    source: http\n    url: https://hr.example/people.csv\n"
     "    schedule: '0 6 * * *'\n    headers: {Authorization: Bearer abc123}\n",
     "job hr: header Authorization must be env:VARIABLE"),
    ("jobs:\n  reg:\n    source: mlflow\n    url: https://mlflow.example\n"
     "    schedule: '0 * * * *'\n    api_key: s3cr3t\n",
     "job reg: api_key is not an option of a mlflow job"),
    ("jobs:\n  docs:\n    source: folder\n    path: /srv\n    schedule: every day\n",
     "job docs: schedule 'every day' is not a cron expression"),
    ("jobs:\n  docs:\n    source: ftp\n    schedule: '0 6 * * *'\n",
     "job docs: source 'ftp' is not one of: bundle, folder, http, mlflow"),
    ("jobs: []\n", "needs a top-level 'jobs:' mapping"),
])
def test_a_bad_jobs_file_is_refused_naming_the_job_and_option(
        tmp_path: Path, text: str, error: str) -> None:
    with pytest.raises(ConfigError, match=error.replace("(", r"\(").replace(")", r"\)")):
        load_jobs(_jobs_file(tmp_path, text))


def test_a_secret_looking_literal_is_refused(tmp_path: Path) -> None:
    text = ("jobs:\n  hr:\n    source: http\n    url: https://hr.example/x.csv\n"
            "    schedule: '0 6 * * *'\n    headers: {X-Token: env:HR_TOKEN}\n"
            "    stem: people\n    timeout: 10\n")
    assert load_jobs(_jobs_file(tmp_path, text))[0].options["headers"] == {
        "X-Token": "env:HR_TOKEN"}


@pytest.fixture
def runner(store: GraphStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> CliRunner:
    point_cli_at(store, monkeypatch)
    monkeypatch.chdir(tmp_path)  # no stray .env
    return CliRunner()


def _run(runner: CliRunner, jobs: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = runner.invoke(app, ["jobs", "run", *args, "--jobs-file", str(jobs), "-f", "json"])
    return result.exit_code, json.loads(result.stdout)["runs"]


def _list(runner: CliRunner, jobs: Path) -> dict[str, dict[str, Any]]:
    result = runner.invoke(app, ["jobs", "list", "--jobs-file", str(jobs), "-f", "json"])
    assert result.exit_code == 0, result.output
    return {j["name"]: j for j in json.loads(result.stdout)["jobs"]}


def test_a_bundle_job_runs_and_is_listed_with_its_state(
        runner: CliRunner, tmp_path: Path, sample_dir: Path) -> None:
    jobs = _jobs_file(tmp_path, f"jobs:\n  nightly:\n    source: bundle\n    path: {sample_dir}"
                                "\n    schedule: '0 2 * * *'\n")
    before = _list(runner, jobs)["nightly"]
    assert before["last_run"] is None and before["stale"] is True
    code, runs = _run(runner, jobs)
    assert code == 0 and runs[0]["outcome"] == "succeeded"
    after = _list(runner, jobs)["nightly"]
    assert (after["last_run"], after["last_outcome"], after["stale"]) == (
        runs[0]["run_id"], "succeeded", False)
    assert after["next_run"].endswith("T02:00:00+00:00")
    code, due = _run(runner, jobs, "--due")  # just ran: not due until 02:00
    assert code == 0 and due == []
    stale = runner.invoke(app, ["jobs", "list", "--jobs-file", str(jobs), "--fail-on", "stale"])
    assert stale.exit_code == 0
    recorded = runner.invoke(app, ["runs", "--id", runs[0]["run_id"], "-f", "json"])
    assert json.loads(recorded.stdout)[0]["source"] == "job:nightly"


def test_an_evidence_folder_records_hashes_and_each_change(
        runner: CliRunner, tmp_path: Path, store: GraphStore) -> None:
    folder = tmp_path / "evidence"
    (folder / "tests").mkdir(parents=True)
    (folder / "policy.pdf").write_bytes(b"%PDF policy v1")
    (folder / "tests" / "bias.csv").write_text("metric,value\nparity,0.97\n")
    (folder / "old.txt").write_text("to be removed")
    (folder / "evidence.yaml").write_text(
        "- file: policy.pdf\n  title: AI policy, signed\n  kind: record\n")
    (tmp_path / "outside.txt").write_text("not ours")
    os.symlink(tmp_path / "outside.txt", folder / "escape.txt")
    jobs = _jobs_file(tmp_path, f"jobs:\n  docs:\n    source: folder\n    path: {folder}\n"
                                "    schedule: '*/30 * * * *'\n    sync: true\n"
                                "    exclude: ['*.tmp']\n")
    (folder / "scratch.tmp").write_text("excluded")
    code, runs = _run(runner, jobs)
    assert code == 0, runs
    evidence = {n.id: n.props for n in store.iter_nodes() if n.label == "Evidence"}
    assert set(evidence) == {"docs:policy.pdf", "docs:tests/bias.csv", "docs:old.txt"}
    policy = evidence["docs:policy.pdf"]
    assert (policy["title"], policy["kind"], policy["size_bytes"]) == (
        "AI policy, signed", "record", 14)
    import hashlib

    assert policy["sha256"] == hashlib.sha256(b"%PDF policy v1").hexdigest()
    assert policy["source"] == f"job docs: {folder}:policy.pdf"
    first = runs[0]["run_id"]
    (folder / "policy.pdf").write_bytes(b"%PDF policy v2")  # edited
    (folder / "old.txt").unlink()  # removed
    (folder / "model-card.md").write_text("# card")  # added
    code, runs = _run(runner, jobs)
    assert code == 0
    diff = runner.invoke(app, ["diff", "--from", first, "-f", "json"])
    changes = {(c["action"], c["which"]): c for c in json.loads(diff.stdout)["changes"]
               if c["kind"] == "node"}
    assert set(changes) == {("updated", "docs:policy.pdf"), ("removed", "docs:old.txt"),
                            ("created", "docs:model-card.md")}
    replaced = changes[("updated", "docs:policy.pdf")]["changed"]["sha256"]
    assert replaced == {"before": hashlib.sha256(b"%PDF policy v1").hexdigest(),
                        "after": hashlib.sha256(b"%PDF policy v2").hexdigest()}
    shown = runner.invoke(app, ["show", "Evidence", "docs:policy.pdf"], env={"COLUMNS": "120"})
    assert hashlib.sha256(b"%PDF policy v2").hexdigest() in shown.stdout


class _Export(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        if self.headers.get("Authorization") != "Bearer hr-token":
            self.send_response(401)
            self.end_headers()
            return
        body = b"id,name,seniority\nP-1,Ada,executive\nP-2,Bo,staff\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/csv")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def export() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Export)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/people"
    finally:
        server.shutdown()
        server.server_close()


def test_an_http_export_is_read_with_a_header_from_the_environment(
        runner: CliRunner, tmp_path: Path, store: GraphStore, export: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    jobs = _jobs_file(tmp_path, f"jobs:\n  hr:\n    source: http\n    url: {export}\n"
                                "    stem: people\n    schedule: '0 6 * * *'\n"
                                "    headers: {Authorization: env:HR_AUTH}\n")
    monkeypatch.setenv("HR_AUTH", "Bearer wrong")
    code, runs = _run(runner, jobs)
    assert code == 1 and runs[0]["outcome"] == "failed"
    assert "401" in runs[0]["detail"] and "nothing written" in runs[0]["detail"]
    assert not [n for n in store.iter_nodes() if n.label == "Person"]
    failed = runner.invoke(app, ["runs", "-f", "json"])
    assert json.loads(failed.stdout)[0]["outcome"] == "failed"
    monkeypatch.setenv("HR_AUTH", "Bearer hr-token")
    code, runs = _run(runner, jobs)
    assert code == 0, runs
    people = {n.id: n.props for n in store.iter_nodes() if n.label == "Person"}
    assert set(people) == {"P-1", "P-2"}
    assert people["P-1"]["source"] == f"job hr: {export} people.csv:2"  # job, URL, row


def test_the_api_lists_and_runs_jobs_and_serve_runs_the_due_ones_one_at_a_time(
        store: GraphStore, tmp_path: Path, sample_dir: Path) -> None:
    import datetime as dt

    import httpx

    from tests.api.conftest import ADMIN_KEY, READER_KEY, serving, settings_for

    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "a.txt").write_text("a")
    jobs = _jobs_file(tmp_path, f"jobs:\n  people:\n    source: bundle\n    path: {sample_dir}"
                                "\n    schedule: '0 0 1 1 *'\n"
                                f"  docs:\n    source: folder\n    path: {folder}\n"
                                "    schedule: '0 0 1 1 *'\n")
    settings = settings_for(AIMSGRAPH_JOBS_FILE=str(jobs))
    # due at once (never run), then not before next year: no scheduled run races the
    # run asked for below
    with serving(settings, store, run_jobs=True, jobs_interval=0.2) as base:
        reader = {"Authorization": f"Bearer {READER_KEY}"}
        deadline = dt.datetime.now() + dt.timedelta(seconds=60)
        while len([r for r in store.runs(10) if r.source.startswith("job:")]) < 2:
            assert dt.datetime.now() < deadline, "the due jobs did not run"
            assert httpx.get(f"{base}/health", timeout=30).status_code == 200
        assert httpx.get(f"{base}/gaps", headers=reader, timeout=60).status_code == 200
        home = httpx.get(f"{base}/", timeout=60).text  # the index says how fresh each is
        assert "<code>job:people</code>: last success 20" in home
        listed = httpx.get(f"{base}/jobs", headers=reader, timeout=60).json()["jobs"]
        assert {(j["name"], j["last_outcome"]) for j in listed} == {
            ("people", "succeeded"), ("docs", "succeeded")}
        ran = sorted((r for r in store.runs(10) if r.source.startswith("job:")),
                     key=lambda r: r.started_at)
        assert ran[0].ended_at is not None and ran[0].ended_at <= ran[1].started_at  # in turn
        refused = httpx.post(f"{base}/jobs/docs/run", headers=reader, timeout=60)
        assert refused.status_code == 403
        now = httpx.post(f"{base}/jobs/docs/run", timeout=60,
                         headers={"Authorization": f"Bearer {ADMIN_KEY}"})
        assert now.status_code == 200 and now.json()["outcome"] == "succeeded"
        missing = httpx.post(f"{base}/jobs/nope/run", timeout=60,
                             headers={"Authorization": f"Bearer {ADMIN_KEY}"})
        assert missing.status_code == 404
