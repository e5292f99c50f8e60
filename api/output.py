"""Printing results as a table (for people), JSON or CSV (for scripts), safely.

Data and arguments reach a terminal or a spreadsheet program from here, and both interpret
what they are given. So text shown in a terminal has its control characters (escape
sequences that clear the screen, recolour or retitle it) and bidi overrides removed and is
never read as Rich markup; and a CSV cell that a spreadsheet would run as a formula (one that
starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed with ``'``, as
OWASP advises for CSV injection.
"""

from __future__ import annotations

import csv
import enum
import io
import json
import os
import re
import sys
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from aimsgraph.ontology.values import well_formed

__all__ = ["Format", "csv_cell", "csv_text", "emit", "plain", "print_lines", "print_plain",
           "stderr_console", "to_json"]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: C0 and C1 controls, DEL, bidi embeddings, overrides and isolates, zero-width characters.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e"
                     "\u2060-\u2069\ufeff]")


def plain(text: object) -> str:
    """``text`` fit for a terminal: control and bidi characters removed, newlines and tabs
    as spaces, text UTF-8 cannot carry (a file name's undecodable byte) as U+FFFD. (Rich
    markup is not interpreted where this is printed, see print_plain.)"""
    return _UNSAFE.sub("", well_formed(str(text))).replace("\n", " ").replace("\t", " ")


def print_plain(console: Console, text: object, style: str | None = None) -> None:
    """Print data as it is: no markup, no highlighting, control characters removed."""
    console.print(Text(plain(text), style=style or ""), soft_wrap=True)


def print_lines(console: Console, lines: Iterable[object], indent: int = 6) -> None:
    """Many lines as :func:`print_plain` prints each (unstyled), written at once: Rich
    renders a line in about a tenth of a millisecond, seconds for a report of 20,000
    findings. On a terminal (or with ``COLUMNS`` set) a long line wraps at its width, at
    spaces only (an id is never cut), continuing ``indent`` columns in; a pipe gets each
    line whole, for grep."""
    texts = (plain(line) for line in lines)
    if console.is_terminal or os.environ.get("COLUMNS"):
        width = max(40, console.width)
        texts = (text if len(text) <= width else textwrap.fill(
            text, width, subsequent_indent=" " * indent, break_long_words=False,
            break_on_hyphens=False) for text in texts)
    console.file.write("".join(text + "\n" for text in texts))
    console.file.flush()


def csv_cell(value: Any) -> Any:
    """A value as a spreadsheet may open it safely: a text cell that would run as a formula
    gets a leading ``'``; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = _UNSAFE.sub("", value)
        return "'" + text if text.startswith(_FORMULA_STARTS) else text
    return value


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    """CSV with every cell (header included) passed through :func:`csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_cell(h) for h in header])
    writer.writerows([csv_cell(v) for v in row] for row in rows)
    return buffer.getvalue()


class Format(enum.StrEnum):
    """Output formats every printing command accepts."""

    table = "table"
    json = "json"
    csv = "csv"


def stderr_console() -> Console:
    return Console(stderr=True)


def to_json(data: Any) -> str:
    """JSON text, indented, with dates as ISO strings, keys in the order given, and only
    ASCII characters (others escaped), so that any terminal, pipe or file takes it.

    orjson writes it: a gap report of 20,000 findings in a tenth of the standard library's
    time. The standard library takes over for what orjson refuses (integers past 64 bits,
    keys that are not text).
    """
    try:
        text = orjson.dumps(data, default=_default, option=orjson.OPT_INDENT_2).decode()
    except orjson.JSONEncodeError:
        return json.dumps(data, indent=2, default=_default)
    if text.isascii() and "\x7f" not in text:
        return text
    return _NON_ASCII.sub(_escaped, text)


#: What the standard library escapes in ASCII-only JSON: DEL and every non-ASCII character.
_NON_ASCII = re.compile(r"[^\x00-\x7e]")


def _escaped(match: re.Match[str]) -> str:
    """A JSON escape for one character (two, a surrogate pair, past the first plane)."""
    code = ord(match.group())
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def emit(fmt: Format, data: Any, header: Sequence[str], rows: Sequence[Sequence[Any]],
         title: str = "") -> None:
    """Print ``data`` as JSON, or ``rows`` under ``header`` as a table or CSV."""
    if fmt is Format.json:
        sys.stdout.write(to_json(data) + "\n")
    elif fmt is Format.csv:
        sys.stdout.write(csv_text(header, rows))
    else:
        _print_table(Console(), header, rows, title)


def _print_table(console: Console, header: Sequence[str], rows: Sequence[Sequence[Any]],
                 title: str) -> None:
    """A table whose words (ids above all) stay whole, wrapping the other text; when even
    that cannot fit the terminal, each row as a block of ``column: value`` lines."""
    widths = _fit(console.width, [
        (max(_longest_word([[name]], 0), _longest_word(rows, i)),
         max([len(plain(name)), *(len(plain(r[i])) for r in rows)]))
        for i, name in enumerate(header)])
    if widths is None:
        if title:
            console.print(Text(plain(title), style="italic"))
        for row in rows:
            console.print()
            for name, value in zip(header, row, strict=True):
                console.print(Text.assemble((plain(name), "bold"), ": ", plain(value)))
        return
    if title:  # above the table, not as its title: a table title wraps at the table's width
        console.print(Text(plain(title)))  # wrapped at the terminal's width, at spaces
    table = Table()
    for index, name in enumerate(header):
        table.add_column(Text(plain(name)), width=widths[index], overflow="fold",
                         justify="right" if index and _numeric(rows, index) else "left")
    for row in rows:
        table.add_row(*(Text(plain(v)) for v in row))
    console.print(table)


def _fit(width: int, columns: list[tuple[int, int]]) -> list[int] | None:
    """Column widths within ``width`` (borders and padding take 3 per column and 1), each
    between its longest word and its longest cell; None when even the longest words do not
    fit. The spare room goes first, whole, to the columns that want no more than an equal
    share of it (a label column stays on one line beside a long text), and the rest is
    shared in proportion to what each remaining column would still use."""
    room = width - 3 * len(columns) - 1
    least = [low for low, _ in columns]
    if sum(least) > room:
        return None
    wanted = [max(0, high - low) for low, high in columns]
    widths = list(least)
    spare = room - sum(least)
    pending = sorted(range(len(columns)), key=lambda i: wanted[i])
    while pending and wanted[pending[0]] * len(pending) <= spare:
        index = pending.pop(0)
        widths[index] += wanted[index]
        spare -= wanted[index]
    total = sum(wanted[i] for i in pending)
    for index in pending:
        widths[index] += wanted[index] * spare // total
    return widths


#: Words (ids, dates, check ids) longer than this may be broken to fit a narrow terminal:
#: the longest check id (42 characters) and a SHA-256 (64) stay whole.
_WHOLE_WORD_LIMIT = 64


def _longest_word(rows: Sequence[Sequence[Any]], index: int) -> int:
    """The width that keeps every word of a column whole (ids such as ``ISO42001:A.6.2.4``
    wrap nowhere), so that a narrow terminal wraps the text around them instead."""
    return min(_WHOLE_WORD_LIMIT, max((len(word) for row in rows
                                       for word in plain(row[index]).split()), default=1))


def _numeric(rows: Sequence[Sequence[Any]], index: int) -> bool:
    return bool(rows) and all(isinstance(r[index], int) for r in rows)
