"""HTML reports printed from a browser (Debian's chromium): the print stylesheet applies,
tables fit the page and repeat their header on every page."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from aimsgraph.api.render import render
from aimsgraph.graph import EmbeddedStore
from aimsgraph.graph.queries import Queries
from aimsgraph.ingest import ingest_bundle

ARTIFACTS = Path(__file__).parent / "artifacts"


def test_the_soa_prints_to_pdf_in_landscape_with_headers_repeated(
        browser: Any, tmp_path: Path, sample_dir: Path) -> None:
    with EmbeddedStore(tmp_path / "store") as store:
        ingest_bundle(store, sample_dir)
        page_file = tmp_path / "soa.html"
        page_file.write_text(render(Queries(store).report("soa", dt.date(2026, 11, 27)),
                                    "html"), "utf-8")
    page = browser.new_page()
    try:
        page.goto(page_file.as_uri())
        page.emulate_media(media="print")
        assert page.evaluate("getComputedStyle(document.querySelector('thead')).display") \
            == "table-header-group"
        assert page.evaluate("getComputedStyle(document.body).fontSize") == "12px"  # 9pt
        # A4 landscape less 12 mm margins is about 1032 CSS pixels wide: the table fits.
        page.set_viewport_size({"width": 1032, "height": 700})
        assert page.evaluate("document.querySelector('table').scrollWidth") <= 1032
        pdf = page.pdf(prefer_css_page_size=True)
        assert pdf.startswith(b"%PDF")
        pages = re.search(rb"/Type\s*/Pages\b.*?/Count\s+(\d+)", pdf, re.S)
        assert pages and int(pages.group(1)) >= 2  # 38 rows do not fit on one page
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "soa-print.pdf").write_bytes(pdf)
    finally:
        page.close()
