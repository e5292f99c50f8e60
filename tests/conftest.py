"""Shared fixtures: stores (every store test runs on both), the sample organisation."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from aimsgraph.graph import EmbeddedStore, GraphStore
from aimsgraph.ingest.sample import sample_bundle
from aimsgraph.ontology import AimsgraphError
from tests.stores import (
    PARTIAL,
    PARTIAL_VARIABLE,
    STORES,
    broken,
    have_build_tools,
    unavailable,
    wipe,
)

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")


@pytest.fixture(scope="session")
def neo4j_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The Bolt URI of a real Neo4j for this test session."""
    given = os.environ.get("AIMSGRAPH_TEST_NEO4J_URI")
    if given:
        yield given
        return
    if not have_build_tools():
        unavailable("the bundled Neo4j needs java and mvn on PATH")
    from aimsgraph.graph.store.bundled_neo4j import BundledNeo4j

    server = BundledNeo4j(tmp_path_factory.mktemp("neo4j") / "data")
    try:
        server.start()
    except AimsgraphError as exc:
        broken(f"the bundled Neo4j did not start: {exc}")
    yield server.uri
    server.stop()


def open_store(kind: str, request: pytest.FixtureRequest, folder: Path) -> GraphStore:
    """An open, empty store of ``kind`` (the requirement catalogue installed)."""
    if kind == "embedded":
        store: GraphStore = EmbeddedStore(folder)
    else:
        from aimsgraph.graph.store.neo4j_store import Neo4jStore

        uri = request.getfixturevalue("neo4j_uri")
        try:
            wipe(uri)
        except Exception as exc:  # the driver's own errors: the server is not there
            broken(f"cannot reach or wipe the test Neo4j at {uri}: {exc}")
        store = Neo4jStore(uri)
    store.open()
    return store


@pytest.fixture(params=STORES)
def store_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(store_kind: str, request: pytest.FixtureRequest,
          tmp_path: Path) -> Iterator[GraphStore]:
    """An open, empty store of each kind in turn."""
    opened = open_store(store_kind, request, tmp_path / "store")
    try:
        yield opened
    finally:
        opened.close()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's chromium, headless, driven by Playwright (one for the whole run)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright is not installed (pip install -e '.[dev]')")
    if not shutil.which(CHROMIUM):
        unavailable(f"{CHROMIUM} is not installed (Debian package chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The shipped sample organisation bundle (a folder of CSV files)."""
    return sample_bundle()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say plainly when a run was partial, and refuse skips in a whole run."""
    skipped = len(terminalreporter.stats.get("skipped", []))
    if PARTIAL:
        terminalreporter.write_line(
            f"PARTIAL RUN ({PARTIAL_VARIABLE}=1, stores: {', '.join(STORES)}): "
            f"{skipped} tests skipped for missing components", yellow=True, bold=True)
    elif skipped:
        terminalreporter.write_line(
            f"{skipped} tests were skipped in a whole run: this run fails (a whole run skips "
            f"nothing; declare a partial run with {PARTIAL_VARIABLE}=1)", red=True, bold=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter is not None else 0
    if not PARTIAL and skipped and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
