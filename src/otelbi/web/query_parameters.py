"""Query parameters an operation does not take are refused, not ignored.

A typo such as `?day_back=30` would otherwise answer the default window, and the reader would
take it for the thirty days asked for. The operation's own parameters (its dependencies'
included) are the allowed names; anything else is a 422 that names the unknown parameters —
only when they look like parameter names, so a client's arbitrary text is never echoed — and
lists the ones the operation takes.
"""

from __future__ import annotations

import re

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from otelbi.errors import InvalidInput

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,63}")
_declared: dict[int, frozenset[str]] = {}


def _declared_names(route: APIRoute) -> frozenset[str]:
    """Return the query parameter names `route` takes (worked out once per route)."""
    names = _declared.get(id(route))
    if names is None:
        names = _declared[id(route)] = frozenset(_query_names(route.dependant))
    return names


def _query_names(dependant: Dependant) -> set[str]:
    """Return the query parameter names of `dependant` and of everything it depends on."""
    names = {param.alias for param in dependant.query_params}
    for dependency in dependant.dependencies:
        names |= _query_names(dependency)
    return names


async def refuse_unknown_query_parameters(request: Request) -> None:
    """Raise InvalidInput (422) when the query holds a parameter the operation does not take."""
    route = request.scope.get("route")
    if not isinstance(route, APIRoute) or not request.query_params:
        return
    declared = _declared_names(route)
    unknown = sorted(set(request.query_params.keys()) - declared)
    if not unknown:
        return
    shown = [name for name in unknown if _NAME.fullmatch(name)]
    named = ", ".join(shown) if shown else "a parameter"
    if len(shown) < len(unknown) and shown:
        named += f" and {len(unknown) - len(shown)} more"
    takes = ", ".join(sorted(declared)) if declared else "no query parameters"
    raise InvalidInput(f"query: unknown parameter {named}; this operation takes {takes}")


QUERY_CHECKED = [Depends(refuse_unknown_query_parameters)]
"""`dependencies=` of a router whose operations refuse unknown query parameters."""
