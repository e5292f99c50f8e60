"""Sending digests: by email over SMTP and by webhook, each reminder once.

A digest goes out with the entries not yet sent by that channel (a reminder key per item,
stage, person and channel, kept in the store); only once a send succeeds are its reminders
recorded, so a send that fails is tried again on the next run and reported meanwhile, never
lost silently. Email needs the person's address; a webhook takes every digest (its receiver
routes it), as JSON or, for Slack and Teams, as a text message.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import httpx

from aimsgraph.api.notify.digest import Digest, digests
from aimsgraph.api.settings import Settings
from aimsgraph.graph.questions.due import DueItem
from aimsgraph.graph.store.interface import GraphStore
from aimsgraph.ontology import ConfigError

__all__ = ["Outcome", "send_reminders"]

#: Seconds an SMTP server or a webhook receiver is given to answer.
TIMEOUT = 20.0


@dataclass(frozen=True)
class Outcome:
    """What happened to one digest on one channel."""

    person: dict[str, Any]
    channel: str
    items: int
    outcome: str  # sent, would send, nothing new, no address, failed
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"person": self.person["id"], "name": self.person["name"],
                "channel": self.channel, "items": self.items, "outcome": self.outcome,
                "detail": self.detail}


def _channels(settings: Settings) -> list[str]:
    channels = [c for c, on in (("email", settings.smtp_host), ("webhook", settings.webhook_url))
                if on]
    if not channels:
        raise ConfigError("no way to send reminders is configured: set AIMSGRAPH_SMTP_HOST "
                          "(with AIMSGRAPH_SMTP_FROM) or AIMSGRAPH_WEBHOOK_URL")
    if settings.smtp_host and not settings.smtp_from:
        raise ConfigError("AIMSGRAPH_SMTP_FROM (the sender address) is needed with "
                          "AIMSGRAPH_SMTP_HOST")
    return channels


def send_reminders(store: GraphStore, items: list[DueItem], settings: Settings,
                   as_of: dt.date, dry_run: bool = False) -> list[Outcome]:
    """Send each person's digest of what is new to them by every configured channel."""
    channels = _channels(settings)
    outcomes = []
    for digest in digests(items):
        for channel in channels:
            outcomes.append(_deliver(store, digest, channel, settings, as_of, dry_run))
    return outcomes


def _deliver(store: GraphStore, digest: Digest, channel: str, settings: Settings,
             as_of: dt.date, dry_run: bool) -> Outcome:
    person = digest.person
    if channel == "email" and not person.get("email"):
        return Outcome(person, channel, len(digest.entries), "no address",
                       "no email address: named to the executives as cannot be reached")
    keys = {e.reminder_key(person["id"], channel): e for e in digest.entries}
    sent = store.sent_reminders(keys)
    new = [e for k, e in keys.items() if k not in sent]
    if not new:
        return Outcome(person, channel, 0, "nothing new")
    fresh = Digest(person, new, digest.unreachable)
    if dry_run:
        return Outcome(person, channel, len(new), "would send", fresh.subject())
    try:
        if channel == "email":
            _email(fresh, settings)
        else:
            _webhook(fresh, settings, as_of)
    except (OSError, smtplib.SMTPException, httpx.HTTPError, ValueError) as exc:
        return Outcome(person, channel, len(new), "failed",
                       f"{type(exc).__name__}: {exc}; it is tried again on the next run")
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    store.record_reminders([k for k, e in keys.items() if e in new], stamp)
    return Outcome(person, channel, len(new), "sent", fresh.subject())


def _email(digest: Digest, settings: Settings) -> None:
    message = EmailMessage()
    message["From"] = settings.smtp_from or ""
    message["To"] = str(digest.person["email"])
    message["Subject"] = digest.subject()
    message.set_content(digest.text())
    host = settings.smtp_host or ""
    security = settings.smtp_security
    port = settings.smtp_port or {"tls": 465, "starttls": 587}.get(security, 25)
    context = ssl.create_default_context()
    client: smtplib.SMTP = (smtplib.SMTP_SSL(host, port, timeout=TIMEOUT, context=context)
                            if security == "tls" else smtplib.SMTP(host, port, timeout=TIMEOUT))
    with client:
        if security == "starttls":
            client.starttls(context=context)
        if settings.smtp_user:
            client.login(settings.smtp_user, settings.smtp_password or "")
        client.send_message(message)


def _webhook(digest: Digest, settings: Settings, as_of: dt.date) -> None:
    if settings.webhook_format == "json":
        body: dict[str, Any] = {"as_of": as_of.isoformat(), **digest.to_json()}
    else:  # Slack's incoming webhooks and Teams' both take a text field
        body = {"text": f"*{digest.subject()}*\n{digest.text()}"}
    response = httpx.post(settings.webhook_url or "", json=body, timeout=TIMEOUT)
    response.raise_for_status()


