"""Every case of the hostile corpus uploaded to a real `aimsgraph serve` process: 400 with the
error, never a 500; nothing written; a failed run recorded for each; the server process's
peak memory under the limit. Also what reaches the server before the body does: a missing key
or a declared size over the limit is answered before any of the body is read."""

from __future__ import annotations

import select
import signal
import socket
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from aimsgraph.graph import EmbeddedStore
from aimsgraph.graph.store.bundled_neo4j import free_port
from tests.hostile.corpus import CASES, build
from tests.hostile.measure import MEMORY_LIMIT_MB, cli_env, finish, launch

KEY = "hostile-admin-key"
LIMIT = 5_000_000


@dataclass
class Server:
    base: str
    port: int
    store: Path

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=120,
                            headers={"Authorization": f"Bearer {KEY}"})


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory,
           pytestconfig: pytest.Config) -> Iterator[tuple[Server, list[float]]]:
    """`aimsgraph serve` as its own process; after the module, its peak memory is measured."""
    folder = tmp_path_factory.mktemp("api")
    port = free_port()
    env = cli_env(folder / "store", AIMSGRAPH_API_KEYS=f"admin:{KEY}",
                  AIMSGRAPH_MAX_UPLOAD_BYTES=str(LIMIT))
    with EmbeddedStore(folder / "store"):
        pass
    log = (folder / "server.log").open("wb")
    report = folder / "rusage.json"
    process = launch([sys.executable, "-m", "aimsgraph.api.cli", "serve", "--port", str(port)],
                     env, log, log, report)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert process.poll() is None, (folder / "server.log").read_text()
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.2)
    peaks: list[float] = []
    yield Server(base, port, folder / "store"), peaks
    process.send_signal(signal.SIGTERM)
    code, peak = finish(process, report, 60)
    log.close()
    peaks.append(peak)
    capture = pytestconfig.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        print(f"\naimsgraph serve peaked at {peak:.0f} MiB over the hostile corpus")
    assert peak < MEMORY_LIMIT_MB, f"the API process peaked at {peak:.0f} MiB"


def test_every_hostile_upload_is_refused_cleanly(server: tuple[Server, list[float]],
                                                 tmp_path: Path) -> None:
    served, _ = server
    with EmbeddedStore(served.store) as store:
        before = store.stats()
    rejected = [c for c in CASES if c.expect is not None]
    with served.client() as http:
        for case, path in build(tmp_path / "corpus"):
            if case.expect is None or path.suffix not in (".zip", ".xlsx"):
                continue
            with path.open("rb") as handle:
                response = http.post("/ingest", files={"file": (case.upload_as or case.name,
                                                                 handle)})
            assert response.status_code == 400, (case.name, response.text[:500])
            body = response.json()
            texts = " ".join(e["text"] for e in body["detail"])
            assert case.expect in texts or (case.expect.startswith("and ")
                                            and body["total_errors"] == 400_000), case.name
            assert len(body["detail"]) <= 1000
        runs = http.get("/ingest/runs").json()
    assert [r["outcome"] for r in runs] == ["failed"] * len(rejected)
    assert all(len(r["errors"]) <= 1001 for r in runs)
    long_name = next(r["bundle"] for r in runs if r["bundle"].startswith("xxx"))
    assert len(long_name) <= 100
    with EmbeddedStore(served.store) as store:
        assert store.stats() == before


def test_formula_cells_are_neutralised_in_csv_from_the_api(server: tuple[Server, list[float]],
                                                           tmp_path: Path) -> None:
    served, _ = server
    case, path = next((c, p) for c, p in build(tmp_path / "c") if c.name == "formulas.zip")
    with served.client() as http:
        assert http.post("/ingest", files={"file": (case.name, path.read_bytes())}
                         ).status_code == 200
        text = http.get("/reports/gaps", params={"format": "csv"}).text
    assert "'=HYPERLINK(" in text and "'@SUM(1+1)" in text and "'+cmd|" in text
    assert ",=" not in text and ",@" not in text


def _raw_request(port: int, head: str) -> str:
    """Send only a request's head (no body) and read the answer: a server that waited for
    the body would not answer before the timeout."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode())
        return _read_answer(sock).decode("latin-1")


def _read_answer(sock: socket.socket, first: bytes = b"") -> bytes:
    """One whole HTTP answer (head and Content-Length body) from ``sock``."""
    answer = first
    while b"\r\n\r\n" not in answer:
        answer += sock.recv(65536)
    head, _, body = answer.partition(b"\r\n\r\n")
    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


def test_key_and_declared_size_are_checked_before_the_body(
        server: tuple[Server, list[float]]) -> None:
    served, _ = server
    head = ("POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
            "boundary=x\r\nContent-Length: 300000000\r\n{auth}\r\n")
    assert _raw_request(served.port, head.format(auth="")).startswith("HTTP/1.1 401")
    answer = _raw_request(served.port, head.format(auth=f"Authorization: Bearer {KEY}\r\n"))
    assert answer.startswith("HTTP/1.1 413") and "AIMSGRAPH_MAX_UPLOAD_BYTES" in answer


def test_a_body_without_a_declared_size_is_cut_off_at_the_limit(
        server: tuple[Server, list[float]]) -> None:
    served, _ = server
    head = ("POST /ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
            f"Authorization: Bearer {KEY}\r\nContent-Type: multipart/form-data; boundary=x"
            "\r\n\r\n")
    part = b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.zip"\r\n\r\n'
    block = b"\0" * 65536
    chunk = f"{len(block):x}\r\n".encode() + block + b"\r\n"
    sent = 0
    answer = b""
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
        sock.sendall(head.encode() + f"{len(part):x}\r\n".encode() + part + b"\r\n")
        try:
            # Send a little past the limit, then stop: a server that waits for the whole
            # body never answers (the read times out); one that counts answers 413.
            while sent <= LIMIT + len(block) and not answer:
                sock.sendall(chunk)
                sent += len(block)
                if select.select([sock], [], [], 0)[0]:
                    answer = sock.recv(65536)
            answer = _read_answer(sock, answer)
        except ConnectionResetError:
            # It stopped reading and closed before its answer could be read back here; what
            # matters is that it did so at the limit, long before the body's end.
            answer = answer or b"(reset)"
    assert answer.startswith((b"HTTP/1.1 413", b"(reset)")), answer[:200]
    assert sent <= LIMIT + 2 * len(block)
