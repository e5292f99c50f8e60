"""Reminders: the open deadlines as a digest per person, sent by email and by webhook, each
reminder sent once per stage (kept in the store)."""

from aimsgraph.api.notify.delivery import Outcome, send_reminders

__all__ = ["Outcome", "send_reminders"]
