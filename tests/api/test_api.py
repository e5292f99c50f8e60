"""The HTTP API over real HTTP: same answers as the CLI, authorization, uploads, failures."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aimsgraph.api.cli import app as cli_app
from aimsgraph.graph import GraphStore
from tests.api.conftest import ADMIN_KEY, READER_KEY, Served, serving, settings_for
from tests.bundles import folder_to_xlsx, folder_to_zip
from tests.stores import point_cli_at

AS_OF = "2026-11-27"


def _cli_json(store: GraphStore, monkeypatch: pytest.MonkeyPatch, *args: str) -> object:
    point_cli_at(store, monkeypatch)
    result = CliRunner().invoke(cli_app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_api_and_cli_give_the_same_json(served: Served,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    with served.client(READER_KEY) as http:
        gaps = http.get("/gaps", params={"as_of": AS_OF}).json()
        assert gaps == _cli_json(served.store, monkeypatch, "gaps", "--as-of", AS_OF)
        one = http.get("/gaps/training-missing", params={"as_of": AS_OF}).json()
        assert one == _cli_json(served.store, monkeypatch, "gaps", "training-missing",
                                "--as-of", AS_OF)
        trace = http.get("/trace/control/C-16", params={"as_of": AS_OF}).json()
        assert trace == _cli_json(served.store, monkeypatch, "trace", "control", "C-16",
                                  "--as-of", AS_OF)
        person = http.get("/trace/person/P-22", params={"as_of": AS_OF}).json()
        assert person == _cli_json(served.store, monkeypatch, "trace", "person", "P-22",
                                   "--as-of", AS_OF)
        impact = http.get("/impact/supplier/SUP-CLOUD", params={"as_of": AS_OF}).json()
        assert impact == _cli_json(served.store, monkeypatch, "impact", "supplier",
                                   "SUP-CLOUD", "--as-of", AS_OF)
        assert [s["id"] for s in impact["systems"]] == ["SYS-CLAIMS", "SYS-FRAUD", "SYS-UW"]
        assert http.get("/impact/vendor/SUP-CLOUD").status_code == 400
        assert http.get("/impact/supplier/NOPE").status_code == 404
        soa = http.get("/reports/soa", params={"as_of": AS_OF}).json()
        assert soa == _cli_json(served.store, monkeypatch, "report", "soa", "--as-of", AS_OF)
        programme = http.get("/reports/audit-programme", params={"as_of": AS_OF}).json()
        assert programme == _cli_json(served.store, monkeypatch, "report", "audit-programme",
                                      "--as-of", AS_OF)
        assert programme["summary"]["audits_not_impartial"] == 1
        leadership = http.get("/reports/leadership", params={"as_of": AS_OF}).json()
        assert leadership == _cli_json(served.store, monkeypatch, "report", "leadership",
                                       "--as-of", AS_OF)
        executive = http.get("/trace/executive/P-05", params={"as_of": AS_OF}).json()
        assert executive == _cli_json(served.store, monkeypatch, "trace", "executive", "P-05",
                                      "--as-of", AS_OF)
        assert [i["item"]["id"] for i in executive["items"]] == [
            "SYS-CHAT", "SYS-MARKETING", "SYS-VOICE", "C-18", "RK-03"]


def test_reports_by_format_and_accept(served: Served) -> None:
    with served.client(READER_KEY) as http:
        html = http.get("/reports/gaps", params={"as_of": AS_OF, "format": "html"})
        assert html.headers["content-type"].startswith("text/html")
        assert "AI management system gap report" in html.text
        markdown = http.get("/reports/coverage", headers={"Accept": "text/markdown"})
        assert markdown.text.startswith("# Clause coverage")
        csv_text = http.get("/reports/soa", params={"format": "csv"}).text
        assert csv_text.splitlines()[0].startswith("control,title,applicable")


def test_a_runs_changes_are_listed_in_pages(served: Served) -> None:
    with served.client(READER_KEY) as http:
        (latest, *_) = http.get("/ingest/runs").json()
        page = http.get(f"/ingest/runs/{latest['run_id']}/changes",
                        params={"offset": 2, "limit": 5}).json()
        assert page["total"] == sum(sum(c.values()) for c in latest["counts"].values()
                                    ) - sum(c.get("unchanged", 0)
                                            for c in latest["counts"].values())
        assert page["offset"] == 2 and len(page["changes"]) == 5
        assert {c["action"] for c in page["changes"]} == {"created"}
        missing = http.get("/ingest/runs/nope/changes")
        assert missing.status_code == 404


def test_diff_is_the_clis(served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    with served.client(READER_KEY) as http:
        (latest, *_) = http.get("/ingest/runs").json()
        params = {"from": "2000-01-01", "to": latest["run_id"], "as_of": AS_OF}
        diff = http.get("/diff", params=params).json()
        assert diff == _cli_json(served.store, monkeypatch, "diff", "--from", "2000-01-01",
                                 "--to", latest["run_id"], "--as-of", AS_OF)
        assert diff["data"]["node Control"]["created"] == 27
        assert diff["findings"]["finding-overdue"]["opened"]
        html = http.get("/diff", params={**params, "format": "html"})
        assert html.headers["content-type"].startswith("text/html")
        # neither a run id nor a date: a bad parameter, not something "not found"
        assert http.get("/diff", params={"from": "nope"}).status_code == 400
        assert http.get("/diff", params={"from": "20200101T000000Z-00000000"}).status_code == 404
        review = http.get("/reports/review", params={"since": latest["run_id"],
                                                     "as_of": AS_OF}).json()
        assert review == _cli_json(served.store, monkeypatch, "report", "review", "--since",
                                   latest["run_id"], "--as-of", AS_OF)
        assert http.get("/reports/review").status_code == 404


def test_entities_with_provenance_and_neighbours(served: Served) -> None:
    with served.client(READER_KEY) as http:
        page = http.get("/entities/Control", params={"status": "planned", "limit": 1}).json()
        assert page["total"] == 2 and [i["id"] for i in page["items"]] == ["C-21"]
        control = http.get("/entities/Control/C-16").json()
        assert control["properties"]["source"] == "controls.csv:17"
        assert control["properties"]["run_id"]
        around = http.get("/entities/AISystem/SYS-CLAIMS/neighbours").json()
        assert {"type": "Role", "id": "R-MO-CLM", "name": "Model Owner - Claims"} in \
            around["nodes"]
        assert around["left_out"] == []
        one = http.get("/entities/AISystem/SYS-CLAIMS/neighbours",
                       params={"max_neighbours": 1}).json()
        first = min((n for n in around["nodes"] if n["id"] != "SYS-CLAIMS"),
                    key=lambda n: (n["type"], n["id"]))
        assert [n["id"] for n in one["nodes"]] == ["SYS-CLAIMS", first["id"]]  # AISystem first
        assert one["left_out"] == [{"node": around["subject"],
                                    "neighbours": len(around["nodes"]) - 2}]
        assert http.get("/entities/AISystem/SYS-CLAIMS/neighbours",
                        params={"max_neighbours": 0}).status_code == 400
        assert http.get("/entities/Control/C-404").status_code == 404
        assert http.get("/entities/Spaceship").status_code == 404
        assert http.get("/gaps/no-such-check").status_code == 404
        path = http.get("/trace/path", params={"from": "P-22", "to": "A.6.2.6"}).json()
        assert path["length"] == 3


ROUTES = [
    ("GET", "/gaps"), ("GET", "/gaps/ai-policy-missing"), ("GET", "/trace/control/C-16"),
    ("GET", "/trace/path?from=P-22&to=C-12"), ("GET", "/impact/role/R-CDO"),
    ("GET", "/entities/Control"),
    ("GET", "/entities/Control/C-16"), ("GET", "/entities/Control/C-16/neighbours"),
    ("GET", "/reports/soa"), ("GET", "/ingest/runs"), ("POST", "/ingest"),
]


@pytest.mark.parametrize(("method", "route"), ROUTES, ids=[f"{m} {r}" for m, r in ROUTES])
def test_authorization_matrix(served: Served, tmp_path: Path, method: str, route: str,
                              sample_dir: Path) -> None:
    archive = folder_to_zip(sample_dir, tmp_path / "org.zip")
    expected = {None: 401, "unknown-key": 401, READER_KEY: 200, ADMIN_KEY: 200}
    if method == "POST":
        expected[READER_KEY] = 403
    for key, status in expected.items():
        with served.client(key) as http:
            if method == "POST":
                with archive.open("rb") as handle:
                    response = http.post(route, files={"file": ("org.zip", handle)},
                                         data={"dry_run": "true"})
            else:
                response = http.get(route)
        assert response.status_code == status, (key, response.text)
    with served.client() as http:
        assert http.get("/health").status_code == 200


def test_without_keys_loopback_reads_and_writes_are_refused(store: GraphStore,
                                                            tmp_path: Path,
                                                            sample_dir: Path) -> None:
    with serving(settings_for(AIMSGRAPH_API_KEYS=""), store) as base:
        import httpx

        with httpx.Client(base_url=base, timeout=60) as http:
            assert http.get("/gaps").status_code == 200
            archive = folder_to_zip(sample_dir, tmp_path / "org.zip")
            with archive.open("rb") as handle:
                response = http.post("/ingest", files={"file": ("org.zip", handle)})
            assert response.status_code == 403


def test_uploads(served: Served, tmp_path: Path, sample_dir: Path) -> None:
    before = served.store.stats()
    with served.client(ADMIN_KEY) as http:
        for archive in (folder_to_zip(sample_dir, tmp_path / "org.zip"),
                        folder_to_xlsx(sample_dir, tmp_path / "org.xlsx")):
            with archive.open("rb") as handle:
                response = http.post("/ingest", files={"file": (archive.name, handle)})
            assert response.status_code == 200, response.text
            assert response.json()["outcome"] == "succeeded"
        assert served.store.stats() == before  # the same organisation again
        bad = io.BytesIO()
        with zipfile.ZipFile(bad, "w") as zf:
            zf.writestr("people.csv", "id,name,active\nP-NEW,,maybe\n")
        response = http.post("/ingest", files={"file": ("bad.zip", bad.getvalue())})
        assert response.status_code == 400
        assert [e["text"] for e in response.json()["detail"]] == [
            "bad.zip/people.csv:2: active 'maybe' is not a boolean (expected true/false, "
            "yes/no or 1/0)",
            "bad.zip/people.csv:2: name is required"]
        slip = io.BytesIO()
        with zipfile.ZipFile(slip, "w") as zf:
            zf.writestr("../../people.csv", "id,name\nP-X,Evil\n")
        response = http.post("/ingest", files={"file": ("slip.zip", slip.getvalue())})
        assert response.status_code == 400
        assert "unsafe path" in response.json()["detail"][0]["message"]
        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("people.csv", "id,name\n" + "P,x\n" * 200_000)
        with serving(settings_for(AIMSGRAPH_MAX_BUNDLE_BYTES=100_000), served.store) as base:
            import httpx

            with httpx.Client(base_url=base,
                              headers={"Authorization": f"Bearer {ADMIN_KEY}"}) as small:
                response = small.post("/ingest", files={"file": ("bomb.zip", bomb.getvalue())})
                assert response.status_code == 400
                assert "past 100000 bytes uncompressed" in response.json()["detail"][0]["message"]
        with serving(settings_for(AIMSGRAPH_MAX_UPLOAD_BYTES=1000), served.store) as base:
            import httpx

            with httpx.Client(base_url=base,
                              headers={"Authorization": f"Bearer {ADMIN_KEY}"}) as small:
                response = small.post("/ingest", files={"file": ("big.zip", bytes(5000))})
                assert response.status_code == 413
        runs = http.get("/ingest/runs").json()
        assert runs[0]["outcome"] == "failed"
        assert http.get(f"/ingest/runs/{runs[0]['run_id']}").json() == runs[0]
        assert http.get("/ingest/runs/nope").status_code == 404
    assert served.store.stats() == before


def test_kept_answers_are_the_fresh_ones_until_a_write(
        served: Served, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from aimsgraph.ingest import ingest_bundle
    from tests.bundles import write_bundle

    with served.client(READER_KEY) as http:
        first = http.get("/gaps", params={"as_of": AS_OF})
        again = http.get("/gaps", params={"as_of": AS_OF})
        assert again.status_code == 200 and again.content == first.content
        high = http.get("/gaps", params={"as_of": AS_OF, "severity": "high"}).json()
        assert {f["severity"] for c in high["checks"] for f in c["findings"]} == {"high"}
        trace = http.get("/trace/control/C-16", params={"as_of": AS_OF})
        assert http.get("/trace/control/C-16", params={"as_of": AS_OF}).content == trace.content
        assert http.get("/trace/control/C-NEW", params={"as_of": AS_OF}).status_code == 404
        ingest_bundle(served.store, write_bundle(tmp_path / "b", {
            "controls.csv": "id,name,status\nC-NEW,Unowned gate,implemented\n"}))
        after = http.get("/gaps", params={"as_of": AS_OF})
        assert after.content != first.content and "C-NEW" in after.text
        assert after.json() == _cli_json(served.store, monkeypatch, "gaps", "--as-of", AS_OF)
        new = http.get("/trace/control/C-NEW", params={"as_of": AS_OF})
        assert new.status_code == 200 and new.json()["gap"]


def test_an_upload_while_another_ingest_writes_is_a_409(served: Served, tmp_path: Path,
                                                        sample_dir: Path) -> None:
    from aimsgraph.graph.store import writer

    writer.acquire(served.store, "RUN-BUSY", "nightly.zip")  # a live writer: this process
    try:
        with served.client(ADMIN_KEY) as http:
            archive = folder_to_zip(sample_dir, tmp_path / "org.zip")
            with archive.open("rb") as handle:
                response = http.post("/ingest", files={"file": ("org.zip", handle)})
            assert response.status_code == 409
            assert "another ingest is writing to this store: run RUN-BUSY of nightly.zip" \
                in response.json()["detail"]
            assert http.get("/gaps").status_code == 200  # readers are not kept waiting
    finally:
        writer.release(served.store, "RUN-BUSY")
