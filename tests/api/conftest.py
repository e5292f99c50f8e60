"""A real uvicorn server on a free loopback port, serving the app over the store under test."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from aimsgraph.api.http.app import create_app
from aimsgraph.api.settings import Settings
from aimsgraph.graph import GraphStore
from aimsgraph.graph.store.bundled_neo4j import free_port
from aimsgraph.ingest import ingest_bundle

READER_KEY = "reader-key-123"
ADMIN_KEY = "admin-key-456"
KEYS = f"reader:{READER_KEY},admin:sha256:{hashlib.sha256(ADMIN_KEY.encode()).hexdigest()}"


@dataclass
class Served:
    base: str
    store: GraphStore

    def client(self, key: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.base, headers=headers, timeout=60)


def settings_for(**values: object) -> Settings:
    """Settings with the test keys (values by their environment names)."""
    return Settings(**{"AIMSGRAPH_API_KEYS": KEYS, **values})  # type: ignore[arg-type]


@contextmanager
def serving(settings: Settings, store: GraphStore, **options: Any) -> Iterator[str]:
    """Run the app (``options`` for create_app) with uvicorn in a thread on 127.0.0.1;
    yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, store, **options),
                                           host="127.0.0.1",
                                           port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


@pytest.fixture
def served(store: GraphStore, sample_dir: Path) -> Iterator[Served]:
    """The API over the sample organisation, with a reader and an admin key configured."""
    ingest_bundle(store, sample_dir)
    with serving(settings_for(), store) as base:
        yield Served(base, store)
