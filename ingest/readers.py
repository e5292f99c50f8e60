"""Readers: a bundle on disk (folder, .zip, .xlsx) to tables of text cells. I/O only.

Every reader yields :class:`Table` objects whose rows carry the locator a person would use to
find the row (``14`` for a spreadsheet row, ``line 7`` in YAML, ``record 3`` in JSON) and cells
normalised to text, a list of text, or None for "not given". Problems reading a file become
:class:`BundleIssue` entries so that one run reports all of them.

Zip members are read in memory, never extracted, so member names cannot escape a folder; the
number of members and their total uncompressed size are bounded (:class:`ReadLimits`).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from ingest.mapping import FILE_STEMS
from ontology import BundleIssue
from ontology.values import Cell

__all__ = ["Bundle", "ReadLimits", "Row", "Table", "read_bundle"]

DATA_SUFFIXES = (".csv", ".yaml", ".yml", ".json")


@dataclass(frozen=True)
class ReadLimits:
    """Bounds on what a bundle may hold, so a hostile archive cannot exhaust the machine."""

    max_members: int = 1000
    max_total_bytes: int = 1 << 30


@dataclass(frozen=True)
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
    issues: list[BundleIssue] = field(default_factory=list)


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


def _read_csv(file: str, stem: str, text: str, issues: list[BundleIssue]) -> Table | None:
    reader = csv.reader(io.StringIO(text))
    try:
        records = list(reader)
    except csv.Error as exc:
        issues.append(BundleIssue(file, "", "", f"not readable as CSV: {exc}"))
        return None
    if not records:
        return Table(stem, file, [], [])
    return _tabular(file, stem, records[0], ((n, r) for n, r in enumerate(records[1:], 2)),
                    issues)


def _tabular(file: str, stem: str, header: list[Any], records: Iterable[tuple[int, list[Any]]],
             issues: list[BundleIssue]) -> Table | None:
    columns = [_norm_column(h) if h is not None else "" for h in header]
    seen: set[str] = set()
    for name in columns:
        if name and name in seen:
            issues.append(BundleIssue(file, "1", name, f"column '{name}' appears twice"))
            return None
        seen.add(name)
    rows = []
    for number, values in records:
        cells: dict[str, Cell] = {}
        for index, value in enumerate(values):
            column = columns[index] if index < len(columns) else ""
            normalised = _cell(value)
            if not column:
                if normalised is not None:
                    issues.append(BundleIssue(file, str(number), "",
                                              "a value stands in a column with no header"))
                continue
            cells[column] = normalised
        if any(v is not None for v in cells.values()):
            rows.append(Row(str(number), cells))
    return Table(stem, file, [c for c in columns if c], rows)


def _records(file: str, stem: str, data: Any, locs: list[str], header_loc: str,
             issues: list[BundleIssue]) -> Table | None:
    if data is None:
        return Table(stem, file, [], [], header_loc)
    if not isinstance(data, list):
        issues.append(BundleIssue(file, "", "", "must hold a list of records"))
        return None
    columns: dict[str, None] = {}
    rows = []
    for index, (record, loc) in enumerate(zip(data, locs, strict=True), 1):
        if not isinstance(record, dict):
            issues.append(BundleIssue(file, loc, "", f"record {index} is not a mapping"))
            continue
        cells: dict[str, Cell] = {}
        for key, value in record.items():
            column = _norm_column(key)
            if isinstance(value, dict) or (isinstance(value, list)
                                           and any(isinstance(v, dict | list) for v in value)):
                issues.append(BundleIssue(file, loc, column,
                                          f"{column} holds a nested structure, not a value"))
                continue
            columns.setdefault(column)
            cells[column] = _cell(value)
        rows.append(Row(loc, cells))
    return Table(stem, file, list(columns), rows, header_loc)


def _read_yaml(file: str, stem: str, text: str, issues: list[BundleIssue]) -> Table | None:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        loc = f"line {mark.line + 1}" if mark is not None else ""
        issues.append(BundleIssue(file, loc, "", f"not readable as YAML: "
                                  f"{getattr(exc, 'problem', None) or exc}"))
        return None
    locs: list[str] = []
    if isinstance(node, yaml.SequenceNode):
        locs = [f"line {item.start_mark.line + 1}" for item in node.value]
    return _records(file, stem, data, locs or [""] * len(data or []), "", issues)


def _read_json(file: str, stem: str, text: str, issues: list[BundleIssue]) -> Table | None:
    try:
        data = json.loads(text) if text.strip() else None
    except json.JSONDecodeError as exc:
        issues.append(BundleIssue(file, f"line {exc.lineno}", "",
                                  f"not readable as JSON: {exc.msg}"))
        return None
    count = len(data) if isinstance(data, list) else 0
    return _records(file, stem, data, [f"record {i}" for i in range(1, count + 1)], "", issues)


_TEXT_READERS = {".csv": _read_csv, ".yaml": _read_yaml, ".yml": _read_yaml, ".json": _read_json}


def _decode(file: str, raw: bytes, issues: list[BundleIssue]) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        issues.append(BundleIssue(file, "", "", f"not UTF-8 text (byte {exc.start})"))
        return None


def _add_member(bundle: Bundle, seen: dict[str, str], display: str, stem: str,
                suffix: str, raw: bytes) -> None:
    if stem not in FILE_STEMS:
        bundle.issues.append(BundleIssue(display, "", "", f"'{stem}' is not a bundle file; "
                                         f"expected one of: {', '.join(FILE_STEMS)}"))
        return
    if stem in seen:
        bundle.issues.append(BundleIssue(display, "", "",
                                         f"'{stem}' is already given by {seen[stem]}"))
        return
    seen[stem] = display
    text = _decode(display, raw, bundle.issues)
    if text is None:
        return
    table = _TEXT_READERS[suffix](display, stem, text, bundle.issues)
    if table is not None:
        bundle.tables.append(table)


def _read_folder(path: Path, bundle: Bundle) -> None:
    seen: dict[str, str] = {}
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        relative = file.relative_to(path).as_posix()
        if any(part.startswith(".") for part in PurePosixPath(relative).parts):
            continue
        found = _stem_of(file.name)
        if found:
            _add_member(bundle, seen, relative, *found, file.read_bytes())


def _read_zip(path: Path, bundle: Bundle, limits: ReadLimits) -> None:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        bundle.issues.append(BundleIssue(path.name, "", "", f"not a readable zip archive: {exc}"))
        return
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > limits.max_members:
            bundle.issues.append(BundleIssue(path.name, "", "", f"holds {len(members)} files; "
                                             f"at most {limits.max_members} are accepted"))
            return
        total = sum(m.file_size for m in members)
        if total > limits.max_total_bytes:
            bundle.issues.append(BundleIssue(path.name, "", "", f"unpacks to {total} bytes; "
                                             f"at most {limits.max_total_bytes} are accepted"))
            return
        seen: dict[str, str] = {}
        for member in sorted(members, key=lambda m: m.filename):
            name = PurePosixPath(member.filename)
            if name.is_absolute() or ".." in name.parts or "\\" in member.filename:
                bundle.issues.append(BundleIssue(path.name, "", "",
                                                 f"member '{member.filename}' has an unsafe path"))
                continue
            if any(part.startswith((".", "__MACOSX")) for part in name.parts):
                continue
            found = _stem_of(name.name)
            if not found:
                continue
            with archive.open(member) as handle:
                raw = handle.read(member.file_size + 1)
            if len(raw) > member.file_size:
                bundle.issues.append(BundleIssue(path.name, "", "",
                                                 f"member '{member.filename}' is larger than "
                                                 "its header says"))
                continue
            _add_member(bundle, seen, f"{path.name}/{name.as_posix()}", *found, raw)


def _read_xlsx(path: Path, bundle: Bundle) -> None:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a damaged file
        bundle.issues.append(BundleIssue(path.name, "", "", f"not a readable workbook: {exc}"))
        return
    try:
        seen: set[str] = set()
        for sheet in book.worksheets:
            stem = sheet.title.strip().lower()
            display = f"{path.name}[{sheet.title}]"
            if stem not in FILE_STEMS:
                bundle.issues.append(BundleIssue(display, "", "", f"sheet '{sheet.title}' is not "
                                                 f"a bundle file; expected one of: "
                                                 f"{', '.join(FILE_STEMS)}"))
                continue
            if stem in seen:
                bundle.issues.append(BundleIssue(display, "", "", f"sheet '{stem}' appears twice"))
                continue
            seen.add(stem)
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                continue
            table = _tabular(display, stem, list(header),
                             ((n, list(r)) for n, r in enumerate(rows, 2)), bundle.issues)
            if table is not None:
                bundle.tables.append(table)
    finally:
        book.close()


def read_bundle(path: Path | str, limits: ReadLimits | None = None) -> Bundle:
    """Read the bundle at ``path``: a folder, a ``.zip`` of one, or an ``.xlsx`` workbook.

    Never raises for a bad bundle: problems are returned in ``Bundle.issues``.
    """
    path = Path(path)
    bundle = Bundle(path.name)
    limits = limits or ReadLimits()
    if path.is_dir():
        _read_folder(path, bundle)
    elif not path.exists():
        bundle.issues.append(BundleIssue(str(path), "", "", "no such file or folder"))
    elif path.suffix.lower() == ".zip":
        _read_zip(path, bundle, limits)
    elif path.suffix.lower() == ".xlsx":
        _read_xlsx(path, bundle)
    elif found := _stem_of(path.name):
        _add_member(bundle, {}, path.name, found[0], found[1], path.read_bytes())
    else:
        bundle.issues.append(BundleIssue(path.name, "", "", "not a bundle: expected a folder, "
                                         "a .zip, an .xlsx workbook or a .csv/.yaml/.json file"))
    return bundle
