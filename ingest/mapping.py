"""Which bundle file becomes which nodes and relationships (docs/bundles.md, as declarations).

A :class:`NodeFile` turns each row into one node of ``label``: declared properties come from the
columns of the same name, :class:`Link` columns become relationships, any other column is kept
as a string property. An :class:`EdgeFile` turns each row into one relationship. The ``soa`` and
``relationships`` files have shapes of their own and are handled by name in validation.
"""

from __future__ import annotations

from dataclasses import dataclass

from aimsgraph.ontology import ONTOLOGY, OntologyError

__all__ = ["EDGE_FILES", "FILE_STEMS", "NODE_FILES", "EdgeFile", "Link", "NodeFile"]


@dataclass(frozen=True)
class Link:
    """A column naming other nodes; each named node is joined to the row's node by ``rel``.

    ``incoming`` reverses the direction: ``(named)-[:rel]->(row node)`` (e.g. ``owner_role``
    gives ``(Role)-[:OWNS]->(Control)``).
    """

    column: str
    rel: str
    targets: tuple[str, ...]
    incoming: bool = False
    many: bool = False
    required: bool = False


@dataclass(frozen=True)
class NodeFile:
    """A file whose rows are nodes of ``label``; ``ranges`` are (start, end) date columns."""

    stem: str
    label: str
    links: tuple[Link, ...] = ()
    ranges: tuple[tuple[str, str], ...] = ()
    derived: tuple[str, ...] = ()
    #: Properties the ontology requires that this file may leave empty, with the value then.
    fills: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class EdgeFile:
    """A file whose rows are relationships of ``rel`` between two referenced nodes.

    ``exclusive_periods``: the rows of one pair are periods (the first of ``ranges``) that
    must not overlap, both ends included (a role is held again only after it was let go).
    """

    stem: str
    rel: str
    start: tuple[str, str]
    end: tuple[str, str]
    properties: tuple[tuple[str, str], ...] = ()
    ranges: tuple[tuple[str, str], ...] = ()
    exclusive_periods: bool = False
    required: tuple[str, ...] = ()


def _owner(rel: str = "OWNS") -> Link:
    return Link("owner_role", rel, ("Role",), incoming=True)


NODE_FILES: tuple[NodeFile, ...] = (
    # a user framework's requirements: framework and ref come from the qualified id
    NodeFile("requirements", "Requirement", (Link("parent", "PART_OF", ("Requirement",)),),
             derived=("framework", "ref"), fills=(("kind", "requirement"),)),
    NodeFile("people", "Person"),
    NodeFile("org_units", "OrgUnit", (Link("parent", "PART_OF", ("OrgUnit",)),)),
    NodeFile("roles", "Role", (Link("reports_to", "REPORTS_TO", ("Role",)),
                               Link("unit", "IN_UNIT", ("OrgUnit",)))),
    NodeFile("committees", "Committee", (
        Link("chair", "CHAIRS", ("Person",), incoming=True),
        Link("members", "MEMBER_OF", ("Person",), incoming=True, many=True),
        Link("oversees", "OVERSEES", ("AISystem",), many=True),
    )),
    NodeFile("policies", "Policy", (
        _owner(),
        Link("approved_by", "APPROVED_BY", ("Person",)),
        Link("addresses", "ADDRESSES", ("Requirement",), many=True),
    ), ranges=(("approved_on", "review_due"),)),
    NodeFile("ai_systems", "AISystem", (_owner("ACCOUNTABLE_FOR"),)),
    NodeFile("risks", "Risk", (
        Link("systems", "AFFECTS", ("AISystem",), many=True),
        _owner(),
        Link("accepted_by", "ACCEPTED_BY", ("Person",)),
    ), derived=("score",)),
    NodeFile("controls", "Control", (
        _owner(),
        Link("implements", "IMPLEMENTS", ("Requirement",), many=True),
        Link("mitigates", "MITIGATES", ("Risk",), many=True),
        Link("applies_to", "APPLIES_TO", ("AISystem",), many=True),
    )),
    NodeFile("evidence", "Evidence", (
        Link("supports", "SUPPORTS",
             ("Control", "Policy", "ImpactAssessment", "Requirement", "Audit", "Objective",
              "Dataset", "Supplier", "Incident"),
             many=True),
        Link("provided_by", "PROVIDED_BY", ("Person",)),
    ), ranges=(("collected_on", "valid_until"),)),
    NodeFile("impact_assessments", "ImpactAssessment", (
        Link("system", "ASSESSES", ("AISystem",), required=True),
        Link("approved_by", "APPROVED_BY", ("Person",)),
    ), ranges=(("completed_on", "review_due"),)),
    NodeFile("trainings", "Training", (
        Link("required_for", "REQUIRES", ("Role",), incoming=True, many=True),
    )),
    NodeFile("objectives", "Objective", (
        _owner(),
        Link("addresses", "ADDRESSES", ("Requirement",), many=True),
        Link("policy", "DERIVED_FROM", ("Policy",), many=True),
    )),
    NodeFile("audits", "Audit", (
        Link("lead", "LED_BY", ("Person",)),
        Link("covers", "COVERS", ("Requirement",), many=True),
    )),
    NodeFile("suppliers", "Supplier", (
        _owner(),
        Link("systems", "DEPENDS_ON", ("AISystem",), incoming=True, many=True),
    ), ranges=(("assessed_on", "reassess_due"),)),
    NodeFile("datasets", "Dataset", (
        _owner(),
        Link("supplier", "SUPPLIED_BY", ("Supplier",)),
        Link("used_by", "USES_DATA", ("AISystem",), incoming=True, many=True),
    )),
    NodeFile("incidents", "Incident", (
        Link("systems", "AFFECTS", ("AISystem",), many=True),
        _owner(),
        Link("realises", "REALISES", ("Risk",), many=True),
    ), ranges=(("occurred_on", "detected_on"), ("occurred_on", "reported_on"),
               ("detected_on", "reported_on"))),
    NodeFile("findings", "Finding", (
        Link("audit", "RAISED_IN", ("Audit",)),
        Link("concerns", "CONCERNS", ONTOLOGY.labels, many=True),
        Link("assigned_to", "ASSIGNED_TO", ("Role", "Person"), many=True),
    )),
)

EDGE_FILES: tuple[EdgeFile, ...] = (
    # SSSOM's column names, as a mapping set is written (a .sssom.tsv is read the same way)
    EdgeFile("mappings", "MAPS_TO", ("subject_id", "Requirement"), ("object_id", "Requirement"),
             (("predicate_id", "predicate"), ("mapping_justification", "justification"),
              ("confidence", "confidence"), ("author_id", "author"), ("comment", "comment"),
              ("mapping_set_id", "mapping_set"), ("license", "licence")),
             required=("predicate_id",)),
    EdgeFile("role_assignments", "HOLDS", ("person", "Person"), ("role", "Role"),
             (("since", "since"), ("until", "until")), ranges=(("since", "until"),),
             exclusive_periods=True),
    EdgeFile("training_records", "COMPLETED", ("person", "Person"), ("training", "Training"),
             (("completed_on", "on"), ("expires_on", "expires_on")),
             ranges=(("completed_on", "expires_on"),)),
    EdgeFile("acknowledgements", "ACKNOWLEDGED", ("person", "Person"), ("policy", "Policy"),
             (("on", "on"), ("version", "version")), required=("on",)),
)

FILE_STEMS: tuple[str, ...] = (
    *(f.stem for f in NODE_FILES), *(f.stem for f in EDGE_FILES), "soa", "relationships")


def _check() -> None:
    """Every declaration must agree with the ontology; fails at import naming the field."""
    for nf in NODE_FILES:
        node = ONTOLOGY.node(nf.label)
        names = {p.name for p in node.properties}
        for link in nf.links:
            rel = ONTOLOGY.relationship(link.rel)
            for target in link.targets:
                pair = (target, nf.label) if link.incoming else (nf.label, target)
                if not rel.allows(*pair):
                    raise OntologyError(f"NodeFile {nf.stem!r}: field 'links': {link.column} "
                                        f"cannot join {pair[0]} to {pair[1]} by {link.rel}")
        for start, end in nf.ranges:
            if {start, end} - names:
                raise OntologyError(f"NodeFile {nf.stem!r}: field 'ranges': unknown column")
    for ef in EDGE_FILES:
        rel = ONTOLOGY.relationship(ef.rel)
        if not rel.allows(ef.start[1], ef.end[1]):
            raise OntologyError(f"EdgeFile {ef.stem!r}: field 'rel': endpoints not allowed")
        for _, prop in ef.properties:
            rel.property(prop)


_check()
