"""The graph handed to networkx (``to_networkx``) and exported for Gephi and yEd
(``aimsgraph export``): every node and relationship, on both stores."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from aimsgraph.api.cli import app
from aimsgraph.graph import GraphStore, Queries, to_networkx
from aimsgraph.graph.analysis import graph_file, node_name
from aimsgraph.graph.store.records import NodeKey
from aimsgraph.graph.store.view import View
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ontology import NotFoundError
from tests.stores import point_cli_at

#: The relationships of accountability: who holds which role, what it owns, where it reports.
ACCOUNTABILITY = ("HOLDS", "OWNS", "ACCOUNTABLE_FOR", "REPORTS_TO")


@pytest.fixture
def sample(store: GraphStore, sample_dir: Path) -> Queries:
    ingest_bundle(store, sample_dir)
    return Queries(store)


def test_the_whole_graph_has_every_node_and_relationship(sample: Queries) -> None:
    graph = to_networkx(sample)
    stats = sample.store.stats()
    view = sample.store.view()
    assert graph.number_of_nodes() == len(view.all_nodes())
    assert graph.number_of_edges() == sum(stats.relationships.values())
    system = graph.nodes["AISystem:SYS-CLAIMS"]
    assert system["label"] == "AISystem" and system["id"] == "SYS-CLAIMS"
    assert "AISystem" in system["labels"]
    types = [data["type"] for _, _, data in graph.edges(data=True)]
    assert {t: types.count(t) for t in set(types)} == stats.relationships


def _components_without(view: View, nodes: list[NodeKey], gone: NodeKey) -> int:
    """Connected components of the accountability graph without ``gone``, by walking the
    store's own view (no networkx)."""
    left, seen, count = set(nodes) - {gone}, set(), 0
    for start in sorted(left):
        if start in seen:
            continue
        count += 1
        stack = [start]
        while stack:
            key = stack.pop()
            if key in seen:
                continue
            seen.add(key)
            for rel_type, other, _ in [*view.outgoing(key), *view.incoming(key)]:
                if rel_type in ACCOUNTABILITY and other in left and other not in seen:
                    stack.append(other)
    return count


def test_articulation_points_of_the_accountability_graph(sample: Queries) -> None:
    """The people and roles whose loss splits the accountability graph, by networkx over
    ``to_networkx``, are exactly those found by removing each node from the store's view."""
    whole = to_networkx(sample)
    kept = [(a, b) for a, b, data in whole.edges(data=True) if data["type"] in ACCOUNTABILITY]
    accountability = nx.Graph(kept)
    found = set(nx.articulation_points(accountability))

    view = sample.store.view()
    nodes = [key for key in view.all_nodes()
             if any(t in ACCOUNTABILITY for t, _, _ in [*view.outgoing(key), *view.incoming(key)])]
    whole_count = _components_without(view, nodes, ("", ""))
    expected = {node_name(key) for key in nodes
                if _components_without(view, nodes, key) > whole_count}
    assert found == expected
    assert found  # the sample organisation has single points of failure


def test_a_neighbourhood_is_the_nodes_around_one(sample: Queries) -> None:
    graph = to_networkx(sample, around="SYS-CLAIMS", depth=1)
    around = sample.neighbourhood("AISystem", "SYS-CLAIMS", 1, most=None).to_json()
    assert set(graph.nodes) == {f"{n['type']}:{n['id']}" for n in around["nodes"]}
    assert {(a, b, data["type"]) for a, b, data in graph.edges(data=True)} == {
        (f"{r['from']['type']}:{r['from']['id']}", f"{r['to']['type']}:{r['to']['id']}",
         r["type"]) for r in around["relationships"]}


def test_as_of_leaves_out_relationships_not_in_force(sample: Queries) -> None:
    day = dt.date(2026, 11, 27)
    every = to_networkx(sample)
    then = to_networkx(sample, as_of=day)
    assert then.number_of_nodes() == every.number_of_nodes()
    assert then.number_of_edges() < every.number_of_edges()  # the sample has ended ones
    for a, b, key, data in every.edges(keys=True, data=True):
        ended = isinstance(data.get("until"), dt.date) and data["until"] < day
        started = not isinstance(data.get("since"), dt.date) or data["since"] <= day
        assert then.has_edge(a, b, key) == (started and not ended)


def test_an_unknown_format_or_node_names_the_known_ones(sample: Queries) -> None:
    with pytest.raises(NotFoundError, match="formats: graphml, gexf"):
        graph_file(to_networkx(sample, around="P-01"), "dot")
    with pytest.raises(NotFoundError, match="no node with id 'NOPE'"):
        to_networkx(sample, around="NOPE")


@pytest.mark.parametrize(("fmt", "read", "label"), [("graphml", nx.read_graphml, "label"),
                                                    ("gexf", nx.read_gexf, "node_label")])
def test_export_is_read_back_with_every_node(
        fmt: str, read: object, label: str, store: GraphStore, sample_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_bundle(store, sample_dir)
    point_cli_at(store, monkeypatch)
    target = tmp_path / f"governance.{fmt}"
    result = CliRunner().invoke(app, ["export", fmt, "-o", str(target)])
    assert result.exit_code == 0, result.output
    back = read(target)  # type: ignore[operator]
    view = store.view()
    assert set(back.nodes) == {node_name(key) for key in view.all_nodes()}
    assert back.number_of_edges() == sum(store.stats().relationships.values())
    assert back.nodes["AISystem:SYS-CLAIMS"][label] == "AISystem"


def test_export_refuses_an_unknown_format_and_writes_nothing(
        store: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    point_cli_at(store, monkeypatch)
    target = tmp_path / "out.dot"
    result = CliRunner().invoke(app, ["export", "dot", "-o", str(target)])
    assert result.exit_code == 1
    assert "unknown export 'dot'; exports: graphml, gexf, mappings" in result.stderr
    assert not target.exists()
