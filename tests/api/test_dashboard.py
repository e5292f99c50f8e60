"""The dashboard at `/` as a person sees it in chromium (offline): every chart draws the
sample's data, a click on a bar or a square lands on the page behind it, and it prints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aimsgraph.graph import EmbeddedStore
from aimsgraph.graph.queries import Queries
from aimsgraph.ingest import ingest_bundle
from tests.api.conftest import serving, settings_for
from tests.api.test_docs_pages import _open

ARTIFACTS = Path(__file__).parents[1] / "artifacts"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path
           ) -> Iterator[tuple[str, Queries]]:
    """The sample and its starter crosswalks, served to loopback clients with no keys."""
    with EmbeddedStore(tmp_path_factory.mktemp("dashboard") / "store") as store:
        ingest_bundle(store, sample_dir)
        for starter in sorted((sample_dir.parent / "crosswalks").iterdir()):
            ingest_bundle(store, starter)
        with serving(settings_for(AIMSGRAPH_API_KEYS=""), store) as url:
            yield url, Queries(store)


def test_every_chart_draws_the_graphs_data(browser: Any,
                                           served: tuple[str, Queries]) -> None:
    base, queries = served
    page, errors, blocked = _open(browser, f"{base}/", base)
    try:
        assert errors == [] and blocked == []  # no script error, nothing fetched
        data = queries.report("dashboard").data
        trend = page.eval_on_selector_all(
            "[data-chart=trend] polyline", "els => els.map(e => e.dataset.values)")
        assert len(trend) == 3 and all(values for values in trend)
        assert trend[0].split(",")[-1] == str(sum(  # the last point is now: the high findings
            1 for r in queries.gaps(dt.date.today()).results for f in r.findings
            if f.severity == "high"))
        levels = page.eval_on_selector_all("[data-chart=coverage] rect",
                                           "els => els.map(e => e.dataset.level)")
        assert len(levels) == sum(len(g["cells"]) for g in data["coverage"]) == 70
        assert {"covered", "none"} <= set(levels)
        for chart, rows in (("systems", data["systems"]), ("executives", data["executives"]),
                            ("frameworks", data["frameworks"])):
            bars = page.eval_on_selector_all(f"[data-chart={chart}] a", "els => els.length")
            assert bars == len(rows) > 0, chart
        ARTIFACTS.mkdir(exist_ok=True)
        page.set_viewport_size({"width": 1400, "height": 1700})
        page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
        pdf = page.pdf(format="A4")  # it prints: the charts are in the document itself
        assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
        (ARTIFACTS / "dashboard.pdf").write_bytes(pdf)
    finally:
        page.close()


@pytest.mark.parametrize(("chart", "lands_on"), [
    ("systems", "/visualise/system/SYS-CLAIMS"),  # the system with the most findings
    ("coverage", "/visualise/node/Requirement:ISO42001:4.1"),  # the first square
    ("executives", "/visualise/node/Person:P-04"),  # the most findings first
    ("frameworks", "/reports/coverage?framework=EU_AI_ACT&format=html"),
])
def test_a_click_lands_on_the_page_behind_the_mark(browser: Any, served: tuple[str, Queries],
                                                   chart: str, lands_on: str) -> None:
    base, _ = served
    page, errors, _ = _open(browser, f"{base}/", base)
    try:
        with page.expect_navigation():
            page.locator(f"[data-chart={chart}] a").first.click()
        assert page.url == f"{base}{lands_on}"
        assert errors == []
        assert page.evaluate("document.body.innerText.length") > 100  # a page, not an error
    finally:
        page.close()


def test_the_review_packs_workbook_carries_its_trend_chart(served: tuple[str, Queries]) -> None:
    import io
    import zipfile

    from aimsgraph.api.workbook import to_xlsx

    _, queries = served
    report = queries.report("review", since="2020-01-01")
    assert report.chart is not None
    archive = zipfile.ZipFile(io.BytesIO(to_xlsx(report)))
    charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 1
    drawn = archive.read(charts[0]).decode()
    assert "<lineChart>" in drawn and report.chart["title"] in drawn
    assert drawn.count("<ser>") == len(report.chart["series"])
