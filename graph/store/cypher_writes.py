"""Write Cypher generated from the ontology declaration: every write of ingestion and of the
run ledger (the doctor's mending, in :mod:`graph.store.neo4j_integrity`, is the one other).

Labels and relationship types are checked against the declaration before they are placed in a
query; every value travels as a parameter (``UNWIND $rows AS row ...``).
"""

from __future__ import annotations

from functools import cache

from aimsgraph.ontology import ONTOLOGY, StoreError

__all__ = ["create_nodes", "create_relationships", "delete_nodes", "delete_relationships",
           "merge_nodes", "merge_relationships", "schema_statements"]

RUN_LABEL = "IngestRun"
#: The one node that holds the store's write counter (see Neo4jStore.generation).
STATE_LABEL = "AimsgraphState"
#: A reminder sent (``key``: item, stage, person, channel; ``sent_at``).
REMINDER_LABEL = "AimsgraphReminder"
#: One entry of a run's change ledger (``run_id``, ``seq``, ``record`` as JSON).
CHANGE_LABEL = "IngestChange"
BUMP_GENERATION = (f"MERGE (s:{STATE_LABEL} {{key: 'generation'}}) "
                   "ON CREATE SET s.epoch = randomUUID(), s.value = 0 "
                   "SET s.value = s.value + 1")
READ_GENERATION = (f"MATCH (s:{STATE_LABEL} {{key: 'generation'}}) "
                   "RETURN s.epoch AS epoch, s.value AS value")


def _label(label: str) -> str:
    if not ONTOLOGY.has_label(label):
        raise StoreError(f"'{label}' is not a label of the ontology")
    return f"`{label}`"


def _type(rel_type: str) -> str:
    if not ONTOLOGY.has_relationship(rel_type):
        raise StoreError(f"'{rel_type}' is not a relationship type of the ontology")
    return f"`{rel_type}`"


@cache
def merge_nodes(label: str, labels: frozenset[str]) -> str:
    """MERGE nodes of ``label`` by id, replace their properties, set their derived labels.

    Rows: ``{id, props}``. ``labels`` is the full label set of every row in the batch; derived
    labels of the type that are not in it are removed.
    """
    node = ONTOLOGY.node(label)
    query = (f"UNWIND $rows AS row MERGE (n:{_label(label)} {{id: row.id}}) "
             "SET n = row.props SET n.id = row.id")
    for derived in node.derived_labels:
        verb = "SET" if derived.label in labels else "REMOVE"
        query += f" {verb} n:`{derived.label}`"
    return query


@cache
def create_nodes(label: str, labels: frozenset[str]) -> str:
    """CREATE nodes of ``label`` that the store does not hold (rows as for
    :func:`merge_nodes`): no index is looked in first, and the uniqueness constraint on id
    still refuses one that another writer made meanwhile."""
    node = ONTOLOGY.node(label)
    derived = "".join(f":`{d.label}`" for d in node.derived_labels if d.label in labels)
    return (f"UNWIND $rows AS row CREATE (n:{_label(label)}{derived}) "
            "SET n = row.props SET n.id = row.id")


@cache
def create_relationships(rel_type: str, start: str, end: str) -> str:
    """CREATE relationships that do not exist yet between existing nodes (rows as for
    :func:`merge_relationships`): the relationships the two ends hold are not searched."""
    if not ONTOLOGY.relationship(rel_type).allows(start, end):
        raise StoreError(f"{rel_type} may not join {start} to {end}")
    return (f"UNWIND $rows AS row MATCH (a:{_label(start)} {{id: row.start}}) "
            f"MATCH (b:{_label(end)} {{id: row.end}}) "
            f"CREATE (a)-[r:{_type(rel_type)}]->(b) SET r = row.props")


@cache
def merge_relationships(rel_type: str, start: str, end: str) -> str:
    """MERGE relationships between existing nodes and replace their properties.

    Rows: ``{start, end, ident, props}`` (ids of the two ends, the relationship's identity).
    A type that keeps repeated facts matches on its identity property instead of MERGE (which
    cannot match an absent property, and an empty ``since`` is an identity like any other).
    """
    if not ONTOLOGY.relationship(rel_type).allows(start, end):
        raise StoreError(f"{rel_type} may not join {start} to {end}")
    ends = (f"UNWIND $rows AS row MATCH (a:{_label(start)} {{id: row.start}}) "
            f"MATCH (b:{_label(end)} {{id: row.end}}) ")
    if ONTOLOGY.relationship(rel_type).identity is None:
        return ends + f"MERGE (a)-[r:{_type(rel_type)}]->(b) SET r = row.props"
    return (ends + f"OPTIONAL MATCH (a)-[old:{_type(rel_type)}]->(b) "
            f"WHERE {identity('old', rel_type)} = row.ident "
            "WITH a, b, row, head(collect(old)) AS old "
            "FOREACH (_ IN CASE WHEN old IS NULL THEN [1] ELSE [] END | "
            f"CREATE (a)-[r:{_type(rel_type)}]->(b) SET r = row.props) "
            "FOREACH (r IN CASE WHEN old IS NULL THEN [] ELSE [old] END | SET r = row.props)")


def identity(r: str, rel_type: str) -> str:
    """Cypher for the identity of relationship ``r`` of ``rel_type`` (as ``rel_identity``)."""
    prop = ONTOLOGY.relationship(rel_type).identity
    return "''" if prop is None else f"coalesce(toString({r}.{prop}), '')"


@cache
def delete_relationships(rel_type: str, start: str, end: str) -> str:
    """Delete relationships given as rows ``{start, end, ident}``."""
    return (f"UNWIND $rows AS row MATCH (a:{_label(start)} {{id: row.start}})"
            f"-[r:{_type(rel_type)}]->(b:{_label(end)} {{id: row.end}}) "
            f"WHERE {identity('r', rel_type)} = row.ident DELETE r")


@cache
def delete_nodes(label: str) -> str:
    """Detach-delete the nodes of ``label`` whose ids are in ``$ids``."""
    return f"UNWIND $ids AS id MATCH (n:{_label(label)} {{id: id}}) DETACH DELETE n"


def schema_statements() -> dict[str, str]:
    """Uniqueness constraints on id for every label, and the indexes the queries use, by
    name (every name starts ``aimsgraph_``, so what exists can be told by name)."""
    statements = {}
    for node in ONTOLOGY.nodes:
        name = node.label.lower()
        statements[f"aimsgraph_{name}_id"] = (
            f"CREATE CONSTRAINT aimsgraph_{name}_id IF NOT EXISTS "
            f"FOR (n:{_label(node.label)}) REQUIRE n.id IS UNIQUE")
        statements[f"aimsgraph_{name}_sync"] = (
            f"CREATE INDEX aimsgraph_{name}_sync IF NOT EXISTS "
            f"FOR (n:{_label(node.label)}) ON (n.sync_source)")
    for prop in ("kind", "status", "lifecycle"):
        for node in ONTOLOGY.nodes:
            if any(p.name == prop for p in node.properties):
                name = f"aimsgraph_{node.label.lower()}_{prop}"
                statements[name] = (f"CREATE INDEX {name} IF NOT EXISTS "
                                    f"FOR (n:{_label(node.label)}) ON (n.{prop})")
    statements["aimsgraph_run_id"] = (f"CREATE CONSTRAINT aimsgraph_run_id IF NOT EXISTS "
                                      f"FOR (r:{RUN_LABEL}) REQUIRE r.run_id IS UNIQUE")
    statements["aimsgraph_state_key"] = (f"CREATE CONSTRAINT aimsgraph_state_key IF NOT EXISTS "
                                         f"FOR (s:{STATE_LABEL}) REQUIRE s.key IS UNIQUE")
    statements["aimsgraph_reminder_key"] = (
        f"CREATE CONSTRAINT aimsgraph_reminder_key IF NOT EXISTS "
        f"FOR (r:{REMINDER_LABEL}) REQUIRE r.key IS UNIQUE")
    statements["aimsgraph_change_run"] = (f"CREATE INDEX aimsgraph_change_run IF NOT EXISTS "
                                          f"FOR (c:{CHANGE_LABEL}) ON (c.run_id, c.seq)")
    return statements
