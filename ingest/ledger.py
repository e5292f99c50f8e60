"""A run's change ledger as planning builds it: one entry per write, made when it is read.

The ledger is what undoing a run and reading history need (:mod:`graph.store.undo`), so its
entries say what each write created, updated or removed, and what the item held before.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

from aimsgraph.graph.store.jsonio import json_text
from aimsgraph.graph.store.records import RelKey
from aimsgraph.graph.store.runs import Change
from aimsgraph.ontology.values import encode_props

__all__ = ["Ledger", "portable_texts", "removal"]

_UNLEDGERED = frozenset({"run_id", "updated_at"})  # the ledger entry's own run says these

#: A planned write as the ledger keeps it until read: kind, type, key (a node's id or a
#: relationship's key), the properties stored before (None when new) and those written.
_Planned = tuple[str, str, str | RelKey, dict[str, Any] | None, dict[str, Any]]


class Ledger(Sequence[Change]):
    """A run's change ledger, each entry made when it is read (written, listed).

    An entry of a planned write keeps the properties the plan writes and those the store
    held, dictionaries the plan holds anyway, not JSON-ready copies of them: an ingest of
    100,000 AI systems plans 2.4 million entries, and the copies were a fifth of its memory.
    The plan must not change those dictionaries once planned (it does not).
    """

    def __init__(self) -> None:
        self._entries: list[Change | _Planned] = []

    def planned(self, kind: str, name: str, key: str | RelKey, old: dict[str, Any] | None,
                new: dict[str, Any]) -> None:
        """The entry for writing ``new`` over ``old`` (None: created)."""
        self._entries.append((kind, name, key, old, new))

    def append(self, change: Change) -> None:
        """An entry made already (removals)."""
        self._entries.append(change)

    def extend(self, other: Ledger) -> None:
        """``other``'s entries after these (chunks of one run gathered for one write)."""
        self._entries.extend(other._entries)

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> Change: ...

    @overload
    def __getitem__(self, index: slice) -> Ledger: ...

    def __getitem__(self, index: int | slice) -> Change | Ledger:
        if isinstance(index, slice):  # a part of the ledger, its entries made when read
            part = Ledger()
            part._entries = self._entries[index]
            return part
        return _made(self._entries[index])

    def __iter__(self) -> Iterator[Change]:
        return map(_made, self._entries)

    def texts(self, start: int = 0, stop: int | None = None) -> list[str]:
        """The JSON texts of entries ``start`` to before ``stop``, as
        ``json_text(entry.to_json())`` gives them, a created item's made without its
        :class:`Change` (a first load's ledger is all creations: this is most of what
        writing it costs)."""
        return [_text(entry) for entry in self._entries[start:stop]]


    def entries(self) -> list[Change | _Planned]:
        """The entries as kept: a planned write as its tuple (kind, type, key, properties
        before or None, properties written), an entry made already as its :class:`Change`."""
        return self._entries


def portable_texts(entries: Iterable[Any]) -> list[str]:
    """The JSON texts of entries sent to another process (:mod:`ingest.writer_process`): a
    planned write's tuple read back from JSON (dates as ISO text), or an entry's text made
    already. They are the texts :meth:`Ledger.texts` gives of the entries they were, since
    a date is written as that ISO text either way."""
    return [entry if isinstance(entry, str) else _text(tuple(entry)) for entry in entries]


def removal(kind: str, name: str, key: str | RelKey, old: dict[str, Any]) -> Change:
    """The entry for removing a node (``key`` its id) or a relationship that held ``old``."""
    ident = (key,) if isinstance(key, str) else _rel_key(key)
    return Change("removed", kind, name, ident, props=_ledger_props(old), prior=_prior(old))


def _made(entry: Change | _Planned) -> Change:
    if isinstance(entry, Change):
        return entry
    kind, name, key, old, new = entry
    ident = (key,) if isinstance(key, str) else _rel_key(key)
    if old is None:
        return Change("created", kind, name, ident, props=_ledger_props(new))
    return Change("updated", kind, name, ident, changed=_changed(old, new), prior=_prior(old))


def _text(entry: Change | _Planned) -> str:
    if isinstance(entry, Change) or entry[3] is not None:
        return json_text(_made(entry).to_json())
    kind, name, key, _, new = entry
    item: dict[str, Any]
    if isinstance(key, str):
        item = {"action": "created", "kind": kind, "type": name, "id": key}
    else:
        _, (start_label, start_id), (end_label, end_id), identity = key
        item = {"action": "created", "kind": kind, "type": name, "identity": identity,
                "start": {"type": start_label, "id": start_id},
                "end": {"type": end_label, "id": end_id}}
    # dates are written as ISO text by json_text, as encode_props would have made them; a
    # copy less what its run says is quicker than a filtered one (0.7 against 1.2 µs)
    props = dict(new)
    for unledgered in _UNLEDGERED:
        props.pop(unledgered, None)
    if props:
        item["props"] = props
    return json_text(item)


def _ledger_props(props: dict[str, Any]) -> dict[str, Any]:
    """The properties a ledger entry records: JSON-safe, without what its run says (one pass:
    an ingest records an entry for every row it writes)."""
    return encode_props(props, without=_UNLEDGERED)


def _prior(old: dict[str, Any]) -> dict[str, Any]:
    """The provenance the ledger leaves out of an updated or removed item's values (the run
    that wrote it, and when): what undoing the entry needs to put the item back as it was."""
    return encode_props({k: old[k] for k in _UNLEDGERED if old.get(k) is not None})


def _changed(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """Each property whose value differs, with its value before and after."""
    before, after = _ledger_props(old), _ledger_props(new)
    return {k: [before.get(k), after.get(k)] for k in sorted(before.keys() | after.keys())
            if before.get(k) != after.get(k)}


def _rel_key(key: RelKey) -> tuple[str, ...]:
    rel_type, (start_label, start_id), (end_label, end_id), identity = key
    return (start_label, start_id, end_label, end_id, identity)
