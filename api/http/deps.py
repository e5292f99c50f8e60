"""Shared wiring for the routes, as ``Annotated`` dependencies: settings, store, caller."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request, Security, status
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from aimsgraph.api.http.security import ApiKey, authenticate, is_loopback
from aimsgraph.api.settings import Settings
from aimsgraph.api.stores import store_from_settings
from aimsgraph.graph import GraphStore
from aimsgraph.graph.queries import Queries
from aimsgraph.graph.questions.definitions import today
from aimsgraph.graph.questions.kinds import PARAMETERS
from aimsgraph.graph.store.budget import set_read_deadline
from aimsgraph.ontology.values import parse_as_of

__all__ = ["AS_OF_SCHEMA", "AdminCaller", "AsOf", "Caller", "ReaderCaller", "StoreDep",
           "StoreHolder", "as_of_value", "read_budget"]


class StoreHolder:
    """Opens the configured store on first use, and again after it became unreachable."""

    def __init__(self, settings: Settings, store: GraphStore | None = None) -> None:
        self.settings = settings
        self._store = store
        self._owned = store is None  # a store handed in is closed by whoever made it
        self._opened = False
        self._lock = threading.Lock()

    def opened(self) -> GraphStore | None:
        """The store when it is already open (no lock, no I/O), else None."""
        return self._store if self._opened else None

    def get(self) -> GraphStore:
        with self._lock:
            if self._store is None:
                self._store = store_from_settings(self.settings)
            if not self._opened:
                self._store.open()
                self._opened = True
            return self._store

    def reset(self) -> None:
        """Forget the connection so the next request opens it afresh."""
        with self._lock:
            if self._store is not None and self._opened:
                self._store.close()
            self._opened = False

    def close(self) -> None:
        """Close the store at shutdown, when the app opened it itself."""
        if self._owned:
            self.reset()


# Dependencies that neither block nor do I/O are ``async``: FastAPI runs sync dependencies in
# its thread pool, and a thread hop per dependency would dominate a fast request.


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> GraphStore:
    """The open store. Only opening it blocks, so only that goes to the thread pool."""
    holder: StoreHolder = request.app.state.store_holder
    store = holder.opened()
    return store if store is not None else await run_in_threadpool(holder.get)


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def read_budget(settings: SettingsDep) -> None:
    """Give this request's reads their time budget (see graph.store.budget)."""
    set_read_deadline(settings.read_timeout_seconds)
StoreDep = Annotated[GraphStore, Depends(get_store)]


@dataclass(frozen=True)
class Caller:
    """Who is calling: their role (reader or admin), or anonymous on loopback."""

    role: str
    anonymous: bool = False


#: The API key scheme as OpenAPI declares it (Swagger UI's Authorize button); the key itself
#: is checked below, so a missing or malformed header reaches the same 401.
BEARER = HTTPBearer(auto_error=False, scheme_name="ApiKey", bearerFormat="API key",
                    description="An API key: `Authorization: Bearer KEY`. Reader keys read; "
                                "admin keys also ingest. Without configured keys, loopback "
                                "clients read without one.")


async def get_caller(request: Request, credentials: Annotated[
        HTTPAuthorizationCredentials | None, Security(BEARER)] = None) -> Caller:
    keys: list[ApiKey] = request.app.state.api_keys
    scheme, token = ((credentials.scheme, credentials.credentials) if credentials
                     else ("", ""))
    if not keys:
        client = request.client.host if request.client else None
        if not is_loopback(client):
            raise HTTPException(status.HTTP_403_FORBIDDEN,
                                "no API keys are configured: only loopback clients may read")
        return Caller("reader", anonymous=True)
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "an API key is required",
                            headers={"WWW-Authenticate": "Bearer"})
    role = authenticate(keys, token.strip())
    if role is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "unknown API key",
                            headers={"WWW-Authenticate": "Bearer"})
    return Caller(role)


async def require_admin(caller: Annotated[Caller, Depends(get_caller)]) -> Caller:
    if caller.anonymous:
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            "writes need an admin API key (none are configured)")
    if caller.role != "admin":
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this needs an admin API key")
    return caller


ReaderCaller = Annotated[Caller, Depends(get_caller)]
AdminCaller = Annotated[Caller, Depends(require_admin)]


def as_of_value(text: str | None, name: str = "as_of") -> dt.date | None:
    """A query's date parameter the way the CLI reads ``--as-of`` (:func:`parse_as_of`:
    YYYY-MM-DD only, in range), so a Unix timestamp or ``9999-12-31`` is refused alike."""
    if text is None:
        return None
    try:
        return parse_as_of(text)
    except ValueError as exc:
        raise RequestValidationError([{"type": "value_error", "loc": ("query", name),
                                       "msg": str(exc), "input": text}]) from None


#: What a point parameter (a run id or a date) declares in the OpenAPI schema: a value of
#: neither form is refused as a bad parameter, never looked for and "not found".
POINT_SCHEMA: dict[str, Any] = {
    "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8})$",
    "max_length": 25}


#: What an as-of date parameter declares in the OpenAPI schema: a calendar date of the years
#: a question may be asked as of (:data:`ontology.values.EARLIEST_AS_OF` on).
AS_OF_SCHEMA: dict[str, Any] = {"pattern": "^(19[0-9]{2}|[2-8][0-9]{3})-[0-9]{2}-[0-9]{2}$",
                                "json_schema_extra": {"format": "date"}, "max_length": 10}


async def get_as_of(as_of: Annotated[str | None, Query(
        description="Evaluate as of this date (YYYY-MM-DD); default today.",
        examples=["2026-11-27"], **AS_OF_SCHEMA)] = None) -> dt.date:
    return as_of_value(as_of) or today()


AsOf = Annotated[dt.date, Depends(get_as_of)]


def parameter_query(name: str) -> Any:
    """The query parameter of a gap check parameter, with the range and meaning it declares."""
    parameter = PARAMETERS[name]
    return Query(ge=parameter.low, le=parameter.high, description=parameter.description)


async def get_queries(request: Request, store: StoreDep, settings: SettingsDep,
                high_risk_threshold: Annotated[int | None,
                                               parameter_query("high_risk_threshold")] = None,
                key_person_limit: Annotated[int | None,
                                            parameter_query("key_person_limit")] = None,
                as_recorded: Annotated[str | None, Query(
                    **POINT_SCHEMA, description="Answer on the graph as recorded at this "
                    "point: a run id, or a date (YYYY-MM-DD) standing for the last successful "
                    "run that ended by that day.")] = None,
                ) -> AsyncIterator[Queries]:
    params = settings.check_params(high_risk_threshold, key_person_limit)
    queries = Queries(store, params, cache=request.app.state.gap_cache,
                      as_recorded=as_recorded)
    try:
        yield queries
    finally:
        queries.close()


QueriesDep = Annotated[Queries, Depends(get_queries)]
