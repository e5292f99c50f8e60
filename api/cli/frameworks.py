"""``frameworks``: the frameworks the graph holds, with their requirement counts and licences."""

from __future__ import annotations

from typing import Any

from aimsgraph.api.cli.base import FormatOption, app, open_store, queries_for, reported_run
from aimsgraph.api.output import Format, emit


@app.command("frameworks")
def frameworks_command(fmt: FormatOption = Format.table) -> None:
    """List every framework: the built-in ISO/IEC 42001, EU AI Act and NIST AI RMF, and those
    bundles added; each with its requirements, the assessable ones (leaves) and its licence."""
    def action() -> list[dict[str, Any]]:
        with open_store() as store, queries_for(store) as queries:
            return queries.frameworks()
    found = reported_run(action, fmt)
    emit(fmt, {"frameworks": found},
         ["id", "name", "requirements", "assessable", "licence", "built in"],
         [[f["id"], f["name"], f["requirements"], f["assessable"], f["licence"] or "-",
           "yes" if f["built_in"] else "no"] for f in found], "frameworks")
