"""The aimsgraph model, declared once: node and relationship types, provenance, the catalogue.

Nothing in this package does I/O against a store.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from aimsgraph.ontology.errors import (
    AimsgraphError,
    BundleError,
    BundleIssue,
    ConfigError,
    DamagedStoreError,
    IssueLog,
    NotFoundError,
    OntologyError,
    OutputError,
    ReadTimeoutError,
    StoreBusyError,
    StoreError,
    StoreUnavailableError,
    TooBroadError,
    did_you_mean,
    refused_text,
    with_article,
)

if TYPE_CHECKING:
    from aimsgraph.ontology.framework import (
        EU_AI_ACT,
        FRAMEWORK,
        NIST_AI_RMF,
        BuiltInFramework,
        CatalogueItem,
        Obligation,
        annex_a_controls,
        builtin_frameworks,
        builtin_items,
        catalogue,
        eu_obligations,
        framework_id,
        qualify_requirement,
    )
    from aimsgraph.ontology.model import NodeType, Ontology, Property, RelationshipType
    from aimsgraph.ontology.schema import ONTOLOGY

#: Names loaded on first use: the schema and the catalogue (YAML) cost 60 ms to load, which
#: ``aimsgraph --help`` and the error classes should not pay.
_LAZY = {"FRAMEWORK": "framework", "EU_AI_ACT": "framework", "NIST_AI_RMF": "framework",
         "CatalogueItem": "framework", "catalogue": "framework",
         "annex_a_controls": "framework", "BuiltInFramework": "framework",
         "builtin_frameworks": "framework", "builtin_items": "framework",
         "Obligation": "framework", "eu_obligations": "framework",
         "qualify_requirement": "framework", "framework_id": "framework",
         "NodeType": "model", "Ontology": "model",
         "Property": "model", "RelationshipType": "model", "ONTOLOGY": "schema"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'aimsgraph.ontology' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value

__all__ = [
    "EU_AI_ACT",
    "FRAMEWORK",
    "NIST_AI_RMF",
    "ONTOLOGY",
    "AimsgraphError",
    "BuiltInFramework",
    "BundleError",
    "BundleIssue",
    "CatalogueItem",
    "ConfigError",
    "DamagedStoreError",
    "OutputError",
    "IssueLog",
    "NodeType",
    "NotFoundError",
    "Obligation",
    "Ontology",
    "OntologyError",
    "Property",
    "ReadTimeoutError",
    "RelationshipType",
    "StoreError",
    "refused_text",
    "StoreBusyError",
    "StoreUnavailableError",
    "TooBroadError",
    "annex_a_controls",
    "builtin_frameworks",
    "builtin_items",
    "catalogue",
    "did_you_mean",
    "eu_obligations",
    "framework_id",
    "qualify_requirement",
    "with_article",
]
