"""The ontology declaration: the whole of it is walked, and bad declarations fail loudly."""

from __future__ import annotations

import pytest

from aimsgraph.ingest.mapping import EDGE_FILES, NODE_FILES
from aimsgraph.ontology import ONTOLOGY, OntologyError, catalogue
from aimsgraph.ontology.model import (
    EdgeStyle,
    NodeStyle,
    NodeType,
    Ontology,
    Property,
    RelationshipType,
)

DESIGN_LABELS = {"Requirement", "Person", "Role", "OrgUnit", "Committee", "Policy", "AISystem",
                 "Risk", "Control", "Evidence", "ImpactAssessment", "Training", "Audit",
                 "Finding", "Objective", "Dataset", "Supplier", "Incident"}
DESIGN_RELATIONSHIPS = {
    "PART_OF", "HOLDS", "REPORTS_TO", "IN_UNIT", "MEMBER_OF", "CHAIRS", "OVERSEES",
    "ACCOUNTABLE_FOR", "OWNS", "APPROVED_BY", "ADDRESSES", "IMPLEMENTS", "MITIGATES",
    "APPLIES_TO", "AFFECTS", "ACCEPTED_BY", "SUPPORTS", "PROVIDED_BY", "ASSESSES", "REQUIRES",
    "COMPLETED", "LED_BY", "COVERS", "RAISED_IN", "CONCERNS", "ASSIGNED_TO", "ACKNOWLEDGED",
    "DERIVED_FROM", "USES_DATA", "SUPPLIED_BY", "DEPENDS_ON", "REALISES", "MAPS_TO"}


def test_labels_and_types_are_exactly_the_public_contract() -> None:
    assert set(ONTOLOGY.labels) == DESIGN_LABELS
    assert set(ONTOLOGY.relationship_types) == DESIGN_RELATIONSHIPS
    assert ONTOLOGY.derived_labels == ("Leader",)


def test_every_declaration_is_complete() -> None:
    for node in ONTOLOGY.nodes:
        assert node.description.strip(), node.label
        assert node.style.colour.startswith("#"), node.label
        for prop in node.properties:
            assert prop.description.strip(), (node.label, prop.name)
            if prop.enum:
                assert all(prop.enum), (node.label, prop.name)
    for rel in ONTOLOGY.relationships:
        assert rel.description.strip(), rel.type
        for start, end in rel.endpoints:
            assert ONTOLOGY.has_label(start) and ONTOLOGY.has_label(end), rel.type
        for prop in rel.properties:
            assert prop.description.strip(), (rel.type, prop.name)


def test_enumerations_match_the_design() -> None:
    assert ONTOLOGY.node("Person").property("seniority").enum == (
        "top_management", "executive", "manager", "staff")
    assert ONTOLOGY.node("Risk").property("status").enum == (
        "open", "treated", "accepted", "closed")
    assert ONTOLOGY.node("Control").property("status").enum == (
        "planned", "implemented", "operating", "retired")
    assert ONTOLOGY.node("AISystem").property("lifecycle").enum == (
        "design", "development", "deployed", "retired")
    assert ONTOLOGY.node("Objective").property("status").enum == (
        "planned", "on_track", "at_risk", "achieved", "dropped")
    assert ONTOLOGY.node("Objective").property("status").default == "planned"
    assert ONTOLOGY.node("Dataset").property("origin").enum == (
        "internal", "acquired", "public", "synthetic")
    assert ONTOLOGY.node("Supplier").property("kind").enum == (
        "model_provider", "data_provider", "platform", "service", "other")
    assert ONTOLOGY.node("Incident").property("severity").enum == ("serious", "major", "minor")
    assert ONTOLOGY.node("Incident").property("status").enum == ("open", "contained", "closed")
    assert {r: ONTOLOGY.relationship(r).identity for r in ONTOLOGY.relationship_types
            if ONTOLOGY.relationship(r).identity} == {
        "HOLDS": "since", "COMPLETED": "on", "ACKNOWLEDGED": "version", "MAPS_TO": "predicate"}
    assert ONTOLOGY.relationship("MAPS_TO").property("predicate").enum == (
        "skos:exactMatch", "skos:closeMatch", "skos:broadMatch", "skos:narrowMatch",
        "skos:relatedMatch")


@pytest.mark.parametrize(("rel", "start", "end"), [
    ("USES_DATA", "AISystem", "Dataset"), ("SUPPLIED_BY", "Dataset", "Supplier"),
    ("DEPENDS_ON", "AISystem", "Supplier"), ("REALISES", "Incident", "Risk"),
    ("AFFECTS", "Incident", "AISystem"), ("CONCERNS", "Finding", "Incident"),
    *(("OWNS", "Role", label) for label in ("Dataset", "Supplier", "Incident")),
    *(("SUPPORTS", "Evidence", label) for label in ("Dataset", "Supplier", "Incident")),
])
def test_data_suppliers_and_incidents_join_as_the_design_says(rel: str, start: str,
                                                                end: str) -> None:
    assert ONTOLOGY.relationship(rel).allows(start, end)
    assert not ONTOLOGY.relationship(rel).allows(end, start)


def test_person_is_a_leader_only_at_the_top() -> None:
    person = ONTOLOGY.node("Person")
    assert person.labels_for({"seniority": "executive"}) == {"Person", "Leader"}
    assert person.labels_for({"seniority": "top_management"}) == {"Person", "Leader"}
    assert person.labels_for({"seniority": "manager"}) == {"Person"}
    assert person.labels_for({}) == {"Person"}


def test_catalogue_holds_every_clause_objective_and_annex_a_control() -> None:
    items = catalogue()
    kinds = [i.kind for i in items]
    assert kinds.count("annex_a_control") == 38
    assert kinds.count("annex_a_objective") == 11
    refs = {i.ref for i in items}
    assert {"6.1.1", "6.1.2", "6.1.3", "6.1.4", "A.6.1", "A.6.2", "A.6.2.4", "10.2"} <= refs


def test_bundle_mapping_uses_only_declared_labels_and_types() -> None:
    for spec in NODE_FILES:
        assert ONTOLOGY.has_label(spec.label)
        for link in spec.links:
            assert ONTOLOGY.has_relationship(link.rel)
    for edge in EDGE_FILES:
        assert ONTOLOGY.has_relationship(edge.rel)


STYLE = NodeStyle("#123456")


@pytest.mark.parametrize(
    ("build", "message"),
    [
        pytest.param(lambda: Property("Name", "x"), "Property 'Name': field 'name'", id="name"),
        pytest.param(lambda: Property("name", " "), "field 'description'", id="description"),
        pytest.param(lambda: Property("n", "x", type="float"),  # type: ignore[arg-type]
                     "field 'type'", id="type"),
        pytest.param(lambda: Property("n", "x", enum=("a", "a")), "field 'enum'", id="enum-dup"),
        pytest.param(lambda: Property("n", "x", type="date", enum=("a",)), "field 'enum'",
                     id="enum-on-date"),
        pytest.param(lambda: Property("n", "x", type="integer", minimum=5, maximum=1),
                     "field 'minimum'", id="bounds"),
        pytest.param(lambda: NodeStyle("red"), "NodeStyle: field 'colour'", id="colour"),
        pytest.param(lambda: NodeStyle("#123456", "blob"), "field 'shape'", id="shape"),
        pytest.param(lambda: NodeType("bad label", "x", (), STYLE, name_property="id"),
                     "NodeType 'bad label': field 'label'", id="label"),
        pytest.param(lambda: NodeType("Thing", "x", (Property("a", "x"), Property("a", "y")),
                                      STYLE, name_property="id"),
                     "field 'properties': declared twice: a", id="duplicate-property"),
        pytest.param(lambda: NodeType("Thing", "x", (), STYLE),
                     "field 'name_property'", id="name-property"),
        pytest.param(lambda: RelationshipType("LINKS", "x", (), EdgeStyle("#000000")),
                     "RelationshipType 'LINKS': field 'endpoints'", id="no-endpoints"),
        pytest.param(lambda: Ontology((), (RelationshipType("LINKS", "x", (("A", "B"),),
                                                            EdgeStyle("#000000")),), ()),
                     "field 'endpoints': unknown label 'A'", id="unknown-endpoint"),
    ],
)
def test_a_bad_declaration_fails_naming_the_field(build: object, message: str) -> None:
    with pytest.raises(OntologyError, match=message):
        build()  # type: ignore[operator]


def test_the_eu_ai_act_and_nist_ai_rmf_catalogues_are_built_in() -> None:
    from collections import Counter

    from aimsgraph.ontology import builtin_frameworks, qualify_requirement

    kinds = {f.id: Counter(i.kind for i in f.items) for f in builtin_frameworks()}
    assert kinds["EU_AI_ACT"] == {"article": 113, "annex": 13, "chapter": 13, "section": 16}
    assert kinds["NIST_AI_RMF"] == {"function": 4, "category": 19, "subcategory": 72}
    eu = {i.node_id: i for i in builtin_frameworks()[1].items}
    assert eu["EU_AI_ACT:Art.14"].parent_id == "EU_AI_ACT:Chapter III Section 2"
    assert eu["EU_AI_ACT:Art.14"].title == "Human Oversight"
    assert "EU_AI_ACT:Annex.III" in eu
    assert qualify_requirement("EU_AI_ACT:Annex III") == "EU_AI_ACT:Annex.III"
    assert qualify_requirement("NIST_AI_RMF:GOVERN 1.1") == "NIST_AI_RMF:GOVERN 1.1"
    assert qualify_requirement("Control:C-1") is None  # a label, not a framework
    assert qualify_requirement("ISO42001:Art.14") is None
