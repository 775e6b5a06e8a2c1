"""Hostile input through the gateway answers a clean 4xx in the JSON error shape, with the
call's x-trace-id, and never reflects the client's input; a 503 names its dependency, not
the database's text."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import httpx
import psycopg
import pytest
from fastapi.testclient import TestClient

from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings

SCENARIO = {"name": "plus ten", "demand_change_pct": 10, "lead_time_change_days": 0}


@pytest.fixture
def client(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, generated_warehouses: Path
) -> Iterator[TestClient]:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    app = build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))
    # As a server answers: an error after the answer started is not an exception in the test.
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _assert_rejected(response: httpx.Response, status: int = 422) -> dict[str, str]:
    assert response.status_code == status, response.text
    assert len(response.headers["x-trace-id"]) == 32
    body: dict[str, str] = response.json()
    assert set(body) == {"error", "detail"}
    return body


def test_an_id_past_the_databases_range_is_a_422(client: TestClient) -> None:
    body = _assert_rejected(client.get("/api/wwi/scenarios/99999999999999999999"))
    assert body["error"] == "invalid_input"
    assert body["detail"].startswith("path.scenario_id: ")
    assert "99999999999999999999" not in body["detail"]


def test_a_nul_character_in_stored_text_is_a_422_without_the_databases_text(
    client: TestClient,
) -> None:
    body = _assert_rejected(client.post("/api/wwi/scenarios", json={**SCENARIO, "name": "a\0b"}))
    assert body == {
        "error": "invalid_input",
        "detail": "a value in the request cannot be stored: a number out of range or a NUL "
        "character",
    }


@pytest.mark.parametrize("path", ["/api/aw/sales/%01kpis", "/api/aw/sales/%00kpis", "/api/wwi/%7F"])
def test_a_control_character_in_a_forwarded_path_is_a_422(client: TestClient, path: str) -> None:
    body = _assert_rejected(client.get(path))
    assert body == {"error": "invalid_input", "detail": "the path holds a control character"}


@pytest.mark.parametrize("header", ["accept-language", "idempotency-key", "accept"])
def test_a_forwarded_header_that_is_not_printable_ascii_is_a_422_naming_only_the_header(
    client: TestClient, header: str
) -> None:
    value = "caf\u00e9-secret".encode()
    body = _assert_rejected(client.get("/api/aw/sales/kpis", headers={header: value}))
    assert body == {
        "error": "invalid_input",
        "detail": f"the {header} header may hold only printable ASCII characters",
    }


def test_an_unknown_field_is_named_by_where_it_was_sent_not_by_its_name(
    client: TestClient,
) -> None:
    body = _assert_rejected(
        client.post("/api/wwi/scenarios", json={**SCENARIO, "<script>secret</script>": 1})
    )
    assert body == {
        "error": "invalid_input",
        "detail": "body: holds a field this endpoint does not take",
    }


def test_an_idempotency_key_is_never_echoed(client: TestClient) -> None:
    too_long = "k3y-" + "s" * 300
    body = _assert_rejected(
        client.post("/api/wwi/scenarios", json=SCENARIO, headers={"Idempotency-Key": too_long})
    )
    assert "k3y-" not in body["detail"]
    key = {"Idempotency-Key": "k3y-reused-secret"}
    assert client.post("/api/wwi/scenarios", json=SCENARIO, headers=key).status_code == 201
    changed = {**SCENARIO, "demand_change_pct": 20}
    body = _assert_rejected(client.post("/api/wwi/scenarios", json=changed, headers=key))
    assert "k3y-" not in body["detail"]


def test_a_store_failure_names_the_store_not_the_databases_text(
    client: TestClient, postgres_url: str
) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute("ALTER TABLE wwi_whatif_scenarios RENAME TO moved_away")
    body = _assert_rejected(client.get("/api/wwi/scenarios/1"), status=503)
    assert body == {
        "error": "unavailable",
        "detail": "the write store is unavailable: try again shortly (the server log has the "
        "cause under this response's x-trace-id)",
    }


def test_a_body_that_is_not_utf8_is_a_422_in_the_documented_shape(client: TestClient) -> None:
    response = client.post(
        "/api/wwi/scenarios", content=b"\xff\xfe{", headers={"content-type": "application/json"}
    )
    assert _assert_rejected(response) == {
        "error": "invalid_input",
        "detail": "body: cannot be parsed as JSON",
    }


def _broken(*args: object, **kwargs: object) -> NoReturn:
    raise RuntimeError("password=hunter2 in a message nobody should see")


@pytest.mark.parametrize(
    ("module", "name", "path"),
    [
        # In a service, behind the gateway (all-in-one: the same trace).
        ("otelbi.aw.routes", "sales_kpis", "/api/aw/sales/kpis?days_back=17"),
        # In the gateway itself.
        ("otelbi.gateway.audit_routes.audit", "recent", "/api/audit"),
    ],
)
def test_an_unexpected_error_is_a_json_500_naming_its_trace_id(
    client: TestClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    module: str,
    name: str,
    path: str,
) -> None:
    monkeypatch.setattr(f"{module}.{name}", _broken)
    with caplog.at_level(logging.ERROR, logger="otelbi.web.errors"):
        response = client.get(path)
    body = _assert_rejected(response, status=500)
    trace_id = response.headers["x-trace-id"]
    assert body == {
        "error": "internal",
        "detail": f"an unexpected error on the server (trace id {trace_id}): try again, and "
        "quote the trace id if it happens again",
    }
    assert "hunter2" not in response.text
    logged = [r for r in caplog.records if r.exc_info and trace_id in r.getMessage()]
    assert logged, "the error is logged with its traceback under the response's trace id"
