"""Statement of Applicability, clause coverage and the gap summary, in every format."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from api.render import render
from graph import GraphStore
from graph.queries import Queries
from ingest import ingest_bundle

AS_OF = dt.date(2026, 11, 27)


@pytest.fixture
def sample(store: GraphStore, sample_dir: Path) -> Queries:
    ingest_bundle(store, sample_dir)
    return Queries(store)


def test_soa_lists_every_annex_a_control_with_its_evidence(sample: Queries) -> None:
    data = sample.report("soa", AS_OF).data
    rows = {c["requirement"]: c for c in data["controls"]}
    assert len(rows) == 38
    assert rows["A.2.3"]["applicable"] is False and rows["A.2.3"]["decision"] == "explicit"
    assert rows["A.10.4"]["applicable"] is True and rows["A.10.4"]["decision"] == "default"
    assert rows["A.10.3"]["implemented"] is False
    a742 = rows["A.7.5"]
    assert [c["id"] for c in a742["controls"]] == ["C-05"]
    assert a742["implemented"] is True and a742["evidenced"] is False  # EV-05 expired
    assert rows["A.6.2.4"]["evidenced"] is True
    assert [o["id"] for o in rows["A.6.2.5"]["controls"][0]["owners"]] == ["R-MLOPS"]


def test_coverage_rolls_leaves_up_to_parents(sample: Queries) -> None:
    data = sample.report("coverage", AS_OF).data
    clauses = {c["clause"]: c for c in data["clauses"]}
    assert clauses["4.4"]["covered"] is False and clauses["4"]["covered"] is False
    assert clauses["9.2.1"]["covered"] is True and clauses["9.2"]["covered"] is True
    assert [p["id"] for p in clauses["5.2"]["policies"]] == ["POL-01"]
    assert data["summary"] == {"leaf_clauses": 32, "covered": 30}


def test_gap_report_counts_match_the_gap_run(sample: Queries) -> None:
    report = sample.report("gaps", AS_OF)
    summary = report.sections[0]
    counts = {row[0]: row[3] for row in summary.rows}
    run = sample.gaps(AS_OF)
    assert counts == {r.check.id: len(r.findings) for r in run.results}
    assert len(report.sections) == 1 + sum(1 for r in run.results if r.findings)


def test_renderings(sample: Queries) -> None:
    soa = sample.report("soa", AS_OF)
    table = list(csv.reader(io.StringIO(render(soa, "csv"))))
    assert table[0] == ["control", "title", "applicable", "justification", "implemented by",
                        "owners", "implemented", "valid evidence"]
    assert len(table) == 39
    markdown = render(soa, "markdown")
    assert markdown.startswith("# Statement of Applicability (ISO42001)\n\nAs of 2026-11-27.")
    assert "| A.10.2 | Allocating responsibilities | no |" in markdown
    page = render(sample.report("gaps", AS_OF), "html")
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page and "http" not in page
    assert '<td class="high">high</td>' in page


def test_html_escapes_what_bundles_say(store: GraphStore, tmp_path: Path) -> None:
    from tests.bundles import write_bundle

    ingest_bundle(store, write_bundle(tmp_path / "b", {
        "controls.csv": 'id,name,status,implements\nC-1,"<script>alert(1)</script>",planned,'
                        'A.2.2\n'}))
    page = render(Queries(store).report("soa", AS_OF), "html")
    assert "<script>" not in page
    assert "C-1 (planned)" in page


@pytest.mark.parametrize("as_of", [AS_OF, dt.date(2027, 2, 1), dt.date(2025, 1, 1)])
def test_audit_programme_agrees_with_the_audit_checks(sample: Queries, as_of: dt.date) -> None:
    """The report's unaudited clauses and partial audits are exactly the findings of
    clause-not-audited and auditor-not-impartial, as each store runs them."""
    data = sample.report("audit-programme", as_of).data
    not_audited, impartiality = sample.gaps(as_of, ["clause-not-audited",
                                                     "auditor-not-impartial"]).results
    assert {c["id"] for c in data["clauses"] if c["status"] == "not audited in cycle"} == {
        f.subject["id"] for f in not_audited.findings}
    partial = {a["id"]: a["impartiality_problem"] for a in data["audits"]
               if not a["lead_impartial"]}
    flagged = {f.subject["id"]: f.reason for f in impartiality.findings}
    assert partial == {k: v for k, v in flagged.items() if k in {a["id"] for a in data["audits"]}}
    if as_of == AS_OF:
        assert partial == {"AUD-2025-IA": "Priya Raman held R-AIGL on 2025-06-10, owning or "
                                          "above the owners of C-01, C-02, C-07"}
        assert data["summary"]["due_soon"] == 13
        rows = {c["id"]: c for c in data["clauses"]}
        assert rows["ISO42001:4.1"]["due"] == "2027-01-15"
        assert rows["ISO42001:4.1"]["status"] == "due soon"
        assert rows["ISO42001:9.1"]["last_date"] == "2023-03-14"
        assert rows["ISO42001:6.1.2"]["last_audit"]["id"] == "AUD-2026-IA"
        for fmt in ("csv", "markdown", "html"):
            assert "AUD-2025-IA" in render(sample.report("audit-programme", as_of), fmt)
