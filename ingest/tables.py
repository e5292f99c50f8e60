"""What a reader hands on: a bundle's tables of rows of text, with where each row was read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO

from aimsgraph.ontology import BundleIssue, IssueLog
from aimsgraph.ontology.values import Cell

__all__ = ["Bundle", "Row", "Table", "UploadedBundle"]


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
    #: Where each table goes as soon as it is read when the tables are not kept: an ingest
    #: takes them one by one, so a bundle is never held whole. None: kept in ``tables``.
    consumer: Callable[[Bundle, Table], None] | None = field(default=None, repr=False)
    #: How many tables were read (kept or handed on).
    read: int = 0

    def add(self, table: Table) -> None:
        """A table read: kept, or handed to the consumer."""
        self.read += 1
        if self.consumer is None:
            self.tables.append(table)
        else:
            self.consumer(self, table)


@dataclass(frozen=True)
class UploadedBundle:
    """A bundle that arrived as a stream (an HTTP upload): its file name and its bytes.

    Read straight from ``file`` (an anonymous temporary file, say), so nothing named is left
    on disk if the process dies.
    """

    name: str
    file: IO[bytes]
