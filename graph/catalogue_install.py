"""Installs the built-in requirement catalogue into any store, keeping SoA decisions."""

from __future__ import annotations

from graph.records import ChangeSet, NodeRecord, RelKey, RelRecord
from graph.store import WriteTransaction
from ontology import ONTOLOGY, catalogue

__all__ = ["CATALOGUE_SOURCE", "install_catalogue"]

CATALOGUE_SOURCE = "catalogue:iso42001.yaml"


def install_catalogue(tx: WriteTransaction) -> int:
    """Upsert catalogue Requirements and their PART_OF links; returns how many were written.

    Only catalogue fields are set: properties added later (SoA ``applicable`` and
    ``justification``, provenance of the SoA row) are kept, so reopening a store never undoes
    a decision. Nothing is written when the store already holds the catalogue as shipped.
    """
    items = catalogue()
    existing = tx.get_nodes("Requirement", [i.node_id for i in items])
    requirement = ONTOLOGY.node("Requirement")
    changes = ChangeSet()
    for item in items:
        fields = {"framework": "ISO42001", "ref": item.ref, "title": item.title,
                  "kind": item.kind}
        old = existing.get(item.node_id)
        if old is not None and all(old.props.get(k) == v for k, v in fields.items()):
            continue
        props: dict[str, object] = dict(old.props) if old else {"source": CATALOGUE_SOURCE}
        props.update(fields)
        changes.upsert_nodes.append(
            NodeRecord("Requirement", item.node_id, requirement.labels_for(props), props))
    parents: list[RelKey] = [
        ("PART_OF", ("Requirement", i.node_id), ("Requirement", str(i.parent_id)))
        for i in items if i.parent]
    stored = tx.get_relationships(parents)
    for key in parents:
        if key not in stored:
            changes.upsert_rels.append(RelRecord(key[0], key[1], key[2],
                                                 {"source": CATALOGUE_SOURCE}))
    if changes:
        tx.apply(changes)
    return len(changes.upsert_nodes) + len(changes.upsert_rels)
