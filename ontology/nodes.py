"""The node types of the ontology (docs/ontology.md), declared once."""

from __future__ import annotations

from aimsgraph.ontology.model import DerivedLabel, NodeStyle, NodeType, Property
from aimsgraph.ontology.palette import (
    BLUE,
    BLUISH_GREEN,
    CYAN,
    GREEN,
    GREY,
    INDIGO,
    OLIVE,
    ORANGE,
    PINK,
    PURPLE,
    SAND,
    SKY,
    TEAL,
    WINE,
    YELLOW,
)

__all__ = ["FREQUENCIES", "NODES", "PROVENANCE"]

P = Property


def _name(what: str) -> Property:
    return P("name", f"Human-readable name of the {what}.", required=True)


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
        "A requirement of a framework: an ISO/IEC 42001 clause, Annex A control objective or "
        "Annex A control (the Statement of Applicability decision is kept on it), an EU AI Act "
        "chapter, section, article or annex, a NIST AI RMF function, category or subcategory "
        "(all three built in), or a requirement of a framework a bundle adds.",
        (
            P("framework", "Framework the requirement belongs to, e.g. ISO42001, EU_AI_ACT.",
              required=True),
            P("ref", "Reference within the framework, e.g. 5.2, A.6.2.4, Art.14, GOVERN 1.1.",
              required=True),
            P("title", "Short title (or, for the NIST AI RMF, the text) of the requirement.",
              required=True),
            P("kind", "Catalogue kind.", required=True,
              enum=("clause", "annex_a_objective", "annex_a_control", "chapter", "section",
                    "article", "annex", "function", "category", "subcategory", "group",
                    "requirement")),
            P("description", "What the requirement asks, when the framework's text says more "
              "than its title."),
            P("framework_name", "Name of a framework a bundle or library adds (the built-in "
              "ones carry theirs in the catalogue)."),
            P("licence", "Licence or copyright of the framework's text, shown wherever it is."),
            P("urn", "The urn a CISO Assistant library gives the requirement, by which its "
              "mapping sets name it."),
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
            P("eu_ai_act_role", "The organisation's roles for the system under the EU AI Act "
              "(empty: not recorded).", type="string_list", enum=("provider", "deployer")),
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
            P("size_bytes", "Size of the evidence file in bytes (an evidence folder job "
              "records it).", type="integer", minimum=0),
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
    NodeType(
        "Dataset",
        "Data used to train, validate, test or operate an AI system (Annex A.7).",
        (
            _name("dataset"),
            P("purpose", "What the data is used for: training, validation, test, operational.",
              type="string_list"),
            P("origin", "Where the data comes from.",
              enum=("internal", "acquired", "public", "synthetic")),
            P("provenance_uri", "Where the data's provenance (lineage, source) is recorded."),
            P("quality_checked_on", "Date of the last data quality check.", type="date"),
            P("personal_data", "Whether the data holds personal data.", type="boolean"),
            P("licence", "The licence or terms the data is used under."),
        ),
        NodeStyle(OLIVE, "database", 16),
    ),
    NodeType(
        "Supplier",
        "A third party the AI management system relies on: a model or data provider, a "
        "platform, a service (Annex A.10).",
        (
            _name("supplier"),
            P("kind", "What the supplier provides.",
              enum=("model_provider", "data_provider", "platform", "service", "other")),
            P("assessed_on", "Date of the last supplier assessment.", type="date"),
            P("reassess_due", "Date by which the supplier must be assessed again.", type="date"),
            P("contract_uri", "Where the contract or agreement is kept."),
        ),
        NodeStyle(GREY, "hexagon", 18),
    ),
    NodeType(
        "Incident",
        "An AI incident (Annex A.8.4, clause 10.2; EU AI Act Art. 73 for serious incidents).",
        (
            P("title", "What happened.", required=True),
            P("severity", "How grave the incident is.", enum=("serious", "major", "minor")),
            P("status", "Handling status.", enum=("open", "contained", "closed")),
            P("occurred_on", "Date the incident occurred.", type="date"),
            P("detected_on", "Date the incident was detected.", type="date"),
            P("reported_on", "Date the incident was reported to the authority.", type="date"),
            P("report_within_days", "Days allowed to report it (empty: the setting "
              "AIMSGRAPH_INCIDENT_REPORT_DAYS).", type="integer", minimum=1, maximum=365),
            P("root_cause", "The cause found."),
        ),
        NodeStyle(YELLOW, "star", 18),
        name_property="title",
    ),
)
