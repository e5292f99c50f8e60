"""What a report is: a title, the as-of date, sections of rows under named columns, and a JSON
form with the full structure. :mod:`api.render` turns a report into CSV, Markdown or HTML."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Report", "Section"]


@dataclass
class Section:
    """A table in a report."""

    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)


@dataclass
class Report:
    """A report as sections for people and ``data`` for scripts."""

    kind: str
    title: str
    as_of: str
    sections: list[Section]
    data: dict[str, Any]
    #: An optional line chart: ``{"title", "labels": [x...], "series": {name: [y...]}}``,
    #: drawn in HTML as inline SVG (no script).
    chart: dict[str, Any] | None = None
