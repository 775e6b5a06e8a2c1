"""A warehouse view's answer, from the result cache or computed on a warehouse connection.

Routes of warehouse views take a `ViewDep` and return `view.answer(query)`; downloads of a
view take `view.result(query)`: the same entry, so a download holds exactly what the screen
showed. A `ViewQuery`'s parameters are the view's arguments with their defaults applied (so
`?days_back=365` and no `days_back` share an entry). A hit never touches the warehouse. How
the call was answered (hit, miss, shared, off) is the `otelbi.result_cache` attribute of the
request's span, the `result_cache` audit parameter and the outcome label of the
`otelbi.cache.lookups` counter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

import pydantic_core
import sqlalchemy as sa
from fastapi import Depends, Request, Response
from opentelemetry import trace
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from otelbi.cache.data_version import Stamp, fingerprint
from otelbi.cache.results import Computed, Lookup, result_key
from otelbi.domain_service.dependencies import RESULT_CACHE_PARAMETER
from otelbi.domain_service.state import ServiceState
from otelbi.errors import NotFound

SPAN_ATTRIBUTE = "otelbi.result_cache"

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ViewQuery(Generic[M]):
    """What one call of a view asks: the view's name, its arguments with their defaults
    applied, how to compute it on a connection, what to say when there is nothing to show."""

    view: str
    parameters: Mapping[str, object]
    compute: Callable[[sa.Connection], M | None]
    missing: str
    model: type[M]


class WarehouseView:
    """The warehouse views of one request, answered through the result cache."""

    def __init__(self, request: Request, state: ServiceState) -> None:
        self._request = request
        self._state = state
        self._revalidate = "no-cache" in request.headers.get("cache-control", "").lower()

    async def answer(self, query: ViewQuery[M]) -> Response:
        """Return the view's JSON; NotFound when the warehouse holds nothing to show.

        A hit in the in-process cache is answered on the event loop; anything that may wait
        (reading the data version, Redis, the warehouse) runs in the thread pool. A call with
        `Cache-Control: no-cache` (the web app's Refresh) re-reads the data version first.
        """
        payload = None if self._revalidate else self._hit_without_waiting(query)
        if payload is None:
            payload = await run_in_threadpool(self._payload, query)
        return Response(payload, media_type="application/json")

    def result(self, query: ViewQuery[M]) -> M:
        """Return the view's result as its model (what a download of the view writes)."""
        return query.model.model_validate_json(self._payload(query))

    def _key(self, query: ViewQuery[M], stamp: Stamp) -> str:
        return result_key(self._state.domain.value, query.view, stamp.version, query.parameters)

    def _hit_without_waiting(self, query: ViewQuery[M]) -> bytes | None:
        results = self._state.results
        stamp = None if results is None else self._state.data_version.fresh()
        if results is None or stamp is None:
            return None
        payload = results.peek(self._key(query, stamp))
        if payload is not None:
            self._report(query.view, Lookup.HIT)
        return payload

    def _payload(self, query: ViewQuery[M]) -> bytes:
        results = self._state.results
        if results is None:
            payload, lookup = self._compute(query, None).payload, Lookup.OFF
        else:
            stamp = self._state.data_version.current(reread=self._revalidate)
            payload, lookup = results.get_or_compute(
                self._key(query, stamp), lambda: self._compute(query, stamp)
            )
        self._report(query.view, lookup)
        if payload is None:
            raise NotFound(query.missing)
        return payload

    def _compute(self, query: ViewQuery[M], stamp: Stamp | None) -> Computed:
        """Run the view; the result may be kept only if it was read at `stamp`'s version."""
        warehouse = self._state.warehouse
        with warehouse.connect() as connection:
            result = query.compute(connection)
            if stamp is None:
                keep = False
            elif warehouse.embedded:
                # A read-only DuckDB file cannot change under an open engine; a replaced file
                # gets a new engine (and a new version).
                keep = warehouse.engine() is stamp.engine
            else:
                keep = fingerprint(self._state.data_version.statement, connection) == stamp.version
        payload = None if result is None else pydantic_core.to_json(result, by_alias=True)
        return Computed(payload, keep)

    def _report(self, view: str, lookup: Lookup) -> None:
        setattr(self._request.state, RESULT_CACHE_PARAMETER, lookup.value)
        trace.get_current_span().set_attribute(SPAN_ATTRIBUTE, lookup.value)
        self._state.telemetry.metrics.cache_lookup(
            domain=self._state.domain.value, view=view, outcome=lookup.value
        )


async def warehouse_view(request: Request) -> WarehouseView:
    """Return the view call of this request (the state read, not depended on: see
    `audited_call`)."""
    return WarehouseView(request, request.app.state.service)


ViewDep = Annotated[WarehouseView, Depends(warehouse_view)]
