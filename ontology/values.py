"""Typed property values: parsing bundle cells and encoding for storage.

Bundle cells arrive as text (or a list of text, from YAML/JSON). :func:`parse_value` turns a
cell into the declared type or raises :class:`ValueError` with a plain sentence that ingestion
puts behind the file, row and column. Dates are ``datetime.date`` in Python and ISO strings in
storage, so the two stores and the JSON interfaces agree.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from typing import Any

from aimsgraph.ontology.model import Property

__all__ = ["EARLIEST_AS_OF", "LATEST_AS_OF", "MAX_ID_LENGTH", "Cell", "Value", "clean_id",
           "decode_props", "encode_props", "ill_formed", "look_alike_key", "natural_key",
           "natural_text", "parse_as_of", "parse_bool", "parse_date", "parse_value", "quote_cell",
           "split_list", "well_formed"]

Cell = str | list[str] | None
Value = str | int | float | bool | dt.date | list[str]

#: The longest id a node may have.
MAX_ID_LENGTH = 200
#: Characters an id may not hold, besides control characters: they hide or reorder text
#: (bidi embeddings, overrides and isolates; zero-width characters), or separate list items.
_ID_FORBIDDEN = {
    **{chr(c): "a bidi control character" for c in (*range(0x202A, 0x202F),
                                                      *range(0x2066, 0x206A), 0x200E, 0x200F,
                                                      0x061C)},
    **{chr(c): "a zero-width character" for c in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)},
    ";": "';', which separates list items",
}

#: What text may not hold anywhere: lone surrogates (UTF-8 cannot encode them, so a store
#: could not read them back) and the 66 non-characters Unicode reserves for a program's
#: internal use (U+FDD0-U+FDEF, and the last two code points of every plane).
_ILL_FORMED = re.compile("[\ud800-\udfff\ufdd0-\ufdef"
                         + "".join(f"{chr(plane | 0xFFFE)}{chr(plane | 0xFFFF)}"
                                   for plane in range(0, 0x110000, 0x10000)) + "]")

_TRUE = {"true", "yes", "1", "y"}
_FALSE = {"false", "no", "0", "n"}


def split_list(cell: Cell) -> list[str]:
    """The items of a ``;``-separated cell (or a YAML/JSON list), blanks dropped."""
    if cell is None:
        return []
    if type(cell) is str and ";" not in cell:  # nearly every cell: one item or none
        text = cell.strip()
        return [text] if text else []
    parts = cell if isinstance(cell, list) else cell.split(";")
    return [p.strip() for p in parts if p.strip()]


_DIGITS = re.compile(r"(\d+)")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def natural_key(text: str) -> tuple[int | str, ...]:
    """A sort key that orders the numbers inside ids by value: ``A.2.2`` before ``A.10.2``,
    ``C-9`` before ``C-10`` (people read references that way; text order does not).

    Each part gives two items, its kind (0 text, 1 number) and its value, in one flat tuple:
    it orders as a tuple of pairs would, and a sort of 100,000 findings compares it faster.
    """
    key: list[int | str] = []
    for i, part in enumerate(_DIGITS.split(text)):  # text, number, text, ... alternately
        if part:
            key += (1, int(part)) if i % 2 else (0, part.casefold())
    return tuple(key)


#: What a natural sort text puts before a text part and before a number part: below every
#: character an id may hold, so a part that is shorter sorts first, as in :func:`natural_key`.
NATURAL_TEXT_MARK, NATURAL_NUMBER_MARK = "\x01", "\x02"
#: The digits a number is padded to in a natural sort text.
NATURAL_WIDTH = 40
_ASCII_DIGITS = re.compile(r"([0-9]+)")


def natural_text(text: str) -> str:
    """:func:`natural_key` as one string, for a database to sort by (SQLite calls this
    function; Neo4j computes the same string in Cypher): the same order for ids whose numbers
    have at most :data:`NATURAL_WIDTH` digits and whose letters lower-case as they case-fold
    (every ASCII id)."""
    parts = []
    for i, part in enumerate(_ASCII_DIGITS.split(text)):
        if part:
            parts.append(NATURAL_NUMBER_MARK + part.rjust(NATURAL_WIDTH, "0")[-NATURAL_WIDTH:]
                         if i % 2 else NATURAL_TEXT_MARK + part.lower())
    return "".join(parts)


def quote_cell(text: str, limit: int = 60) -> str:
    """A cell as an error message quotes it: printable, and cut short when long."""
    clean = "".join(ch if ch.isprintable() else "?" for ch in text)
    return f"'{clean}'" if len(clean) <= limit else f"'{clean[:limit]}...' ({len(text)} characters)"


def look_alike_key(text: str) -> str:
    """What ``text`` looks like to a reader: case folded, compatibility forms folded (NFKC),
    and each letter of another script that Unicode lists as confusable with a Latin one
    (Cyrillic ``Р``, Greek ``Ο``) read as that Latin letter. Two ids with the same key but
    different text are a mistake waiting to happen (``P-1`` and ``p-1``, ``P-1`` and a
    Cyrillic ``Р-1``)."""
    if text.isascii():
        return text.casefold()
    from confusable_homoglyphs import confusables  # its table loads in 50 ms; ASCII needs none

    seen = text
    for found in confusables.is_confusable(text, greedy=True,
                                           preferred_aliases=["latin"]) or []:
        latin = next((h["c"] for h in found["homoglyphs"] if h["c"].isascii()), None)
        if latin is not None and not found["character"].isascii():  # '1' stays '1', not 'l'
            seen = seen.replace(found["character"], latin)
    return unicodedata.normalize("NFKC", seen).casefold()


def ill_formed(text: str) -> str | None:
    """Why ``text`` is not well-formed Unicode (a lone surrogate or a non-character, and
    where), or None when it is. Every text that enters the graph passes here first: a value
    that UTF-8 cannot carry would be written once and then break every read."""
    if text.isascii():  # nearly every value: one C-level pass
        return None
    found = _ILL_FORMED.search(text)
    if found is None:
        return None
    char = found.group()
    what = "a lone surrogate" if 0xD800 <= ord(char) <= 0xDFFF else "a non-character"
    return f"holds {what} (U+{ord(char):04X}) at character {found.start() + 1}, which is not " \
           "well-formed Unicode"


def well_formed(text: str) -> str:
    """``text`` with each lone surrogate or non-character replaced by U+FFFD, the
    replacement character: for names shown back to a person (a file name from the disk,
    which Python decodes with surrogate escapes), never for data."""
    return text if text.isascii() else _ILL_FORMED.sub("\ufffd", text)


def clean_id(text: str) -> str:
    """An id as stored: NFC-normalised and trimmed, so that ids that look the same are the
    same. Raises ValueError naming the first character that an id may not hold, and where."""
    if text.isascii() and text.isprintable() and ";" not in text:  # nearly every id: fast
        value = text.strip()
        if value and len(value) <= MAX_ID_LENGTH:
            return value
    value = unicodedata.normalize("NFC", text).strip()
    if not value:
        raise ValueError("is empty")
    if len(value) > MAX_ID_LENGTH:
        raise ValueError(f"is {len(value)} characters long; at most {MAX_ID_LENGTH} are allowed")
    for position, char in enumerate(value, 1):
        what = _ID_FORBIDDEN.get(char)
        if what is None and unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            what = "a control or format character"
        if what is not None:
            raise ValueError(f"holds {what} (U+{ord(char):04X}) at character {position}")
    return value


def parse_date(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` date; raises ValueError naming the bad text."""
    try:
        if not _ISO_DAY.fullmatch(text):  # fromisoformat also takes 20261204 and 20261204T1
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{quote_cell(text)} is not a date (expected YYYY-MM-DD)") from None


#: The days a question may be asked as of: wide enough for any register, and far enough from
#: the calendar's end that the windows counted from them (review cycles, audit years) are
#: still dates.
EARLIEST_AS_OF = dt.date(1900, 1, 1)
LATEST_AS_OF = dt.date(9000, 12, 31)


def parse_as_of(text: str) -> dt.date:
    """A ``YYYY-MM-DD`` date to ask a question as of, between :data:`EARLIEST_AS_OF` and
    :data:`LATEST_AS_OF`; raises ValueError naming the bad text or the range."""
    day = parse_date(text)
    if not EARLIEST_AS_OF <= day <= LATEST_AS_OF:
        raise ValueError(f"{day.isoformat()} is outside the dates a question may be asked as "
                         f"of ({EARLIEST_AS_OF.isoformat()} to {LATEST_AS_OF.isoformat()})")
    return day


def parse_bool(text: str) -> bool:
    """true/false/yes/no/1/0 in any case; raises ValueError naming the bad text."""
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(f"{quote_cell(text)} is not a boolean (expected true/false, yes/no or 1/0)")


def parse_value(prop: Property, cell: Cell) -> Value | None:
    """The typed value of ``cell`` for ``prop``; None when the cell is empty.

    Raises ValueError with a plain explanation when the cell does not fit the declaration.
    """
    if type(cell) is str and prop.type == "string" and not prop.enum:  # most cells: text
        return cell.strip() or None
    if prop.type == "string_list":
        items = split_list(cell)
        if prop.enum:  # each item one of the enum, in any case, stored in the enum's spelling
            items = [_enum_value(prop, item) for item in items]
        return items or None
    if isinstance(cell, list):
        if len(cell) != 1:
            raise ValueError("takes a single value, not a list")
        cell = cell[0]
    if cell is None or not cell.strip():
        return None
    text = cell.strip()
    if prop.type == "date":
        return parse_date(text)
    if prop.type == "boolean":
        return parse_bool(text)
    if prop.type == "integer":
        try:
            number = int(text)
        except ValueError:
            raise ValueError(f"{quote_cell(text)} is not a whole number") from None
        low, high = prop.minimum, prop.maximum
        if (low is not None and number < low) or (high is not None and number > high):
            raise ValueError(f"{number} is outside the allowed range {low}-{high}")
        return number
    if prop.type == "number":
        try:
            real = float(text)
        except ValueError:
            raise ValueError(f"{quote_cell(text)} is not a number") from None
        low, high = prop.minimum, prop.maximum
        if not math.isfinite(real) or (low is not None and real < low) or (
                high is not None and real > high):
            raise ValueError(f"{quote_cell(text)} is outside the allowed range {low}-{high}")
        return real
    if prop.enum:
        return _enum_value(prop, text)
    return text


def _enum_value(prop: Property, text: str) -> str:
    """``text`` as one of ``prop``'s enum values: any case on input, the enum's own spelling
    stored (``skos:exactMatch``); ValueError naming the values otherwise."""
    lowered = text.strip().lower()
    found = next((v for v in prop.enum if v.lower() == lowered), None)
    if found is None:
        raise ValueError(f"{quote_cell(text)} is not one of: {', '.join(prop.enum)}")
    return found


def encode_props(props: Mapping[str, Any],
                 without: AbstractSet[str] = frozenset()) -> dict[str, Any]:
    """Properties as JSON-safe values (dates as ISO strings), leaving out the names in
    ``without`` in the same pass."""
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in props.items()
            if k not in without}


def decode_props(props: Mapping[str, Any], declared: Mapping[str, Property]) -> dict[str, Any]:
    """Properties read back from storage, with declared dates as ``datetime.date``."""
    out = dict(props)
    for name, value in props.items():
        prop = declared.get(name)
        if prop is not None and prop.type == "date" and isinstance(value, str):
            out[name] = dt.date.fromisoformat(value)
    return out
