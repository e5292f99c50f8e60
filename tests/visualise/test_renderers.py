"""Renderers without a browser: styles from the ontology, caps, layout of large views."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from aimsgraph.graph import EmbeddedStore
from aimsgraph.graph.queries import Queries
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.graph.store.view import GraphView
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ontology import ONTOLOGY, NotFoundError
from aimsgraph.visualise import build_page, render_page
from aimsgraph.visualise.canvas import LAYOUT_THRESHOLD, Canvas
from aimsgraph.visualise.styles import (
    GAP_COLOUR,
    INNER_LABEL_SHAPES,
    contrast,
    edge_style,
    node_style,
)

AS_OF = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Queries:
    store = EmbeddedStore(tmp_path_factory.mktemp("vis"))
    store.open()
    ingest_bundle(store, sample_dir)
    return Queries(store)


@pytest.mark.parametrize("label", ONTOLOGY.labels)
def test_every_label_is_styled_from_its_declaration(label: str) -> None:
    declared = ONTOLOGY.node(label).style
    style = node_style(label)
    assert (style["shape"], style["color"]["background"], style["size"]) == (
        declared.shape, declared.colour, declared.size)
    gap = node_style(label, gap=True)
    assert gap["color"]["border"] == GAP_COLOUR and gap["borderWidth"] == 6


@pytest.mark.parametrize("rel_type", ONTOLOGY.relationship_types)
def test_every_relationship_type_is_styled(rel_type: str) -> None:
    declared = ONTOLOGY.relationship(rel_type).style
    style = edge_style(rel_type)
    assert style["color"]["color"] == style["color"]["highlight"] == declared.colour
    assert (style["dashes"], style["width"]) == (declared.dashes, declared.width)


def test_every_label_and_type_can_be_told_apart_without_colour_alone() -> None:
    """Labels differ in colour or shape, types in colour, pattern or width; no label wears
    the gap marker's red; the text of every label is legible where it is drawn."""
    looks = [(n.style.colour.lower(), n.style.shape) for n in ONTOLOGY.nodes]
    assert len(set(looks)) == len(looks)
    lines = [(r.style.colour.lower(), r.style.pattern, r.style.width)
             for r in ONTOLOGY.relationships]
    assert len(set(lines)) == len(lines)
    assert GAP_COLOUR.lower() not in {colour for colour, _ in looks}
    def rgb(colour: str) -> list[int]:
        return [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    assert min(sum((a - b) ** 2 for a, b in zip(rgb(GAP_COLOUR), rgb(colour), strict=True))
               ** 0.5 for colour, _ in looks) > 100  # far from every label's colour
    for node in ONTOLOGY.nodes:
        style = node_style(node.label)
        behind = node.style.colour if node.style.shape in INNER_LABEL_SHAPES else "#FFFFFF"
        assert contrast(style["font"]["color"], behind) >= 4.5, node.label
    # Pairs that sit side by side on pages differ in colour, not only in line.
    for first, second in [("REPORTS_TO", "OWNS"), ("CHAIRS", "OVERSEES"),
                          ("MITIGATES", "ACCEPTED_BY"), ("REQUIRES", "COMPLETED"),
                          ("RAISED_IN", "ASSIGNED_TO")]:
        assert ONTOLOGY.relationship(first).style.colour != \
            ONTOLOGY.relationship(second).style.colour
    assert ONTOLOGY.node("Requirement").style.colour != ONTOLOGY.node("Evidence").style.colour


def test_requirements_carry_their_reference_and_unknown_filters_are_refused(
        sample: Queries) -> None:
    page = build_page(sample, "system", "SYS-CLAIMS", AS_OF)
    labels = {n["id"]: n["label"] for n in page.nodes}
    assert labels["Requirement:ISO42001:6.1.4"] == "6.1.4 AI system impact assessment"
    assert labels["Requirement:ISO42001:8.4"] == "8.4 AI system impact assessment"
    with pytest.raises(NotFoundError, match="unknown label 'Bogus'; labels: Requirement"):
        build_page(sample, "node", "R-CDO", AS_OF, 1, ["Bogus"])
    with pytest.raises(NotFoundError, match="unknown gap check 'high-risk'"):
        build_page(sample, "gaps", "high-risk", AS_OF)


def test_the_gap_page_shows_findings_and_what_is_next_to_them(sample: Queries) -> None:
    everything = build_page(sample, "gaps", None, AS_OF)
    subjects = {f["node"] for f in everything.findings}
    assert len(everything.findings) == 74 and len(subjects) == 58
    shown = {n["id"] for n in everything.nodes}
    assert subjects <= shown and len(shown) < 251  # not the whole graph
    one = build_page(sample, "gaps", "high-risk-untreated", AS_OF)
    assert {f["node"] for f in one.findings} == {"Risk:RK-02", "Risk:RK-05", "Risk:RK-06"}
    assert len(one.nodes) < len(everything.nodes)
    systems = build_page(sample, "gaps", None, AS_OF, labels=["AISystem"])
    assert {f["node_type"] for f in systems.findings} == {"AISystem"}


def _data(html: str) -> dict[str, object]:
    match = re.search(r"const DATA = (.*?);</script>", html, re.S)
    assert match
    return json.loads(match.group(1))  # type: ignore[no-any-return]


def test_pages_are_self_contained(sample: Queries) -> None:
    html = render_page(build_page(sample, "trace", "C-16", AS_OF))
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "window.network = network" in html


def test_trace_page_marks_the_broken_chain(sample: Queries) -> None:
    data = _data(render_page(build_page(sample, "trace", "C-16", AS_OF)))
    nodes = {n["id"]: n for n in data["nodes"]}  # type: ignore[attr-defined]
    assert set(nodes) == {"Control:C-16", "Role:R-VENDOR", "Role:R-PROC", "Person:P-18",
                          "Person:P-19"}
    assert nodes["Role:R-PROC"]["gap"] is True
    broken = [e for e in data["edges"] if e["color"]["color"] == GAP_COLOUR]  # type: ignore[attr-defined]
    assert [(e["from"], e["to"]) for e in broken] == [("Role:R-PROC", "Role:R-VENDOR")]


def test_gap_page_marks_exactly_the_subjects_of_findings(sample: Queries) -> None:
    data = _data(render_page(build_page(sample, "gaps", None, AS_OF)))
    marked = {n["id"] for n in data["nodes"] if n["gap"]}  # type: ignore[attr-defined]
    report = sample.gaps(AS_OF)
    subjects = {f"{f.subject['type']}:{f.subject['id']}" for r in report.results
                for f in r.findings}
    assert marked == subjects


def test_large_views_are_laid_out_in_python_and_capped(sample: Queries) -> None:
    graph = GraphView()
    for i in range(LAYOUT_THRESHOLD + 100):
        graph.add_node(("Risk", f"K{i}"), frozenset({"Risk"}), {"title": f"R{i}"})
        if i:
            graph.add_edge(("Risk", f"K{i}"), ("Risk", f"K{i - 1}"), "AFFECTS", {})
    sem = Semantics(graph, AS_OF)
    canvas = Canvas(sem)
    for key in graph.all_nodes():
        canvas.node(key)
    for a, b, rel_type in graph.all_edges():
        canvas.edge(rel_type, a, b)
    page = canvas.page("big", "", "node", cap=550)
    assert len(page.nodes) == 550
    assert page.notes == ["50 of 600 nodes were left out to keep the page usable; narrow the "
                          "view (a node with --depth, one system, or --label filters) to see "
                          "them."]
    assert page.options["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in page.nodes)
    positions = {n["id"]: (n["x"], n["y"]) for n in page.nodes}
    assert len(set(positions.values())) == len(positions), "nodes laid on top of each other"
    again = Canvas(sem)
    for key in reversed(graph.all_nodes()):  # the same graph, met in another order
        again.node(key)
    for a, b, rel_type in reversed(graph.all_edges()):
        again.edge(rel_type, a, b)
    assert {n["id"]: (n["x"], n["y"]) for n in again.page("big", "", "node", cap=550).nodes} \
        == positions, "the same graph must give the same picture"


def test_unknown_things_are_clear_errors(sample: Queries) -> None:
    with pytest.raises(NotFoundError, match="unknown page kind 'pie'"):
        build_page(sample, "pie", None, AS_OF)
    with pytest.raises(NotFoundError, match="not an AISystem"):
        build_page(sample, "trace", "SYS-CLAIMS", AS_OF)
    with pytest.raises(NotFoundError, match="no node with id 'nope'"):
        build_page(sample, "node", "nope", AS_OF)


def test_node_page_depth_and_label_filter(sample: Queries) -> None:
    one = _data(render_page(build_page(sample, "node", "R-CDO", AS_OF, 1)))
    two = _data(render_page(build_page(sample, "node", "R-CDO", AS_OF, 2)))
    only_people = _data(render_page(build_page(sample, "node", "R-CDO", AS_OF, 2, ["Person"])))
    assert len(one["nodes"]) < len(two["nodes"])  # type: ignore[arg-type]
    assert {n["node_type"] for n in only_people["nodes"]} == {"Role", "Person"}  # type: ignore[attr-defined]


def test_a_node_page_follows_the_first_neighbours_and_says_how_many_more(
        sample: Queries) -> None:
    every = build_page(sample, "node", "R-CDO", AS_OF, 1)
    few = build_page(sample, "node", "R-CDO", AS_OF, 1, most=2)
    assert len(every.nodes) > 3 and not every.notes
    around = sorted(tuple(str(n["id"]).split(":", 1)) for n in every.nodes
                    if n["id"] != "Role:R-CDO")
    assert {n["id"] for n in few.nodes} == {"Role:R-CDO", *(":".join(k) for k in around[:2])}
    assert few.notes == [f"1 node has more than 2 neighbours: the first 2 of each (by label "
                         f"and id) are followed, {len(every.nodes) - 3} others are not (ask "
                         "for more neighbours to see them)."]
    hub = next(n for n in few.nodes if n["id"] == "Role:R-CDO")
    assert f"{len(every.nodes) - 3} more neighbours not shown" in str(hub["title"])


def test_a_departed_holder_is_drawn_as_a_former_holder(sample: Queries) -> None:
    def holds(day: dt.date) -> tuple[dict[str, object], dict[str, object]]:
        page = build_page(sample, "trace", "Risk:RK-01", day)
        edge = next(e for e in page.edges
                    if e["from"] == "Person:P-08" and e["to"] == "Role:R-MO-CLM")
        node = next(n for n in page.nodes if n["id"] == "Person:P-08")
        return edge, node
    edge, node = holds(AS_OF)
    assert edge["former"] is True
    first, period, source = str(edge["title"]).splitlines()
    assert (first, period) == ("HOLDS (former): P-08 -> R-MO-CLM", "since: 2023-05-01")
    assert source.startswith("from role_assignments.csv:9 (run ")
    assert edge["dashes"] == [2, 6]
    assert "former holder of R-MO-CLM: left on 2026-03-31" in str(node["title"])
    edge, node = holds(dt.date(2025, 1, 1))
    assert edge["former"] is False
    assert str(edge["title"]).startswith("HOLDS: P-08 -> R-MO-CLM\nsince: 2023-05-01\n"
                                         "from role_assignments.csv:9 (run ")
    assert "former holder" not in str(node["title"])


def test_every_page_marks_holdings_that_ended_as_former(sample: Queries) -> None:
    page = build_page(sample, "node", "Role:R-MO-CLM", AS_OF)
    holds = {(e["from"], e["to"]): e["former"] for e in page.edges if e["rel_type"] == "HOLDS"}
    assert holds == {("Person:P-08", "Role:R-MO-CLM"): True}
    now = build_page(sample, "node", "Role:R-CDO", AS_OF)
    assert [e["former"] for e in now.edges if e["rel_type"] == "HOLDS"] == [False]
    earlier = build_page(sample, "node", "Role:R-MO-CLM", dt.date(2025, 1, 1))
    assert [e["former"] for e in earlier.edges if e["rel_type"] == "HOLDS"] == [False]
