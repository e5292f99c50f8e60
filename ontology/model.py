"""Frozen, self-checking declaration types for the ontology.

A declaration that breaks an invariant raises :class:`OntologyError` when it is constructed,
which happens at import of :mod:`ontology.schema`; the message names the type and the field,
so a bad edit fails loudly before anything touches a store.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from aimsgraph.ontology.errors import OntologyError

__all__ = [
    "PROPERTY_TYPES",
    "DerivedLabel",
    "EdgeStyle",
    "NodeStyle",
    "NodeType",
    "Ontology",
    "Property",
    "PropertyType",
    "RelationshipType",
]

PropertyType = Literal["string", "integer", "number", "boolean", "date", "string_list"]
PROPERTY_TYPES: tuple[str, ...] = ("string", "integer", "number", "boolean", "date",
                                   "string_list")

_LABEL = re.compile(r"^[A-Z][A-Za-z]*$")
_REL_TYPE = re.compile(r"^[A-Z][A-Z_]*[A-Z]$")
_PROPERTY = re.compile(r"^[a-z][a-z0-9_]*$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_SHAPES = ("dot", "diamond", "box", "triangle", "star", "square", "hexagon", "ellipse",
           "triangleDown", "database")


def _fail(owner: str, fieldname: str, problem: str) -> OntologyError:
    return OntologyError(f"{owner}: field '{fieldname}': {problem}")


@dataclass(frozen=True)
class Property:
    """A property of a node or relationship type.

    ``minimum``/``maximum`` bound integers (likelihood and impact are 1-5); ``enum`` lists the
    allowed values of a string property. ``vocabulary`` is softer than ``enum``: recognised
    values (each normal form with its other spellings) are stored in their normal form, and
    any other value is kept as written with a warning, since free text is still allowed.
    """

    name: str
    description: str
    type: PropertyType = "string"
    required: bool = False
    enum: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    vocabulary: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Set when a node is created without a value (never on update: an empty cell keeps the
    #: stored value).
    default: str | bool | None = None

    def __post_init__(self) -> None:
        owner = f"Property {self.name!r}"
        if self.vocabulary and (self.type != "string" or self.enum):
            raise _fail(owner, "vocabulary", "only free-text string properties take one")
        if not _PROPERTY.match(self.name):
            raise _fail(owner, "name", "must be lower_snake_case")
        if not self.description.strip():
            raise _fail(owner, "description", "must not be empty")
        if self.type not in PROPERTY_TYPES:
            raise _fail(owner, "type", f"must be one of {', '.join(PROPERTY_TYPES)}")
        if self.enum:
            if self.type not in ("string", "string_list"):
                raise _fail(owner, "enum", "only string and list properties take an enum")
            if len(set(self.enum)) != len(self.enum) or not all(v.strip() for v in self.enum):
                raise _fail(owner, "enum", "values must be distinct and non-empty")
        if (self.minimum is not None or self.maximum is not None) and self.type not in (
                "integer", "number"):
            raise _fail(owner, "minimum", "bounds apply to integer and number properties only")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise _fail(owner, "minimum", "must not exceed maximum")


    def recognise(self, text: str) -> str | None:
        """The normal form of ``text`` in this property's vocabulary (case, spaces and hyphens
        ignored), or None when it is not recognised."""
        wanted = _spelling(text)
        for normal, spellings in self.vocabulary:
            if wanted in {_spelling(normal), *(_spelling(s) for s in spellings)}:
                return normal
        return None


def _spelling(text: str) -> str:
    return re.sub(r"[\s_-]+", "_", text.strip().lower())


@dataclass(frozen=True)
class NodeStyle:
    """How a label is drawn in visualisations (vis.js shape names)."""

    colour: str
    shape: str = "dot"
    size: int = 18

    def __post_init__(self) -> None:
        if not _COLOUR.match(self.colour):
            raise _fail("NodeStyle", "colour", f"{self.colour!r} is not #rrggbb")
        if self.shape not in _SHAPES:
            raise _fail("NodeStyle", "shape", f"{self.shape!r} is not one of {', '.join(_SHAPES)}")
        if not 5 <= self.size <= 60:
            raise _fail("NodeStyle", "size", "must be between 5 and 60")


#: Line patterns a relationship may be drawn with, as vis-network dash arrays.
PATTERNS: dict[str, bool | list[int]] = {"solid": False, "dashed": [10, 6], "dotted": [2, 5]}


@dataclass(frozen=True)
class EdgeStyle:
    """How a relationship type is drawn in visualisations: a colour, a line pattern
    (:data:`PATTERNS`) and a width, so that types differ by more than colour."""

    colour: str
    pattern: str = "solid"
    width: int = 1

    def __post_init__(self) -> None:
        if not _COLOUR.match(self.colour):
            raise _fail("EdgeStyle", "colour", f"{self.colour!r} is not #rrggbb")
        if self.pattern not in PATTERNS:
            raise _fail("EdgeStyle", "pattern", f"{self.pattern!r} is not one of "
                                                f"{', '.join(PATTERNS)}")
        if not 1 <= self.width <= 8:
            raise _fail("EdgeStyle", "width", "must be between 1 and 8")

    @property
    def dashes(self) -> bool | list[int]:
        """The vis-network ``dashes`` option for the pattern."""
        return PATTERNS[self.pattern]


@dataclass(frozen=True)
class DerivedLabel:
    """An extra label a node carries when one of its properties takes one of some values."""

    label: str
    property: str
    values: tuple[str, ...]
    description: str


@dataclass(frozen=True)
class NodeType:
    """A node label with its properties. Every node also has ``id`` and provenance."""

    label: str
    description: str
    properties: tuple[Property, ...]
    style: NodeStyle
    name_property: str = "name"
    derived_labels: tuple[DerivedLabel, ...] = ()

    def __post_init__(self) -> None:
        owner = f"NodeType {self.label!r}"
        if not _LABEL.match(self.label):
            raise _fail(owner, "label", "must be PascalCase letters")
        if not self.description.strip():
            raise _fail(owner, "description", "must not be empty")
        names = [p.name for p in self.properties]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise _fail(owner, "properties", f"declared twice: {', '.join(duplicates)}")
        if self.name_property not in names and self.name_property != "id":
            raise _fail(owner, "name_property", f"{self.name_property!r} is not a property")
        for derived in self.derived_labels:
            prop = self.property(derived.property) if derived.property in names else None
            if prop is None:
                raise _fail(owner, "derived_labels", f"{derived.property!r} is not a property")
            unknown = set(derived.values) - set(prop.enum)
            if unknown:
                raise _fail(owner, "derived_labels", f"values not in enum: {sorted(unknown)}")
            if not _LABEL.match(derived.label):
                raise _fail(owner, "derived_labels", f"{derived.label!r} is not PascalCase")

    def property(self, name: str) -> Property:
        """The declared property ``name``; raises KeyError when there is none."""
        for prop in self.properties:
            if prop.name == name:
                return prop
        raise KeyError(name)

    def labels_for(self, props: dict[str, object]) -> frozenset[str]:
        """All labels of a node of this type with these properties (its own plus derived).

        The few possible sets are made once and shared: an ingest asks for every row."""
        carried = tuple(derived.label for derived in self.derived_labels
                        if props.get(derived.property) in derived.values)
        labels = self._label_sets.get(carried)
        if labels is None:
            labels = self._label_sets[carried] = frozenset((self.label, *carried))
        return labels

    @cached_property
    def _label_sets(self) -> dict[tuple[str, ...], frozenset[str]]:
        return {}


@dataclass(frozen=True)
class RelationshipType:
    """A relationship type with the (from label, to label) pairs it may connect.

    Most types hold at most one relationship between two nodes. A type with an ``identity``
    property keeps repeated facts (a role held again after a gap, a training completed every
    year): its relationships are told apart by that property's value, an empty value being a
    value like any other.
    """

    type: str
    description: str
    endpoints: tuple[tuple[str, str], ...]
    style: EdgeStyle
    properties: tuple[Property, ...] = ()
    identity: str | None = None

    def __post_init__(self) -> None:
        owner = f"RelationshipType {self.type!r}"
        if not _REL_TYPE.match(self.type):
            raise _fail(owner, "type", "must be UPPER_SNAKE_CASE")
        if not self.description.strip():
            raise _fail(owner, "description", "must not be empty")
        if not self.endpoints:
            raise _fail(owner, "endpoints", "must list at least one (from, to) pair")
        if len(set(self.endpoints)) != len(self.endpoints):
            raise _fail(owner, "endpoints", "a pair is listed twice")
        if self.identity is not None and self.identity not in {p.name for p in self.properties}:
            raise _fail(owner, "identity", "must name one of its properties")

    def identity_of(self, props: Mapping[str, object]) -> str:
        """The identity of a relationship of this type with ``props`` among those between the
        same two nodes: its identity property as text ('' when empty, or for types without
        one)."""
        if self.identity is None:
            return ""
        value = props.get(self.identity)
        if value is None:
            return ""
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    def allows(self, from_label: str, to_label: str) -> bool:
        """Whether this type may connect ``from_label`` to ``to_label``."""
        return (from_label, to_label) in self.endpoints

    def property(self, name: str) -> Property:
        """The declared property ``name``; raises KeyError when there is none."""
        for prop in self.properties:
            if prop.name == name:
                return prop
        raise KeyError(name)


@dataclass(frozen=True)
class Ontology:
    """The whole model: node types, relationship types and the provenance every write carries."""

    nodes: tuple[NodeType, ...]
    relationships: tuple[RelationshipType, ...]
    provenance: tuple[Property, ...]
    _nodes: dict[str, NodeType] = field(init=False, repr=False, compare=False)
    _rels: dict[str, RelationshipType] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        labels = [n.label for n in self.nodes]
        if len(set(labels)) != len(labels):
            raise _fail("Ontology", "nodes", "a label is declared twice")
        types = [r.type for r in self.relationships]
        if len(set(types)) != len(types):
            raise _fail("Ontology", "relationships", "a relationship type is declared twice")
        derived = {d.label for n in self.nodes for d in n.derived_labels}
        if derived & set(labels):
            raise _fail("Ontology", "nodes", "a derived label clashes with a node label")
        provenance = {p.name for p in self.provenance}
        for node in self.nodes:
            clash = provenance & {p.name for p in node.properties}
            if clash or any(p.name == "id" for p in node.properties):
                raise _fail(f"NodeType {node.label!r}", "properties",
                            f"'id' and provenance names are reserved: {sorted(clash)}")
        for rel in self.relationships:
            for start, end in rel.endpoints:
                for label in (start, end):
                    if label not in labels:
                        raise _fail(f"RelationshipType {rel.type!r}", "endpoints",
                                    f"unknown label {label!r}")
        object.__setattr__(self, "_nodes", {n.label: n for n in self.nodes})
        object.__setattr__(self, "_rels", {r.type: r for r in self.relationships})

    @property
    def labels(self) -> tuple[str, ...]:
        """Every node label, in declaration order."""
        return tuple(self._nodes)

    @property
    def derived_labels(self) -> tuple[str, ...]:
        """Extra labels carried by some nodes (``Leader``)."""
        return tuple(d.label for n in self.nodes for d in n.derived_labels)

    @property
    def relationship_types(self) -> tuple[str, ...]:
        """Every relationship type, in declaration order."""
        return tuple(self._rels)

    def node(self, label: str) -> NodeType:
        """The node type with ``label``; raises KeyError for an unknown label."""
        return self._nodes[label]

    def relationship(self, rel_type: str) -> RelationshipType:
        """The relationship type ``rel_type``; raises KeyError for an unknown type."""
        return self._rels[rel_type]

    def has_label(self, label: str) -> bool:
        return label in self._nodes

    def has_relationship(self, rel_type: str) -> bool:
        return rel_type in self._rels
