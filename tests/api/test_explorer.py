"""The live explorer (`GET /explore`) in Debian's chromium against a real server with keys:
it asks for a key, searches, expands nodes on click, filters labels, pins, re-marks the gaps
when the date changes and saves a PNG; every request to anywhere but the server is blocked
(and none is made)."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from tests.api.conftest import READER_KEY, Served

ARTIFACTS = Path(__file__).parents[1] / "artifacts"


def _until(page: Any, expression: str, timeout: float = 30) -> Any:
    """Poll ``expression`` in the page until it is truthy (the page's policy forbids the
    string evaluation Playwright's wait_for_function uses)."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"never true: {expression}")
        page.wait_for_timeout(100)


def test_the_explorer_grows_a_graph_from_the_api(browser: Any, served: Served,
                                                  tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def route(request_route: Any) -> None:
        if request_route.request.url.startswith(served.base):
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    try:
        page.goto(f"{served.base}/explore")
        # the server has keys: the page asks for one once its first read is refused
        page.wait_for_selector("#keybox", state="visible", timeout=30_000)
        assert page.is_visible("#keybox")
        page.fill("#key", READER_KEY)
        page.click("#usekey")
        _until(page, "document.getElementById('keybox').hidden")
        assert page.evaluate("sessionStorage.getItem('aimsgraph-key')") == READER_KEY
        assert page.evaluate("localStorage.length") == 0  # kept for the tab only

        page.fill("#search", "claims")
        _until(page, "document.querySelectorAll('#results li').length >= 3")
        assert "Claims triage model" in page.inner_text("#results")
        # it starts somewhere: the executives and the nodes behind the worst findings
        _until(page, "window.explorer.nodes.get('Person:P-04') !== null")
        assert "Starting on the executives" in page.inner_text("#hint")
        assert page.evaluate("window.explorer.nodes.get('AISystem:SYS-CLAIMS').gap")
        page.wait_for_timeout(1500)
        page.screenshot(path=str(Path(__file__).parents[1] / "artifacts" / "explorer-start.png"))
        page.locator("#results li", has_text="Claims triage model").click()
        _until(page, "window.explorer.nodes.get('Risk:RK-01') !== null")
        shown = set(page.evaluate("window.explorer.nodes.getIds()"))
        assert {"AISystem:SYS-CLAIMS", "Role:R-MO-CLM", "Risk:RK-01"} <= shown

        # A click on a node expands it.
        before = page.evaluate("window.explorer.nodes.length")
        page.evaluate("window.explorer.expand('Role:R-MO-CLM')")
        _until(page, f"window.explorer.nodes.length > {before}")
        assert "Person:P-08" in page.evaluate("window.explorer.nodes.getIds()")
        # a person brings a node into view and clicks it once it is still, and clicks again
        # if the layout moved it away from under the cursor: wait for the layout to rest and
        # for the point under the cursor to be the node, inside the canvas
        grown = page.evaluate("window.explorer.nodes.length")
        for attempt in range(3):
            _until(page, "window.explorer.settled")
            page.evaluate("window.network.focus('Risk:RK-01', {scale: 1.1, locked: false})")
            box = page.locator("#network canvas").bounding_box()
            at = _until(page, "(() => { const at = window.network.canvasToDOM("
                              "window.network.getPositions(['Risk:RK-01'])['Risk:RK-01']); "
                              "const box = window.network.canvas.frame.canvas"
                              ".getBoundingClientRect(); "
                              "return window.network.getNodeAt(at) === 'Risk:RK-01' && "
                              "at.x > 0 && at.y > 0 && at.x < box.width && at.y < box.height "
                              "&& at; })()")
            page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
            try:
                _until(page, "window.explorer.state.expanded.has('Risk:RK-01')", timeout=5)
                break
            except AssertionError:
                if attempt == 2:
                    raise
        assert page.evaluate("window.explorer.nodes.length") >= grown
        assert "more neighbours" not in page.inner_text("#status")

        # A node with more neighbours than asked for says how many were not drawn.
        page.fill("#most", "1")
        page.evaluate("window.explorer.expand('AISystem:SYS-CLAIMS')")
        _until(page, "document.getElementById('status').textContent.includes('more')")
        assert re.search(r"SYS-CLAIMS has \d+ more neighbours, not shown",
                         page.inner_text("#status"))

        # The gaps as of two dates.
        _until(page, "window.explorer.asOf")
        page.fill("#asof", "2026-11-27")
        page.dispatch_event("#asof", "change")
        _until(page, "window.explorer.asOf === '2026-11-27'")
        now = set(page.evaluate("window.explorer.marked"))
        assert "AISystem:SYS-CLAIMS" in now  # its owner left on 2026-03-31
        page.fill("#asof", "2025-01-01")
        page.dispatch_event("#asof", "change")
        _until(page, "window.explorer.asOf === '2025-01-01'")
        then = set(page.evaluate("window.explorer.marked"))
        assert then != now
        assert page.evaluate("window.explorer.nodes.get('AISystem:SYS-CLAIMS').gap") == (
            "AISystem:SYS-CLAIMS" in then)

        # Labels filtered, a node pinned, the view saved.
        page.locator("#labels input[data-label='Person']").uncheck()
        hidden = page.evaluate("window.explorer.nodes.get({filter: n => n.hidden})"
                               ".map(n => n.node_type)")
        assert hidden and set(hidden) == {"Person"}
        page.evaluate("window.explorer.pin('Risk:RK-01')")
        assert page.evaluate("window.explorer.nodes.get('Risk:RK-01').pinned") is True
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"explorer-{served.store.name}.png"))
        with page.expect_download() as download:
            page.click("#save")
        saved = tmp_path / "view.png"
        download.value.save_as(saved)
        assert saved.read_bytes().startswith(b"\x89PNG")
        assert errors == [] and outside == []
    finally:
        context.close()
