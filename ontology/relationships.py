"""The relationship types of the ontology (docs/ontology.md), declared once."""

from __future__ import annotations

from aimsgraph.ontology.model import EdgeStyle, Property, RelationshipType
from aimsgraph.ontology.nodes import NODES
from aimsgraph.ontology.palette import (
    BLUE,
    BLUISH_GREEN,
    CYAN,
    GREEN,
    GREY,
    INDIGO,
    LIGHT_GREY,
    OLIVE,
    ORANGE,
    PINK,
    PURPLE,
    SKY,
    TEAL,
    VERMILLION,
    WINE,
    YELLOW,
)

__all__ = ["MAPPING_PREDICATES", "RELATIONSHIPS"]

P = Property
_ANY = tuple(n.label for n in NODES)


def _pairs(starts: tuple[str, ...], ends: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((s, e) for s in starts for e in ends)


#: The SSSOM mapping predicates a MAPS_TO may carry.
MAPPING_PREDICATES = ("skos:exactMatch", "skos:closeMatch", "skos:broadMatch",
                      "skos:narrowMatch", "skos:relatedMatch")

RELATIONSHIPS = (
    RelationshipType("PART_OF", "Catalogue hierarchy, or an organisational unit within another.",
                     (("Requirement", "Requirement"), ("OrgUnit", "OrgUnit")),
                     EdgeStyle(LIGHT_GREY)),
    RelationshipType(
        "HOLDS", "A person holds a role; an empty until means the role is still held.",
        (("Person", "Role"),), EdgeStyle(BLUE, width=2),
        (P("since", "First day the role is held.", type="date"),
         P("until", "Last day the role is held.", type="date")),
        identity="since",
    ),
    RelationshipType("REPORTS_TO", "Reporting line, up toward top management.",
                     (("Role", "Role"),), EdgeStyle(ORANGE, width=3)),
    RelationshipType("IN_UNIT", "The organisational unit a role belongs to.",
                     (("Role", "OrgUnit"),), EdgeStyle(OLIVE, "dashed")),
    RelationshipType("MEMBER_OF", "Membership of a governance body.",
                     (("Person", "Committee"),), EdgeStyle(PURPLE, "dashed")),
    RelationshipType("CHAIRS", "Chair of a governance body.",
                     (("Person", "Committee"),), EdgeStyle(PURPLE, width=3)),
    RelationshipType("OVERSEES", "A committee oversees an AI system.",
                     (("Committee", "AISystem"),), EdgeStyle(WINE, width=2)),
    RelationshipType("ACCOUNTABLE_FOR", "The accountable owner role of an AI system.",
                     (("Role", "AISystem"),), EdgeStyle(GREEN, width=3)),
    RelationshipType("OWNS", "Owner role of a control, risk, policy, AI objective, dataset, "
                     "supplier or incident.",
                     _pairs(("Role",), ("Control", "Risk", "Policy", "Objective", "Dataset",
                                        "Supplier", "Incident")),
                     EdgeStyle(TEAL, width=2)),
    RelationshipType("APPROVED_BY", "Approval of a policy or an impact assessment.",
                     (("Policy", "Person"), ("ImpactAssessment", "Person")),
                     EdgeStyle(INDIGO)),
    RelationshipType("ADDRESSES", "A policy or AI objective addresses a requirement.",
                     (("Policy", "Requirement"), ("Objective", "Requirement")),
                     EdgeStyle(CYAN, "dashed", width=2)),
    RelationshipType("DERIVED_FROM", "The policy an AI objective serves.",
                     (("Objective", "Policy"),), EdgeStyle(BLUISH_GREEN, "dotted", width=2)),
    RelationshipType(
        "ACKNOWLEDGED", "A person read and accepted a version of a policy (7.3 awareness).",
        (("Person", "Policy"),), EdgeStyle(INDIGO, "dotted"),
        (P("on", "Date of the acknowledgement.", type="date"),
         P("version", "The policy version acknowledged.")),
        identity="version",
    ),
    RelationshipType("IMPLEMENTS", "A control implements an Annex A control or a clause.",
                     (("Control", "Requirement"),), EdgeStyle(GREEN, "dashed", width=2)),
    RelationshipType("MITIGATES", "Risk treatment: a control mitigates a risk.",
                     (("Control", "Risk"),), EdgeStyle(BLUISH_GREEN, width=3)),
    RelationshipType("APPLIES_TO", "Scope of a control.",
                     (("Control", "AISystem"),), EdgeStyle(TEAL, "dotted", width=2)),
    RelationshipType("AFFECTS", "Scope of a risk; the AI systems an incident hit.",
                     (("Risk", "AISystem"), ("Incident", "AISystem")),
                     EdgeStyle(WINE, "dashed", width=2)),
    RelationshipType("ACCEPTED_BY", "Formal acceptance of a risk.",
                     (("Risk", "Person"),), EdgeStyle(PINK, width=2)),
    RelationshipType("SUPPORTS", "What a piece of evidence proves.",
                     _pairs(("Evidence",),
                            ("Control", "Policy", "ImpactAssessment", "Requirement", "Audit",
                             "Objective", "Dataset", "Supplier", "Incident")),
                     EdgeStyle(INDIGO, "dashed")),
    RelationshipType("PROVIDED_BY", "Who supplied a piece of evidence.",
                     (("Evidence", "Person"),), EdgeStyle(SKY)),
    RelationshipType("ASSESSES", "The AI system an impact assessment is about.",
                     (("ImpactAssessment", "AISystem"),), EdgeStyle(PINK, "dashed", width=2)),
    RelationshipType("REQUIRES", "A role requires a training.",
                     (("Role", "Training"),), EdgeStyle(SKY, "dashed", width=2)),
    RelationshipType(
        "COMPLETED", "A person completed a training.",
        (("Person", "Training"),), EdgeStyle(BLUE, "dotted", width=2),
        (P("on", "Date of completion.", type="date"),
         P("expires_on", "Date the completion expires, if stated.", type="date")),
        identity="on",
    ),
    RelationshipType("LED_BY", "Lead auditor or chair of a review.",
                     (("Audit", "Person"),), EdgeStyle(GREY, width=2)),
    RelationshipType("COVERS", "A requirement in an audit's scope.",
                     (("Audit", "Requirement"),), EdgeStyle(GREY, "dashed")),
    RelationshipType("RAISED_IN", "The audit a finding was raised in.",
                     (("Finding", "Audit"),), EdgeStyle(ORANGE, "dashed")),
    RelationshipType("CONCERNS", "What a finding is about.",
                     _pairs(("Finding",), _ANY), EdgeStyle(LIGHT_GREY, "dotted", width=2)),
    RelationshipType("ASSIGNED_TO", "Who must carry out the corrective action.",
                     _pairs(("Finding",), ("Role", "Person")), EdgeStyle(VERMILLION, width=2)),
    RelationshipType("USES_DATA", "Data an AI system is trained, validated, tested or run on.",
                     (("AISystem", "Dataset"),), EdgeStyle(OLIVE, width=2)),
    RelationshipType("SUPPLIED_BY", "The supplier a dataset comes from.",
                     (("Dataset", "Supplier"),), EdgeStyle(GREY, "dotted", width=2)),
    RelationshipType("DEPENDS_ON", "A supplier an AI system relies on.",
                     (("AISystem", "Supplier"),), EdgeStyle(GREY, width=3)),
    RelationshipType("REALISES", "The registered risk an incident realised.",
                     (("Incident", "Risk"),), EdgeStyle(YELLOW, width=2)),
    RelationshipType(
        "MAPS_TO", "A crosswalk between requirements of two frameworks (SSSOM); read in both "
        "directions, identified by its predicate.",
        (("Requirement", "Requirement"),), EdgeStyle(PURPLE, "dashed", width=2),
        (P("predicate", "The SKOS mapping predicate: exact and close are full mappings, broad "
           "(the object is broader) and narrow (the object is narrower) partial, related a "
           "hint never counted.", required=True, enum=MAPPING_PREDICATES),
         P("justification", "How the mapping was made, a semapv: term.",
           default="semapv:UnspecifiedMatching"),
         P("confidence", "Confidence in the mapping, 0 to 1.", type="number", minimum=0,
           maximum=1),
         P("author", "Who made the mapping (an id or ORCID)."),
         P("comment", "Free text about the mapping."),
         P("mapping_set", "The SSSOM mapping set it came from (its mapping_set_id)."),
         P("licence", "The licence of the mapping set it came from.")),
        identity="predicate",
    ),
)
