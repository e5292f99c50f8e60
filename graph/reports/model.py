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
    #: Which recorded state the report answers on (a run and when it ended), when it is not
    #: the graph as it is now; every format's header says it, and the JSON as ``recorded``.
    recorded: str | None = None
    #: How fresh the graph is: each source's last success (graph.store.runs.freshness);
    #: the header sentence says it, and the JSON as ``sources``.
    sources: list[dict[str, Any]] | None = None

    def __post_init__(self) -> None:
        if self.recorded is not None:
            self.data["recorded"] = self.recorded
        if self.sources is not None:
            self.data["sources"] = self.sources

    @property
    def header(self) -> str:
        """``as of D`` and, when it answers on a recorded state, which."""
        return f"as of {self.as_of}" + (f"; recorded: {self.recorded}" if self.recorded else "")

    @property
    def header_sentence(self) -> str:
        """:attr:`header` as a sentence of its own, then how fresh each source is."""
        return f"As of {self.as_of}" + (f"; recorded: {self.recorded}." if self.recorded
                                        else ".") + self._freshness()

    def _freshness(self) -> str:
        if not self.sources:
            return ""
        shown = [f"{s['source']} " + (
            f"last succeeded {s['last_success'][:16].replace('T', ' ')}"
            if s["last_success"] else "never succeeded") for s in self.sources[:4]]
        more = len(self.sources) - len(shown)
        return " Sources: " + "; ".join(shown) + (f"; and {more} more" if more else "") + "."
