"""The aimsgraph ontology, declared once.

Labels, relationship types and their meaning are the public contract (users write Cypher
against them): see docs/ontology.md, generated from this declaration. Stores, ingestion,
API models and visual styles are derived from :data:`ONTOLOGY`.
"""

from __future__ import annotations

from aimsgraph.ontology.model import (
    DerivedLabel,
    EdgeStyle,
    NodeStyle,
    NodeType,
    Ontology,
    Property,
    RelationshipType,
)

__all__ = ["ONTOLOGY"]

P = Property


def _name(what: str) -> Property:
    return P("name", f"Human-readable name of the {what}.", required=True)


# A colour-blind-safe palette: Paul Tol's "muted" scheme and Okabe and Ito's colours. No
# node uses red, which marks gaps (visualise.styles.GAP_COLOUR); every label differs from
# every other in colour or shape, every relationship type in colour, pattern or width.
INDIGO, CYAN, TEAL, GREEN, OLIVE = "#332288", "#88CCEE", "#44AA99", "#117733", "#999933"
SAND, WINE, PURPLE = "#DDCC77", "#882255", "#AA4499"
ORANGE, SKY, BLUISH_GREEN, YELLOW = "#E69F00", "#56B4E9", "#009E73", "#F0E442"
BLUE, VERMILLION, PINK = "#0072B2", "#D55E00", "#CC79A7"
GREY, LIGHT_GREY = "#4D4D4D", "#999999"

PROVENANCE = (
    P("source", "Bundle file and row the fact was read from, e.g. controls.csv:14."),
    P("run_id", "Id of the ingestion run that last changed the fact."),
    P("updated_at", "UTC time (ISO 8601) at which the fact last changed."),
    P("sync_source", "Source name of the sync-mode ingestion that owns the fact, if any."),
)

#: Control frequencies recognised on ingestion: normal form, other spellings.
FREQUENCIES = (
    ("daily", ("day",)),
    ("weekly", ("week",)),
    ("monthly", ("month",)),
    ("quarterly", ("quarter",)),
    ("semiannually", ("semi-annually", "semi-annual", "semiannual", "half-yearly",
                      "biannually", "biannual", "every six months")),
    ("annually", ("annual", "yearly", "year")),
    ("on_event", ("on event", "event-driven", "event driven", "as needed", "ad hoc",
                  "per release", "per change", "per incident", "per contract")),
)

NODES = (
    NodeType(
        "Requirement",
        "An ISO/IEC 42001 clause, Annex A control objective or Annex A control, from the "
        "built-in catalogue; the Statement of Applicability decision is kept on it.",
        (
            P("framework", "Framework the requirement belongs to, e.g. ISO42001.", required=True),
            P("ref", "Reference within the framework, e.g. 5.2 or A.6.2.4.", required=True),
            P("title", "Short title of the requirement.", required=True),
            P("kind", "Catalogue kind.", required=True,
              enum=("clause", "annex_a_objective", "annex_a_control")),
            P("applicable", "SoA decision: whether the Annex A control applies.", type="boolean"),
            P("justification", "SoA justification for including or excluding the control."),
        ),
        NodeStyle(SAND, "box", 14),
        name_property="title",
    ),
    NodeType(
        "Person",
        "Someone in the organisation; top management and executives also carry Leader.",
        (
            _name("person"),
            P("email", "Work e-mail address."),
            P("seniority", "Seniority band; top_management and executive make a Leader.",
              enum=("top_management", "executive", "manager", "staff")),
            P("active", "Whether the person is currently employed.", type="boolean",
              default=True),
            P("left_on", "Date the person left the organisation.", type="date"),
        ),
        NodeStyle(BLUE, "dot", 16),
        derived_labels=(
            DerivedLabel("Leader", "seniority", ("top_management", "executive"),
                         "A person in top management or an executive."),
        ),
    ),
    NodeType(
        "Role",
        "A responsibility that people hold (AI Governance Lead, Model Owner, CEO).",
        (_name("role"), P("description", "What the role is responsible for.")),
        NodeStyle(ORANGE, "diamond", 18),
    ),
    NodeType(
        "OrgUnit",
        "A department or business unit.",
        (_name("organisational unit"),),
        NodeStyle(OLIVE, "square", 16),
    ),
    NodeType(
        "Committee",
        "A governance body such as an AI governance board or an ethics committee.",
        (_name("committee"),),
        NodeStyle(PURPLE, "hexagon", 20),
    ),
    NodeType(
        "Policy",
        "An AI policy, procedure or standard.",
        (
            P("title", "Title of the policy.", required=True),
            P("version", "Version label of the approved text."),
            P("status", "Approval status.", enum=("draft", "approved", "retired")),
            P("approved_on", "Date of approval.", type="date"),
            P("review_due", "Date by which the policy must be reviewed.", type="date"),
            P("uri", "Where the policy text is kept."),
        ),
        NodeStyle(CYAN, "box", 18),
        name_property="title",
    ),
    NodeType(
        "AISystem",
        "An AI system in scope of the AI management system.",
        (
            _name("AI system"),
            P("purpose", "What the system is for."),
            P("lifecycle", "Life-cycle stage.",
              enum=("design", "development", "deployed", "retired")),
            P("risk_tier", "Risk tier.", enum=("minimal", "limited", "high", "unacceptable")),
            P("unit", "Organisational unit that runs the system (as given by the inventory)."),
        ),
        NodeStyle(GREEN, "star", 26),
    ),
    NodeType(
        "Risk",
        "An AI risk from the risk register; score = likelihood x impact.",
        (
            P("title", "Short statement of the risk.", required=True),
            P("likelihood", "Likelihood on a 1-5 scale.", type="integer", minimum=1, maximum=5),
            P("impact", "Impact on a 1-5 scale.", type="integer", minimum=1, maximum=5),
            P("score", "likelihood x impact (derived on ingestion).", type="integer",
              minimum=1, maximum=25),
            P("status", "Treatment status.", enum=("open", "treated", "accepted", "closed")),
            P("category", "Risk category, e.g. fairness, privacy, robustness."),
        ),
        NodeStyle(WINE, "triangle", 20),
        name_property="title",
    ),
    NodeType(
        "Control",
        "A control the organisation operates.",
        (
            _name("control"),
            P("status", "Implementation status.",
              enum=("planned", "implemented", "operating", "retired")),
            P("frequency", "How often the control operates and its evidence is collected: "
              "daily, weekly, monthly, quarterly, semiannually, annually or on_event (common "
              "spellings are recognised and stored in these forms; other text is kept).",
              vocabulary=FREQUENCIES),
        ),
        NodeStyle(TEAL, "square", 18),
    ),
    NodeType(
        "Evidence",
        "A document, record, log, test result or attestation.",
        (
            P("title", "What the evidence is.", required=True),
            P("kind", "Kind of evidence, e.g. record, log, test_result, attestation."),
            P("uri", "Where the evidence is kept."),
            P("sha256", "SHA-256 digest of the evidence file, for integrity checks."),
            P("collected_on", "Date the evidence was collected.", type="date"),
            P("valid_until", "Last date on which the evidence is valid.", type="date"),
        ),
        NodeStyle(INDIGO, "ellipse", 12),
        name_property="title",
    ),
    NodeType(
        "ImpactAssessment",
        "An AI system impact assessment (clause 6.1.4, Annex A.5).",
        (
            P("completed_on", "Date the assessment was completed.", type="date"),
            P("review_due", "Date by which the assessment must be reviewed.", type="date"),
            P("outcome", "Summary of the outcome."),
        ),
        NodeStyle(PINK, "triangleDown", 16),
        name_property="id",
    ),
    NodeType(
        "Training",
        "A training or competence programme.",
        (
            _name("training"),
            P("validity_months", "Months a completion stays valid (empty: forever).",
              type="integer", minimum=1, maximum=600),
            P("audience", "Who the training is for; 'leaders' marks a leadership training "
              "(the continuous learning top management needs, 7.2).", type="string_list"),
        ),
        NodeStyle(SKY, "dot", 12),
    ),
    NodeType(
        "Audit",
        "An internal audit, external audit or management review.",
        (
            P("kind", "Kind of audit.", enum=("internal", "external", "management_review")),
            P("date", "Date the audit was held.", type="date"),
        ),
        NodeStyle(GREY, "database", 18),
        name_property="id",
    ),
    NodeType(
        "Objective",
        "An AI objective (clause 6.2) with its target.",
        (
            P("title", "What the objective is.", required=True),
            P("target", "The measurable target."),
            P("due", "Date by which the target is to be met.", type="date"),
            P("status", "Progress.", enum=("planned", "on_track", "at_risk", "achieved",
                                           "dropped"), default="planned"),
        ),
        NodeStyle(BLUISH_GREEN, "star", 16),
        name_property="title",
    ),
    NodeType(
        "Finding",
        "A nonconformity or observation, with its corrective action.",
        (
            P("severity", "Severity of the finding.", enum=("major", "minor", "observation")),
            P("status", "Whether the corrective action is complete.", enum=("open", "closed")),
            P("due", "Due date of the corrective action.", type="date"),
        ),
        NodeStyle(YELLOW, "triangle", 14),
        name_property="id",
    ),
)

_ANY = tuple(n.label for n in NODES)


def _pairs(starts: tuple[str, ...], ends: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((s, e) for s in starts for e in ends)


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
    RelationshipType("OWNS", "Owner role of a control, risk, policy or AI objective.",
                     _pairs(("Role",), ("Control", "Risk", "Policy", "Objective")),
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
    RelationshipType("AFFECTS", "Scope of a risk.",
                     (("Risk", "AISystem"),), EdgeStyle(WINE, "dashed", width=2)),
    RelationshipType("ACCEPTED_BY", "Formal acceptance of a risk.",
                     (("Risk", "Person"),), EdgeStyle(PINK, width=2)),
    RelationshipType("SUPPORTS", "What a piece of evidence proves.",
                     _pairs(("Evidence",),
                            ("Control", "Policy", "ImpactAssessment", "Requirement", "Audit",
                             "Objective")),
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
)

ONTOLOGY = Ontology(NODES, RELATIONSHIPS, PROVENANCE)
