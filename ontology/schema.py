"""The aimsgraph ontology, declared once.

Labels, relationship types and their meaning are the public contract (users write Cypher
against them): see docs/ontology.md, generated from this declaration. Stores, ingestion,
API models and visual styles are derived from :data:`ONTOLOGY`. The node types are declared in
:mod:`ontology.nodes`, the relationship types in :mod:`ontology.relationships`.
"""

from __future__ import annotations

from aimsgraph.ontology.model import Ontology
from aimsgraph.ontology.nodes import FREQUENCIES, NODES, PROVENANCE
from aimsgraph.ontology.relationships import RELATIONSHIPS

__all__ = ["FREQUENCIES", "NODES", "ONTOLOGY", "PROVENANCE", "RELATIONSHIPS"]

ONTOLOGY = Ontology(NODES, RELATIONSHIPS, PROVENANCE)
