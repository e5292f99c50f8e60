"""Responses kept per store generation, as the bytes sent.

Reads that many clients repeat (the gap report, traces) are answered once per store
generation: a repeated request then costs a lookup, not the computing, validating and encoding
of the answer. The bytes are those the route's response model gives, validated by it and
encoded as FastAPI encodes a JSON response, so a kept answer and a fresh one are the same. A
write moves the generation and leaves every kept answer behind; old ones leave as the cache
fills (:class:`graph.store.cache.AnswerCache`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from fastapi import Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import TypeAdapter

from aimsgraph.graph.queries import Queries

__all__ = ["kept_response"]


@cache
def _adapter(model: Any) -> TypeAdapter[Any]:
    return TypeAdapter(model)


def kept_response(request: Request, queries: Queries, question: tuple[Any, ...], model: Any,
                  answer: Callable[[], Any]) -> Response:
    """The response to ``question`` (what the route was asked, beyond the store, the check
    parameters and the recorded point, which the key adds), computed by ``answer`` and shaped
    by ``model`` when it is not kept."""
    key = (id(queries.store), queries.store.generation(), queries.params,
           queries.as_recorded, *question)

    def render() -> bytes:
        validated = _adapter(model).validate_python(answer())
        return bytes(JSONResponse(jsonable_encoder(validated)).body)

    return Response(request.app.state.body_cache.get_or_compute(key, render),
                    media_type="application/json")
