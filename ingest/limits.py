"""Bounds on what reading a bundle may cost, so a hostile file cannot exhaust the machine.

Every byte is counted as it is decompressed or read, never taken from a header: a zip member
that declares 10 bytes and inflates to 500 MiB is stopped at the limit, whatever it declared.
The same :class:`ReadLimits` come from the settings for the command line and the HTTP API.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

__all__ = ["Budget", "LimitExceeded", "ReadLimits"]

_MIB = 1 << 20


@dataclass(frozen=True)
class ReadLimits:
    """What one bundle may hold. Each limit names the setting that raises it."""

    #: Files in a zip or sheets in a workbook (AIMSGRAPH_MAX_BUNDLE_FILES).
    max_members: int = 1000
    #: Bytes of all files together, as decompressed (AIMSGRAPH_MAX_BUNDLE_BYTES).
    max_total_bytes: int = 512 * _MIB
    #: Bytes of one file, as decompressed (AIMSGRAPH_MAX_FILE_BYTES).
    max_member_bytes: int = 256 * _MIB
    #: Bytes of one YAML or JSON file, which is parsed whole (AIMSGRAPH_MAX_DOCUMENT_BYTES).
    max_document_bytes: int = 32 * _MIB
    #: Records in one file (AIMSGRAPH_MAX_ROWS).
    max_rows: int = 2_000_000
    #: Columns in one file.
    max_columns: int = 500
    #: Characters in one cell.
    max_cell_chars: int = 100_000
    #: Nesting of YAML or JSON structures (a bundle needs 3: a list of records of lists).
    max_nesting: int = 20
    #: YAML aliases (``*name``) in one file; each may repeat a whole structure.
    max_aliases: int = 50
    #: How many times a zip member may inflate once past 1 MiB (Apache POI's zip-bomb guard
    #: uses the same 100); real registers compress 5 to 20 times.
    max_ratio: int = 100

    @property
    def max_line_chars(self) -> int:
        """The longest physical line of a CSV file: a full row of the longest cells."""
        return max(self.max_cell_chars * 4, 1 * _MIB)


class LimitExceeded(Exception):
    """A limit was reached while reading; ``message`` says which and how to raise it.

    Internal to ingestion: readers turn it into a :class:`ontology.BundleIssue`.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Budget:
    """Counts the decompressed bytes of a whole bundle, member by member."""

    CHUNK = 64 * 1024

    def __init__(self, limits: ReadLimits) -> None:
        self.limits = limits
        self.total = 0

    def exhausted(self) -> bool:
        return self.total > self.limits.max_total_bytes

    def chunks(self, stream: IO[bytes], member_limit: int | None = None,
               compressed: int | None = None) -> Iterator[bytes]:
        """The bytes of ``stream`` in chunks, stopping with LimitExceeded at a limit.

        ``compressed`` is the member's compressed size in its archive, for the ratio check.
        """
        limit = min(member_limit or self.limits.max_member_bytes, self.limits.max_member_bytes)
        setting = ("AIMSGRAPH_MAX_FILE_BYTES" if limit == self.limits.max_member_bytes
                   else "AIMSGRAPH_MAX_DOCUMENT_BYTES")
        ratio_floor = _MIB
        read = 0
        while chunk := stream.read(self.CHUNK):
            read += len(chunk)
            self.total += len(chunk)
            if compressed is not None and read > ratio_floor \
                    and read > self.limits.max_ratio * max(compressed, 1):
                raise LimitExceeded(f"inflates more than {self.limits.max_ratio} times its "
                                    "compressed size; it is refused as a likely zip bomb")
            if read > limit:
                raise LimitExceeded(f"is larger than {limit} bytes uncompressed; that is the "
                                    f"most one file may hold ({setting})")
            if self.total > self.limits.max_total_bytes:
                raise LimitExceeded(f"takes the bundle past {self.limits.max_total_bytes} bytes "
                                    "uncompressed; that is the most a bundle may hold "
                                    "(AIMSGRAPH_MAX_BUNDLE_BYTES)")
            yield chunk

    def read_all(self, stream: IO[bytes], member_limit: int | None = None,
                 compressed: int | None = None) -> bytes:
        """All of ``stream``, within the limits."""
        return b"".join(self.chunks(stream, member_limit, compressed))
