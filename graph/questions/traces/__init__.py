"""The traces (``aimsgraph trace KIND``), a module per kind, each one declaration holding its
Python walk and its Cypher (:class:`~.base.Trace`), and the registry that names them.

Adding a trace: a module here declaring ``TRACE`` with both twins, its name in
:data:`graph.questions.kinds.TRACE_KINDS`, and its cases in ``tests/gaps/test_traces.py``
(the differential test then holds the twins equal on random organisations).
"""

from __future__ import annotations

from aimsgraph.graph.questions.kinds import TRACE_KINDS
from aimsgraph.graph.questions.traces import executive, owner, path, person, requirement, system
from aimsgraph.graph.questions.traces.base import (
    Trace,
    lookup_ids,
    pick_node,
    resolve_node,
    resolve_stored,
)
from aimsgraph.graph.questions.traces.shapes import add_sources, chain_json, keys_of
from aimsgraph.ontology import NotFoundError

__all__ = ["TRACES", "Trace", "add_sources", "chain_json", "keys_of", "lookup_ids", "pick_node",
           "resolve_node", "resolve_stored", "trace_by_kind"]

#: Every trace by its kind, in the order ``TRACE_KINDS`` names them.
TRACES: dict[str, Trace] = {t.kind: t for t in (
    *owner.TRACES, system.TRACE, requirement.TRACE, person.TRACE, executive.TRACE, path.TRACE)}
if tuple(TRACES) != TRACE_KINDS:  # the CLI lists TRACE_KINDS without importing the traces
    raise RuntimeError(f"TRACE_KINDS {TRACE_KINDS} and the traces {tuple(TRACES)} differ")


def trace_by_kind(kind: str) -> Trace:
    """The trace ``kind``; NotFoundError naming the known kinds."""
    try:
        return TRACES[kind]
    except KeyError:
        raise NotFoundError(f"unknown trace kind '{kind}'; known kinds: "
                            f"{', '.join(TRACES)}") from None
