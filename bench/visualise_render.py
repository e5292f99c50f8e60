"""What a person waits for, for pages of 100, 500, 2,000 and 5,000 nodes: building the page
(canvas, layout and HTML), then its first stable render in headless chromium.

Each size is taken from a generated organisation's whole graph (the first nodes by key) and
opened from file:// in Debian's chromium; the browser clock runs from navigation until the
page reports a stable network (physics settled, or first drawing when laid out before). The
total of both is reported in seconds and as a ratio to the 100-node page of the same run.

    python -m bench.visualise_render
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import time
from pathlib import Path

from aimsgraph.graph import EmbeddedStore
from aimsgraph.graph.queries import Queries
from aimsgraph.graph.questions.semantics import Semantics
from aimsgraph.ingest import ingest_bundle
from aimsgraph.visualise import render_page
from aimsgraph.visualise.canvas import Canvas
from bench.generate import generate

SIZES = (100, 500, 2000, 5000)
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--no-first-run", "--disable-sync"]


def main() -> None:
    from playwright.sync_api import sync_playwright

    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = generate(Path(tmp) / "bundle", 800)
        with EmbeddedStore(Path(tmp) / "store") as store:
            ingest_bundle(store, folder)
            view = Queries(store).whole_view()
            sem = Semantics(view, dt.date(2026, 6, 15))
            keys = sorted(view.all_nodes())
            files, build = {}, {}
            for size in SIZES:
                started = time.perf_counter()
                canvas = Canvas(sem)
                chosen = set(keys[:size])
                for key in chosen:
                    canvas.node(key)
                for a, b, rel_type in view.edges_among(chosen):
                    canvas.edge(rel_type, a, b)
                html = render_page(canvas.page(f"{size} nodes", "", "node"))
                build[size] = time.perf_counter() - started
                path = Path(tmp) / f"page-{size}.html"
                path.write_text(html, "utf-8")
                files[size] = path
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=FLAGS)
            for size, path in files.items():
                timings = []
                for _ in range(3):
                    page = browser.new_page(viewport={"width": 1400, "height": 900})
                    started = time.perf_counter()
                    page.goto(path.as_uri())
                    page.wait_for_function("window.aimsgraph && window.aimsgraph.stable",
                                           timeout=300_000)
                    timings.append(time.perf_counter() - started)
                    page.close()
                results[size] = round(build[size] + min(timings), 3)
            browser.close()
    base = results[SIZES[0]]
    print(json.dumps({"build_seconds": {k: round(v, 3) for k, v in build.items()},
                      "seconds_build_and_render": results,
                      "ratio_to_100_nodes": {k: round(v / base, 2) for k, v in results.items()}},
                     indent=2))


if __name__ == "__main__":
    main()
