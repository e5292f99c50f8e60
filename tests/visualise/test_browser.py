"""Every page kind in a real browser (Debian's chromium, headless), opened from file:// with
every other request blocked. Screenshots are kept in tests/artifacts/ to be looked at."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from graph import EmbeddedStore
from graph.queries import Queries
from ingest import ingest_bundle
from visualise import build_page, render_page

AS_OF = dt.date(2026, 11, 27)
ARTIFACTS = Path(__file__).parents[1] / "artifacts"

PAGES = [("trace", "C-16"), ("trace", "C-17"), ("system", "SYS-CLAIMS"), ("node", "R-CDO"),
         ("gaps", None), ("schema", None)]


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


def _open(browser: object, path: Path):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 900})  # type: ignore[attr-defined]
    errors: list[str] = []
    blocked: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

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


@pytest.mark.parametrize("name", [f"{k}-{r}" if r else k for k, r in PAGES])
def test_page_renders_offline_as_built(browser: object, pages: dict[str, Path],
                                       name: str) -> None:
    page, errors, blocked = _open(browser, pages[name])
    try:
        expected = _expected(pages[name])
        assert errors == [] and blocked == []
        assert page.evaluate("window.aimsgraph.nodes.length") == len(expected["nodes"])  # type: ignore[arg-type]
        assert page.evaluate("window.aimsgraph.edges.length") == len(expected["edges"])  # type: ignore[arg-type]
        assert page.evaluate("typeof window.network.getPositions") == "function"
        drawn = page.evaluate("Object.keys(window.network.getPositions()).length")
        assert drawn == len(expected["nodes"])  # type: ignore[arg-type]
        gaps = sorted(n["id"] for n in expected["nodes"] if n["gap"])  # type: ignore[attr-defined]
        styled = page.evaluate("window.aimsgraph.nodes.get({filter: n => n.borderWidth === 6 "
                               "&& n.color.border === '#d00000'}).map(n => n.id).sort()")
        assert styled == gaps
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    finally:
        page.close()


def test_trace_page_shows_the_chain(browser: object, pages: dict[str, Path]) -> None:
    page, _, _ = _open(browser, pages["trace-C-17"])
    try:
        shown = set(page.evaluate("window.aimsgraph.nodes.getIds()"))
        assert {"Control:C-17", "Role:R-BI", "Role:R-ANALYTICS", "Role:R-CDO",
                "Person:P-04"} <= shown
        chain = page.evaluate("window.aimsgraph.nodes.get({filter: n => n.highlighted})"
                              ".map(n => n.id).sort()")
        assert chain == ["Control:C-17", "Person:P-04", "Role:R-ANALYTICS", "Role:R-BI",
                         "Role:R-CDO"]
    finally:
        page.close()


def test_search_focuses_and_click_highlights_neighbours(browser: object,
                                                        pages: dict[str, Path]) -> None:
    page, _, _ = _open(browser, pages["system-SYS-CLAIMS"])
    try:
        page.fill("#search", "Model Owner - Claims")
        page.dispatch_event("#search", "change")
        assert page.evaluate("window.network.getSelectedNodes()") == ["Role:R-MO-CLM"]
        kept = set(page.evaluate("window.aimsgraph.highlighted"))
        neighbours = set(page.evaluate("window.network.getConnectedNodes('Role:R-MO-CLM')"))
        assert kept == neighbours | {"Role:R-MO-CLM"}
        dimmed = page.evaluate("window.aimsgraph.nodes.get({filter: n => n.opacity < 1})"
                               ".length")
        assert dimmed == page.evaluate("window.aimsgraph.nodes.length") - len(kept)
    finally:
        page.close()
