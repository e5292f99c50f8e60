"""Readers: a bundle (folder, .zip, .xlsx, one file, or an uploaded stream) to tables of text.

Every reader yields :class:`Table` objects whose rows carry the locator a person would use to
find the row (``14`` for a spreadsheet row, ``line 7`` in YAML, ``record 3`` in JSON) and cells
normalised to text, a list of text, or None for "not given". Problems reading a file become
:class:`BundleIssue` entries so that one run reports all of them; nothing here raises for a bad
bundle, whatever the parsers underneath raise.

Why it reads the way it does (each answers a way a hostile file exhausted memory or crashed):

- Bytes are counted while they are decompressed (:class:`ingest.limits.Budget`), per file and
  for the bundle, never taken from zip headers. CSV is parsed as it streams, line by line,
  with a bound on the line, the cell, the row count and the column count.
- CSV is strict: a quote that is never closed is an error naming the row where it opened,
  instead of silently swallowing the rest of the file into one cell.
- YAML is read with PyYAML's base loader: every scalar stays text until the ontology types it,
  so ``010`` stays ``010`` and ``NO`` stays ``NO`` (YAML 1.1 implicit typing would make them
  8 and false), and an impossible date is reported by validation, not raised by the parser.
  Aliases and nesting depth are bounded. JSON integers stay text as well.
- Workbooks are scanned before openpyxl sees them: every part's real size is counted, and a
  part that declares a DTD (the door to entity expansion) is refused.
- Zip members are read in memory, never extracted, so member names cannot escape a folder;
  folder bundles do not follow links that lead out of the folder.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import itertools
import json
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

import yaml

from aimsgraph.ingest.limits import Budget, LimitExceeded, ReadLimits
from aimsgraph.ingest.mapping import FILE_STEMS
from aimsgraph.ingest.sheet import CellError, sheet_rows
from aimsgraph.ontology import BundleIssue, IssueLog, did_you_mean
from aimsgraph.ontology.values import Cell, ill_formed

__all__ = ["Bundle", "ReadLimits", "Row", "Table", "UploadedBundle", "printable", "read_bundle"]

DATA_SUFFIXES = (".csv", ".yaml", ".yml", ".json")
#: What reading a damaged or hostile archive raises, from zipfile and zlib underneath.
_ARCHIVE_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError,
                   NotImplementedError, ValueError)
_COMPRESSIONS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_DTD_MARKERS = (b"<!doctype", b"<!entity")


@dataclass(frozen=True, slots=True)
class Row:
    """One record: where it is (``loc``) and its cells by lower-cased column name."""

    loc: str
    cells: dict[str, Cell]


@dataclass
class Table:
    """The rows of one bundle file; ``header_loc`` locates the header ('1' or '')."""

    stem: str
    file: str
    columns: list[str]
    rows: list[Row]
    header_loc: str = "1"


@dataclass
class Bundle:
    """What a bundle holds: its tables and the problems met while reading it."""

    name: str
    tables: list[Table] = field(default_factory=list)
    issues: list[BundleIssue] = field(default_factory=IssueLog)
    #: What was skipped but may be a mistake (a file or sheet that is not a bundle file).
    warnings: list[BundleIssue] = field(default_factory=IssueLog)


@dataclass(frozen=True)
class UploadedBundle:
    """A bundle that arrived as a stream (an HTTP upload): its file name and its bytes.

    Read straight from ``file`` (an anonymous temporary file, say), so nothing named is left
    on disk if the process dies.
    """

    name: str
    file: IO[bytes]


class _Reader:
    """Reads one bundle: the limits, the byte budget and the issues found so far."""

    def __init__(self, bundle: Bundle, limits: ReadLimits) -> None:
        self.bundle = bundle
        self.limits = limits
        self.budget = Budget(limits)
        self.seen: dict[str, str] = {}

    def issue(self, file: str, message: str, row: str = "", column: str = "") -> None:
        self.bundle.issues.append(BundleIssue(file, row, column, message))

    def skip(self, file: str, what: str, stem: str) -> None:
        """A file or sheet that is not a bundle file: skipped, with a warning that suggests
        the bundle file it may have meant."""
        self.bundle.warnings.append(BundleIssue(file, "", "", (
            f"{what} is not a bundle file and was skipped{did_you_mean(stem, FILE_STEMS)}; "
            f"bundle files: {', '.join(FILE_STEMS)}")))

    # -- one member ------------------------------------------------------------------------
    def member(self, display: str, name: str, open_stream: Callable[[], IO[bytes]],
               compressed: int | None = None) -> None:
        """Read the member ``display`` if its ``name`` is a bundle file (``compressed``: its
        size in the archive, for a zip member)."""
        found = _stem_of(name)
        if found is None:
            return
        stem, suffix = found
        if stem not in FILE_STEMS:
            self.skip(display, f"'{stem}'", stem)
            return
        if stem in self.seen:
            self.issue(display, f"'{stem}' is already given by {self.seen[stem]}")
            return
        self.seen[stem] = display
        if self.budget.exhausted():
            return
        try:
            with open_stream() as stream:
                if suffix == ".csv":
                    table = self._csv(display, stem, stream, compressed)
                else:
                    raw = self.budget.read_all(stream, self.limits.max_document_bytes,
                                               compressed)
                    table = self._document(display, stem, suffix, raw)
        except LimitExceeded as exc:
            self.issue(display, f"the file {exc.message}")
            return
        except _ARCHIVE_ERRORS as exc:
            self.issue(display, f"cannot be read: {_plain(exc)}")
            return
        if table is not None:
            self.bundle.tables.append(table)

    # -- CSV -------------------------------------------------------------------------------
    def _csv(self, display: str, stem: str, stream: IO[bytes],
             compressed: int | None) -> Table | None:
        limits = self.limits
        csv.field_size_limit(limits.max_cell_chars)
        lines = _lines(_decoded(self.budget.chunks(stream, None, compressed)),
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
            if first is None:
                return Table(stem, display, [], [])
            reader = csv.reader(itertools.chain([first], lines), delimiter=_delimiter(first),
                                strict=True)
            header = next(reader, None)
            if header is None:
                return Table(stem, display, [], [])
            position[0] = 1
            return self._tabular(display, stem, header, numbered())
        except csv.Error as exc:
            row = str(position[0] + 1)
            text = str(exc)
            if "unexpected end of data" in text:
                self.issue(display, "a quoted value opened on this row is never closed", row)
            elif "field larger than field limit" in text:
                self.issue(display, f"a cell is longer than {limits.max_cell_chars} characters",
                           row)
            else:
                self.issue(display, f"not readable as CSV: {_csv_problem(text)}", row)
        except _Undecodable as exc:
            self.issue(display, f"not UTF-8 text (byte {exc.offset})")
        except _LineTooLong:
            self.issue(display, f"a line is longer than {limits.max_line_chars} characters",
                       str(position[0] + 1))
        return None

    def _tabular(self, file: str, stem: str, header: list[Any],
                 records: Iterable[tuple[int, list[Any]]]) -> Table | None:
        """A table from a header row and numbered value rows (CSV and worksheets)."""
        limits = self.limits
        if len(header) > limits.max_columns:
            self.issue(file, f"has {len(header)} columns; at most {limits.max_columns} are "
                             "accepted", "1")
            return None
        columns = [_norm_column(h) if h is not None else "" for h in header]
        seen: set[str] = set()
        for name in columns:
            if name and name in seen:
                self.issue(file, f"column '{name}' appears twice", "1", name)
                return None
            seen.add(name)
        rows = []
        for number, values in records:
            if len(values) > limits.max_columns:
                self.issue(file, f"has {len(values)} values; at most {limits.max_columns} "
                                 "columns are accepted", str(number))
                return None
            cells: dict[str, Cell] = {}
            for index, value in enumerate(values):
                column = columns[index] if index < len(columns) else ""
                normalised = _cell(value)
                if normalised is None:
                    if column:
                        cells[column] = None
                    continue
                if not column:
                    self.issue(file, "a value stands in a column with no header", str(number))
                    continue
                problem = _cell_problem(normalised, "cell", limits.max_cell_chars)
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
            data = json.loads(text, parse_int=str, parse_constant=_no_constant) \
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
        if _depth(data, self.limits.max_nesting) > self.limits.max_nesting:
            self.issue(display, f"nested more than {self.limits.max_nesting} levels deep")
            return None
        count = len(data) if isinstance(data, list) else 0
        return self._records(display, stem, data, [f"record {i}" for i in range(1, count + 1)])

    def _yaml(self, display: str, stem: str, text: str) -> Table | None:
        loader = _YamlLoader(text, self.limits)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            loc = f"line {mark.line + 1}" if mark is not None else ""
            self.issue(display, f"not readable as YAML: "
                                f"{getattr(exc, 'problem', None) or exc}", loc)
            return None
        except LimitExceeded as exc:
            self.issue(display, f"not read: {exc.message}")
            return None
        except RecursionError:
            self.issue(display, "not readable as YAML: nested more deeply than a bundle can be")
            return None
        finally:
            loader.dispose()
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
                column = _norm_column(key)
                if not column:
                    self.issue(file, f"the key '{key}' names no column", loc)
                    continue
                if isinstance(value, dict) or (isinstance(value, list)
                                               and any(isinstance(v, dict | list) for v in value)):
                    self.issue(file, f"{column} holds a nested structure, not a value", loc,
                               column)
                    continue
                normalised = _cell(value)
                problem = _cell_problem(normalised, "value", self.limits.max_cell_chars)
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

    # -- containers ------------------------------------------------------------------------
    def folder(self, path: Path) -> None:
        root = path.resolve()
        for folder, dirs, files in os.walk(path, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                file = Path(folder) / name
                relative = printable(file.relative_to(path).as_posix(), 240)
                if name.startswith(".") or _stem_of(name) is None:
                    continue
                if file.is_symlink() and not file.resolve().is_relative_to(root):
                    self.issue(relative, "is a link to a file outside the bundle folder; "
                                         "it is not read")
                    continue
                self.member(relative, name, lambda file=file: _open_regular(file))  # type: ignore[misc]

    def zip(self, display: str, source: Path | IO[bytes]) -> None:
        try:
            archive = zipfile.ZipFile(source)
        except (*_ARCHIVE_ERRORS, zipfile.LargeZipFile) as exc:
            self.issue(display, f"not a readable zip archive: {_plain(exc)}")
            return
        with archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            if len(members) > self.limits.max_members:
                self.issue(display, f"holds {len(members)} files; at most "
                                    f"{self.limits.max_members} are accepted "
                                    "(AIMSGRAPH_MAX_BUNDLE_FILES)")
                return
            for member in sorted(members, key=lambda m: m.filename):
                name = PurePosixPath(member.filename)
                shown = f"{display}/{printable(member.filename)}"
                if name.is_absolute() or ".." in name.parts or "\\" in member.filename:
                    self.issue(display, f"member '{printable(member.filename)}' has an "
                                        "unsafe path")
                    continue
                if any(part.startswith((".", "__MACOSX")) for part in name.parts):
                    continue
                if _stem_of(name.name) is None:
                    continue
                problem = _unreadable_member(member)
                if problem:
                    self.issue(shown, problem)
                    continue
                self.member(shown, name.name,
                            lambda member=member: archive.open(member),  # type: ignore[misc]
                            _compressed_size(member, source))

    def workbook(self, display: str, source: Path | IO[bytes]) -> None:
        if not self._scan_workbook(display, source):
            return
        import openpyxl  # only a workbook in the bundle needs it (0.1 s to load)

        if not isinstance(source, Path):
            source.seek(0)
        try:
            book = openpyxl.load_workbook(source, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many unrelated types for a damaged file
            self.issue(display, f"not a readable workbook: {_plain(exc)}")
            return
        try:
            self._sheets(display, book)
        finally:
            book.close()

    def _sheets(self, display: str, book: Any) -> None:
        seen: set[str] = set()
        if len(book.worksheets) > self.limits.max_members:
            self.issue(display, f"holds {len(book.worksheets)} sheets; at most "
                                f"{self.limits.max_members} are accepted")
            return
        for sheet in book.worksheets:
            stem = sheet.title.strip().lower()
            shown = f"{display}[{printable(sheet.title)}]"
            if stem not in FILE_STEMS:
                self.skip(shown, f"sheet '{printable(sheet.title)}'", stem)
                continue
            if stem in seen:
                self.issue(shown, f"sheet '{stem}' appears twice")
                continue
            seen.add(stem)
            if sheet.sheet_state != "visible":
                how = "very hidden (only a macro can show it)" \
                    if sheet.sheet_state == "veryHidden" else "hidden"
                self.bundle.warnings.append(BundleIssue(shown, "", "", (
                    f"sheet '{stem}' is {how} in the workbook; it was read like the others")))
            try:
                rows = self._sheet_rows(sheet_rows(sheet))
                first = next(rows, None)
                if first is None:
                    continue
                table = self._tabular(shown, stem, first[1], rows)
            except LimitExceeded as exc:
                self.issue(shown, f"the sheet {exc.message}")
                continue
            except CellError as exc:
                self.issue(shown, exc.message, str(exc.row))
                continue
            except Exception as exc:  # openpyxl's parser errors have no common base
                self.issue(shown, f"not a readable sheet: {_plain(exc)}")
                continue
            if table is not None:
                self.bundle.tables.append(table)

    def _sheet_rows(self, rows: Iterator[tuple[int, list[Any]]]
                    ) -> Iterator[tuple[int, list[Any]]]:
        for count, (number, values) in enumerate(rows):
            if count > self.limits.max_rows:
                raise LimitExceeded(f"holds more than {self.limits.max_rows} rows; that is "
                                    "the most one sheet may hold (AIMSGRAPH_MAX_ROWS)")
            yield number, values

    def _scan_workbook(self, display: str, source: Path | IO[bytes]) -> bool:
        """Count every part's real size and hold every XML part to one policy before openpyxl
        parses anything: UTF-8 without a DTD (:func:`_xml_problem`). openpyxl's own parser
        refuses entities too (defusedxml), whatever a part's encoding."""
        try:
            with zipfile.ZipFile(source) as archive:
                members = archive.infolist()
                if len(members) > self.limits.max_members * 4 + 50:
                    self.issue(display, f"holds {len(members)} parts; too many for a workbook")
                    return False
                for member in members:
                    if member.is_dir():
                        continue
                    problem = _unreadable_member(member)
                    if problem:
                        self.issue(display, f"part '{printable(member.filename)}' {problem}")
                        return False
                    is_sheet = member.filename.startswith("xl/worksheets/")
                    limit = None if is_sheet else self.limits.max_document_bytes
                    is_xml = member.filename.lower().endswith((".xml", ".rels"))
                    with archive.open(member) as stream:
                        problem = _xml_problem(self.budget.chunks(
                            stream, limit, _compressed_size(member, source)), is_xml)
                    if problem:
                        self.issue(display, f"part '{printable(member.filename)}' {problem}; "
                                            "it is not read")
                        return False
        except LimitExceeded as exc:
            self.issue(display, f"the workbook {exc.message}")
            return False
        except (*_ARCHIVE_ERRORS, zipfile.LargeZipFile) as exc:
            self.issue(display, f"not a readable workbook: {_plain(exc)}")
            return False
        return True


class _YamlLoader(yaml.BaseLoader):
    """PyYAML's base loader (every scalar text) with bounded aliases and nesting; a plain
    ``null``, ``~`` or empty value means "not given", as an empty cell does."""

    _NULLS = frozenset({"", "~", "null", "Null", "NULL"})

    def __init__(self, text: str, limits: ReadLimits) -> None:
        super().__init__(text)
        self._limits = limits
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > self._limits.max_aliases:
                raise LimitExceeded(f"it uses more than {self._limits.max_aliases} aliases")
        self._depth += 1
        try:
            if self._depth > self._limits.max_nesting:
                raise LimitExceeded(f"it is nested more than {self._limits.max_nesting} levels "
                                    "deep")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_scalar(self, node: Any) -> Any:
        value = super().construct_scalar(node)
        if node.style is None and value in self._NULLS:
            return None
        return value


class _Undecodable(Exception):
    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


class _LineTooLong(Exception):
    pass


#: Column separators a CSV header may use: a comma, or the semicolon that spreadsheet programs
#: write where the comma is the decimal mark, or a tab.
_DELIMITERS = (",", ";", "\t")


def _csv_problem(text: str) -> str:
    """What the csv module's message means, for a person (its own words name its internals:
    "do you need to open the file in universal-newline mode?")."""
    if "new-line character" in text:
        return ("a line holds a carriage return (CR) outside quotes; save the file with "
                "ordinary line endings (LF or CRLF)")
    if "NUL" in text:
        return "it holds a NUL character (is it a text file?)"
    if "expected after" in text:
        return ("a closing quote is followed by more text; quote the whole value and double "
                "each quote inside it")
    return "a quote or line ending is out of place"


def _delimiter(header: str) -> str:
    """The separator of a CSV file, from its header line: the one used most outside quotes
    (a comma on a tie or when none is used). Column names hold none of them."""
    outside = re.sub(r'"[^"]*"', "", header)
    counts = {d: outside.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def _decoded(chunks: Iterator[bytes]) -> Iterator[str]:
    """UTF-8 text (a leading byte-order mark dropped) from byte chunks."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    offset = 0
    for chunk in chunks:
        try:
            yield decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            raise _Undecodable(offset + exc.start) from None
        offset += len(chunk)
    try:
        yield decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise _Undecodable(offset + exc.start) from None


def _lines(texts: Iterator[str], max_chars: int) -> Iterator[str]:
    """Lines ending in ``\\n`` (kept, as csv wants), none longer than ``max_chars``."""
    pending: list[str] = []
    size = 0
    for text in texts:
        start = 0
        while (end := text.find("\n", start)) != -1:
            piece = text[start:end + 1]
            if size + len(piece) > max_chars:
                raise _LineTooLong
            pending.append(piece)
            yield "".join(pending)
            pending.clear()
            size = 0
            start = end + 1
        if start < len(text):
            size += len(text) - start
            if size > max_chars:
                raise _LineTooLong
            pending.append(text[start:])
    if pending:
        yield "".join(pending)


#: How an XML part in another encoding than UTF-8 begins: a UTF-16 or UTF-32 byte-order mark,
#: or ``<`` written in two or four bytes.
_WIDE_STARTS = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<", b"\x00\x00\xfe\xff")
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']*)["']""")


def _xml_problem(chunks: Iterator[bytes], is_xml: bool) -> str | None:
    """Why a workbook part may not be parsed, reading all of it (its size must be counted):
    an XML part must be UTF-8 (as every spreadsheet program writes it) so that the scan for
    a DTD sees what the parser will; no part may declare a DTD (``<!DOCTYPE``, ``<!ENTITY``),
    the door to entity expansion."""
    tail = b""
    problem = None
    first = True
    for chunk in chunks:
        if first and is_xml and chunk:
            first = False
            declared = _DECLARED_ENCODING.match(chunk[:200])
            encoding = declared.group(1).decode("ascii", "replace").lower() if declared else ""
            if chunk.startswith(_WIDE_STARTS) or encoding not in ("", "utf-8", "utf8"):
                problem = (f"is not UTF-8 XML (declared encoding '{encoding[:20]}')"
                           if encoding else "is not UTF-8 XML (it is UTF-16 or UTF-32)")
        window = (tail + chunk).lower()
        if problem is None and any(marker in window for marker in _DTD_MARKERS):
            problem = "declares a DTD (DOCTYPE or ENTITY), which a workbook never needs"
        tail = window[-16:]  # keep reading: the byte count still has to be checked
    return problem


def _unreadable_member(member: zipfile.ZipInfo) -> str | None:
    """Why a zip member cannot be read safely, before any of it is read."""
    if member.flag_bits & 0x1:
        return "is encrypted; bundles cannot be"
    if member.compress_type not in _COMPRESSIONS:
        return f"uses compression method {member.compress_type}, which is not supported"
    return None


def _compressed_size(member: zipfile.ZipInfo, source: Path | IO[bytes]) -> int:
    """A member's compressed size, never more than the archive itself (a header may lie)."""
    if isinstance(source, Path):
        whole = source.stat().st_size
    else:
        position = source.tell()
        whole = source.seek(0, os.SEEK_END)
        source.seek(position)
    return min(member.compress_size, whole)


class _NotRegular(OSError):
    """A bundle file that is a pipe, a device or a socket: reading it could wait forever."""


def _open_regular(path: Path) -> IO[bytes]:
    """``path`` opened for reading, refused unless it is a regular file. It is opened without
    blocking and checked on the open descriptor, so a FIFO cannot hang the read and a file
    swapped for one after a check is still caught."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotRegular("it is not a regular file (a pipe, device or socket), so it is "
                              "not read")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a value a bundle may hold")


def _depth(data: Any, limit: int) -> int:
    """How deeply ``data`` nests lists and mappings (stops counting past ``limit``)."""
    depth, level = 0, [data]
    while level and depth <= limit:
        nested = [v for item in level if isinstance(item, list | dict)
                  for v in (item.values() if isinstance(item, dict) else item)]
        depth += 1 if any(isinstance(item, list | dict) for item in level) else 0
        level = nested
    return depth


def _cell_problem(cell: Cell, noun: str, limit: int) -> str | None:
    """Why a cell cannot enter the graph: longer than ``limit`` characters, or text that is
    not well-formed Unicode (this is where every value of a bundle enters); None if it may."""
    if cell is None:
        return None
    items = cell if isinstance(cell, list) else [cell]
    if sum(map(len, items)) > limit:
        return f"the {noun} is longer than {limit} characters"
    for item in items:
        problem = ill_formed(item)
        if problem:
            return f"the {noun} {problem}"
    return None


def _norm_column(name: object) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


def _cell(value: Any) -> Cell:
    """A YAML/JSON/xlsx value as text; nested mappings are refused by the caller."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return [str(_cell(v)) for v in value if v is not None]
    text = str(value)
    return text if text.strip() else None


def _stem_of(name: str) -> tuple[str, str] | None:
    path = PurePosixPath(name)
    suffix = path.suffix.lower()
    if suffix not in DATA_SUFFIXES:
        return None
    return path.stem.lower(), suffix


def printable(text: str, limit: int = 120) -> str:
    """A name from an archive as it may be shown: no control characters, not too long."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in text)
    return clean if len(clean) <= limit else clean[:limit] + "..."


def _plain(exc: BaseException) -> str:
    """An exception as a short sentence for a person (no internal paths or reprs)."""
    text = str(exc).strip() or type(exc).__name__
    return printable(text, 200)


def read_bundle(source: Path | str | UploadedBundle, limits: ReadLimits | None = None) -> Bundle:
    """Read the bundle at ``source``: a folder, a ``.zip`` of one, an ``.xlsx`` workbook, one
    data file, or an uploaded ``.zip``/``.xlsx`` stream.

    Never raises for a bad bundle: problems are returned in ``Bundle.issues``; one that holds
    no bundle file at all is a problem too (nothing would be ingested).
    """
    bundle = _read(source, limits or ReadLimits())
    if not bundle.issues and not bundle.tables:
        bundle.issues.append(BundleIssue(bundle.name, "", "", (
            "holds no bundle file, so there is nothing to ingest; bundle files: "
            f"{', '.join(FILE_STEMS)} (.csv, .yaml or .json, or sheets of a workbook)")))
    return bundle


def _read(source: Path | str | UploadedBundle, limits: ReadLimits) -> Bundle:
    if isinstance(source, UploadedBundle):
        bundle = Bundle(printable(source.name))
        reader = _Reader(bundle, limits)
        suffix = PurePosixPath(source.name).suffix.lower()
        if suffix == ".zip":
            reader.zip(bundle.name, source.file)
        elif suffix == ".xlsx":
            reader.workbook(bundle.name, source.file)
        else:
            reader.issue(bundle.name, "not a bundle: expected a .zip or an .xlsx workbook")
        return bundle
    path = Path(source)
    bundle = Bundle(printable(path.name))
    shown = bundle.name
    reader = _Reader(bundle, limits)
    if path.is_dir():
        reader.folder(path)
    elif not path.exists():
        reader.issue(printable(str(path), 240), "no such file or folder")
    elif not path.is_file():
        reader.issue(shown, "is not a regular file (a pipe, device or socket); it is not read")
    elif path.suffix.lower() == ".zip":
        reader.zip(shown, path)
    elif path.suffix.lower() == ".xlsx":
        reader.workbook(shown, path)
    elif _stem_of(path.name):
        reader.member(shown, path.name, lambda: _open_regular(path))
    else:
        reader.issue(shown, "not a bundle: expected a folder, a .zip, an .xlsx workbook "
                            "or a .csv/.yaml/.json file")
    return bundle

