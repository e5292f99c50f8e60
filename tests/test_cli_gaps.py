"""`aimsgraph gaps` for people and pipelines: filters, exit codes, the summary, workbooks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aimsgraph.api.cli import app
from aimsgraph.graph import GraphStore
from tests.bundles import write_bundle
from tests.stores import point_cli_at

AS_OF = ["--as-of", "2026-11-27"]


@pytest.fixture
def runner(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    point_cli_at(store, monkeypatch)
    return CliRunner()


@pytest.fixture
def sample(runner: CliRunner) -> CliRunner:
    assert runner.invoke(app, ["demo", "-f", "json"]).exit_code == 0
    return runner


def _json(runner: CliRunner, *args: str) -> dict:
    result = runner.invoke(app, ["gaps", *AS_OF, "-f", "json", *args])
    assert result.exit_code in (0, 3), result.output
    return json.loads(result.stdout)


def test_fail_on_exits_3_when_a_finding_is_at_or_above_the_severity(sample: CliRunner) -> None:
    failed = sample.invoke(app, ["gaps", *AS_OF, "--severity", "high", "--fail-on", "high"])
    assert failed.exit_code == 3
    assert failed.stdout.startswith("Gap report as of 2026-11-27: 36 findings (36 high, 0 "
                                    "medium, 0 low)")
    assert sample.invoke(app, ["gaps", *AS_OF, "ai-policy-missing", "--fail-on", "low"]
                         ).exit_code == 0  # no findings at all
    # low findings only: failing on high passes, failing on low (or medium and above) fails
    assert sample.invoke(app, ["gaps", *AS_OF, "--severity", "low", "--fail-on", "high"]
                         ).exit_code == 0
    assert sample.invoke(app, ["gaps", *AS_OF, "--severity", "low", "--fail-on", "low"]
                         ).exit_code == 3
    unknown = sample.invoke(app, ["gaps", *AS_OF, "--fail-on", "critical"])
    assert unknown.exit_code == 1 and unknown.stdout == ""
    assert "unknown severity 'critical'; severities: high, medium, low" in unknown.stderr


def test_severity_and_subject_type_filter_findings(sample: CliRunner) -> None:
    everything = _json(sample)
    high = _json(sample, "--severity", "high")
    systems = _json(sample, "--subject-type", "AISystem")
    assert [c["id"] for c in high["checks"]] == [c["id"] for c in everything["checks"]]
    found = [f for c in everything["checks"] for f in c["findings"]]
    assert [f for c in high["checks"] for f in c["findings"]] == [
        f for f in found if f["severity"] == "high"]
    assert [f for c in systems["checks"] for f in c["findings"]] == [
        f for f in found if f["subject"]["type"] == "AISystem"]
    assert all(c["count"] == len(c["findings"]) for c in high["checks"])
    unknown = sample.invoke(app, ["gaps", "--subject-type", "Budget"])
    assert unknown.exit_code == 1
    assert "unknown subject type 'Budget'; labels: Requirement, Person," in unknown.stderr
    close = sample.invoke(app, ["gaps", "--subject-type", "AISytem"])
    assert "unknown subject type 'AISytem' (did you mean 'AISystem'?); labels:" in close.stderr


def test_the_table_leads_with_a_summary_and_hides_checks_without_findings(
        sample: CliRunner) -> None:
    table = sample.invoke(app, ["gaps", *AS_OF]).stdout
    summary, details = table.split("\n\n", 1)
    assert "Gap report as of 2026-11-27: 74 findings" in summary
    assert "ai-policy-missing" not in table  # no findings on the sample
    assert "checks without findings not listed (--all lists them)" in table
    assert details.index("ai-system-without-accountable-owner") < details.index(
        "finding-recurred")
    every = sample.invoke(app, ["gaps", *AS_OF, "--all"]).stdout
    assert "ai-policy-missing - No approved AI policy: 0 findings" in every
    assert "not listed" not in every


def test_requirement_references_sort_as_people_read_them(sample: CliRunner) -> None:
    (check,) = _json(sample, "annex-a-control-not-implemented")["checks"]
    assert [f["subject"]["id"] for f in check["findings"]] == [
        "ISO42001:A.8.3", "ISO42001:A.10.3", "ISO42001:A.10.4"]


def test_gaps_and_reports_as_workbooks(sample: CliRunner, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "gaps.xlsx"
    written = sample.invoke(app, ["gaps", *AS_OF, "-f", "xlsx", "-o", str(target)])
    assert written.exit_code == 0, written.output
    book = load_workbook(target)
    assert book.sheetnames[:2] == ["Summary", "Findings per check"]
    with_findings = [c for c in _json(sample)["checks"] if c["count"]]
    assert len(book.sheetnames) == 2 + len(with_findings)  # a sheet per check with findings
    per_check = book["Findings per check"]
    assert [c.value for c in per_check[1]] == ["check", "title", "severity", "findings"]
    checks = _json(sample)["checks"]
    assert per_check.max_row == 1 + len(checks)
    assert sum(row[3].value for row in per_check.iter_rows(min_row=2)) == sum(
        c["count"] for c in checks)
    assert per_check.freeze_panes == "A2"
    assert per_check.auto_filter.ref == f"A1:D{1 + len(checks)}"
    assert per_check["A1"].font.bold
    summary = {r[0]: r[1:] for r in book["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["as of"] == ("2026-11-27", None)
    assert summary["sheet 'Findings per check'"] == ("Findings per check", 38)
    first = with_findings[0]
    assert summary[f"sheet '{book.sheetnames[2]}'"] == (f"{first['title']} ({first['id']})",
                                                         first["count"])

    soa = tmp_path / "soa.xlsx"
    assert sample.invoke(app, ["report", "soa", *AS_OF, "-f", "xlsx", "-o", str(soa)]
                         ).exit_code == 0
    sheet = load_workbook(soa)["Annex A controls"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "A.6.2.4")
    assert dict(zip(header, row, strict=True))["evidence"] == (
        "EV-10 (valid until 2028-09-20); EV-21 (valid until 2028-10-20)")
    assert sheet.max_row == 39
    coverage = tmp_path / "coverage.xlsx"
    assert sample.invoke(app, ["report", "coverage", *AS_OF, "-f", "xlsx", "-o", str(coverage)]
                         ).exit_code == 0
    assert load_workbook(coverage).sheetnames == ["Summary", "Clauses 4-10"]
    bare = sample.invoke(app, ["report", "soa", "-f", "xlsx"])
    assert bare.exit_code == 1 and "--output FILE.xlsx" in bare.stderr


def test_a_workbook_holds_formulas_as_text(runner: CliRunner, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    runner.invoke(app, ["ingest", str(write_bundle(tmp_path / "b", {
        "soa.csv": 'requirement,applicable,justification\nA.2.2,yes,"=HYPERLINK(""http://x"")"\n'
    }))])
    target = tmp_path / "soa.xlsx"
    assert runner.invoke(app, ["report", "soa", "-f", "xlsx", "-o", str(target)]).exit_code == 0
    cells = [c for row in load_workbook(target)["Annex A controls"].iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=")]
    assert [c.value for c in cells] == ['=HYPERLINK("http://x")']
    assert all(c.data_type == "s" for c in cells)  # text, not a formula


def test_gap_pages_honour_checks_and_labels_and_report_progress(
        sample: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "risks.html"
    args = ["visualise", "gaps", "high-risk-untreated", "--label", "Risk", "--as-of",
            "2026-11-27", "-o", str(target)]
    quiet = sample.invoke(app, args)  # stderr is not a terminal here: no progress
    assert quiet.exit_code == 0 and "running the checks" not in quiet.stderr
    from aimsgraph.api.cli import base

    monkeypatch.setattr(base, "shows_progress", lambda: not base.QUIET["on"])
    import aimsgraph.api.cli.documents as documents

    monkeypatch.setattr(documents, "shows_progress", lambda: not base.QUIET["on"])
    written = sample.invoke(app, args)  # as on a terminal
    assert written.exit_code == 0, written.output
    assert "risks.html: running the checks" in written.stderr
    assert "risks.html: drawing" in written.stderr
    silenced = sample.invoke(app, ["--quiet", *args])
    assert silenced.exit_code == 0 and "running the checks" not in silenced.stderr
    page = target.read_text("utf-8")
    assert "3 findings on 3 nodes (high-risk-untreated; Risk only)" in page
    unknown = sample.invoke(app, ["visualise", "gaps", "high-risk", "-o", str(target)])
    assert unknown.exit_code == 1
    assert "unknown gap check 'high-risk' (did you mean 'high-risk-untreated'?)" in \
        unknown.stderr
    bogus = sample.invoke(app, ["visualise", "node", "R-CDO", "--label", "Bogus", "-o",
                                str(target)])
    assert bogus.exit_code == 1 and "unknown label 'Bogus'" in bogus.stderr
