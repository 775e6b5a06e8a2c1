"""Hand-written spans around business steps, in the service that runs them.

Code below the routes (analytics functions, the audit log, the warehouse catalog) does not
hold its service's Telemetry, and with one tracer provider per service the global provider
cannot stand in. So the service is a context variable: `ServiceContext` (an ASGI middleware
every app has) sets it for each request, the job runner for each run, and `business_span`
and `traced_view` read it. Context variables follow the request into the thread pool where
FastAPI runs sync routes and dependencies and iterates sync streams. Outside any service
(unit tests, scripts) the spans are non-recording and the metrics go nowhere.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from opentelemetry import trace
from opentelemetry.util.types import AttributeValue

from otelbi.telemetry.providers import Telemetry, disabled_telemetry

P = ParamSpec("P")
R = TypeVar("R")

_OUTSIDE_ANY_SERVICE = disabled_telemetry("otelbi")
_service: ContextVar[Telemetry | None] = ContextVar("otelbi_service", default=None)
_view: ContextVar[str | None] = ContextVar("otelbi_view", default=None)


def current_telemetry() -> Telemetry:
    """Return the telemetry of the service running the current request or job."""
    return _service.get() or _OUTSIDE_ANY_SERVICE


def current_service_name() -> str | None:
    """Return the name of the service running the current request or job, if any."""
    telemetry = _service.get()
    return None if telemetry is None else telemetry.service_name


def current_view() -> str | None:
    """Return the analytics view (`domain.view`) being computed, if any."""
    return _view.get()


@contextmanager
def running_as(telemetry: Telemetry) -> Iterator[None]:
    """Run the block as `telemetry`'s service: its spans and metrics carry that service."""
    token = _service.set(telemetry)
    try:
        yield
    finally:
        _service.reset(token)


@contextmanager
def business_span(
    name: str, attributes: Mapping[str, AttributeValue] | None = None
) -> Iterator[trace.Span]:
    """Yield the current span of one business step in the current service.

    An exception leaving the block is recorded on the span and sets its status to ERROR.
    """
    tracer = current_telemetry().tracer
    with tracer.start_as_current_span(name, attributes=attributes) as span:
        yield span


def traced_view(
    domain: str, view: str, *, rows: Callable[[Any], int] | None = None
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Return a decorator that runs an analytics function inside `otelbi.<domain>.<view>`.

    The span carries `otelbi.domain`, `otelbi.view` and each scalar keyword argument as
    `otelbi.<name>` (days_back, top_n …); on return `otelbi.rows` (from `rows(result)`), or
    `otelbi.empty=true` when the function found no data (returned None).
    """
    domain = str(domain)
    name = f"otelbi.{domain}.{view}"

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def traced(*args: P.args, **kwargs: P.kwargs) -> R:
            attributes: dict[str, AttributeValue] = {"otelbi.domain": domain, "otelbi.view": view}
            attributes.update(_parameters(kwargs))
            token = _view.set(f"{domain}.{view}")
            try:
                with business_span(name, attributes) as span:
                    result = function(*args, **kwargs)
                    if result is None:
                        span.set_attribute("otelbi.empty", True)
                    elif rows is not None:
                        span.set_attribute("otelbi.rows", rows(result))
                    return result
            finally:
                _view.reset(token)

        return traced

    return decorate


def _parameters(arguments: Mapping[str, object]) -> dict[str, AttributeValue]:
    """Return the scalar arguments as `otelbi.<name>` attributes (None and objects left out)."""
    attributes: dict[str, AttributeValue] = {}
    for key, argument in arguments.items():
        value = argument.value if isinstance(argument, enum.Enum) else argument
        if isinstance(value, bool | int | float | str):
            attributes[f"otelbi.{key}"] = value
    return attributes
