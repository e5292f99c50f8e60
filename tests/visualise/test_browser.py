"""Every page kind in a real browser (Debian's chromium, headless), opened from file:// with
every other request blocked. Screenshots are kept in tests/artifacts/ to be looked at."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from aimsgraph.graph import EmbeddedStore
from aimsgraph.graph.queries import Queries
from aimsgraph.ingest import ingest_bundle
from aimsgraph.visualise import build_page, render_page
from aimsgraph.visualise.styles import GAP_COLOUR

AS_OF = dt.date(2026, 11, 27)
ARTIFACTS = Path(__file__).parents[1] / "artifacts"

PAGES = [("trace", "C-16"), ("trace", "C-17"), ("trace", "RK-01"), ("system", "SYS-CLAIMS"),
         ("node", "R-CDO"), ("gaps", None), ("schema", None)]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    written = {}
    with EmbeddedStore(folder / "store") as store:
        ingest_bundle(store, sample_dir)
        queries = Queries(store)
        for kind, ref in PAGES:
            name = f"{kind}-{ref}" if ref else kind
            path = folder / f"{name}.html"
            path.write_text(render_page(build_page(queries, kind, ref, AS_OF)), "utf-8")
            written[name] = path
    return written


def _expected(path: Path) -> dict[str, object]:
    match = re.search(r"const DATA = (.*?);</script>", path.read_text("utf-8"), re.S)
    assert match
    return json.loads(match.group(1))  # type: ignore[no-any-return]


#: Records every text the page draws on its canvas (labels included), before any script runs.
_RECORD_TEXT = """
window.__drawn = new Set();
const fill = CanvasRenderingContext2D.prototype.fillText;
CanvasRenderingContext2D.prototype.fillText = function (text, x, y, width) {
  window.__drawn.add(String(text));
  return fill.apply(this, arguments);
};
"""


def _open(browser: object, path: Path):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    errors: list[str] = []
    blocked: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.add_init_script(_RECORD_TEXT)

    def route(request_route):  # type: ignore[no-untyped-def]
        url = request_route.request.url
        if url.startswith("file://"):
            request_route.continue_()
        else:
            blocked.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(path.as_uri())
    page.wait_for_function("window.aimsgraph && window.aimsgraph.stable", timeout=60_000)
    return page, errors, blocked


def _shot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", [f"{k}-{r}" if r else k for k, r in PAGES])
def test_page_renders_offline_as_built(browser: object, pages: dict[str, Path],
                                       name: str) -> None:
    page, errors, blocked = _open(browser, pages[name])
    try:
        expected = _expected(pages[name])
        assert errors == [] and blocked == []
        assert page.evaluate("window.aimsgraph.nodes.length") == len(expected["nodes"])  # type: ignore[arg-type]
        assert page.evaluate("window.aimsgraph.edges.length") == len(expected["edges"])  # type: ignore[arg-type]
        drawn = page.evaluate("Object.keys(window.network.getPositions()).length")
        visible = page.evaluate("window.aimsgraph.visible")
        assert drawn == visible  # a focused gap page draws what it shows first
        if name != "gaps":
            assert visible == len(expected["nodes"])  # type: ignore[arg-type]
        gaps = sorted(n["id"] for n in expected["nodes"] if n["gap"])  # type: ignore[attr-defined]
        styled = page.evaluate("window.aimsgraph.nodes.get({filter: n => n.borderWidth === 6 "
                               f"&& n.color.border === '{GAP_COLOUR}'}}).map(n => n.id).sort()")
        assert styled == gaps
        assert page.inner_text("header .asof") == "as of 2026-11-27"
        _shot(page, name)
    finally:
        page.close()


def test_labels_are_drawn_at_the_first_zoom_of_the_gap_page(browser: object,
                                                            pages: dict[str, Path]) -> None:
    """The sample's gap page (under 300 nodes) opens at a zoom where labels are drawn large
    enough to read: the canvas received the labels of the nodes in view."""
    page, _, _ = _open(browser, pages["gaps"])
    try:
        page.wait_for_timeout(300)
        drawn = set(page.evaluate("Array.from(window.__drawn)"))
        scale = page.evaluate("window.network.getScale()")
        assert scale * 14 >= 10.9  # 14 px labels drawn at 11 px or more
        in_view = page.evaluate("""(() => {
            const box = document.getElementById('network').getBoundingClientRect();
            const at = window.network.getPositions();
            return window.aimsgraph.nodes.get({filter: n => !n.hidden}).filter(n => {
              const p = window.network.canvasToDOM(at[n.id]);
              return p.x > 0 && p.y > 0 && p.x < box.width && p.y < box.height;
            }).map(n => n.label);
        })()""")
        assert len(in_view) >= 15
        # Long labels wrap: each line drawn is a piece of the label.
        missing = [label for label in in_view if not any(
            line in label for line in drawn if len(line) > 3)]
        assert missing == []
    finally:
        page.close()


def test_the_gap_page_lists_findings_and_a_click_focuses_the_node(
        browser: object, pages: dict[str, Path]) -> None:
    page, _, _ = _open(browser, pages["gaps"])
    try:
        expected = _expected(pages["gaps"])
        findings = expected["findings"]
        assert len(findings) == 74  # every finding of the sample on 2026-11-27
        groups = page.locator("#finding-list details")
        # it opens on the high findings; every severity is one choice away
        assert groups.count() == len({f["check"] for f in findings  # type: ignore[index]
                                      if f["severity"] == "high"})
        page.select_option("#f-severity", "")
        assert groups.count() == len({f["check"] for f in findings})  # type: ignore[index]
        first_group = groups.nth(0).locator("summary").inner_text()
        assert first_group.startswith("AI systems without an accountable owner")
        button = page.locator("#finding-list button.finding", has_text="CV screening assistant")
        button.first.click()
        assert page.evaluate("window.network.getSelectedNodes()") == ["AISystem:SYS-HRSCREEN"]
        assert page.evaluate("window.aimsgraph.focused") == "AISystem:SYS-HRSCREEN"
        page.wait_for_timeout(500)
        _shot(page, "gaps-focused")
    finally:
        page.close()


def test_filters_change_what_is_shown(browser: object, pages: dict[str, Path]) -> None:
    page, _, _ = _open(browser, pages["gaps"])
    try:
        first = page.evaluate("window.aimsgraph.visible")
        assert 0 < first == page.evaluate("window.aimsgraph.openedOn") <= 60
        assert "choose every severity to see them all" in page.inner_text("#shown")
        page.select_option("#f-severity", "")
        everything = page.evaluate("window.aimsgraph.visible")
        assert everything == page.evaluate("window.aimsgraph.nodes.length") > 60
        page.select_option("#f-check", "high-risk-untreated")
        only_risks = page.evaluate("window.aimsgraph.visible")
        assert 3 < only_risks < everything
        assert page.locator("#finding-list button.finding").count() == 3
        page.select_option("#f-check", "")
        page.select_option("#f-severity", "low")
        low = page.evaluate("window.aimsgraph.visible")
        assert low < everything
        severities = page.evaluate("window.aimsgraph.nodes.get({filter: n => !n.hidden && "
                                   "n.gap}).map(n => n.severities.join())")
        assert all("low" in s for s in severities)
        page.select_option("#f-severity", "")
        page.select_option("#f-label", "AISystem")
        shown = page.evaluate("window.aimsgraph.nodes.get({filter: n => !n.hidden})"
                              ".map(n => n.node_type)")
        assert set(shown) == {"AISystem"}
        assert page.inner_text("#shown") == f"{len(shown)} of {everything} nodes shown"
        _shot(page, "gaps-filtered")
    finally:
        page.close()


def test_trace_page_lays_the_chain_left_to_right(browser: object,
                                                 pages: dict[str, Path]) -> None:
    page, _, _ = _open(browser, pages["trace-C-17"])
    try:
        chain = ["Control:C-17", "Role:R-BI", "Role:R-ANALYTICS", "Role:R-CDO", "Person:P-04"]
        at = page.evaluate("window.network.getPositions()")
        xs = [at[node]["x"] for node in chain]
        assert xs == sorted(xs) and len(set(xs)) == len(xs)  # x grows toward the executive
        labels = page.evaluate("window.aimsgraph.edges.get().map(e => e.label)")
        assert "REPORTS_TO" in labels and "OWNS" in labels
        again, _, _ = _open(browser, pages["trace-C-17"])
        assert again.evaluate("window.network.getPositions()") == at  # the same picture
        again.close()
    finally:
        page.close()


def test_partial_search_lists_matches_and_zooms_to_the_chosen(browser: object,
                                                              pages: dict[str, Path]) -> None:
    page, _, _ = _open(browser, pages["system-SYS-CLAIMS"])
    try:
        page.fill("#search", "cLaImS")
        results = page.locator("#results li")
        assert results.count() >= 3
        texts = results.all_inner_texts()
        assert any("Claims triage model" in t for t in texts)
        assert any("Model Owner - Claims" in t for t in texts)
        _shot(page, "system-search")
        page.locator("#results li", has_text="Model Owner - Claims").click()
        assert page.evaluate("window.network.getSelectedNodes()") == ["Role:R-MO-CLM"]
        kept = set(page.evaluate("window.aimsgraph.highlighted"))
        neighbours = set(page.evaluate("window.network.getConnectedNodes('Role:R-MO-CLM')"))
        assert kept == neighbours | {"Role:R-MO-CLM"}
        page.wait_for_timeout(600)  # the zoom is animated
        assert page.evaluate("window.network.getScale()") >= 1.09
        centre = page.evaluate("window.network.canvasToDOM(window.network.getPositions("
                               "['Role:R-MO-CLM'])['Role:R-MO-CLM'])")
        box = page.evaluate("(() => { const r = document.getElementById('network')"
                            ".getBoundingClientRect(); return [r.width, r.height]; })()")
        assert abs(centre["x"] - box[0] / 2) < 40 and abs(centre["y"] - box[1] / 2) < 40
        page.fill("#search", "zebra")
        assert page.is_visible("#nomatch") and page.inner_text("#nomatch") == "no match"
        assert not page.is_visible("#results")
    finally:
        page.close()


def test_the_past_is_drawn_faded_and_dashed(browser: object, pages: dict[str, Path]) -> None:
    page, _, _ = _open(browser, pages["trace-RK-01"])
    try:
        elena = page.evaluate("window.aimsgraph.nodes.get('Person:P-08')")
        assert elena["past"] is True and elena["opacity"] < 0.5
        assert elena["shapeProperties"]["borderDashes"] == [4, 4]
        holds = page.evaluate("window.aimsgraph.edges.get({filter: e => e.from === "
                              "'Person:P-08'})")
        assert [e["former"] for e in holds] == [True] and holds[0]["dashes"] == [2, 6]
        _shot(page, "trace-RK-01")
    finally:
        page.close()
    page, _, _ = _open(browser, pages["system-SYS-CLAIMS"])
    try:
        expired = page.evaluate("window.aimsgraph.nodes.get({filter: n => n.node_type === "
                                "'Evidence' && n.past}).map(n => n.id)")
        valid = page.evaluate("window.aimsgraph.nodes.get({filter: n => n.node_type === "
                              "'Evidence' && !n.past}).map(n => n.id)")
        assert valid and all(e.startswith("Evidence:") for e in expired)
    finally:
        page.close()


def test_a_large_view_opens_in_clusters_that_open_on_click(browser: object,
                                                           tmp_path: Path) -> None:
    from aimsgraph.graph.questions.semantics import Semantics
    from aimsgraph.visualise.canvas import Canvas
    from bench.generate import generate

    with EmbeddedStore(tmp_path / "store") as store:
        ingest_bundle(store, generate(tmp_path / "bundle", 40))
        view = Queries(store).whole_view()
        canvas = Canvas(Semantics(view, AS_OF))
        keys = set(view.all_nodes())
        for key in keys:
            canvas.node(key)
        for a, b, rel_type in view.edges_among(keys):
            canvas.edge(rel_type, a, b)
        path = tmp_path / "large.html"
        path.write_text(render_page(canvas.page("everything", "", "node")), "utf-8")
    assert len(keys) > 300
    page, errors, _ = _open(browser, path)
    try:
        assert errors == []
        clusters = page.evaluate("window.aimsgraph.clusters")
        assert "cluster:Person" in clusters
        assert page.evaluate("window.network.isCluster('cluster:Person')")
        _shot(page, "large-clustered")
        page.evaluate("window.network.openCluster('cluster:Person')")
        assert not page.evaluate("window.network.body.nodes['cluster:Person'] !== undefined && "
                                 "window.network.isCluster('cluster:Person')")
    finally:
        page.close()
