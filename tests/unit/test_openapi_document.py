"""The gateway's OpenAPI document describes every public route, as the routes answer.

Built from the app objects only: no store, no warehouse, no lifespan.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from otelbi.aw.service import create_app as create_aw_app
from otelbi.cli import main
from otelbi.gateway.app import create_gateway_app
from otelbi.gateway.web_app import WebApp
from otelbi.settings import Settings
from otelbi.telemetry import disabled_telemetry
from otelbi.wwi.service import create_app as create_wwi_app
from tests.conftest import PROJECT_ROOT

FRONTEND_OPENAPI = PROJECT_ROOT / "frontend" / "openapi.json"
REGENERATE = (
    ".venv/bin/otelbi openapi --output frontend/openapi.json && "
    "(cd frontend && npm run generate:api)"
)
NOT_DOCUMENTED = {
    # Forwarding catch-alls: the service routes they reach are documented instead.
    "gateway.forward.aw",
    "gateway.forward.wwi",
    # The document and its two readers with their files (gateway/api_docs.py).
    "openapi",
    "swagger_ui_html",
    "redoc_html",
    "redoc_logo",
    "api_docs_asset",
    # The orchestrator's probes (web/probes.py), on every process: not part of the API.
    "livez",
    "readyz",
}
PUBLIC_WITHOUT_TOKEN = {("get", "/api/config"), ("get", "/api/health")}
ERROR_BODY = {"$ref": "#/components/schemas/ErrorBody"}

Operation = tuple[str, str, dict[str, Any]]


@pytest.fixture(scope="module")
def apps() -> dict[str, FastAPI]:
    settings = Settings(env_file=None)
    return {
        "gateway": create_gateway_app(settings, disabled_telemetry("api-gateway")),
        "aw": create_aw_app(settings, disabled_telemetry("aw-service")),
        "wwi": create_wwi_app(settings, disabled_telemetry("wwi-service")),
    }


@pytest.fixture(scope="module")
def spec(apps: dict[str, FastAPI]) -> dict[str, Any]:
    return apps["gateway"].openapi()


def _operations(spec: dict[str, Any]) -> list[Operation]:
    return [
        (method, path, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
    ]


def _served_routes(app: FastAPI) -> set[tuple[str, str, str]]:
    """Return (method, path, route name) of every route `app` really serves."""
    served = set()
    for route in iter_route_contexts(app.routes):
        if isinstance(route.original_route, WebApp) or route.name in NOT_DOCUMENTED:
            continue
        assert route.path_format, route
        assert route.methods, route
        for method in route.methods - {"HEAD"}:
            served.add((method.lower(), route.path_format, str(route.name)))
    return served


def test_every_public_route_is_in_the_document(
    apps: dict[str, FastAPI], spec: dict[str, Any]
) -> None:
    served = set().union(*(_served_routes(app) for app in apps.values()))
    assert len(served) > 40
    documented = {(method, path) for method, path, _ in _operations(spec)}
    missing = sorted(
        f"{m.upper()} {p} ({name})" for m, p, name in served if (m, p) not in documented
    )
    assert missing == []
    extra = documented - {(method, path) for method, path, _ in served}
    assert extra == set()


def test_each_operation_id_is_its_route_name(
    apps: dict[str, FastAPI], spec: dict[str, Any]
) -> None:
    names = {
        (method, path): name for app in apps.values() for method, path, name in _served_routes(app)
    }
    ids = [operation["operationId"] for _, _, operation in _operations(spec)]
    assert len(ids) == len(set(ids))
    for method, path, operation in _operations(spec):
        assert operation["operationId"] == names[method, path].replace(".", "_")
    assert {"aw_jobs_run", "wwi_jobs_run", "aw_jobs_list", "wwi_jobs_list"} <= set(ids)


def test_every_success_answer_has_a_schema(spec: dict[str, Any]) -> None:
    for method, path, operation in _operations(spec):
        successes = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
        assert successes, (method, path)
        for status, response in successes.items():
            content = response["content"]
            assert content, (method, path, status)
            for media_type, body in content.items():
                assert body["schema"] not in ({}, None), (method, path, status, media_type)
        assert operation.get("summary", "")[:1].isupper(), (method, path)
        assert operation.get("tags"), (method, path)


def test_every_operation_has_a_summary_a_description_and_a_described_tag(
    spec: dict[str, Any],
) -> None:
    tags = [tag["name"] for tag in spec["tags"]]
    assert len(tags) == len(set(tags))
    for tag in spec["tags"]:
        assert len(tag.get("description", "")) > 40, tag
    used = set()
    for method, path, operation in _operations(spec):
        where = f"{method.upper()} {path}"
        summary = operation.get("summary", "")
        # One sentence that fits on a line: the docstring's first line, not half of it.
        assert 10 < len(summary) <= 100, where
        assert summary[0].isupper(), where
        assert summary.rstrip(")").endswith("."), where
        description = operation.get("description", "")
        assert len(description) > 100, f"{where}: a few sentences, not {description!r}"
        assert summary not in description, where
        assert len(operation.get("tags", [])) == 1, where
        assert operation["tags"][0] in tags, where
        used.add(operation["tags"][0])
    assert used == set(tags)


def test_errors_are_error_bodies_declared_by_what_can_fail(spec: dict[str, Any]) -> None:
    for method, path, operation in _operations(spec):
        responses = operation["responses"]
        needs_token = (method, path) not in PUBLIC_WITHOUT_TOKEN
        assert ("401" in responses and "403" in responses) == needs_token, (method, path)
        # every operation can refuse input: a query parameter it does not take is a 422
        assert "422" in responses, (method, path)
        assert ("413" in responses) == ("requestBody" in operation), (method, path)
        for status, response in responses.items():
            if status.startswith("2") or (path, status) == ("/api/health", "503"):
                continue
            assert response["content"] == {"application/json": {"schema": ERROR_BODY}}, (
                method,
                path,
                status,
            )
    text = json.dumps(spec)
    assert "HTTPValidationError" not in text
    assert "#/components/schemas/ValidationError" not in text
    assert spec["components"]["schemas"]["ErrorBody"]["required"] == ["error", "detail"]


def test_what_touches_a_store_or_warehouse_can_be_unavailable(spec: dict[str, Any]) -> None:
    for method, path, operation in _operations(spec):
        if (method, path) == ("get", "/api/config"):
            assert "503" not in operation["responses"]
        else:
            assert "503" in operation["responses"], (method, path)
    health = spec["paths"]["/api/health"]["get"]["responses"]
    degraded = {"$ref": "#/components/schemas/GatewayHealth"}
    assert health["503"]["content"]["application/json"]["schema"] == degraded


def test_a_bearer_token_is_required_everywhere_but_config_and_health(
    spec: dict[str, Any],
) -> None:
    assert spec["components"]["securitySchemes"] == {
        "bearerAuth": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": spec["components"]["securitySchemes"]["bearerAuth"]["description"],
        }
    }
    for method, path, operation in _operations(spec):
        expected = None if (method, path) in PUBLIC_WITHOUT_TOKEN else [{"bearerAuth": []}]
        assert operation.get("security") == expected, (method, path)
        names = {parameter["name"].lower() for parameter in operation.get("parameters", [])}
        assert "authorization" not in names, (method, path)


def test_downloads_are_files_with_their_name(spec: dict[str, Any]) -> None:
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    downloads = [
        (path, operation)
        for method, path, operation in _operations(spec)
        if "/export/" in path or path == "/api/reports/{report_id}/{kind}"
    ]
    assert len(downloads) == 8
    for path, operation in downloads:
        ok = operation["responses"]["200"]
        expected = {xlsx, "application/pdf"} | (set() if "reports" in path else {"text/csv"})
        assert set(ok["content"]) == expected, path
        for body in ok["content"].values():
            assert body["schema"] == {"type": "string", "format": "binary"}
        assert "Content-Disposition" in ok["headers"]
    report_download = spec["paths"]["/api/reports/{report_id}/{kind}"]["get"]["responses"]
    assert {"404", "409"} <= set(report_download)


def test_scenarios_take_a_body_and_an_idempotency_key(spec: dict[str, Any]) -> None:
    create = spec["paths"]["/api/wwi/scenarios"]["post"]
    body = create["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ScenarioRequest"}
    assert [(p["name"], p["in"]) for p in create["parameters"]] == [("Idempotency-Key", "header")]
    scenario = {"$ref": "#/components/schemas/Scenario"}
    for status in ("200", "201"):
        assert create["responses"][status]["content"]["application/json"]["schema"] == scenario


def test_frontend_openapi_json_is_what_the_command_writes(tmp_path: Path) -> None:
    written = tmp_path / "openapi.json"
    assert main(["openapi", "--output", str(written)]) == 0
    assert json.loads(written.read_text(encoding="utf-8"))["paths"]
    current = FRONTEND_OPENAPI.read_text(encoding="utf-8") if FRONTEND_OPENAPI.exists() else ""
    if current != written.read_text(encoding="utf-8"):
        pytest.fail(
            "frontend/openapi.json is not what `otelbi openapi` writes now, so the frontend's "
            f"generated client is stale: run {REGENERATE}",
            pytrace=False,
        )
