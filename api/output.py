"""Printing results as a table (for people), JSON or CSV (for scripts)."""

from __future__ import annotations

import csv
import enum
import io
import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table

__all__ = ["Format", "emit", "stderr_console", "to_json"]


class Format(enum.StrEnum):
    """Output formats every printing command accepts."""

    table = "table"
    json = "json"
    csv = "csv"


def stderr_console() -> Console:
    return Console(stderr=True)


def to_json(data: Any) -> str:
    """JSON text with dates as ISO strings and keys in a stable order."""
    return json.dumps(data, indent=2, sort_keys=False, default=_default)


def _default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def emit(fmt: Format, data: Any, header: Sequence[str], rows: Sequence[Sequence[Any]],
         title: str = "") -> None:
    """Print ``data`` as JSON, or ``rows`` under ``header`` as a table or CSV."""
    if fmt is Format.json:
        sys.stdout.write(to_json(data) + "\n")
    elif fmt is Format.csv:
        sys.stdout.write(_csv(header, rows))
    else:
        table = Table(title=title or None, title_justify="left")
        for index, name in enumerate(header):
            table.add_column(name, justify="right" if index and _numeric(rows, index) else "left")
        for row in rows:
            table.add_row(*(str(v) for v in row))
        Console().print(table)


def _numeric(rows: Sequence[Sequence[Any]], index: int) -> bool:
    return bool(rows) and all(isinstance(r[index], int) for r in rows)
