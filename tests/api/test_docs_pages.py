"""The API's own pages in a real browser (Debian's chromium), with every request that leaves
the server blocked: Swagger UI with its Authorize button, ReDoc, and the landing page; and the
OpenAPI's security scheme and report workbooks over HTTP."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from aimsgraph.graph import EmbeddedStore
from aimsgraph.ingest import ingest_bundle
from tests.api.conftest import READER_KEY, serving, settings_for

ARTIFACTS = Path(__file__).parents[1] / "artifacts"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Iterator[str]:
    with EmbeddedStore(tmp_path_factory.mktemp("docs") / "store") as store:
        ingest_bundle(store, sample_dir)
        with serving(settings_for(), store) as url:
            yield url


def _open(browser: Any, url: str, base: str) -> tuple[Any, list[str], list[str]]:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    errors: list[str] = []
    blocked: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def route(request_route: Any) -> None:
        if request_route.request.url.startswith(base):
            request_route.continue_()
        else:
            blocked.append(request_route.request.url)
            request_route.abort()

    page.route("**/*", route)
    page.goto(url)
    return page, errors, blocked


def test_swagger_ui_renders_offline_and_authorizes_with_a_key(browser: Any, base: str) -> None:
    page, errors, blocked = _open(browser, f"{base}/docs", base)
    try:
        page.wait_for_selector("button.authorize", timeout=30_000)
        page.wait_for_selector("text=/gaps", timeout=30_000)
        assert errors == [] and blocked == []
        page.click("button.authorize")
        page.fill(".auth-container input", READER_KEY)
        page.click(".auth-btn-wrapper button.authorize")
        page.click("button.btn-done")
        page.click("#operations-gaps-all_gaps_gaps_get .opblock-summary")
        page.click("#operations-gaps-all_gaps_gaps_get button.try-out__btn")
        page.click("#operations-gaps-all_gaps_gaps_get button.execute")
        page.wait_for_selector("#operations-gaps-all_gaps_gaps_get .live-responses-table "
                               ".response-col_status", timeout=30_000)
        status = page.inner_text("#operations-gaps-all_gaps_gaps_get .live-responses-table "
                                 "tbody .response-col_status").strip()
        assert status.startswith("200"), status
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "api-docs.png"))
    finally:
        page.close()


def test_redoc_and_the_landing_page_render_offline(browser: Any, base: str) -> None:
    page, errors, blocked = _open(browser, f"{base}/redoc", base)
    try:
        page.wait_for_selector("h1:has-text('aimsgraph')", timeout=30_000)
        page.wait_for_selector("h2:has-text('Run every gap check')", timeout=30_000)
        assert errors == [] and blocked == []
        page.screenshot(path=str(ARTIFACTS / "api-redoc.png"))
    finally:
        page.close()
    page, errors, blocked = _open(browser, f"{base}/", base)
    try:
        links = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
        assert {"docs", "redoc", "openapi.json", "reports/soa?format=html",
                "reports/gaps?format=xlsx", "visualise/gaps"} <= set(links)
        assert errors == [] and blocked == []
        for link in links:
            status = httpx.get(f"{base}/{link}", headers={"Authorization":
                                                          f"Bearer {READER_KEY}"}).status_code
            assert status == 200, link  # the review pack's link says since when
    finally:
        page.close()


def test_openapi_declares_the_key_and_reports_come_as_workbooks(base: str) -> None:
    from openpyxl import load_workbook

    spec = httpx.get(f"{base}/openapi.json").json()
    assert spec["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"
    assert spec["paths"]["/gaps"]["get"]["security"] == [{"ApiKey": []}]
    reply = httpx.get(f"{base}/reports/soa", params={"format": "xlsx", "as_of": "2026-11-27"},
                      headers={"Authorization": f"Bearer {READER_KEY}"})
    assert reply.status_code == 200
    assert 'filename="soa-2026-11-27.xlsx"' in reply.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(reply.content))["Annex A controls"]
    assert sheet.max_row == 39
