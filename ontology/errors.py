"""The one exception tree of aimsgraph.

Every error the project raises on purpose derives from :class:`AimsgraphError`, so callers
(the CLI, the HTTP API) can map all of them at one boundary::

    AimsgraphError
    ├── OntologyError      a declaration in ontology/ is malformed (raised at import)
    ├── ConfigError        a setting is missing or has a value that cannot be used
    ├── BundleError        a bundle was rejected; carries every BundleIssue found
    ├── NotFoundError      an unknown id, label, check or run was asked for
    ├── TooBroadError      a read would return more than an answer may hold; ask narrower
    ├── OutputError        a result could not be written where it was asked to go
    └── StoreError         the store failed to read or write
        ├── StoreUnavailableError   the store cannot be reached or opened at all
        ├── ReadTimeoutError        a read ran past its time budget (try again later)
        └── DamagedStoreError       the store holds a value it cannot read back (doctor)

Lower-level errors (sqlite3, the neo4j driver, file I/O) are translated into this tree where
they cross into the project (``raise StoreError(...) from exc``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "AimsgraphError",
    "BundleError",
    "BundleIssue",
    "IssueLog",
    "ConfigError",
    "DamagedStoreError",
    "OutputError",
    "NotFoundError",
    "OntologyError",
    "StoreError",
    "ReadTimeoutError",
    "StoreUnavailableError",
    "TooBroadError",
    "did_you_mean",
    "refused_text",
    "with_article",
]


class AimsgraphError(Exception):
    """Root of every error aimsgraph raises deliberately."""


class OntologyError(AimsgraphError):
    """A declaration in the ontology is malformed; the message names the offending field."""


class ConfigError(AimsgraphError):
    """A configuration value is missing or unusable."""


class NotFoundError(AimsgraphError):
    """Something asked for by id or name does not exist."""


class StoreError(AimsgraphError):
    """The graph store failed to read or write."""


class StoreUnavailableError(StoreError):
    """The graph store cannot be reached or opened."""


class StoreBusyError(StoreError):
    """Another writer holds the store's writer lease (one ingest at a time per store)."""


class ReadTimeoutError(StoreError):
    """A read ran past its time budget; it was stopped and holds nothing."""


class DamagedStoreError(StoreError):
    """The store holds a value it cannot read back (written by an earlier version that let
    ill-formed text through, or changed by hand); ``aimsgraph doctor`` finds and repairs it."""


class OutputError(AimsgraphError):
    """An output file or folder cannot be written (missing folder, a folder where a file is
    wanted, no permission, a full disk); the message names the path."""


def refused_text(reason: str, writing: bool = True) -> StoreError:
    """The error for text a store was handed that UTF-8 cannot carry (a lone surrogate, as
    Python decodes a byte that is not UTF-8 in a file name or an argument): refused, so the
    store stays readable; a lookup of such text could never match either."""
    what = "write" if writing else "look up"
    return StoreError(f"refused to {what} text that is not well-formed Unicode ({reason})"
                      + ("; nothing was written" if writing else ""))


class TooBroadError(AimsgraphError):
    """A read would return more than one answer may hold; the message names a narrower one."""


@dataclass(frozen=True, order=True)
class BundleIssue:
    """One problem found in a bundle, located precisely enough for a spreadsheet user.

    ``row`` is the row a spreadsheet user sees (the header is row 1) for tabular files, or a
    locator such as ``line 7`` / ``record 3`` for YAML and JSON; it is empty for problems with
    a whole file.
    """

    file: str
    row: str
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file
        return f"{where}: {self.message}"

    def to_json(self) -> dict[str, str]:
        return {"file": self.file, "row": self.row, "column": self.column,
                "message": self.message, "text": str(self)}


class IssueLog(list[BundleIssue]):
    """The issues found so far, holding at most ``keep`` of them and counting the rest.

    A bundle of 200,000 bad rows must not cost memory for 400,000 messages that nobody
    reads: the first ones are kept, the others only counted (``dropped``).
    """

    def __init__(self, issues: Iterable[BundleIssue] = (), keep: int = 10_000) -> None:
        super().__init__()
        self.keep = keep
        self.dropped = 0
        self.extend(issues)

    def append(self, issue: BundleIssue) -> None:
        if len(self) < self.keep:
            super().append(issue)
        else:
            self.dropped += 1

    def extend(self, issues: Iterable[BundleIssue]) -> None:
        for issue in issues:
            self.append(issue)
        self.dropped += getattr(issues, "dropped", 0)

    @property
    def total(self) -> int:
        """How many issues were found, kept or not."""
        return len(self) + self.dropped


class BundleError(AimsgraphError):
    """A bundle was rejected; nothing was written.

    ``issues`` holds the first :data:`MAX_REPORTED` problems in file and row order, and
    ``total`` how many were found: a file of 200,000 bad rows gives a readable answer, not a
    list nobody can read that every later look at the run history would carry again.
    """

    MAX_REPORTED = 1000

    def __init__(self, issues: list[BundleIssue]) -> None:
        ordered = sorted(issues, key=_issue_order)
        self.total = len(ordered) + getattr(issues, "dropped", 0)
        self.issues = ordered[:self.MAX_REPORTED]
        count = self.total
        head = f"bundle rejected with {count} error{'s' if count != 1 else ''}"
        super().__init__(head + "".join(f"\n  {issue}" for issue in self.issues)
                         + (f"\n  {self.more()}" if self.omitted else ""))

    @property
    def omitted(self) -> int:
        """How many problems were found beyond those listed."""
        return self.total - len(self.issues)

    def more(self) -> str:
        """The line that stands for the problems not listed."""
        return (f"... and {self.omitted} more error{'s' if self.omitted != 1 else ''} "
                f"(the first {len(self.issues)} are listed)")


def _issue_order(issue: BundleIssue) -> tuple[str, int, str, str, str]:
    """Sort issues by file, then numerically by row, so reports read top to bottom."""
    digits = "".join(ch for ch in issue.row if ch.isdigit())
    return (issue.file, int(digits) if digits else 0, issue.row, issue.column, issue.message)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """``" (did you mean 'X'?)"`` when ``word`` is close to one of ``choices`` (a misspelt
    header, label or id) or begins exactly one of them (a check id cut short), else ''. Case
    is ignored when comparing."""
    import difflib  # only an unknown name needs suggestions

    by_fold = {c.casefold(): c for c in choices}
    wanted = word.casefold()
    starting = [c for c in by_fold if c.startswith(wanted)] if len(wanted) >= 3 else []
    close = starting if len(starting) == 1 else difflib.get_close_matches(
        wanted, list(by_fold), n=1, cutoff=0.75)
    return f" (did you mean '{by_fold[close[0]]}'?)" if close else ""


def with_article(noun: str) -> str:
    """``an AISystem``, ``a Control``: the indefinite article messages put before a label."""
    return f"an {noun}" if noun[:1].upper() in "AEIOU" else f"a {noun}"
