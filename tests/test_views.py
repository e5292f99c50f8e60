"""A question's targeted reads (the lazy view) answer as the whole graph in memory does, on
every store: neighbourhoods and the relationships among them, whether their ends were read
before or not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from aimsgraph.graph import GraphStore
from aimsgraph.graph.store.lazy_view import LazyView
from aimsgraph.graph.store.view import GraphView, View
from aimsgraph.ingest import ingest_bundle
from tests.bundles import write_bundle

# Two facts of one type between the same two nodes (a role held twice), a loop, and a hub.
BUNDLE = {
    "people.csv": "id,name\nP-1,Ada\nP-2,Bo\n",
    "roles.csv": "id,name,reports_to\nR-1,Chief,\nR-2,Lead,R-1\nR-3,Loop,R-3\n",
    "role_assignments.csv": ("person,role,since,until\nP-1,R-1,2020-01-01,2021-01-01\n"
                             "P-1,R-1,2022-01-01,\nP-2,R-2,,\n"),
    "controls.csv": ("id,name,status,owner_role,implements\nC-1,One,implemented,R-2,A.6.2.4\n"
                     "C-2,Two,implemented,R-2,A.6.2.4\nC-3,Three,planned,R-3,A.6.2.4\n"
                     "Z-1,Last,implemented,R-2,A.6.2.4\n"),
}


def _answer(view: View, start: tuple[str, str], depth: int, most: int | None = None,
            labels: tuple[str, ...] = ()) -> tuple[object, ...]:
    around = view.neighbourhood(start, depth, labels, most)
    names = {key: view.props(key).get("name") for key in around.nodes}
    return sorted(around.nodes), list(view.edges_among(around.nodes)), around.left_out, names


@pytest.mark.parametrize("start", [("Person", "P-1"), ("Control", "C-1"), ("Role", "R-3"),
                                   ("Requirement", "ISO42001:A.6.2.4")])
@pytest.mark.parametrize("depth", [1, 2])
@pytest.mark.parametrize("most", [None, 1, 2])
def test_targeted_reads_answer_as_the_whole_graph(store: GraphStore, tmp_path: Path,
                                                  start: tuple[str, str], depth: int,
                                                  most: int | None) -> None:
    ingest_bundle(store, write_bundle(tmp_path / "b", BUNDLE))
    whole = GraphView.build(store.iter_nodes(), store.iter_relationships())
    expected = _answer(whole, start, depth, most)
    assert expected[1], "the neighbourhood has relationships among its nodes"
    fresh = store.lazy_view()
    try:
        assert isinstance(fresh, LazyView)
        assert _answer(fresh, start, depth, most) == expected
    finally:
        fresh.close()
    # some ends read in full before, the others read lean
    mixed = store.lazy_view()
    try:
        mixed.outgoing(start)
        mixed.incoming(start)
        mixed.outgoing(("Role", "R-1"))
        assert _answer(mixed, start, depth, most) == expected
    finally:
        mixed.close()
    held = [edge for edge in expected[1] if edge == (("Person", "P-1"), ("Role", "R-1"), "HOLDS")]
    if ("Role", "R-1") in expected[0] and ("Person", "P-1") in expected[0]:
        assert len(held) == 2  # each fact is a relationship of its own


def test_a_neighbourhood_follows_the_first_neighbours_and_counts_the_rest(
        store: GraphStore, tmp_path: Path) -> None:
    ingest_bundle(store, write_bundle(tmp_path / "b", BUNDLE))
    requirement = ("Requirement", "ISO42001:A.6.2.4")
    for view in (GraphView.build(store.iter_nodes(), store.iter_relationships()),
                 store.lazy_view()):
        # the requirement: four controls and the clause it is part of, by label, then id
        around = view.neighbourhood(requirement, 1, most=2)
        assert around.nodes == {requirement, ("Control", "C-1"), ("Control", "C-2")}
        assert around.left_out == {requirement: 3}
        assert view.neighbourhood(requirement, 1, most=4).nodes == {
            requirement, *(("Control", c) for c in ("C-1", "C-2", "C-3", "Z-1"))}
        # only controls: the clause is not a neighbour to follow, nor to count
        only = view.neighbourhood(requirement, 1, ["Control"], most=2)
        assert only.nodes == around.nodes and only.left_out == {requirement: 2}
        # two steps out of a control: its requirement comes before its role, and the first
        # control of that requirement after it
        two = view.neighbourhood(("Control", "C-3"), 2, most=1)
        assert two.nodes == {("Control", "C-3"), requirement, ("Control", "C-1")}
        assert two.left_out == {("Control", "C-3"): 1, requirement: 4}
        assert view.neighbourhood(requirement, 1).left_out == {}
        if isinstance(view, LazyView):
            view.close()


@pytest.mark.parametrize("labels", [("Control",), ("Role", "Person")])
def test_a_neighbourhood_of_some_labels_answers_as_the_whole_graph(
        store: GraphStore, tmp_path: Path, labels: tuple[str, ...]) -> None:
    ingest_bundle(store, write_bundle(tmp_path / "b", BUNDLE))
    whole = GraphView.build(store.iter_nodes(), store.iter_relationships())
    for start in (("Role", "R-2"), ("Requirement", "ISO42001:A.6.2.4")):
        for most in (None, 1):
            lazy = store.lazy_view()
            try:
                assert _answer(lazy, start, 2, most, labels) == \
                    _answer(whole, start, 2, most, labels)
            finally:
                lazy.close()


def test_targeted_reads_give_dates_as_dates(store: GraphStore, tmp_path: Path) -> None:
    ingest_bundle(store, write_bundle(tmp_path / "b", BUNDLE))
    view = store.lazy_view()
    try:
        since = [props["since"] for rel_type, _, props in view.outgoing(("Person", "P-1"))
                 if rel_type == "HOLDS"]
        # the holding that ended (the later one has no end): the two come in either order
        until = [props["until"] for rel_type, _, props in view.incoming(("Role", "R-1"))
                 if rel_type == "HOLDS" and "until" in props]
    finally:
        view.close()
    assert sorted(since) == [dt.date(2020, 1, 1), dt.date(2022, 1, 1)]
    assert until == [dt.date(2021, 1, 1)]
    assert {type(day) for day in [*since, *until]} == {dt.date}


def test_lists_and_search_asked_of_the_database_answer_as_walking_the_graph(
        store: GraphStore, sample_dir: Path, tmp_path: Path) -> None:
    """Entity pages and search, filtered, ordered and paged by SQL or Cypher, give exactly
    what walking the whole graph gives: ids whose numbers need the natural order, names in
    any case, a derived label, status, offsets past the end."""
    from aimsgraph.graph.store.matching import page_by_walking, search_by_walking

    ingest_bundle(store, sample_dir)
    ingest_bundle(store, write_bundle(tmp_path / "extra", {  # ids only natural order sorts
        "controls.csv": "id,name,status,owner_role,implements\n"
                        "C-9,Nine,implemented,R-AIGL,A.2.2\nC-10,Ten,planned,R-AIGL,A.2.2\n"
                        "C-100,Hundred,implemented,R-AIGL,\nc-2,Lower two,implemented,R-AIGL,\n"
                        "C-2a,Two a,planned,R-AIGL,\nC-0009,Nine padded,implemented,R-AIGL,\n"
                        "C-U,Straße Ölprüfung,implemented,R-AIGL,\n"}))
    whole = store.view()
    asked = [("Control", None, None), ("Control", "c-1", None), ("control", "", None),
             ("Control", None, "implemented"), ("Control", "RISK", "planned"),
             ("Requirement", "a.6", None), ("Requirement", "iso42001:a", None),
             ("Requirement", None, None), ("Control", "c-", "planned"),
             ("Person", "a", None), ("Leader", None, None), ("Leader", "o", None),
             ("AISystem", "claims", "deployed"), ("Evidence", "zzz-none", None)]
    lazy = store.lazy_view()
    try:
        pages = 0
        for label, needle, status in asked:
            label = "Control" if label == "control" else label
            for limit, offset in ((1000, 0), (3, 0), (3, 2), (5, 7), (10, 10_000), (2**70, 2**70)):
                expected = page_by_walking(whole, label, needle or None, status, limit, offset)
                assert lazy.page(label, needle or None, status, limit, offset) == expected, (
                    label, needle, status, limit, offset)
                pages += bool(expected[1])
        assert pages > 20  # the cases above find something, most of them
        for needle in ("c-1", "sys-claims", "p-0", "claims", "a.10", "ISO42001:A.6.2".casefold(),
                       "e", "nothing-at-all", "ölprüf", "strasse", "straße"):
            for limit in (1, 5, 200):
                assert lazy.search(needle, limit) == search_by_walking(whole, needle, limit), (
                    needle, limit)
        assert lazy.search("c-01", 3)[0] == ("Control", "C-01")  # the exact id first
        assert lazy.search("ölprüf", 5) == [("Control", "C-U")]
    finally:
        lazy.close()
