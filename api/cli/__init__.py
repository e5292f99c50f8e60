"""The ``aimsgraph`` command line (README.md, "Command line"), a module per group of commands.

Adding a command: a function decorated with ``@app.command()`` in the module of its group (or
a new module imported below), its name in :data:`COMMANDS`, and a test in ``tests/test_cli*.py``.
Start-up time matters here (``aimsgraph --help`` answers in about 0.1 s): commands import
what they need when they run.
"""

from __future__ import annotations

from typer.models import CommandInfo

from aimsgraph.api.cli import (
    documents,
    frameworks,
    gaps,
    impact,
    ingestion,
    jobs,
    operations,
    reminders,
    traces,
)
from aimsgraph.api.cli.base import app

__all__ = ["COMMANDS", "app", "main"]

#: The commands in the order ``--help`` lists them: the order a new user meets them.
COMMANDS = ("ingest", "docs", "stats", "runs", "gaps", "trace", "impact", "show", "search",
            "frameworks",
            "report", "due", "remind", "diff", "visualise", "export", "doctor", "serve", "demo")
# each registers its commands
_MODULES = (documents, frameworks, gaps, impact, ingestion, jobs, operations, reminders, traces)


def _name(command: CommandInfo) -> str:
    return command.name or getattr(command.callback, "__name__", "").replace("_", "-")


app.registered_commands.sort(key=lambda command: COMMANDS.index(_name(command)))


def main() -> None:
    """The entry point of the ``aimsgraph`` script."""
    app()
