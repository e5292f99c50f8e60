"""What validation makes of a bundle before references are resolved against the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from aimsgraph.graph.store.records import NodeKey
from aimsgraph.ontology import BundleIssue, IssueLog

__all__ = ["Draft", "NodeDraft", "Ref", "RelDraft"]


class Ref(NamedTuple):
    """A reference written in a cell, with the labels it may name and where it was written.

    A named tuple, not a frozen dataclass: a bundle writes one per reference (200,000 at
    10,000 AI systems), and a frozen dataclass takes three times as long to make."""

    raw: str
    targets: tuple[str, ...]
    file: str
    row: str
    column: str


@dataclass(slots=True)
class NodeDraft:
    """A node the bundle defines (or, for SoA rows, amends): given properties only.

    ``defaults`` apply only when the node is created (``active`` is true unless stated).
    """

    label: str
    id: str
    props: dict[str, Any]
    source: str
    defaults: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> NodeKey:
        return (self.label, self.id)


@dataclass(slots=True)
class RelDraft:
    """A relationship the bundle states; either end may still be an unresolved reference."""

    type: str
    start: NodeKey | Ref
    end: NodeKey | Ref
    props: dict[str, Any]
    source: str


@dataclass
class Draft:
    """Nodes, amendments (SoA) and relationships of a bundle, plus every issue found so far."""

    nodes: dict[NodeKey, NodeDraft] = field(default_factory=dict)
    amendments: list[tuple[Ref, NodeDraft]] = field(default_factory=list)
    rels: list[RelDraft] = field(default_factory=list)
    issues: list[BundleIssue] = field(default_factory=IssueLog)
    #: Values kept as written but worth a look (an unrecognised frequency); never rejecting.
    warnings: list[BundleIssue] = field(default_factory=IssueLog)
    #: Nodes of rows that have issues: not drafted (they will not be written), but known, so
    #: that references to them are not reported as unknown as well.
    rejected: set[NodeKey] = field(default_factory=set)

    def issue_count(self) -> int:
        """Issues found so far, counted or kept."""
        return len(self.issues) + getattr(self.issues, "dropped", 0)
