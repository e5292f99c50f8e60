"""Finding nodes by text and status, as entity lists and search ask for them: the rule and
the order every store keeps.

A node matches when its id or its display name (its name or title) holds the text in any
case; lists come in natural id order (``C-9`` before ``C-10``), search puts an exact id first,
then ids that start with the text, then the rest. The functions here answer on any view by
walking it; a store's lazy view asks its database the same question instead (SQL or Cypher
that filters, orders and pages where the data is), so a list of ten costs ten rows.
"""

from __future__ import annotations

from typing import Any, Protocol

from aimsgraph.graph.store.records import NodeKey, natural_order
from aimsgraph.ontology import ONTOLOGY
from aimsgraph.ontology.values import natural_key

__all__ = ["NAME_PROPERTIES", "folded", "page_by_walking", "search_by_walking"]

#: The property that names each label's nodes (``id``: the id is the name).
NAME_PROPERTIES = {n.label: n.name_property for n in ONTOLOGY.nodes}


class View(Protocol):
    """What walking needs of a view (:class:`graph.store.view.View` has it)."""

    def nodes(self, label: str) -> list[NodeKey]: ...

    def props(self, key: NodeKey) -> dict[str, Any]: ...


def folded(text: str) -> str:
    """Text as it is matched: trimmed and lower-cased (``lower``, not ``casefold``: Cypher's
    ``toLower`` does the same, so both stores match the same nodes)."""
    return text.strip().lower()


def _name(view: View, key: NodeKey) -> str:
    attribute = NAME_PROPERTIES.get(key[0], "id")
    value = view.props(key).get(attribute) if attribute != "id" else None
    return str(value) if value else key[1]


def _holds(view: View, key: NodeKey, needle: str) -> bool:
    return needle in key[1].lower() or needle in _name(view, key).lower()


def page_by_walking(view: View, label: str, needle: str | None, status: str | None,
                    limit: int, offset: int) -> tuple[int, list[NodeKey]]:
    """How many nodes of ``label`` hold ``needle`` (folded) and have ``status``, and
    ``limit`` of them from ``offset`` in natural id order."""
    keys = natural_order(view.nodes(label))
    if needle:
        keys = [k for k in keys if _holds(view, k, needle)]
    if status:
        keys = [k for k in keys if view.props(k).get("status") == status]
    return len(keys), keys[offset:offset + limit]


def search_by_walking(view: View, needle: str, limit: int) -> list[NodeKey]:
    """The first ``limit`` nodes of any label that hold ``needle`` (folded): an exact id,
    then ids that start with it, then the rest, each group by label and natural id."""
    found = []
    for label in ONTOLOGY.labels:
        for key in view.nodes(label):
            if _holds(view, key, needle):
                node_id = key[1].lower()
                rank = 0 if node_id == needle else 1 if node_id.startswith(needle) else 2
                found.append((rank, label, natural_key(key[1]), key))
    found.sort()
    return [key for *_, key in found[:limit]]
