"""Statement of Applicability, clause coverage and the gap summary, in every format."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from aimsgraph.api.render import render
from aimsgraph.graph import GraphStore
from aimsgraph.graph.queries import Queries
from aimsgraph.ingest import ingest_bundle

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
    assert [(e["id"], e["valid"], e["source"]) for e in rows["A.7.5"]["controls"][0]["evidence"]
            ] == [("EV-05", False, "evidence.csv:6")]
    assert rows["A.7.5"]["decision_source"] == "soa.csv:28"
    assert [o["id"] for o in rows["A.6.2.5"]["controls"][0]["owners"]] == ["R-MLOPS"]


def test_coverage_rolls_leaves_up_to_parents(sample: Queries) -> None:
    data = sample.report("coverage", AS_OF).data
    clauses = {c["clause"]: c for c in data["clauses"]}
    assert clauses["4.4"]["level"] == "none" and clauses["4"]["level"] == "partial"
    assert clauses["9.2.1"]["level"] == "covered" and clauses["9.2"]["level"] == "covered"
    assert [p["id"] for p in clauses["5.2"]["policies"]] == ["POL-01"]
    assert [p["id"] for p in clauses["5.1"]["policies"]] == ["POL-06"]  # not the objective
    assert data["summary"] == {"leaf_clauses": 32, "covered": 30, "partial": 0, "none": 2}
    uncovered = sample.gaps(AS_OF, ["clause-without-coverage"]).results[0].findings
    assert {c["clause"] for c in data["clauses"] if c["leaf"] and c["level"] == "none"} == {
        f.subject["id"].removeprefix("ISO42001:") for f in uncovered}


@pytest.mark.parametrize(("rows", "level"), [
    ("POL-1,AI policy,draft,5.2", "partial"),
    ("POL-1,AI policy,approved,5.2", "covered"),
    ("POL-1,AI policy,retired,5.2", "none"),
])
def test_coverage_levels_agree_with_the_policy_and_coverage_checks(
        store: GraphStore, tmp_path: Path, rows: str, level: str) -> None:
    """A draft AI policy is partial coverage of 5.2, never covered, while ai-policy-missing
    fires; 'none' is exactly when clause-without-coverage reports the clause."""
    from tests.bundles import write_bundle

    ingest_bundle(store, write_bundle(tmp_path / "b", {
        "policies.csv": f"id,title,status,addresses\n{rows}\n",
        "controls.csv": "id,name,status,implements\nC-1,Roles,planned,5.3\n"
                        "C-2,Scope,implemented,4.3\n"}))
    queries = Queries(store)
    clauses = {c["clause"]: c for c in queries.report("coverage", AS_OF).data["clauses"]}
    assert clauses["5.2"]["level"] == level
    assert clauses["5.3"]["level"] == "partial" and clauses["4.3"]["level"] == "covered"
    assert clauses["5"]["level"] == "partial" and clauses["10"]["level"] == "none"
    found = {r.check.id: {f.subject["id"] for f in r.findings} for r in queries.gaps(
        AS_OF, ["ai-policy-missing", "clause-without-coverage"]).results}
    assert bool(found["ai-policy-missing"]) == (level != "covered")
    assert {k for k, c in clauses.items() if c["leaf"] and c["level"] == "none"} == {
        i.removeprefix("ISO42001:") for i in found["clause-without-coverage"]}


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
                        "owners", "implemented", "evidence", "valid evidence", "sources"]
    assert len(table) == 39
    a624 = next(row for row in table if row[0] == "A.6.2.4")
    assert a624[7] == "EV-10 (valid until 2028-09-20); EV-21 (valid until 2028-10-20)"
    assert a624[9] == "decision: soa.csv:20; C-10: controls.csv:11; C-22: controls.csv:23"
    a75 = next(row for row in table if row[0] == "A.7.5")
    assert a75[7] == "EV-05 (expired on 2026-06-30)"
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


def test_leadership_report_agrees_with_gaps_and_executive_traces(sample: Queries) -> None:
    report = sample.report("leadership", AS_OF)
    leaders = report.data["leaders"]
    assert [e["id"] for e in leaders] == ["P-04", "P-05", "P-01", "P-02", "P-03"]
    findings = [((f.subject["type"], f.subject["id"]), f.severity)
                for r in sample.gaps(AS_OF).results for f in r.findings]
    for entry in leaders:
        trace = sample.trace("executive", entry["id"], as_of=AS_OF).to_json()
        assert [i["item"] for i in trace["items"]] == [i["item"] for i in entry["items"]]
        assert trace["findings_by_severity"] == entry["findings_by_severity"]
        assert all(i["chain"]["executive"]["id"] == entry["id"] or
                   entry["id"] in {p["id"] for p in i["chain"]["executives"]}
                   for i in trace["items"])
        items = {(i["item"]["type"], i["item"]["id"]) for i in entry["items"]}
        severities = [severity for subject, severity in findings if subject in items]
        assert entry["findings_by_severity"] == {
            s: severities.count(s) for s in ("high", "medium", "low")}
    lapsed = {f.subject["id"] for f in sample.gaps(AS_OF, ["leader-training-lapsed"]).results[0]
              .findings}
    assert {e["id"] for e in leaders if e["leadership_training"] != "valid"} == lapsed
    assert {e["id"]: e["committees_chaired"] for e in leaders}["P-03"][0]["id"] == "COM-MRC"
    assert render(report, "html").count("<h2>") == 1 + len(leaders)
    table = render(report, "csv")  # one plain table: a column names each row's section
    assert table.startswith("section,leader,id,roles,answers for,high")
    sections = {row.split(",")[0] for row in table.splitlines()[1:]}
    assert sections <= {s.title for s in report.sections} and len(sections) > 1


def test_every_leader_of_the_role_reached_is_an_executive(store: GraphStore,
                                                          tmp_path: Path) -> None:
    from tests.bundles import write_bundle

    ingest_bundle(store, write_bundle(tmp_path / "b", {
        "people.csv": "id,name,seniority\nP-1,Ann,executive\nP-2,Ben,top_management\n"
                      "P-3,Cy,staff\n",
        "roles.csv": "id,name,reports_to\nR-TOP,Board,\nR-1,Owner,R-TOP\n",
        "role_assignments.csv": "person,role\nP-2,R-TOP\nP-1,R-TOP\nP-3,R-1\n",
        "controls.csv": "id,name,status,owner_role\nC-1,Gate,implemented,R-1\n"}))
    queries = Queries(store)
    trace = queries.trace("control", "C-1", as_of=AS_OF).to_json()
    assert trace["executive"]["id"] == "P-1"
    assert [p["id"] for p in trace["executives"]] == ["P-1", "P-2"]
    for person in ("P-1", "P-2"):
        items = queries.trace("executive", person, as_of=AS_OF).to_json()["items"]
        assert [i["item"]["id"] for i in items] == ["C-1"]
    assert queries.trace("executive", "P-3", as_of=AS_OF).to_json()["items"] == []


def test_leadership_counts_each_leaders_incidents_suppliers_and_datasets(
        sample: Queries) -> None:
    """Each counts what the owner trace of the item reaches, as for a control."""
    leaders = {e["id"]: e for e in sample.report("leadership", AS_OF).data["leaders"]}
    for label, key in (("Incident", "incidents"), ("Supplier", "suppliers"),
                       ("Dataset", "datasets")):
        for person, entry in leaders.items():
            for ref in entry[key]:
                chain = sample.trace(label.lower(), ref["id"], as_of=AS_OF).to_json()
                assert person in {p["id"] for p in chain["executives"]}, (key, ref)
    assert [i["id"] for i in leaders["P-05"]["incidents"]] == ["INC-02", "INC-03"]
    assert [d["id"] for d in leaders["P-04"]["datasets"]] == ["DS-CLAIMS-HIST"]
    # INC-04 is detected on 2026-11-20, and so known on the date; DS-RESERVES feeds only a
    # retired system and is relied on by none
    assert "INC-04" in {i["id"] for e in leaders.values() for i in e["incidents"]}
    assert "DS-RESERVES" not in {d["id"] for e in leaders.values() for d in e["datasets"]}


def test_review_pack_lists_the_incidents_of_the_period(sample: Queries) -> None:
    report = sample.report("review", dt.date(2027, 3, 1), since="2020-01-01")
    incidents = {i["id"]: i for i in report.data["incidents"]}
    assert list(incidents) == ["INC-03", "INC-01", "INC-02", "INC-04"]  # by the day noticed
    assert incidents["INC-01"]["reporting"] == ("it was reported on 2026-08-28, 9 days late "
                                                "(due on 2026-08-19)")
    assert incidents["INC-01"]["corrective_action"] == "F-05 assigned to R-MO-CLM"
    assert incidents["INC-04"]["reporting"] == ("its report was due on 2026-12-05 and is not "
                                                "made")
    assert incidents["INC-02"]["reporting"] == "not required"
    assert incidents["INC-02"]["corrective_action"].startswith("it was detected on 2026-10-03")
    assert incidents["INC-03"]["corrective_action"] == "not required"
    assert [k["id"] for k in incidents["INC-01"]["realises"]] == ["RK-01"]
    earlier = sample.report("review", dt.date(2026, 11, 27), since="2020-01-01").data
    by_id = {i["id"]: i for i in earlier["incidents"]}
    assert by_id["INC-04"]["reporting"] == "not yet due"  # its deadline is 2026-12-05
    assert by_id["INC-04"]["corrective_action"] == "none yet"
    assert "Incidents of the period" in render(report, "markdown")
    # the period starts where the point does: after the sample's own run, none is noticed
    since_run = sample.store.runs(1)[0].run_id
    assert sample.report("review", dt.date(2027, 3, 1), since=since_run).data["incidents"] == []
