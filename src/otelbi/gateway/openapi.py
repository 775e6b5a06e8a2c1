"""The gateway's OpenAPI document: every public route, the services' ones included.

The services publish no document of their own (they answer nothing without an internal
token), and the gateway reaches them through catch-all forwarding routes kept out of the
schema. So the document is built from the gateway's own routes plus the very routers the
services mount (`aw.service.ROUTERS`, `wwi.service.ROUTERS`), as the gateway exposes them:
behind the user's bearer token, answering 503 when the service cannot be reached and 504 when
it does not answer within its route class's timeout (SERVICE_TIMEOUT_*_SECONDS).

What only some routes answer (404, 409, 503, files) is declared on those routes. What follows
from a route's shape is added here, once: 401 and 403 where a token is needed, 422 where
there are parameters or a body (`ErrorBody`, as our handler answers — not FastAPI's
HTTPValidationError), 413 where there is a body. A summary is the first line of the
route's docstring and its description the rest (every operation has both, and a tag
described in `TAGS`: Swagger UI at /docs and ReDoc at /redoc show them, gateway/api_docs.py);
an operation id is the route's name in snake case (`aw_sales_kpis`).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, FastAPI, Security
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from otelbi.aw.service import ROUTERS as AW_ROUTERS
from otelbi.gateway.auth import USER_TOKEN
from otelbi.web.errors import ERROR_DESCRIPTIONS, ErrorBody, error_responses
from otelbi.wwi.service import ROUTERS as WWI_ROUTERS

DESCRIPTION = """\
OTel BI as the browser reaches it: the api-gateway's own routes, and the aw-service and
wwi-service routes it forwards (`/api/aw/…`, `/api/wwi/…`) at the same paths.

Every route but /api/config and /api/health needs the user's bearer token (unless the
gateway runs with REQUIRE_FRONTEND_AUTH=false). Every error is
`{"error": "<kind>", "detail": "<what to do>"}` (ErrorBody). Every response carries
`x-trace-id` and `x-span-id`.
"""

TAGS: list[dict[str, Any]] = [
    {
        "name": "gateway",
        "description": "Start here: the browser's sign-in settings, the product's health (both "
        "without a token) and the relay of the browser's own spans.",
    },
    {
        "name": "aw",
        "description": "AdventureWorks (aw-service): sales KPIs, history and forecast, sales-rep "
        "and product rankings, and the snapshots the daily jobs stored. Views of the "
        "warehouse are answered from the result cache until its data changes.",
    },
    {
        "name": "wwi",
        "description": "WideWorldImporters (wwi-service): sales KPIs, supplier scores, what to "
        "reorder, stock-level events and what-if scenarios, and the stored snapshots.",
    },
    {
        "name": "exports",
        "description": "Any view as a CSV, XLSX or PDF download, with the same parameters as the "
        "view; each download is recorded (export record and audit row).",
    },
    {
        "name": "reports",
        "description": "Full reports: every view in one XLSX and one PDF written to the report "
        "share; generate one, list them, download their files.",
    },
    {
        "name": "jobs",
        "description": "Scheduled jobs of each service: their schedules, the history of their "
        "runs, and run now.",
    },
    {
        "name": "audit",
        "description": "The append-only audit log of every call, cursor-paged, and the check "
        "of its hash chain.",
    },
]

SERVICE_ROUTERS: tuple[APIRouter, ...] = (*AW_ROUTERS, *WWI_ROUTERS)
"""The routers the domain services mount, each reached through the gateway at its own path."""

_SCHEMAS = "#/components/schemas/"


def operation_id(route: APIRoute) -> str:
    """Return the route's operation id: its name in snake case (aw.sales.kpis: aw_sales_kpis)."""
    return route.name.replace(".", "_")


def install_openapi(app: FastAPI) -> None:
    """Make the gateway `app` serve (at /openapi.json) the document of every public route."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = public_openapi(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def public_openapi(app: FastAPI) -> dict[str, Any]:
    """Return the OpenAPI document of the gateway `app` and of the routes it forwards."""
    document = get_openapi(
        title=app.title,
        version=app.version,
        description=DESCRIPTION,
        routes=[*app.routes, *_forwarded_routes().routes],
        tags=TAGS,
    )
    for path_item in document["paths"].values():
        for operation in path_item.values():
            _add_answers_of_its_shape(operation)
            _summarise(operation)
    _settle_schemas(document)
    return document


def openapi_json(document: dict[str, Any]) -> str:
    """Return the document as the file the frontend generates its client from."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _forwarded_routes() -> APIRouter:
    """Return the services' routes as the gateway exposes them (only ever documented)."""
    forwarded = APIRouter(generate_unique_id_function=operation_id)
    for router in SERVICE_ROUTERS:
        forwarded.include_router(
            router, dependencies=[Security(USER_TOKEN)], responses=error_responses(503, 504)
        )
    return forwarded


def _add_answers_of_its_shape(operation: dict[str, Any]) -> None:
    """Declare the errors that follow from the operation's token, parameters and body."""
    responses: dict[str, Any] = operation["responses"]
    statuses = []
    if "security" in operation:
        # A route and its router may both ask for the user: one requirement is enough.
        operation["security"] = [
            requirement
            for index, requirement in enumerate(operation["security"])
            if requirement not in operation["security"][:index]
        ]
        statuses += [401, 403]
    if operation.get("parameters") or "requestBody" in operation:
        statuses.append(422)
        responses.pop("422", None)  # FastAPI's HTTPValidationError: our handler answers ErrorBody
    if "requestBody" in operation:
        statuses.append(413)
    for status in statuses:
        responses.setdefault(
            str(status),
            {
                "description": ERROR_DESCRIPTIONS[status],
                "content": {"application/json": {"schema": {"$ref": f"{_SCHEMAS}ErrorBody"}}},
            },
        )
    operation["responses"] = dict(sorted(responses.items()))


def _summarise(operation: dict[str, Any]) -> None:
    """Make the docstring's first line the summary and the rest the description."""
    description = operation.get("description", "")
    if not description:
        return
    summary, _, rest = description.partition("\n")
    operation["summary"] = summary.strip()
    if rest.strip():
        operation["description"] = rest.strip()
    else:
        del operation["description"]


def _settle_schemas(document: dict[str, Any]) -> None:
    """Add ErrorBody; drop FastAPI's validation-error schemas once nothing refers to them."""
    schemas: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorBody", ErrorBody.model_json_schema(ref_template=_SCHEMAS + "{model}"))
    # HTTPValidationError refers to ValidationError, so it goes first.
    for name in ("HTTPValidationError", "ValidationError"):
        schema = schemas.pop(name, None)
        if schema is not None and f'"{_SCHEMAS}{name}"' in json.dumps(document):
            schemas[name] = schema
    document["components"]["schemas"] = dict(sorted(schemas.items()))
