"""Budgets for expensive reads: a time limit per request and a size limit per answer.

A read on a large graph (a person's trace, a neighbourhood four steps out, a page of the whole
graph) can cost seconds and megabytes. The API gives every read a deadline
(:func:`set_read_deadline`, from ``AIMSGRAPH_READ_TIMEOUT_SECONDS``); the walks of the embedded
store check it at every step (:func:`check_deadline`, called by
:class:`graph.store.view.GraphView`),
and the Neo4j store hands what is left of it to the server as the transaction timeout. Past
it the read ends with :class:`ReadTimeoutError` (HTTP 503 with ``Retry-After``), holding no
lock. The deadline lives in a context variable, so it follows the request into the worker
thread that runs it and never leaks into another request.
"""

from __future__ import annotations

import contextvars
import time

from aimsgraph.ontology import ReadTimeoutError, TooBroadError

__all__ = ["TRACE_NODE_LIMIT", "check_deadline", "check_trace_size", "remaining_seconds",
           "set_read_deadline"]

#: The most nodes one trace may return; a broader one is refused with a narrower request.
TRACE_NODE_LIMIT = 5000

_deadline: contextvars.ContextVar[tuple[float, float] | None] = contextvars.ContextVar(
    "aimsgraph_read_deadline", default=None)


def set_read_deadline(seconds: float | None) -> None:
    """Give the rest of the current context (one API request) a read deadline."""
    _deadline.set((time.monotonic() + seconds, seconds) if seconds else None)


def remaining_seconds() -> float | None:
    """Seconds left before the deadline (None when there is none); raises when it passed."""
    current = _deadline.get()
    if current is None:
        return None
    left = current[0] - time.monotonic()
    if left <= 0:
        raise ReadTimeoutError(f"the read took longer than its budget of {current[1]:g} s; "
                               "ask a narrower question or try again later")
    return left


def check_deadline() -> None:
    """Raise :class:`ReadTimeoutError` when the current read is past its deadline (cheap)."""
    current = _deadline.get()
    if current is not None and time.monotonic() > current[0]:
        remaining_seconds()


def check_trace_size(kind: str, subject: str, nodes: int) -> None:
    """Refuse a trace broader than :data:`TRACE_NODE_LIMIT`, naming narrower requests."""
    if nodes > TRACE_NODE_LIMIT:
        raise TooBroadError(
            f"the {kind} trace of {subject} reaches {nodes} nodes, more than the "
            f"{TRACE_NODE_LIMIT} a trace may show; ask for less: one item's owner chain "
            f"(trace control|risk|policy ID), or its neighbourhood (visualise node {subject} "
            "--depth 1 --label LABEL)")
