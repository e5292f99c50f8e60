"""The sample organisation shipped with the package (the demo's bundle, the tests' fixture)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["sample_bundle"]


def sample_bundle() -> Path:
    """The folder of the sample organisation's bundle, inside the installed package."""
    return Path(str(resources.files("aimsgraph.ingest").joinpath("samples/northwind")))
