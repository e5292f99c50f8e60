"""Deadlines and reminders on both stores: `due` finds each kind of deadline on the sample
with the person who must act and the executive to escalate to; `remind` delivers digests to
a real SMTP server and a real webhook receiver on loopback, each reminder once per stage,
a failed send tried again and reported; the calendar feed parses with stable UIDs."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from aimsgraph.api.cli import app
from aimsgraph.graph import GraphStore
from aimsgraph.graph.queries import Queries
from aimsgraph.graph.store.bundled_neo4j import free_port
from aimsgraph.ingest import ingest_bundle
from aimsgraph.ontology.deadlines import deadline_kinds
from tests.api.conftest import READER_KEY, serving, settings_for
from tests.bundles import write_bundle
from tests.stores import point_cli_at

D = dt.date(2026, 11, 27)

#: For each kind of deadline, one the sample has within 60 days of D: the item, who must act
#: and whom to escalate to (only when it is late or nobody holds the role).
EXPECTED = {
    "evidence-expires": ("EV-05", ["P-04"], ["P-04"]),  # late; the owner is the executive
    "policy-review": ("POL-04", ["P-06"], ["P-03"]),  # late: up R-AIGL to the CRO
    "impact-assessment-review": ("IA-04", [], ["P-04"]),  # nobody holds R-MO-CLM
    "training-expires": ("T-RAI", ["P-06"], []),  # in 46 days: nobody to escalate to yet
    "finding-due": ("F-01", ["P-04"], ["P-04"]),  # assigned to a role: its holder acts
    "objective-due": ("OBJ-02", ["P-23"], []),
    "supplier-reassessment": ("SUP-CLOUD", ["P-15"], ["P-02"]),
    "incident-report": ("INC-04", ["P-15"], []),  # detected 2026-11-20, 15 days to report
}


@pytest.fixture
def sample(store: GraphStore, sample_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Queries:
    ingest_bundle(store, sample_dir)
    point_cli_at(store, monkeypatch)
    return Queries(store)


def test_every_declared_kind_has_a_sample_case() -> None:
    assert sorted(EXPECTED) == sorted(deadline_kinds())


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_due_names_who_must_act_and_whom_to_escalate_to(sample: Queries, kind: str) -> None:
    result = CliRunner().invoke(app, ["due", "--within", "60d", "--as-of", D.isoformat(),
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    items = json.loads(result.stdout)["items"]
    subject, people, escalate = EXPECTED[kind]
    found = [i for i in items if i["kind"] == kind and i["subject"]["id"] == subject
             and i["people"] == people]
    assert len(found) == 1, [(i["kind"], i["subject"]["id"], i["people"]) for i in items]
    item = found[0]
    assert item["escalate_to"] == escalate
    assert item["days"] == (dt.date.fromisoformat(item["date"]) - D).days
    assert {"kind", "subject", "date", "days", "people", "escalate_to"} <= item.keys()


def test_due_filters_by_person_and_lateness(sample: Queries) -> None:
    every = sample.due(D, 60).data["items"]
    late = sample.due(D, 60, overdue_only=True).data["items"]
    assert late and all(i["days"] < 0 for i in late) and len(late) < len(every)
    mine = sample.due(D, 60, "P-15").data["items"]
    assert [(i["kind"], i["subject"]["id"]) for i in mine] == [
        ("supplier-reassessment", "SUP-CLOUD"), ("incident-report", "INC-04")]
    assert sample.due(D, 7).data["items"] == [i for i in every if i["days"] <= 7]
    runner = CliRunner()
    markdown = runner.invoke(app, ["due", "--as-of", D.isoformat(), "-f", "markdown"])
    assert markdown.exit_code == 0 and "| date | days | kind |" in markdown.stdout
    unknown = runner.invoke(app, ["due", "--person", "P-999"])
    assert unknown.exit_code == 1 and "no Person with id 'P-999'" in unknown.stderr


def _events(feed: bytes) -> dict[str, Any]:
    from icalendar import Calendar

    calendar = Calendar.from_ical(feed)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_the_calendar_feed_has_an_event_per_deadline_with_stable_uids(
        sample: Queries, tmp_path: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["due", "--within", "60d", "--as-of", D.isoformat(),
                                "-f", "ics"]).stdout_bytes
    items = sample.due(D, 60).data["items"]
    events = _events(first)
    assert len(events) == len(items) == 13
    policy = events["policy-review:Policy:POL-04@deadlines.aimsgraph"]
    assert policy.decoded("dtstart") == dt.date(2026, 9, 30)
    assert "Priya Raman (P-06)" in str(policy["description"])
    # the same deadline moved: the same UID, on its new date
    ingest_bundle(sample.store, write_bundle(tmp_path / "b", {
        "policies.csv": "id,title,review_due\nPOL-04,AI impact assessment procedure,"
                        "2026-12-15\n"}))
    with serving(settings_for(), sample.store) as base:
        import httpx

        answer = httpx.get(f"{base}/calendar.ics", params={"as_of": D.isoformat()},
                           headers={"Authorization": f"Bearer {READER_KEY}"}, timeout=60)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/calendar")
    moved = _events(answer.content)
    assert set(events) <= set(moved)  # a year ahead holds the 60 days and more
    assert moved["policy-review:Policy:POL-04@deadlines.aimsgraph"].decoded("dtstart") == \
        dt.date(2026, 12, 15)


# -- delivery -------------------------------------------------------------------------------
class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content,
                                                      policy=email.policy.default))
        return "250 OK"

    def text(self, index: int) -> str:
        """A message's text as its reader sees it (transfer encoding undone)."""
        return str(self.messages[index].get_content()).replace("\r\n", "\n")


@pytest.fixture
def mailbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Mailbox]:
    """A real SMTP server on loopback (aiosmtpd), with aimsgraph pointed at it."""
    from aiosmtpd.controller import Controller

    box = _Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    for name, value in (("HOST", "127.0.0.1"), ("PORT", str(port)), ("SECURITY", "none"),
                        ("FROM", "aimsgraph@northwind.example")):
        monkeypatch.setenv(f"AIMSGRAPH_SMTP_{name}", value)
    try:
        yield box
    finally:
        controller.stop()


class _Receiver(BaseHTTPRequestHandler):
    bodies: list[dict[str, Any]] = []
    failures = 0

    def do_POST(self) -> None:  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if _Receiver.failures > 0:
            _Receiver.failures -= 1
            self.send_response(503)
        else:
            _Receiver.bodies.append(body)
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def webhook(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[_Receiver]]:
    """A real HTTP server on loopback receiving the webhooks."""
    _Receiver.bodies, _Receiver.failures = [], 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("AIMSGRAPH_WEBHOOK_URL", f"http://127.0.0.1:{server.server_port}/hook")
    try:
        yield _Receiver
    finally:
        server.shutdown()
        server.server_close()


def _remind(day: dt.date) -> tuple[int, list[dict[str, Any]]]:
    result = CliRunner().invoke(app, ["remind", "--within", "60d", "--as-of", day.isoformat(),
                                      "-f", "json"])
    return result.exit_code, json.loads(result.stdout)["deliveries"]


def test_each_digest_is_sent_once_per_stage_by_email(sample: Queries,
                                                     mailbox: _Mailbox) -> None:
    code, first = _remind(D)
    assert code == 0
    sent = [d for d in first if d["outcome"] == "sent"]
    assert sent and len(mailbox.messages) == len(sent)
    to_marco = next(m for m in mailbox.messages if m["To"] == "marco.bianchi@northwind.example")
    body = mailbox.text(mailbox.messages.index(to_marco))
    assert to_marco["Subject"] == "aimsgraph: 2 deadlines, 1 overdue"
    assert "Overdue:\n- 2026-09-01 (87 days late) Supplier SUP-CLOUD" in body
    assert "Later:\n- 2026-12-05 (in 8 days) Incident INC-04" in body
    code, again = _remind(D)  # nothing new: nothing sent
    assert code == 0 and len(mailbox.messages) == len(sent)
    assert {d["outcome"] for d in again} == {"nothing new"}
    code, next_day = _remind(D + dt.timedelta(days=1))  # INC-04 reaches its 7-day stage
    assert code == 0
    assert [(d["person"], d["items"]) for d in next_day if d["outcome"] == "sent"] == [
        ("P-15", 1)]
    assert "This week:\n- 2026-12-05 (in 7 days) Incident INC-04" in mailbox.text(-1)


def test_a_failed_webhook_is_reported_and_sent_on_the_next_run(
        sample: Queries, webhook: type[_Receiver]) -> None:
    webhook.failures = 1  # the receiver is down for the first digest
    code, first = _remind(D)
    assert code == 3
    failed = [d for d in first if d["outcome"] == "failed"]
    assert len(failed) == 1 and "tried again on the next run" in failed[0]["detail"]
    delivered = len(webhook.bodies)
    assert delivered == sum(d["outcome"] == "sent" for d in first)
    code, second = _remind(D)
    assert code == 0
    assert [d["person"] for d in second if d["outcome"] == "sent"] == [failed[0]["person"]]
    body = webhook.bodies[-1]
    assert body["person"]["id"] == failed[0]["person"] and body["items"]
    assert {"kind", "subject", "date", "days", "stage"} <= body["items"][0].keys()


def test_who_cannot_be_reached_is_named_to_the_executive(
        store: GraphStore, tmp_path: Path, mailbox: _Mailbox,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_bundle(store, write_bundle(tmp_path / "b", {
        "people.csv": "id,name,seniority,email\nP-1,Ada Exec,executive,ada@x.example\n"
                      "P-2,Ben Owner,staff,\n",
        "roles.csv": "id,name,reports_to\nR-EXEC,Chief AI Officer,\nR-OWN,Owner,R-EXEC\n",
        "role_assignments.csv": "person,role,since\nP-1,R-EXEC,2020-01-01\n"
                                "P-2,R-OWN,2020-01-01\n",
        "policies.csv": "id,title,status,owner_role,review_due\n"
                        "POL-1,AI policy,approved,R-OWN,2026-12-10\n"}))
    point_cli_at(store, monkeypatch)
    code, deliveries = _remind(D)
    assert code == 0
    assert {(d["person"], d["outcome"]) for d in deliveries} == {("P-1", "sent"),
                                                                 ("P-2", "no address")}
    body = mailbox.text(0)
    assert "POL-1 AI policy: policy review is due (who must act cannot be reached)" in body
    assert "Cannot be reached (no email address):\n- Ben Owner (P-2)" in body


def test_a_slack_webhook_gets_a_text_message(sample: Queries, webhook: type[_Receiver],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIMSGRAPH_WEBHOOK_FORMAT", "slack")
    code, deliveries = _remind(D)
    assert code == 0 and webhook.bodies
    assert all(set(body) == {"text"} for body in webhook.bodies)
    marco = next(b["text"] for b in webhook.bodies if "Marco Bianchi (P-15)" in b["text"])
    assert marco.startswith("*aimsgraph: 2 deadlines, 1 overdue*\nDeadlines for Marco")


def test_a_period_beyond_ten_years_reads_as_ten_years(sample: Queries) -> None:
    from aimsgraph.graph.questions.due import MOST_DAYS_AHEAD, parse_within

    assert parse_within("97542m") == MOST_DAYS_AHEAD == parse_within("3660")
    assert parse_within("6w") == 42 and parse_within("2m") == 60
    assert sample.due(D, parse_within("97542m")).data["items"]
