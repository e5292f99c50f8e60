"""Installs the built-in requirement catalogues (ISO/IEC 42001, the EU AI Act, the NIST AI RMF)
into any store, keeping SoA decisions."""

from __future__ import annotations

import logging

from aimsgraph.graph.store.interface import GraphStore, ReadTransaction, WriteTransaction
from aimsgraph.graph.store.records import ChangeSet, NodeRecord, RelKey, RelRecord
from aimsgraph.ontology import ONTOLOGY, DamagedStoreError, builtin_frameworks

__all__ = ["CATALOGUE_SOURCE", "catalogue_changes", "catalogue_sources", "ensure_catalogue",
           "install_catalogue"]

log = logging.getLogger(__name__)

#: The source of the ISO/IEC 42001 catalogue's nodes; each framework's names its own file.
CATALOGUE_SOURCE = "catalogue:iso42001.yaml"


def catalogue_sources() -> frozenset[str]:
    """The ``source`` of what the built-in catalogues install (no run's ledger holds it)."""
    return frozenset(f"catalogue:{framework.file}" for framework in builtin_frameworks())


def catalogue_changes(tx: ReadTransaction) -> ChangeSet:
    """What installing the catalogue would write; empty when the store holds it as shipped.

    Stores call this in a read transaction on open and take a write transaction only when it
    is not empty, so opening a store that is set up never waits for a writer.
    """
    sources = {item.node_id: f"catalogue:{framework.file}"
               for framework in builtin_frameworks() for item in framework.items}
    items = [item for framework in builtin_frameworks() for item in framework.items]
    existing = tx.get_nodes("Requirement", [i.node_id for i in items])
    requirement = ONTOLOGY.node("Requirement")
    changes = ChangeSet()
    for item in items:
        fields = {"framework": item.framework, "ref": item.ref, "title": item.title,
                  "kind": item.kind}
        old = existing.get(item.node_id)
        if old is not None and all(old.props.get(k) == v for k, v in fields.items()):
            continue
        props: dict[str, object] = (dict(old.props) if old
                                    else {"source": sources[item.node_id]})
        props.update(fields)
        changes.upsert_nodes.append(
            NodeRecord("Requirement", item.node_id, requirement.labels_for(props), props))
    parents: list[RelKey] = [
        ("PART_OF", ("Requirement", i.node_id), ("Requirement", str(i.parent_id)), "")
        for i in items if i.parent]
    stored = tx.get_relationships(parents)
    for key in parents:
        if key not in stored:
            changes.upsert_rels.append(RelRecord(key[0], key[1], key[2],
                                                 {"source": sources[key[1][1]]}))
    return changes


def install_catalogue(tx: WriteTransaction) -> int:
    """Upsert catalogue Requirements and their PART_OF links; returns how many were written.

    Only catalogue fields are set: properties added later (SoA ``applicable`` and
    ``justification``, provenance of the SoA row) are kept, so reopening a store never undoes
    a decision. Nothing is written when the store already holds the catalogue as shipped.
    """
    changes = catalogue_changes(tx)
    if changes:
        tx.apply(changes)
    return len(changes.upsert_nodes) + len(changes.upsert_rels)


def ensure_catalogue(store: GraphStore) -> None:
    """Install or bring up to date the built-in catalogue when it differs, as a store opens.

    A store holding a value it cannot read still opens (the catalogue is left as it is), so
    that ``aimsgraph doctor`` can examine and mend it; every read of the damage says so.
    """
    try:
        stale = store.read_transaction(catalogue_changes)
    except DamagedStoreError as exc:
        log.warning("the catalogue was not checked: %s", exc)
        return
    if stale:
        store.write_transaction(install_catalogue)
