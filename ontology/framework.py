"""The built-in ISO/IEC 42001 requirement catalogue (shipped as package data).

Identifiers and short titles only; the text of the standard is not reproduced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from aimsgraph.ontology.errors import OntologyError

__all__ = ["FRAMEWORK", "CatalogueItem", "annex_a_controls", "catalogue", "qualify_requirement"]

FRAMEWORK = "ISO42001"
_SHORT_REF = re.compile(r"^(?:\d+(?:\.\d+)*|A\.\d+(?:\.\d+)*)$")


@dataclass(frozen=True)
class CatalogueItem:
    """One catalogue entry; ``node_id`` is the Requirement id, e.g. ``ISO42001:A.6.2.4``."""

    ref: str
    title: str
    kind: str
    parent: str

    @property
    def node_id(self) -> str:
        return f"{FRAMEWORK}:{self.ref}"

    @property
    def parent_id(self) -> str | None:
        return f"{FRAMEWORK}:{self.parent}" if self.parent else None


@cache
def catalogue() -> tuple[CatalogueItem, ...]:
    """Every catalogue item, parents before children."""
    # Beside this module, as every install lays it out; importlib.resources would cost every
    # command 15 ms of imports to read one file.
    text = (Path(__file__).parent / "data" / "iso42001.yaml").read_text("utf-8")
    # libyaml's loader when PyYAML has it: ten times faster, and every command reads this
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(text, Loader=loader)
    if data.get("framework") != FRAMEWORK:
        raise OntologyError("iso42001.yaml: field 'framework' must be ISO42001")
    items = tuple(
        CatalogueItem(str(i["id"]), str(i["title"]), str(i["kind"]), str(i.get("parent") or ""))
        for i in data["items"]
    )
    refs = {i.ref for i in items}
    for item in items:
        if item.parent and item.parent not in refs:
            raise OntologyError(f"iso42001.yaml: item {item.ref}: unknown parent {item.parent}")
    return items


@cache
def annex_a_controls() -> frozenset[str]:
    """The Requirement ids of the catalogue's Annex A controls (gathered once: ingestion and
    every API request's check parameters are checked against them)."""
    return frozenset(i.node_id for i in catalogue() if i.kind == "annex_a_control")


def qualify_requirement(value: str) -> str | None:
    """The Requirement id a bundle reference names (``5.2`` -> ``ISO42001:5.2``), if it is one.

    Qualified references (``ISO42001:A.6.2.4``) are returned as they are; anything that does
    not look like a requirement reference gives None.
    """
    if ":" in value:
        framework, _, ref = value.partition(":")
        return f"{framework}:{ref}" if framework and _SHORT_REF.match(ref) else None
    return f"{FRAMEWORK}:{value}" if _SHORT_REF.match(value) else None
