"""What a gap check is and what it finds.

A check is a declaration (stable id, title, default severity, what it looks for) plus its
implementations: ``embedded`` walks a :class:`Semantics` view; the Cypher text for Neo4j sits
beside it in the same module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aimsgraph.graph.questions.kinds import SEVERITIES
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.ontology.values import natural_key

__all__ = ["SEVERITIES", "Finding", "GapCheck", "finding"]



@dataclass(frozen=True)
class Finding:
    """One gap: the subject, a reason an analyst can act on, a severity, the related nodes."""

    check: str
    subject: dict[str, Any]
    reason: str
    severity: str
    related: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"check": self.check, "subject": self.subject, "reason": self.reason,
                "severity": self.severity, "related": self.related}


def finding(sem: Semantics, check: GapCheck, subject: NodeKey, reason: str,
            related: Iterable[NodeKey] = (), severity: str | None = None) -> Finding:
    """A Finding with names looked up and related nodes deduplicated in a stable order."""
    unique = sorted(set(related) - {subject})
    return Finding(check.id, sem.ref(subject), reason, severity or check.severity,
                   [sem.ref(key) for key in unique])


@dataclass(frozen=True)
class GapCheck:
    """A gap check with its stable id (docs/checks.md) and embedded implementation."""

    id: str
    title: str
    severity: str
    description: str
    embedded: Callable[[GapCheck, Semantics], list[Finding]] = field(repr=False)
    cypher: str = field(default="", repr=False)
    #: The labels of the nodes its findings are about (its Cypher's ``subject_type``s).
    subjects: tuple[str, ...] = ()
    #: True when it visits each node of its subject labels in turn and a node's finding is
    #: read from that node's own surroundings, never from the other nodes it visits: it can
    #: then be asked of a few subjects without visiting the rest (:func:`checks.findings_about`).
    local: bool = False

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"check {self.id}: severity must be one of {SEVERITIES}")
        if not self.subjects:
            raise ValueError(f"check {self.id}: name the labels its findings are about")

    def run_embedded(self, sem: Semantics) -> list[Finding]:
        """Findings on ``sem``'s view, sorted by subject."""
        return sort_findings(self.embedded(self, sem))


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """The one order findings are reported in, whatever the store."""
    return sorted(findings, key=lambda f: (f.subject["type"], natural_key(f.subject["id"]),
                                           f.reason))


def finding_from_row(check: GapCheck, row: dict[str, Any]) -> Finding:
    """A Finding from a row of a check's Cypher (related nodes deduplicated and ordered)."""
    subject = {"type": row["subject_type"], "id": row["subject_id"],
               "name": row["subject_name"]}
    related: dict[tuple[str, str], dict[str, Any]] = {}
    for ref in row["related"] or []:
        key = (ref["type"], ref["id"])
        if key != (subject["type"], subject["id"]):
            related[key] = {"type": ref["type"], "id": ref["id"], "name": ref["name"]}
    return Finding(check.id, subject, row["reason"], row["severity"] or check.severity,
                   [related[k] for k in sorted(related)])
