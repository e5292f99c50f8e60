"""CISO Assistant libraries: a YAML file whose top level has ``objects:``, read as it is.

A library's ``objects.framework`` becomes the ``requirements`` of a framework whose id is the
framework's ``ref_id`` (in capitals, other characters as ``_``: ``AI Act`` is ``AI_ACT``), and
its requirement mapping sets become ``mappings``; both then go through the validation every
bundle file goes through, so a library is held to the same rules and its problems name the
file and the line.

Why the translation is what it is:

- A requirement keeps its ``ref_id`` as its reference when the framework gives it once, else
  the last part of its urn (headings often have no ``ref_id``; some repeat one), so every
  requirement has an id. It keeps its urn too: a mapping set read later names it by that urn.
- A node the library does not mark ``assessable`` is a ``group``: a heading or an
  informative text, never counted as a requirement to cover, leaf or not.
- The library's ``copyright`` is the framework's licence and the mappings' licence.
- CISO Assistant's own ISO/IEC 42001 library names its requirements
  ``urn:intuitem:risk:req_node:iso42001-2023:a.9.2`` (``5.3`` for a clause): those resolve to
  the built-in catalogue.
- Relationships become SKOS predicates with the source as subject (see
  :data:`PREDICATES`); ``intersect`` (each says something the other does not) becomes
  ``skos:relatedMatch``, the one predicate that claims no containment, so an overlap is shown
  as a hint and never counted as coverage; ``not_related`` is no mapping at all. The original
  relationship and rationale stay in the mapping's comment, a strength of 0-10 becomes a
  confidence of 0-1.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import yaml

from aimsgraph.ingest.tables import Row, Table
from aimsgraph.ontology import framework_id
from aimsgraph.ontology.values import Cell

__all__ = ["PREDICATES", "is_library", "library_tables"]

#: CISO Assistant relationship -> SKOS predicate, with the mapping's source as subject.
PREDICATES = {
    "equal": "skos:exactMatch",      # the same requirement
    "subset": "skos:broadMatch",     # the source is narrower: the target is broader
    "superset": "skos:narrowMatch",  # the source is broader: the target is narrower
    "intersect": "skos:relatedMatch",  # an overlap, neither containing the other
}
#: The relationship that says two requirements are not related: no mapping is made.
NOT_RELATED = "not_related"
#: CISO Assistant's ISO/IEC 42001 library: its requirement urns name the built-in catalogue.
ISO42001_URN = "urn:intuitem:risk:req_node:iso42001-2023:"

Issue = Callable[[str, str, str], None]  # (message, row, column)


def is_library(data: Any) -> bool:
    """Whether a YAML document is a CISO Assistant library (its top level has ``objects:``)."""
    return isinstance(data, dict) and "objects" in data


def iso_reference(urn: str) -> str | None:
    """``ISO42001:A.9.2`` for CISO Assistant's urn of ISO/IEC 42001 Annex A control a.9.2."""
    if not urn.startswith(ISO42001_URN):
        return None
    ref = urn[len(ISO42001_URN):]
    return f"ISO42001:{ref[0].upper()}{ref[1:]}" if ref.startswith("a.") else f"ISO42001:{ref}"


def library_tables(file: str, data: dict[str, Any], node: yaml.Node | None,
                   issue: Issue) -> list[Table]:
    """The ``requirements`` and ``mappings`` tables a library holds (either may be absent)."""
    objects = data.get("objects")
    if not isinstance(objects, dict):
        issue("objects is not a mapping of the library's objects", "", "objects")
        return []
    licence = _text(data.get("copyright"))
    objects_node = _child(node, "objects")
    tables: list[Table] = []
    urn_ids: dict[str, str] = {}
    framework = objects.get("framework")
    if framework is not None:
        table = _framework(file, framework, _child(objects_node, "framework"), licence,
                           urn_ids, issue)
        if table is not None:
            tables.append(table)
    for key in ("requirement_mapping_sets", "requirement_mapping_set"):
        if key not in objects:
            continue
        many = key.endswith("sets")  # the older single form, and the list
        sets = objects[key] if many else [objects[key]]
        set_node = _child(objects_node, key)
        set_nodes = _items(set_node) if many else [set_node] if set_node else []
        if not isinstance(sets, list):
            issue(f"{key} is not a list of mapping sets", _line(set_node), key)
            continue
        for index, mapping_set in enumerate(sets):
            table = _mapping_set(file, mapping_set, _nth(set_nodes, index), licence, urn_ids,
                                 issue)
            if table is not None:
                tables.append(table)
    if framework is None and not tables:
        issue("a library with neither a framework nor a requirement mapping set: nothing to "
              "read", "", "objects")
    return tables


def _framework(file: str, framework: Any, node: yaml.Node | None, licence: Cell,
               urn_ids: dict[str, str], issue: Issue) -> Table | None:
    """The requirements table of a library's framework; fills ``urn_ids``."""
    line = _line(node)
    if not isinstance(framework, dict):
        issue("framework is not a mapping", line, "framework")
        return None
    ref_id = _text(framework.get("ref_id"))
    prefix = framework_id(ref_id) if isinstance(ref_id, str) else None
    if prefix is None:
        issue(f"the framework's ref_id {ref_id!r} gives no framework id (it needs a letter)",
              line, "ref_id")
        return None
    nodes = framework.get("requirement_nodes") or []
    item_nodes = _items(_child(node, "requirement_nodes"))
    if not isinstance(nodes, list):
        issue("requirement_nodes is not a list", line, "requirement_nodes")
        return None
    given = Counter(_text(n.get("ref_id")) for n in nodes if isinstance(n, dict))
    name = _text(framework.get("name")) or ref_id
    rows: list[tuple[str, dict[str, Cell], Cell]] = []
    for index, item in enumerate(nodes):
        loc = _line(_nth(item_nodes, index)) or f"requirement node {index + 1}"
        if not isinstance(item, dict) or not isinstance(item.get("urn"), str):
            issue("a requirement node without a urn", loc, "urn")
            continue
        urn = item["urn"]
        own = _text(item.get("ref_id"))
        ref = own if isinstance(own, str) and own.strip() == own and given[own] == 1 \
            else urn.rsplit(":", 1)[-1]
        urn_ids[urn] = f"{prefix}:{ref}"
        assessable = str(item.get("assessable", "")).strip().lower() == "true"
        rows.append((loc, {
            "id": f"{prefix}:{ref}",
            "title": _text(item.get("name")) or own or ref,
            "kind": "requirement" if assessable else "group",
            "description": _text(item.get("description")),
            "framework_name": name,
            "licence": licence,
            "urn": urn,
        }, _text(item.get("parent_urn"))))
    table_rows = []
    for loc, cells, parent in rows:
        if parent is not None:
            cells["parent"] = urn_ids.get(str(parent), str(parent))
        table_rows.append(Row(loc, cells))
    columns = ["id", "title", "kind", "parent", "description", "framework_name", "licence",
               "urn"]
    return Table("requirements", file, columns, table_rows, "")


def _mapping_set(file: str, mapping_set: Any, node: yaml.Node | None, licence: Cell,
                 urn_ids: dict[str, str], issue: Issue) -> Table | None:
    """The mappings table of one requirement mapping set."""
    line = _line(node)
    if not isinstance(mapping_set, dict):
        issue("a requirement mapping set is not a mapping", line, "requirement_mapping_set")
        return None
    mappings = mapping_set.get("requirement_mappings") or []
    if not isinstance(mappings, list):
        issue("requirement_mappings is not a list", line, "requirement_mappings")
        return None
    set_id = _text(mapping_set.get("urn"))
    rows = []
    item_nodes = _items(_child(node, "requirement_mappings"))
    for index, item in enumerate(mappings):
        loc = _line(_nth(item_nodes, index)) or f"requirement mapping {index + 1}"
        if not isinstance(item, dict):
            issue("a requirement mapping is not a mapping", loc, "requirement_mappings")
            continue
        relationship = str(_text(item.get("relationship")) or "").strip()
        if relationship == NOT_RELATED:
            continue
        if relationship not in PREDICATES:
            issue(f"relationship {relationship!r} is not one of: "
                  f"{', '.join([*PREDICATES, NOT_RELATED])}", loc, "relationship")
            continue
        source = _text(item.get("source_requirement_urn") or
                       item.get("reference_requirement_urn"))
        target = _text(item.get("target_requirement_urn") or
                       item.get("focal_requirement_urn"))
        rationale = _text(item.get("rationale"))
        comment = f"CISO Assistant relationship: {relationship}" + (
            f"; rationale: {rationale}" if rationale else "")
        rows.append(Row(loc, {
            "subject_id": _requirement(source, urn_ids),
            "predicate_id": PREDICATES[relationship],
            "object_id": _requirement(target, urn_ids),
            "confidence": _confidence(item, loc, issue),
            "comment": comment,
            "mapping_set_id": set_id,
            "license": licence,
        }))
    columns = ["subject_id", "predicate_id", "object_id", "confidence", "comment",
               "mapping_set_id", "license"]
    return Table("mappings", file, columns, rows, "")


def _requirement(urn: Cell, urn_ids: dict[str, str]) -> Cell:
    """The id a mapping's urn names when the library itself or the catalogue tells; else
    the urn, for ingestion to look up among the requirements already read."""
    if not isinstance(urn, str):
        return urn
    return urn_ids.get(urn) or iso_reference(urn) or urn


def _confidence(item: dict[str, Any], loc: str, issue: Issue) -> Cell:
    """A strength of relationship (0-10) as a confidence (0-1)."""
    strength = item.get("strength_of_relationship", item.get("stregth_of_relationship"))
    if strength is None or str(strength).strip() in ("", "null", "~"):
        return None
    try:
        value = float(str(strength))
    except ValueError:
        value = -1.0
    if not 0 <= value <= 10:
        issue(f"strength_of_relationship {strength!r} is not a number from 0 to 10", loc,
              "strength_of_relationship")
        return None
    return f"{value / 10:g}"


def _text(value: Any) -> Cell:
    """A scalar as text (the YAML is read with every scalar as text), None for null."""
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value)
    return None if text in ("", "null", "~") else text


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    """The value node under ``key`` of a mapping node (for line numbers)."""
    if isinstance(node, yaml.MappingNode):
        for name, value in node.value:
            if getattr(name, "value", None) == key and isinstance(value, yaml.Node):
                return value
    return None


def _items(node: yaml.Node | None) -> list[yaml.Node]:
    """The item nodes of a sequence node (none when it is not one)."""
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _nth(nodes: list[yaml.Node], index: int) -> yaml.Node | None:
    return nodes[index] if index < len(nodes) else None


def _line(node: yaml.Node | None) -> str:
    return f"line {node.start_mark.line + 1}" if node is not None else ""
