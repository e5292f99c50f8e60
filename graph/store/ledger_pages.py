"""A run's change ledger kept in compressed pages, as both stores keep it.

An entry is JSON text naming its item and, for a created one, the properties written: kept
one text per entry, a first load's ledger was larger than the data it describes (55 MB of
entries for 41 MB of properties and keys at 10,000 AI systems). Entries repeat their keys,
labels and ids, so a page of consecutive entries compresses well: at zlib's fastest level
the same ledger takes under a tenth of the data's size, and a page is one row (or node) to
write instead of thousands. A page is read whole; a page of the ledger listing decompresses
the pages it overlaps.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Protocol, runtime_checkable

from aimsgraph.graph.store.jsonio import json_text
from aimsgraph.graph.store.runs import Change
from aimsgraph.ontology import DamagedStoreError

__all__ = ["PAGE", "EntryTexts", "Page", "examined_texts", "held_texts", "pack", "pages",
           "repacked", "text_pages", "unpack", "window"]

#: Entries per page: a page is read whole, so a listing of a few entries stays cheap.
PAGE = 5000
#: A page as written: its first entry's number, its last entry's number, the packed texts.
Page = tuple[int, int, bytes]


def pack(texts: Sequence[str]) -> bytes:
    """Entries' JSON texts as one page (JSON text never holds a raw line break)."""
    return zlib.compress("\n".join(texts).encode(), 1)


def unpack(packed: bytes, where: str) -> list[str]:
    """The entries' JSON texts a page holds; one that cannot be read is a damaged store,
    named by ``where``."""
    try:
        return zlib.decompress(packed).decode().split("\n")
    except (zlib.error, UnicodeDecodeError) as exc:
        raise DamagedStoreError(f"the ledger page {where} cannot be read ({exc}); run "
                                "`aimsgraph doctor`") from None


@runtime_checkable
class EntryTexts(Protocol):
    """Entries that can give their JSON texts without being made into :class:`Change`
    objects first (a plan's ledger, whose entries are tuples until read)."""

    def texts(self, start: int = 0, stop: int | None = None) -> list[str]:
        """The JSON texts of the entries from ``start`` to before ``stop``."""


def pages(changes: Sequence[Change], first: int) -> Iterator[Page]:
    """``changes`` (the run's entries from ``first``) as pages: first entry's number, last
    entry's number and the page."""
    texts = (changes.texts() if isinstance(changes, EntryTexts)
             else [json_text(c.to_json()) for c in changes])
    return text_pages(texts, first)


def text_pages(texts: Sequence[str], first: int) -> Iterator[Page]:
    """:func:`pages` of entries written as JSON text already (a ledger moved into pages)."""
    for start in range(0, len(texts), PAGE):
        page = texts[start:start + PAGE]
        yield first + start, first + start + len(page) - 1, pack(page)


def window(held: Iterable[tuple[int, list[str]]], offset: int, end: int) -> list[str]:
    """The entries numbered ``offset`` to before ``end`` among pages given as their first
    entry's number and their entries, in order."""
    return [text for seq, texts in held for n, text in enumerate(texts, start=seq)
            if offset <= n < end]


def held_texts(where: str, packed: bytes | None, texts: Sequence[str] | None) -> list[str]:
    """The entries a ledger node holds: compressed, or as earlier versions wrote them (a
    list of texts, or one)."""
    return unpack(packed, where) if packed is not None else list(texts or [])


def examined_texts(where: str, packed: bytes | None, texts: Sequence[str] | None
                   ) -> list[str]:
    """:func:`held_texts` for ``aimsgraph doctor``: a page that cannot be read is one text
    that is not JSON, reported (and not mended) like any other unreadable value."""
    try:
        return held_texts(where, packed, texts)
    except DamagedStoreError:
        return [""]


def repacked(texts: list[str], mended: Mapping[int, str]) -> bytes:
    """A page of ``texts`` with the entries at the indexes ``mended`` gives replaced."""
    for index, text in mended.items():
        texts[index] = text
    return pack(texts)
