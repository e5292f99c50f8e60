"""Reading one bundle file by its format: CSV as it streams, JSON and YAML as documents,
each into a :class:`~ingest.tables.Table` with a locator per row; problems become issues."""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections.abc import Iterable, Iterator
from typing import IO, Any

import yaml

from aimsgraph.ingest.library import is_library, library_tables
from aimsgraph.ingest.limits import Budget, LimitExceeded, ReadLimits
from aimsgraph.ingest.tables import Bundle, Row, Table
from aimsgraph.ingest.text_checks import (
    BoundedYamlLoader,
    LineTooLong,
    Undecodable,
    bounded_lines,
    cell_problem,
    csv_problem,
    decode_utf8,
    guess_delimiter,
    nesting_depth,
    no_constant,
    norm_column,
    to_cell,
)
from aimsgraph.ontology import BundleIssue
from aimsgraph.ontology.values import Cell

__all__ = ["FormatReader"]


#: The mapping set slots of an SSSOM metadata block that every row of the set takes.
SSSOM_SET_SLOTS = ("mapping_set_id", "license")


def _with_metadata(table: Table, metadata: dict[str, Any]) -> Table:
    """``table`` with the mapping set slots of ``metadata`` filled into every row that does
    not give its own."""
    for slot in SSSOM_SET_SLOTS:
        value = metadata.get(slot)
        if value is None or str(value).strip() == "":
            continue
        if slot not in table.columns:
            table.columns.append(slot)
        for row in table.rows:
            if row.cells.get(slot) is None:
                row.cells[slot] = str(value)
    return table


#: Excel's first line naming a CSV file's delimiter (``sep=;``).
_EXCEL_SEPARATOR = re.compile(r"^sep=(.)\r?\n?$")
#: The line that makes a YAML file a CISO Assistant library: ``objects:`` at the top level.
_LIBRARY_KEY = re.compile(r"^objects[ \t]*:", re.MULTILINE)


class FormatReader:
    """Reads one file of a bundle by its format (CSV, JSON, YAML): the limits, the byte budget
    and the issues found so far."""

    def __init__(self, bundle: Bundle, limits: ReadLimits) -> None:
        self.bundle = bundle
        self.limits = limits
        self.budget = Budget(limits)

    def issue(self, file: str, message: str, row: str = "", column: str = "") -> None:
        self.bundle.issues.append(BundleIssue(file, row, column, message))

    # -- CSV -------------------------------------------------------------------------------
    def _csv(self, display: str, stem: str, stream: IO[bytes],
             compressed: int | None, sssom: bool = False) -> Table | None:
        """A CSV file; ``sssom``: an SSSOM mapping set, its leading ``#`` lines a YAML
        metadata block whose mapping set id and licence every row takes unless it says its
        own (rows are numbered by the file's lines)."""
        limits = self.limits
        csv.field_size_limit(limits.max_cell_chars)
        lines = bounded_lines(decode_utf8(self.budget.chunks(stream, None, compressed)),
                       limits.max_line_chars)
        position = [0]  # the spreadsheet row last read (the header is row 1)
        reader: Iterator[list[str]] = iter(())

        def numbered() -> Iterator[tuple[int, list[str]]]:
            for values in reader:
                position[0] += 1
                if position[0] - 1 > limits.max_rows:
                    raise LimitExceeded(f"holds more than {limits.max_rows} rows; that is the "
                                        "most one file may hold (AIMSGRAPH_MAX_ROWS)")
                yield position[0], values

        try:
            first = next(lines, None)
            metadata: dict[str, Any] = {}
            if sssom:
                block = []
                while first is not None and first.startswith("#"):
                    block.append(first[1:])
                    first = next(lines, None)
                found = self._sssom_metadata(display, "".join(block))
                if found is None:
                    return None
                metadata, position[0] = found, len(block)
            if first is None:
                return Table(stem, display, [], [])
            delimiter = None
            hint = _EXCEL_SEPARATOR.match(first)
            if hint:  # Excel's "sep=;" line names the delimiter; the header follows it
                delimiter, first, position[0] = hint.group(1), next(lines, None), 1
                if first is None:
                    return Table(stem, display, [], [])
            reader = csv.reader(itertools.chain([first], lines),
                                delimiter=delimiter or guess_delimiter(first), strict=True)
            header = next(reader, None)
            if header is None:
                return Table(stem, display, [], [])
            position[0] += 1
            table = self._tabular(display, stem, header, numbered(), texts=True)
            return _with_metadata(table, metadata) if table is not None and metadata else table
        except csv.Error as exc:
            row = str(position[0] + 1)
            text = str(exc)
            if "unexpected end of data" in text:
                self.issue(display, "a quoted value opened on this row is never closed", row)
            elif "field larger than field limit" in text:
                self.issue(display, f"a cell is longer than {limits.max_cell_chars} characters",
                           row)
            else:
                self.issue(display, f"not readable as CSV: {csv_problem(text)}", row)
        except Undecodable as exc:
            self.issue(display, f"not UTF-8 text (byte {exc.offset})")
        except LineTooLong:
            self.issue(display, f"a line is longer than {limits.max_line_chars} characters",
                       str(position[0] + 1))
        return None

    def _sssom_metadata(self, display: str, text: str) -> dict[str, Any] | None:
        """The metadata block of an SSSOM file (YAML; empty when there is none), or None with
        an issue when it is not a YAML mapping."""
        if not text.strip():
            return {}
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            self.issue(display, "the SSSOM metadata block (the lines starting with '#') is "
                                "not YAML", str(mark.line + 1) if mark else "")
            return None
        if not isinstance(data, dict):
            self.issue(display, "the SSSOM metadata block (the lines starting with '#') is "
                                "not a YAML mapping of keys to values", "1")
            return None
        return data

    def _tabular(self, file: str, stem: str, header: list[Any],
                 records: Iterable[tuple[int, list[Any]]], texts: bool = False
                 ) -> Table | None:
        """A table from a header row and numbered value rows (CSV and worksheets);
        ``texts``: every value is text (CSV), so a row of ASCII text no longer than a cell
        may be, with no more values than headers, is taken as it is in one step (nearly
        every row; a row that is not is read value by value, as a worksheet's are)."""
        limits = self.limits
        if len(header) > limits.max_columns:
            self.issue(file, f"has {len(header)} columns; at most {limits.max_columns} are "
                             "accepted", "1")
            return None
        columns = [norm_column(h) if h is not None else "" for h in header]
        seen: set[str] = set()
        for name in columns:
            if name and name in seen:
                self.issue(file, f"column '{name}' appears twice", "1", name)
                return None
            seen.add(name)
        rows = []
        quick = texts and "" not in columns
        width, longest = len(columns), limits.max_cell_chars
        for number, values in records:
            if len(values) > limits.max_columns:
                self.issue(file, f"has {len(values)} values; at most {limits.max_columns} "
                                 "columns are accepted", str(number))
                return None
            if quick and len(values) <= width:
                joined = "".join(values)
                # to_cell and cell_problem would change nothing; a short row's last
                # columns are left out, as below
                if joined.isascii() and len(joined) <= longest:
                    if joined.strip():
                        rows.append(Row(str(number), {
                            column: value if value.strip() else None
                            for column, value in zip(columns, values, strict=False)}))
                    continue
            cells: dict[str, Cell] = {}
            for index, value in enumerate(values):
                column = columns[index] if index < len(columns) else ""
                normalised = to_cell(value)
                if normalised is None:
                    if column:
                        cells[column] = None
                    continue
                if not column:
                    self.issue(file, "a value stands in a column with no header", str(number))
                    continue
                problem = cell_problem(normalised, "cell", limits.max_cell_chars)
                if problem:
                    self.issue(file, problem, str(number), column)
                    continue
                cells[column] = normalised
            if any(v is not None for v in cells.values()):
                rows.append(Row(str(number), cells))
        return Table(stem, file, [c for c in columns if c], rows)

    # -- YAML and JSON ---------------------------------------------------------------------
    def _document(self, display: str, stem: str, suffix: str, raw: bytes) -> Table | None:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self.issue(display, f"not UTF-8 text (byte {exc.start})")
            return None
        del raw
        if suffix == ".json":
            return self._json(display, stem, text)
        return self._yaml(display, stem, text)

    def _json(self, display: str, stem: str, text: str) -> Table | None:
        try:
            data = json.loads(text, parse_int=str, parse_constant=no_constant) \
                if text.strip() else None
        except json.JSONDecodeError as exc:
            self.issue(display, f"not readable as JSON: {exc.msg}", f"line {exc.lineno}")
            return None
        except RecursionError:
            self.issue(display, "not readable as JSON: nested more deeply than a bundle can be")
            return None
        except ValueError as exc:
            self.issue(display, f"not readable as JSON: {exc}")
            return None
        if nesting_depth(data, self.limits.max_nesting) > self.limits.max_nesting:
            self.issue(display, f"nested more than {self.limits.max_nesting} levels deep")
            return None
        count = len(data) if isinstance(data, list) else 0
        return self._records(display, stem, data, [f"record {i}" for i in range(1, count + 1)])

    def _parse_yaml(self, display: str, text: str) -> tuple[yaml.Node | None, Any] | None:
        """A YAML document's node tree (for line numbers) and data, every scalar as text;
        None after an issue when it cannot be read."""
        loader = BoundedYamlLoader(text, self.limits)
        try:
            node = loader.get_single_node()
            return node, loader.construct_document(node) if node is not None else None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            loc = f"line {mark.line + 1}" if mark is not None else ""
            self.issue(display, f"not readable as YAML: "
                                f"{getattr(exc, 'problem', None) or exc}", loc)
        except LimitExceeded as exc:
            self.issue(display, f"not read: {exc.message}")
        except RecursionError:
            self.issue(display, "not readable as YAML: nested more deeply than a bundle can be")
        finally:
            loader.dispose()
        return None

    def _library(self, display: str, raw: bytes) -> list[Table] | None:
        """The tables of a CISO Assistant library file; None when the file is not one (or
        is not YAML at all: it is then skipped like any file that is no bundle file)."""
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
        if not _LIBRARY_KEY.search(text):
            return None
        parsed = self._parse_yaml(display, text)
        if parsed is None:
            return []  # a library that cannot be read: the issue says why
        node, data = parsed
        if not is_library(data):
            return None

        def issue(message: str, row: str, column: str) -> None:
            self.issue(display, message, row, column)

        return library_tables(display, data, node, issue)

    def _yaml(self, display: str, stem: str, text: str) -> Table | None:
        parsed = self._parse_yaml(display, text)
        if parsed is None:
            return None
        node, data = parsed
        locs: list[str] = []
        if isinstance(node, yaml.SequenceNode):
            locs = [f"line {item.start_mark.line + 1}" for item in node.value]
        return self._records(display, stem, data, locs or [""] * len(data or []))

    def _records(self, file: str, stem: str, data: Any, locs: list[str]) -> Table | None:
        if data is None:
            return Table(stem, file, [], [], "")
        if not isinstance(data, list):
            self.issue(file, "must hold a list of records")
            return None
        if len(data) > self.limits.max_rows:
            self.issue(file, f"holds more than {self.limits.max_rows} records; that is the most "
                             "one file may hold (AIMSGRAPH_MAX_ROWS)")
            return None
        columns: dict[str, None] = {}
        rows = []
        for index, (record, loc) in enumerate(zip(data, locs, strict=True), 1):
            if not isinstance(record, dict):
                self.issue(file, f"record {index} is not a mapping", loc)
                continue
            cells: dict[str, Cell] = {}
            for key, value in record.items():
                column = norm_column(key)
                if not column:
                    self.issue(file, f"the key '{key}' names no column", loc)
                    continue
                if isinstance(value, dict) or (isinstance(value, list)
                                               and any(isinstance(v, dict | list) for v in value)):
                    self.issue(file, f"{column} holds a nested structure, not a value", loc,
                               column)
                    continue
                normalised = to_cell(value)
                problem = cell_problem(normalised, "value", self.limits.max_cell_chars)
                if problem:
                    self.issue(file, problem, loc, column)
                    continue
                columns.setdefault(column)
                cells[column] = normalised
            if len(columns) > self.limits.max_columns:
                self.issue(file, f"has more than {self.limits.max_columns} columns")
                return None
            rows.append(Row(loc, cells))
        return Table(stem, file, list(columns), rows, "")
