"""How bytes become text, and what is refused on the way: undecodable or ill-formed text,
over-long lines, CSV that is not CSV, XML parts that are not UTF-8 or declare a DTD, YAML
that nests or aliases beyond its bounds, cells beyond their length."""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import Any

import yaml

from aimsgraph.ingest.limits import LimitExceeded, ReadLimits
from aimsgraph.ontology.values import Cell, ill_formed

__all__ = ["BoundedYamlLoader", "DATA_SUFFIXES", "DECLARED_ENCODING", "DELIMITERS", "DTD_MARKERS",
           "LineTooLong", "Undecodable", "WIDE_STARTS", "bounded_lines", "cell_problem",
           "csv_problem", "decode_utf8", "guess_delimiter", "nesting_depth", "no_constant",
           "norm_column", "plain_error", "printable", "stem_of", "to_cell", "xml_problem"]

#: The endings of the files a bundle is read from (workbooks aside).
DATA_SUFFIXES = (".csv", ".yaml", ".yml", ".json")
YAML_SUFFIXES = (".yaml", ".yml")
#: What opens a DTD in an XML part: the door to entity expansion, refused.
DTD_MARKERS = (b"<!doctype", b"<!entity")


class BoundedYamlLoader(yaml.BaseLoader):
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


class Undecodable(Exception):
    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


class LineTooLong(Exception):
    pass


#: Column separators a CSV header may use: a comma, or the semicolon that spreadsheet programs
#: write where the comma is the decimal mark, or a tab.
DELIMITERS = (",", ";", "\t")


def csv_problem(text: str) -> str:
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


def guess_delimiter(header: str) -> str:
    """The separator of a CSV file, from its header line: the one used most outside quotes
    (a comma on a tie or when none is used). Column names hold none of them."""
    outside = re.sub(r'"[^"]*"', "", header)
    counts = {d: outside.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


def decode_utf8(chunks: Iterator[bytes]) -> Iterator[str]:
    """UTF-8 text (a leading byte-order mark dropped) from byte chunks."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    offset = 0
    for chunk in chunks:
        try:
            yield decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            raise Undecodable(offset + exc.start) from None
        offset += len(chunk)
    try:
        yield decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise Undecodable(offset + exc.start) from None


def bounded_lines(texts: Iterator[str], max_chars: int) -> Iterator[str]:
    """Lines ending in ``\\n`` (kept, as csv wants), none longer than ``max_chars``."""
    pending: list[str] = []
    size = 0
    for text in texts:
        start = 0
        while (end := text.find("\n", start)) != -1:
            piece = text[start:end + 1]
            if size + len(piece) > max_chars:
                raise LineTooLong
            pending.append(piece)
            yield "".join(pending)
            pending.clear()
            size = 0
            start = end + 1
        if start < len(text):
            size += len(text) - start
            if size > max_chars:
                raise LineTooLong
            pending.append(text[start:])
    if pending:
        yield "".join(pending)


#: How an XML part in another encoding than UTF-8 begins: a UTF-16 or UTF-32 byte-order mark,
#: or ``<`` written in two or four bytes.
WIDE_STARTS = (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<", b"\x00\x00\xfe\xff")


DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']*)["']""")


def xml_problem(chunks: Iterator[bytes], is_xml: bool) -> str | None:
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
            declared = DECLARED_ENCODING.match(chunk[:200])
            encoding = declared.group(1).decode("ascii", "replace").lower() if declared else ""
            if chunk.startswith(WIDE_STARTS) or encoding not in ("", "utf-8", "utf8"):
                problem = (f"is not UTF-8 XML (declared encoding '{encoding[:20]}')"
                           if encoding else "is not UTF-8 XML (it is UTF-16 or UTF-32)")
        window = (tail + chunk).lower()
        if problem is None and any(marker in window for marker in DTD_MARKERS):
            problem = "declares a DTD (DOCTYPE or ENTITY), which a workbook never needs"
        tail = window[-16:]  # keep reading: the byte count still has to be checked
    return problem


def no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a value a bundle may hold")


def nesting_depth(data: Any, limit: int) -> int:
    """How deeply ``data`` nests lists and mappings (stops counting past ``limit``)."""
    depth, level = 0, [data]
    while level and depth <= limit:
        nested = [v for item in level if isinstance(item, list | dict)
                  for v in (item.values() if isinstance(item, dict) else item)]
        depth += 1 if any(isinstance(item, list | dict) for item in level) else 0
        level = nested
    return depth


def cell_problem(cell: Cell, noun: str, limit: int) -> str | None:
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


def norm_column(name: object) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


def to_cell(value: Any) -> Cell:
    """A YAML/JSON/xlsx value as text; nested mappings are refused by the caller."""
    if type(value) is str:  # every CSV value: the one test it needs first
        return value if value.strip() else None
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
        return [str(to_cell(v)) for v in value if v is not None]
    text = str(value)
    return text if text.strip() else None


#: The suffix of an SSSOM mapping set (TSV with a ``#`` metadata block): a ``mappings`` file.
SSSOM_SUFFIX = ".sssom.tsv"


def stem_of(name: str) -> tuple[str, str] | None:
    """A member's bundle stem and suffix (None when it is no data file); an SSSOM mapping
    set, whatever its name, is the ``mappings`` file."""
    path = PurePosixPath(name)
    if path.name.lower().endswith(SSSOM_SUFFIX):
        return "mappings", SSSOM_SUFFIX
    suffix = path.suffix.lower()
    if suffix not in DATA_SUFFIXES:
        return None
    return path.stem.lower(), suffix


def printable(text: str, limit: int = 120) -> str:
    """A name from an archive as it may be shown: no control characters, not too long."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in text)
    return clean if len(clean) <= limit else clean[:limit] + "..."


def plain_error(exc: BaseException) -> str:
    """An exception as a short sentence for a person (no internal paths or reprs)."""
    text = str(exc).strip() or type(exc).__name__
    return printable(text, 200)
