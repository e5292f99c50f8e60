"""Rows of one bundle table as validation reads them: issues and warnings named by file, row
and column, typed cells, references and the columns a row may carry beyond the ontology's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from aimsgraph.ingest.draft import Draft, Ref
from aimsgraph.ingest.tables import Row, Table
from aimsgraph.ontology import ONTOLOGY, BundleIssue, Property
from aimsgraph.ontology.values import clean_id, parse_value, quote_cell, split_list

__all__ = ["RESERVED_COLUMNS", "TEXT", "Rows"]

#: Columns a bundle cannot import as properties: the id and the provenance the store keeps.
#: How a column the ontology does not declare is read: as text.
TEXT = Property("extra", "An extra column kept as text.")
RESERVED_COLUMNS = frozenset({"id", *(p.name for p in ONTOLOGY.provenance), "labels"})


class Rows:
    """Helpers bound to one table: issue recording and typed cell access."""

    def __init__(self, table: Table, draft: Draft) -> None:
        self.table = table
        self.draft = draft

    def issue(self, row: Row | None, column: str, message: str) -> None:
        loc = row.loc if row is not None else self.table.header_loc
        self.draft.issues.append(BundleIssue(self.table.file, loc, column, message))

    def warn(self, row: Row, column: str, message: str) -> None:
        """Something kept as written but worth a look (it never rejects the bundle)."""
        self.draft.warnings.append(BundleIssue(self.table.file, row.loc, column, message))

    def source(self, row: Row) -> str:
        return f"{self.table.file}:{row.loc}" if row.loc else self.table.file

    def require_columns(self, names: Iterable[str]) -> set[str]:
        """Report required columns missing from a tabular header; returns the missing ones."""
        missing = {n for n in names if n not in self.table.columns}
        if self.table.header_loc:
            for name in sorted(missing):
                self.issue(None, name, f"required column '{name}' is missing")
            return missing
        return set()

    def value(self, row: Row, column: str, prop: Property, required: bool = False) -> Any:
        """The typed value of ``column``; records an issue and returns None when it is bad."""
        cell = row.cells.get(column)
        if cell is None:  # an empty cell: no value, of any type
            if required:
                self.issue(row, column, f"{column} is required")
            return None
        try:
            value = parse_value(prop, cell)
        except ValueError as exc:
            self.issue(row, column, f"{column} {exc}")
            return None
        if value is None and required:
            self.issue(row, column, f"{column} is required")
        if isinstance(value, str) and prop.vocabulary:
            normal = prop.recognise(value)
            if normal is None:
                known = ", ".join(n for n, _ in prop.vocabulary)
                self.warn(row, column, f"{column} {quote_cell(value)} is not recognised and is "
                                       f"kept as written (recognised: {known})")
            else:
                value = normal
        return value

    def node_id(self, row: Row, required: bool) -> str | None:
        """The row's ``id``, cleaned (:func:`clean_id`); records an issue when it is bad."""
        raw = self.value(row, "id", TEXT, required=required)
        if raw is None:
            return None
        try:
            return clean_id(raw)
        except ValueError as exc:
            self.issue(row, "id", f"id {exc}")
            return None

    def refs(self, row: Row, column: str, targets: tuple[str, ...], many: bool,
             required: bool = False) -> list[Ref]:
        """The references written in ``column`` (one unless ``many``), each id cleaned."""
        items = split_list(row.cells.get(column))
        if not items and required:
            self.issue(row, column, f"{column} is required")
        if len(items) > 1 and not many:
            self.issue(row, column, f"{column} takes a single reference, not a list")
            return []
        refs = []
        for item in items:
            try:
                refs.append(Ref(clean_id(item), targets, self.table.file, row.loc, column))
            except ValueError as exc:
                self.issue(row, column, f"{column} {quote_cell(item)} {exc}")
        return refs

    def check_ranges(self, row: Row, values: dict[str, Any],
                     ranges: tuple[tuple[str, str], ...]) -> None:
        for start, end in ranges:
            first, last = values.get(start), values.get(end)
            if isinstance(first, dt.date) and isinstance(last, dt.date) and last < first:
                self.issue(row, end, f"{end} {last.isoformat()} is before "
                                     f"{start} {first.isoformat()}")

    def extras(self, row: Row, known: set[str]) -> dict[str, Any]:
        """Columns the mapping does not know, kept as text properties (lists joined by ';')."""
        kept: dict[str, Any] = {}
        if not row.cells.keys() - known:  # nearly every row: only the file's own columns
            return kept
        for column, cell in row.cells.items():
            if column in known or column in RESERVED_COLUMNS or cell is None:
                continue
            text = ";".join(cell) if isinstance(cell, list) else cell.strip()
            if text:
                kept[column] = text
        return kept
