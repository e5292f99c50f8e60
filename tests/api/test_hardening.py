"""What the API does against hostile networks and expensive questions, over real HTTP."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import httpx
import pytest

from aimsgraph.api.http.hardening import is_loopback_host
from aimsgraph.api.settings import Settings
from aimsgraph.graph import EmbeddedStore, GraphStore
from aimsgraph.ingest import ingest_bundle
from tests.api.conftest import ADMIN_KEY, READER_KEY, serving, settings_for


@pytest.fixture
def sample_store(tmp_path: Path, sample_dir: Path) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path / "store")
    store.open()
    ingest_bundle(store, sample_dir)
    return store


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1:8000", True), ("localhost", True), ("[::1]:8000", True), ("127.8.9.1", True),
    ("LOCALHOST:1", True), ("rebind.attacker.example", False),
    ("rebind.attacker.example:8000", False), ("10.0.0.1", False), ("", False),
    ("localhost.attacker.example", False), ("[::1", False)])
def test_loopback_host_names(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


def test_without_keys_a_foreign_host_name_is_refused(sample_store: EmbeddedStore) -> None:
    with serving(Settings(), sample_store) as base, httpx.Client(base_url=base, timeout=60) as http:
        assert http.get("/gaps").status_code == 200
        refused = http.get("/gaps", headers={"Host": "rebind.attacker.example"})
        assert refused.status_code == 400
        assert "loopback name" in refused.json()["detail"]
    with serving(settings_for(), sample_store) as base, \
            httpx.Client(base_url=base, timeout=60) as http:
        # With keys the key is the protection: any name the server is reached by is served.
        answer = http.get("/gaps", headers={"Host": "aimsgraph.example.org",
                                            "Authorization": f"Bearer {READER_KEY}"})
        assert answer.status_code == 200


def test_html_is_served_with_a_content_security_policy(sample_store: EmbeddedStore) -> None:
    with serving(settings_for(), sample_store) as base, \
            httpx.Client(base_url=base, timeout=60,
                         headers={"Authorization": f"Bearer {READER_KEY}"}) as http:
        page = http.get("/visualise/trace/C-16")
        report = http.get("/reports/soa", params={"format": "html"})
        data = http.get("/gaps")
    for response in (page, report):
        policy = response.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "default-src 'none'" in policy
        assert response.headers["x-content-type-options"] == "nosniff"
    assert data.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in data.headers


def test_head_is_answered_where_get_is(sample_store: EmbeddedStore) -> None:
    with serving(settings_for(), sample_store) as base, \
            httpx.Client(base_url=base, timeout=60,
                         headers={"Authorization": f"Bearer {READER_KEY}"}) as http:
        got = http.get("/trace/control/C-16")
        head = http.head("/trace/control/C-16")
        assert http.head("/health").status_code == 200
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"]


def test_a_read_over_its_time_budget_is_503_with_retry_after(store: GraphStore,
                                                             sample_dir: Path) -> None:
    ingest_bundle(store, sample_dir)
    settings = settings_for(AIMSGRAPH_READ_TIMEOUT_SECONDS=1e-6)
    with serving(settings, store) as base, \
            httpx.Client(base_url=base, timeout=60,
                         headers={"Authorization": f"Bearer {READER_KEY}"}) as http:
        for path in ("/gaps", "/trace/person/P-01", "/visualise/gaps"):
            answer = http.get(path)
            assert answer.status_code == 503, (path, answer.text)
            assert int(answer.headers["retry-after"]) > 0
            assert "budget" in answer.json()["detail"]
        # The store was not reset or locked by the stopped reads: other answers still come.
        assert http.get("/ingest/runs").status_code == 200


def test_a_trace_broader_than_allowed_names_a_narrower_request(
        store: GraphStore, sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from aimsgraph.graph.store import budget
    ingest_bundle(store, sample_dir)
    monkeypatch.setattr(budget, "TRACE_NODE_LIMIT", 3)
    with serving(settings_for(), store) as base, \
            httpx.Client(base_url=base, timeout=60,
                         headers={"Authorization": f"Bearer {READER_KEY}"}) as http:
        answer = http.get("/trace/person/P-01")
        small = http.get("/trace/control/C-16")
    assert answer.status_code == 400
    assert "more than the 3 a trace may show" in answer.json()["detail"]
    assert "visualise node P-01 --depth 1" in answer.json()["detail"]
    assert small.status_code == 200


def test_uploads_leave_no_named_file_behind(sample_store: EmbeddedStore, tmp_path: Path,
                                             sample_dir: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setenv("TMPDIR", str(spool))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(spool))

    def named(*args: object, **kwargs: object) -> None:
        raise AssertionError("an upload must not make a named temporary file or folder")

    for maker in ("mkdtemp", "mkstemp", "NamedTemporaryFile"):
        monkeypatch.setattr(tempfile, maker, named)
    bundle = tmp_path / "big.zip"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_STORED) as archive:
        for file in sorted(sample_dir.iterdir()):
            archive.write(file, file.name)
        archive.writestr("notes.txt", os.urandom(3 << 20))  # past the 1 MiB kept in memory
    with serving(settings_for(), sample_store) as base, \
            httpx.Client(base_url=base, timeout=60,
                         headers={"Authorization": f"Bearer {ADMIN_KEY}"}) as http:
        with bundle.open("rb") as handle:
            answer = http.post("/ingest", files={"file": ("big.zip", handle)})
        assert answer.status_code == 200, answer.text
    assert list(spool.iterdir()) == []



def test_reads_are_answered_while_an_upload_holds_the_write_lock(
        sample_store: EmbeddedStore, sample_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from aimsgraph.ingest import stream
    from tests.bundles import folder_to_zip

    inside, release = threading.Event(), threading.Event()
    original = stream.plan_nodes

    def slow_plan(*args: object, **kwargs: object) -> object:
        inside.set()  # planning runs inside the write transaction: the lock is held now
        assert release.wait(30)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stream, "plan_nodes", slow_plan)
    archive = folder_to_zip(sample_dir, tmp_path / "org.zip")
    with serving(settings_for(), sample_store) as base:
        outcome: list[int] = []

        def upload() -> None:
            with httpx.Client(base_url=base, timeout=60,
                              headers={"Authorization": f"Bearer {ADMIN_KEY}"}) as admin:
                outcome.append(admin.post("/ingest", files={
                    "file": ("org.zip", archive.read_bytes())}).status_code)

        writer = threading.Thread(target=upload)
        writer.start()
        try:
            assert inside.wait(30)
            with httpx.Client(base_url=base, timeout=10,
                              headers={"Authorization": f"Bearer {READER_KEY}"}) as http:
                runs = http.get("/ingest/runs")
                gaps = http.get("/gaps")
                trace = http.get("/trace/control/C-16")
            assert not release.is_set() and writer.is_alive()  # the write is still held
        finally:
            release.set()
            writer.join(60)
    assert (runs.status_code, gaps.status_code, trace.status_code) == (200, 200, 200)
    assert outcome == [200]
