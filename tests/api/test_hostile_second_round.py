"""The second hostile-input round over real HTTP: options in the query, bounded parameters,
one Host header, a store that cannot be read, an upload cut off half-way."""

from __future__ import annotations

import io
import logging
import socket
import sqlite3
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from aimsgraph.graph import EmbeddedStore
from aimsgraph.ingest import ingest_bundle
from tests.api.conftest import ADMIN_KEY, READER_KEY, Served, serving, settings_for


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_3_dry_run_in_the_query_writes_nothing(served: Served) -> None:
    before = served.store.stats()
    runs_before = len(served.store.runs(1000))
    with served.client(ADMIN_KEY) as client:
        answer = client.post("/ingest?dry_run=true", files={"file": (
            "b.zip", _zip({"people.csv": "id,name\nP-NEW,New person\n"}))})
    assert answer.status_code == 200, answer.text
    assert answer.json()["dry_run"] is True and answer.json()["outcome"] == "dry_run"
    assert served.store.stats() == before
    assert len(served.store.runs(1000)) == runs_before


@pytest.mark.parametrize("query", ["limit=1e20", "limit=-1", "limit=0", "offset=-5",
                                   f"limit={10**20}"])
def test_6_run_listing_parameters_are_bounded(served: Served, query: str) -> None:
    with served.client(READER_KEY) as client:
        assert client.get(f"/ingest/runs?{query}").status_code == 400


def test_6_run_listing_pages(served: Served) -> None:
    with served.client(READER_KEY) as client:
        every = client.get("/ingest/runs").json()
        assert client.get("/ingest/runs?limit=1&offset=0").json() == every[:1]
        assert client.get("/ingest/runs?offset=1").json() == every[1:]


@pytest.mark.parametrize("as_of", ["1764806400", "9999-12-31", "20261204", "2026-1-4"])
def test_6_as_of_is_read_as_the_cli_reads_it(served: Served, as_of: str) -> None:
    with served.client(READER_KEY) as client:
        answer = client.get("/gaps", params={"as_of": as_of})
        assert answer.status_code == 400, answer.text
        assert "as_of" in answer.text
        report = client.get("/reports/review", params={"since": "2000-01-01", "as_of": as_of})
        assert report.status_code == 400


def test_6_two_host_headers_are_refused(served: Served) -> None:
    address = urlsplit(served.base)
    with socket.create_connection((address.hostname, address.port), timeout=10) as conn:
        conn.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\n"
                     b"Connection: close\r\n\r\n")
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 400"), reply[:200]
    assert b"more than one Host header" in reply


def test_6_an_upload_cut_off_leaves_one_line_not_tracebacks(
        served: Served, caplog: pytest.LogCaptureFixture) -> None:
    address = urlsplit(served.base)
    caplog.set_level(logging.INFO)
    body = (b"--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.zip\"\r\n"
            b"Content-Type: application/zip\r\n\r\n" + b"x" * 5000)
    for _ in range(5):
        with socket.create_connection((address.hostname, address.port), timeout=10) as conn:
            conn.sendall(b"POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Authorization: Bearer " + ADMIN_KEY.encode() + b"\r\n"
                         b"Content-Type: multipart/form-data; boundary=XX\r\n"
                         b"Content-Length: 1000000\r\n\r\n" + body)
    deadline = time.monotonic() + 10
    while "cut off" not in caplog.text and time.monotonic() < deadline:
        time.sleep(0.05)
    with served.client(READER_KEY) as client:
        assert client.get("/health").status_code == 200
    assert "cut off by the caller" in caplog.text
    assert "Traceback" not in caplog.text
    assert not [r for r in caplog.records if r.exc_info], caplog.text[-2000:]


def test_1_a_store_that_cannot_be_read_is_not_ready(tmp_path: Path, sample_dir: Path) -> None:
    with EmbeddedStore(tmp_path / "s") as store:
        ingest_bundle(store, sample_dir)
        with serving(settings_for(), store) as base:
            import httpx

            headers = {"Authorization": f"Bearer {READER_KEY}"}
            assert httpx.get(f"{base}/ready", headers=headers).status_code == 200
            conn = sqlite3.connect(store.path)
            conn.execute("UPDATE nodes SET props = replace(props, '\"name\":\"Helena Marsh\"', "
                         "'\"name\":\"Helena \\ud800\"') WHERE id = 'P-01'")
            conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 "
                         "WHERE key = 'generation'")
            conn.commit()
            conn.close()
            ready = httpx.get(f"{base}/ready", headers=headers)
            assert ready.status_code == 503 and "doctor" in ready.json()["detail"]
            gaps = httpx.get(f"{base}/gaps", headers=headers)
            assert gaps.status_code == 503 and "doctor" in gaps.json()["detail"]
