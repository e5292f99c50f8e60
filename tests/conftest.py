"""Shared fixtures: a fresh embedded store per test and the shipped sample organisation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from api.cli import sample_bundle
from graph import EmbeddedStore, GraphStore

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    """An open, empty store (the requirement catalogue installed) in a temporary folder."""
    with EmbeddedStore(tmp_path / "store") as opened:
        yield opened


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The shipped sample organisation bundle (a folder of CSV files)."""
    return sample_bundle()
