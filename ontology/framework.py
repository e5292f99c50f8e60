"""The built-in requirement catalogues (shipped as package data): ISO/IEC 42001, the EU AI Act
and the NIST AI RMF 1.0 Core.

Identifiers and short titles only for ISO/IEC 42001 (the text of the standard is not
reproduced); article and annex headings for the EU AI Act, and the Core's own words for the
NIST AI RMF. Each data file carries its source, licence and attribution in its header, and
``data/ATTRIBUTION.md`` gathers them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import yaml

from aimsgraph.ontology.errors import OntologyError

__all__ = ["EU_AI_ACT", "FRAMEWORK", "NIST_AI_RMF", "BuiltInFramework", "CatalogueItem",
           "Obligation", "annex_a_controls", "builtin_frameworks", "builtin_items", "catalogue",
           "eu_obligations", "framework_id", "qualify_requirement"]

FRAMEWORK = "ISO42001"
EU_AI_ACT = "EU_AI_ACT"
NIST_AI_RMF = "NIST_AI_RMF"
_SHORT_REF = re.compile(r"^(?:\d+(?:\.\d+)*|A\.\d+(?:\.\d+)*)$")
#: A framework id as it prefixes a qualified requirement id: upper case, digits, underscores
#: (a label of the ontology, ``Control:C-1``, never matches).
_FRAMEWORK_ID = re.compile(r"^[A-Z][A-Z0-9_]*$")
_ANNEX = re.compile(r"^Annex[ .]([IVXLC]+)$")
_DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class CatalogueItem:
    """One catalogue entry; ``node_id`` is the Requirement id, e.g. ``ISO42001:A.6.2.4``."""

    ref: str
    title: str
    kind: str
    parent: str
    framework: str = FRAMEWORK

    @property
    def node_id(self) -> str:
        return f"{self.framework}:{self.ref}"

    @property
    def parent_id(self) -> str | None:
        return f"{self.framework}:{self.parent}" if self.parent else None


@dataclass(frozen=True)
class BuiltInFramework:
    """A framework installed in every store, with where its data came from."""

    id: str
    name: str
    licence: str
    file: str
    #: The kinds of its assessable requirements (its leaves).
    assessable: tuple[str, ...]
    items: tuple[CatalogueItem, ...]


def _load(name: str) -> dict[str, Any]:
    # Beside this module, as every install lays it out; importlib.resources would cost every
    # command 15 ms of imports to read one file. libyaml's loader when PyYAML has it.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load((_DATA / name).read_text("utf-8"), Loader=loader)
    return data if isinstance(data, dict) else {}


def _checked(name: str, items: tuple[CatalogueItem, ...]) -> tuple[CatalogueItem, ...]:
    refs = {i.ref for i in items}
    for item in items:
        if item.parent and item.parent not in refs:
            raise OntologyError(f"{name}: item {item.ref}: unknown parent {item.parent}")
    return items


def _iso() -> BuiltInFramework:
    data = _load("iso42001.yaml")
    if data.get("framework") != FRAMEWORK:
        raise OntologyError("iso42001.yaml: field 'framework' must be ISO42001")
    items = tuple(CatalogueItem(str(i["id"]), str(i["title"]), str(i["kind"]),
                                str(i.get("parent") or "")) for i in data["items"])
    return BuiltInFramework(FRAMEWORK, "ISO/IEC 42001:2023", "identifiers and short titles "
                            "only", "iso42001.yaml", ("clause", "annex_a_control"),
                            _checked("iso42001.yaml", items))


def eu_ref(ref: str) -> str:
    """An EU AI Act reference as its id writes it: ``Annex III`` and ``Annex.III`` are both
    ``Annex.III``; anything else unchanged."""
    match = _ANNEX.match(ref)
    return f"Annex.{match.group(1)}" if match else ref


def _eu() -> BuiltInFramework:
    data = _load("eu-ai-act.yaml")
    items = tuple(CatalogueItem(eu_ref(str(i["id"])), str(i.get("title") or i["id"]),
                                str(i["kind"]), eu_ref(str(i.get("parent") or "")), EU_AI_ACT)
                  for i in data["items"])
    return BuiltInFramework(EU_AI_ACT, "EU AI Act, Regulation (EU) 2024/1689", "CC-BY-4.0",
                            "eu-ai-act.yaml", ("article", "annex"),
                            _checked("eu-ai-act.yaml", items))


def _nist() -> BuiltInFramework:
    data = _load("nist-ai-rmf-1.0.yaml")
    items = tuple(CatalogueItem(str(i["id"]), str(i.get("text") or i["id"]), str(i["kind"]),
                                str(i.get("parent") or ""), NIST_AI_RMF) for i in data["items"])
    return BuiltInFramework(NIST_AI_RMF, "NIST AI Risk Management Framework 1.0 (Core)",
                            "US Government work (public domain in the US)",
                            "nist-ai-rmf-1.0.yaml", ("subcategory",),
                            _checked("nist-ai-rmf-1.0.yaml", items))


_LOADERS: tuple[Callable[[], BuiltInFramework], ...] = (_iso, _eu, _nist)


@cache
def builtin_frameworks() -> tuple[BuiltInFramework, ...]:
    """The built-in frameworks, ISO/IEC 42001 first."""
    return tuple(load() for load in _LOADERS)


@cache
def catalogue() -> tuple[CatalogueItem, ...]:
    """Every ISO/IEC 42001 catalogue item, parents before children (read alone: most
    questions need only this one, and every command would otherwise load all three)."""
    return _iso().items


@cache
def builtin_items() -> tuple[CatalogueItem, ...]:
    """Every item of every built-in framework, parents before children."""
    return tuple(item for framework in builtin_frameworks() for item in framework.items)


@dataclass(frozen=True)
class Obligation:
    """An EU AI Act article owed for a system of ``tier`` by an organisation in one of
    ``roles`` (``data/eu-ai-act-obligations.yaml``)."""

    article: str
    tier: str
    roles: tuple[str, ...]

    @property
    def node_id(self) -> str:
        return f"{EU_AI_ACT}:{self.article}"


@cache
def eu_obligations() -> tuple[Obligation, ...]:
    """The EU AI Act obligations by risk tier and role, in the Act's order."""
    data = _load("eu-ai-act-obligations.yaml")
    found = tuple(Obligation(str(o["article"]), str(o["tier"]),
                             tuple(str(r) for r in o["roles"])) for o in data["obligations"])
    articles = {i.ref for i in _eu().items}
    for obligation in found:
        if obligation.article not in articles:
            raise OntologyError(f"eu-ai-act-obligations.yaml: unknown article "
                                f"{obligation.article}")
    return found


@cache
def annex_a_controls() -> frozenset[str]:
    """The Requirement ids of the catalogue's Annex A controls (gathered once: ingestion and
    every API request's check parameters are checked against them)."""
    return frozenset(i.node_id for i in catalogue() if i.kind == "annex_a_control")


def framework_id(name: str) -> str | None:
    """The framework id a name gives: upper case, any run of other characters as ``_``
    (a CISO Assistant library's ``AI Act`` is ``AI_ACT``); None when it has no letter to
    start one."""
    words = re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_")
    return words if _FRAMEWORK_ID.match(words) else None


def qualify_requirement(value: str) -> str | None:
    """The Requirement id a bundle reference names (``5.2`` -> ``ISO42001:5.2``), if it is one.

    Qualified references (``ISO42001:A.6.2.4``, ``EU_AI_ACT:Art.14``, ``NIST_AI_RMF:GOVERN
    1.1``) are returned as they are, an EU AI Act annex in its id's spelling
    (``EU_AI_ACT:Annex III`` -> ``EU_AI_ACT:Annex.III``); anything that does not look like a
    requirement reference gives None.
    """
    if ":" in value:
        framework, _, ref = value.partition(":")
        if not _FRAMEWORK_ID.match(framework) or not ref or ref != ref.strip():
            return None
        if framework == FRAMEWORK and not _SHORT_REF.match(ref):
            return None
        ref = unquote(ref)  # an SSSOM CURIE writes "GOVERN 1.1" as GOVERN%201.1
        return f"{framework}:{eu_ref(ref) if framework == EU_AI_ACT else ref}"
    return f"{FRAMEWORK}:{value}" if _SHORT_REF.match(value) else None
