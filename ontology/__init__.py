"""The aimsgraph model, declared once: node and relationship types, provenance, the catalogue.

Nothing in this package does I/O against a store.
"""

from ontology.catalogue import FRAMEWORK, CatalogueItem, catalogue, qualify_requirement
from ontology.errors import (
    AimsgraphError,
    BundleError,
    BundleIssue,
    ConfigError,
    IssueLog,
    NotFoundError,
    OntologyError,
    ReadTimeoutError,
    StoreError,
    StoreUnavailableError,
    TooBroadError,
    did_you_mean,
    with_article,
)
from ontology.model import NodeType, Ontology, Property, RelationshipType
from ontology.schema import ONTOLOGY

__all__ = [
    "FRAMEWORK",
    "ONTOLOGY",
    "AimsgraphError",
    "BundleError",
    "BundleIssue",
    "CatalogueItem",
    "ConfigError",
    "IssueLog",
    "NodeType",
    "NotFoundError",
    "Ontology",
    "OntologyError",
    "Property",
    "ReadTimeoutError",
    "RelationshipType",
    "StoreError",
    "StoreUnavailableError",
    "TooBroadError",
    "catalogue",
    "did_you_mean",
    "qualify_requirement",
    "with_article",
]
