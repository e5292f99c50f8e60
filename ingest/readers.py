"""Readers: a bundle (folder, .zip, .xlsx, one file, or an uploaded stream) to tables of text.

:func:`read_bundle` returns a :class:`~ingest.tables.Bundle` of tables whose rows carry the
locator a person would use to find the row (``14`` for a spreadsheet row, ``line 7`` in YAML,
``record 3`` in JSON) and cells normalised to text, a list of text, or None for "not given".
This module walks the containers (folders, archives, workbooks);
:mod:`ingest.formats` reads each file by its format and :mod:`ingest.text_checks` holds the
checks on the way from bytes to text. Problems reading a file become :class:`BundleIssue`
entries so that one run reports all of them; nothing here raises for a bad bundle, whatever
the parsers underneath raise.

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

import os
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any, TypeVar

from aimsgraph.ingest.formats import FormatReader
from aimsgraph.ingest.limits import LimitExceeded, ReadLimits
from aimsgraph.ingest.mapping import FILE_STEMS
from aimsgraph.ingest.tables import Bundle, Row, Table, UploadedBundle
from aimsgraph.ingest.text_checks import (
    SSSOM_SUFFIX,
    YAML_SUFFIXES,
    plain_error,
    printable,
    stem_of,
    xml_problem,
)
from aimsgraph.ontology import BundleIssue, did_you_mean

__all__ = ["Bundle", "ReadLimits", "Row", "Table", "UploadedBundle", "printable", "read_bundle"]

T = TypeVar("T")

#: What reading a damaged or hostile archive raises, from zipfile and zlib underneath.
ARCHIVE_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError,
                   NotImplementedError, ValueError)
_COMPRESSIONS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}


class _Reader(FormatReader):
    """Reads one bundle: its folders, archives and workbooks, member by member."""

    def __init__(self, bundle: Bundle, limits: ReadLimits) -> None:
        super().__init__(bundle, limits)
        self.seen: dict[str, str] = {}

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
        found = stem_of(name)
        if found is None:
            return
        stem, suffix = found
        if stem not in FILE_STEMS and suffix not in YAML_SUFFIXES:
            self.skip(display, f"'{stem}'", stem)
            return
        if stem not in FILE_STEMS:  # a YAML file of another name: a library, or skipped
            self.other_yaml(display, stem, open_stream, compressed)
            return
        if stem in self.seen:
            self.issue(display, f"'{stem}' is already given by {self.seen[stem]}")
            return
        self.seen[stem] = display
        if self.budget.exhausted():
            return

        def read(stream: IO[bytes]) -> Table | None:
            if suffix in (".csv", SSSOM_SUFFIX):
                return self._csv(display, stem, stream, compressed,
                                 sssom=suffix == SSSOM_SUFFIX)
            raw = self.budget.read_all(stream, self.limits.max_document_bytes, compressed)
            return self._document(display, stem, suffix, raw)
        table = self._opened(display, open_stream, read)
        if table is not None:
            self.bundle.add(table)

    def _opened(self, display: str, open_stream: Callable[[], IO[bytes]],
                read: Callable[[IO[bytes]], T]) -> T | None:
        """``read`` of the member's stream; None after an issue when the member cannot be
        read (over a limit, or a damaged archive)."""
        try:
            with open_stream() as stream:
                return read(stream)
        except LimitExceeded as exc:
            self.issue(display, f"the file {exc.message}")
        except ARCHIVE_ERRORS as exc:
            self.issue(display, f"cannot be read: {plain_error(exc)}")
        return None

    def other_yaml(self, display: str, stem: str, open_stream: Callable[[], IO[bytes]],
                   compressed: int | None) -> None:
        """A YAML file with no bundle file's name: read when it is a CISO Assistant library
        (its top level has ``objects:``), else skipped with the usual warning."""
        if self.budget.exhausted():
            return
        raw = self._opened(display, open_stream, lambda stream: self.budget.read_all(
            stream, self.limits.max_document_bytes, compressed))
        if raw is None:
            return
        tables = self._library(display, raw)
        if tables is None:
            self.skip(display, f"'{stem}'", stem)
        else:
            for table in tables:
                self.bundle.add(table)

    # -- containers ------------------------------------------------------------------------
    def folder(self, path: Path) -> None:
        root = path.resolve()
        for folder, dirs, files in os.walk(path, followlinks=False):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                file = Path(folder) / name
                relative = printable(file.relative_to(path).as_posix(), 240)
                if name.startswith(".") or stem_of(name) is None:
                    continue
                if file.is_symlink() and not file.resolve().is_relative_to(root):
                    self.issue(relative, "is a link to a file outside the bundle folder; "
                                         "it is not read")
                    continue
                self.member(relative, name, lambda file=file: _open_regular(file))  # type: ignore[misc]

    def zip(self, display: str, source: Path | IO[bytes]) -> None:
        try:
            archive = zipfile.ZipFile(source)
        except (*ARCHIVE_ERRORS, zipfile.LargeZipFile) as exc:
            self.issue(display, f"not a readable zip archive: {plain_error(exc)}")
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
                if stem_of(name.name) is None:
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
        import openpyxl  # only a workbook in the bundle needs it (0.2 s to load)

        if not isinstance(source, Path):
            source.seek(0)
        try:
            book = openpyxl.load_workbook(source, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many unrelated types for a damaged file
            self.issue(display, f"not a readable workbook: {plain_error(exc)}")
            return
        try:
            self._sheets(display, book)
        finally:
            book.close()

    def _sheets(self, display: str, book: Any) -> None:
        from aimsgraph.ingest.sheet import CellError, sheet_rows  # openpyxl's, as above

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
                self.issue(shown, f"not a readable sheet: {plain_error(exc)}")
                continue
            if table is not None:
                self.bundle.add(table)

    def _sheet_rows(self, rows: Iterator[tuple[int, list[Any]]]
                    ) -> Iterator[tuple[int, list[Any]]]:
        for count, (number, values) in enumerate(rows):
            if count > self.limits.max_rows:
                raise LimitExceeded(f"holds more than {self.limits.max_rows} rows; that is "
                                    "the most one sheet may hold (AIMSGRAPH_MAX_ROWS)")
            yield number, values

    def _scan_workbook(self, display: str, source: Path | IO[bytes]) -> bool:
        """Count every part's real size and hold every XML part to one policy before openpyxl
        parses anything: UTF-8 without a DTD (:func:`xml_problem`). openpyxl's own parser
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
                        problem = xml_problem(self.budget.chunks(
                            stream, limit, _compressed_size(member, source)), is_xml)
                    if problem:
                        self.issue(display, f"part '{printable(member.filename)}' {problem}; "
                                            "it is not read")
                        return False
        except LimitExceeded as exc:
            self.issue(display, f"the workbook {exc.message}")
            return False
        except (*ARCHIVE_ERRORS, zipfile.LargeZipFile) as exc:
            self.issue(display, f"not a readable workbook: {plain_error(exc)}")
            return False
        return True


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


def read_bundle(source: Path | str | UploadedBundle, limits: ReadLimits | None = None,
                consumer: Callable[[Bundle, Table], None] | None = None) -> Bundle:
    """Read the bundle at ``source``: a folder, a ``.zip`` of one, an ``.xlsx`` workbook, one
    data file, or an uploaded ``.zip``/``.xlsx`` stream. With a ``consumer``, each table is
    handed to it as soon as it is read, and not kept.

    Never raises for a bad bundle: problems are returned in ``Bundle.issues``; one that holds
    no bundle file at all is a problem too (nothing would be ingested).
    """
    bundle = _read(source, limits or ReadLimits(), consumer)
    if not bundle.issues and not bundle.read:
        bundle.issues.append(BundleIssue(bundle.name, "", "", (
            "holds no bundle file, so there is nothing to ingest; bundle files: "
            f"{', '.join(FILE_STEMS)} (.csv, .yaml or .json, or sheets of a workbook)")))
    return bundle


def _read(source: Path | str | UploadedBundle, limits: ReadLimits,
          consumer: Callable[[Bundle, Table], None] | None) -> Bundle:
    if isinstance(source, UploadedBundle):
        bundle = Bundle(printable(source.name), consumer=consumer)
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
    bundle = Bundle(printable(path.name), consumer=consumer)
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
    elif stem_of(path.name):
        reader.member(shown, path.name, lambda: _open_regular(path))
    else:
        reader.issue(shown, "not a bundle: expected a folder, a .zip, an .xlsx workbook "
                            "or a .csv/.yaml/.json file")
    return bundle

