"""What the gateway tells browsers and refuses from them: security headers on every response,
HSTS behind TLS, CORS only for configured origins, capped request bodies, and 422s that never
repeat what was sent — through the all-in-one app on a real PostgreSQL store."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from otelbi.domains import Domain
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings, UnsafeSettings
from otelbi.warehouse.engines import duckdb_path
from tests.integration.test_split_mode import _wait_until_up, free_port

SCENARIOS = "/api/wwi/scenarios"
MIB = 1024 * 1024
HSTS = "max-age=31536000; includeSubDomains"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECRET = "sk_live_4f9a8c7e6d5b-hunter2-Tr0ub4dor"

StartApp = Callable[..., TestClient]


@pytest.fixture
def start_app(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, generated_warehouses: Path
) -> Iterator[StartApp]:
    """Yield a function that starts the all-in-one app with extra environment variables."""
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    with ExitStack() as running:

        def start(base_url: str = "http://testserver", **environment: str) -> TestClient:
            for name, value in environment.items():
                monkeypatch.setenv(name, value)
            settings = Settings(env_file=None)
            settings.check(RunMode.ALL_IN_ONE)
            app = build_app(RunMode.ALL_IN_ONE, settings)
            return running.enter_context(TestClient(app, base_url=base_url))

        yield start


@pytest.fixture
def client(start_app: StartApp) -> TestClient:
    return start_app()


def _assert_hardened(response: httpx.Response) -> None:
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["content-security-policy"] == CSP
    assert len(headers["x-trace-id"]) == 32


def _scenario(**change: object) -> dict[str, object]:
    return {"name": "plan", "demand_change_pct": 10, "lead_time_change_days": 0, **change}


def test_every_kind_of_response_carries_the_security_headers(client: TestClient) -> None:
    responses = {
        200: client.get("/api/config"),
        404: client.get("/no/such/page"),
        405: client.delete("/api/config"),
    }
    forwarded_404 = client.get("/api/aw/no/such/view")
    gateway_422 = client.get("/api/audit", params={"limit": 0})
    service_422 = client.get("/api/aw/sales/kpis", params={"days_back": 0})
    for status, response in responses.items():
        assert response.status_code == status
    assert (forwarded_404.status_code, gateway_422.status_code, service_422.status_code) == (
        404,
        422,
        422,
    )
    for response in [*responses.values(), forwarded_404, gateway_422, service_422]:
        _assert_hardened(response)
        assert "strict-transport-security" not in response.headers
        assert "access-control-allow-origin" not in response.headers


def test_a_503_carries_the_security_headers(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, generated_warehouses: Path, tmp_path: Path
) -> None:
    data_dir = tmp_path / "aw-only"
    target = duckdb_path(Domain.AW, data_dir)
    target.parent.mkdir(parents=True)
    shutil.copy(duckdb_path(Domain.AW, generated_warehouses), target)
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as client:
        response = client.get("/api/wwi/sales/kpis")
        assert response.status_code == 503
        assert response.json()["error"] == "unavailable"
        _assert_hardened(response)


def test_the_policy_lets_the_browser_reach_the_identity_provider(start_app: StartApp) -> None:
    client = start_app(OIDC_AUTHORITY="https://login.example.com/realms/bi/")
    policy = client.get("/api/config").headers["content-security-policy"]
    assert "connect-src 'self' https://login.example.com;" in policy


def test_the_policy_lets_the_browser_reach_a_configured_collector(start_app: StartApp) -> None:
    client = start_app(
        OIDC_AUTHORITY="https://login.example.com/realms/bi/",
        CSP_CONNECT_ORIGINS="https://alloy.example.com:4318",
    )
    policy = client.get("/api/config").headers["content-security-policy"]
    assert "connect-src 'self' https://login.example.com https://alloy.example.com:4318;" in policy


def test_a_connect_origin_that_is_not_exact_is_refused_at_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INTERNAL_SERVICE_SHARED_SECRET", "s" * 40)
    monkeypatch.setenv("CSP_CONNECT_ORIGINS", "https://alloy.example.com/v1/traces")
    with pytest.raises(UnsafeSettings, match="CSP_CONNECT_ORIGINS"):
        Settings(env_file=None).check(RunMode.GATEWAY)


def test_hsts_only_on_requests_that_came_over_https(start_app: StartApp) -> None:
    plain = start_app()
    assert "strict-transport-security" not in plain.get("/api/config").headers
    # Without a server in front, nobody turns X-Forwarded-Proto into the scheme: uvicorn
    # does that for trusted proxies (see the real-socket test below).
    forwarded = plain.get("/api/config", headers={"x-forwarded-proto": "https"})
    assert "strict-transport-security" not in forwarded.headers
    tls = start_app(base_url="https://testserver")
    for response in (tls.get("/api/config"), tls.get("/no/such/page")):
        assert response.headers["strict-transport-security"] == HSTS
        _assert_hardened(response)


def test_no_cors_headers_unless_origins_are_configured(client: TestClient) -> None:
    preflight = client.options(
        "/api/aw/sales/kpis",
        headers={"origin": "https://bi.example.com", "access-control-request-method": "GET"},
    )
    assert not any(name.startswith("access-control-") for name in preflight.headers)
    simple = client.get("/api/config", headers={"origin": "https://bi.example.com"})
    assert simple.status_code == 200
    assert not any(name.startswith("access-control-") for name in simple.headers)


def test_cors_answers_configured_origins_only(start_app: StartApp) -> None:
    client = start_app(CORS_ALLOWED_ORIGINS="https://bi.example.com, http://localhost:5173")
    request_headers = {
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
    }
    allowed = client.options(
        SCENARIOS, headers={"origin": "https://bi.example.com", **request_headers}
    )
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://bi.example.com"
    assert "POST" in allowed.headers["access-control-allow-methods"]
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-credentials" not in allowed.headers
    assert allowed.headers["x-frame-options"] == "DENY"

    refused = client.options(
        SCENARIOS, headers={"origin": "https://evil.example", **request_headers}
    )
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers

    simple = client.get("/api/config", headers={"origin": "http://localhost:5173"})
    assert simple.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert "x-trace-id" in simple.headers["access-control-expose-headers"]
    other = client.get("/api/config", headers={"origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize(
    "origins",
    ["*", "https://bi.example.com/", "https://BI.example.com", "bi.example.com", "null"],
)
def test_anything_but_exact_origins_is_refused_at_start(
    monkeypatch: pytest.MonkeyPatch, origins: str
) -> None:
    monkeypatch.setenv("INTERNAL_SERVICE_SHARED_SECRET", "s" * 40)
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", f"https://ok.example.com,{origins}")
    with pytest.raises(UnsafeSettings, match="CORS_ALLOWED_ORIGINS"):
        Settings(env_file=None).check(RunMode.ALL_IN_ONE)
    Settings(env_file=None).check(RunMode.AW)  # the services never answer browsers


def test_web_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(env_file=None)
    assert settings.web.allowed_origins == ()
    assert settings.web.max_request_body_bytes == MIB
    monkeypatch.setenv("INTERNAL_SERVICE_SHARED_SECRET", "s" * 40)
    monkeypatch.setenv("CORS_ALLOWED_ORIGINS", "https://a.example.com:8443,http://[::1]:5173")
    Settings(env_file=None).check(RunMode.GATEWAY)


def test_a_declared_body_over_the_cap_is_413(client: TestClient) -> None:
    response = client.post(
        SCENARIOS, content=b" " * (MIB + 1), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json() == {
        "error": "too_large",
        "detail": f"the request body is larger than {MIB} bytes: send a smaller one",
    }
    _assert_hardened(response)
    assert client.get(SCENARIOS).json()["items"] == []


def test_a_chunked_body_that_grows_past_the_cap_is_413(client: TestClient) -> None:
    chunks = (b" " * 65536 for _ in range(17))  # 1 MiB + 64 KiB, no Content-Length
    response = client.post(SCENARIOS, content=chunks, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    _assert_hardened(response)
    assert client.get(SCENARIOS).json()["items"] == []


def test_a_body_of_exactly_the_cap_is_accepted(start_app: StartApp) -> None:
    client = start_app(MAX_REQUEST_BODY_BYTES="4096")
    body = json.dumps(_scenario()).encode()
    at_cap = body + b" " * (4096 - len(body))
    accepted = client.post(SCENARIOS, content=at_cap, headers={"content-type": "application/json"})
    assert accepted.status_code == 201, accepted.text
    over = client.post(
        SCENARIOS, content=at_cap + b" ", headers={"content-type": "application/json"}
    )
    assert over.status_code == 413
    assert "4096 bytes" in over.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        json.dumps(_scenario(demand_change_pct=SECRET)),
        json.dumps(_scenario(name=SECRET * 4)),
        json.dumps(_scenario(password=SECRET)),
        json.dumps(_scenario(stock_item_ids=[SECRET])),
        '{"name": "plan", "password": "' + SECRET + '", "demand_change_pct": ',
        '{"name": "plan", "password": "' + SECRET + '" "demand_change_pct": 1}',
    ],
    ids=["wrong type", "too long", "unexpected field", "list item", "cut off", "malformed"],
)
def test_a_422_never_repeats_what_was_sent(client: TestClient, body: str) -> None:
    response = client.post(SCENARIOS, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_input"
    assert "hunter2" not in response.text
    _assert_hardened(response)


def test_a_422_on_a_query_or_header_never_repeats_it(client: TestClient) -> None:
    responses = [
        client.get("/api/aw/sales/kpis", params={"days_back": SECRET}),
        client.get("/api/audit", params={"limit": SECRET}),
        client.post(SCENARIOS, json=_scenario(), headers={"idempotency-key": SECRET * 8}),
    ]
    for response in responses:
        assert response.status_code == 422, response.text
        assert "hunter2" not in response.text


def test_behind_a_tls_proxy_on_a_real_socket(
    postgres_url: str, generated_warehouses: Path, tmp_path: Path
) -> None:
    """`otelbi serve` as deployed: uvicorn trusts X-Forwarded-Proto from 127.0.0.1 (its
    FORWARDED_ALLOW_IPS default), and a chunked upload arrives in many pieces."""
    port = free_port()
    environment = {
        **os.environ,
        "POSTGRES_URL": postgres_url,
        "DATA_DIR": str(generated_warehouses),
        "PORT": str(port),
        "MAX_REQUEST_BODY_BYTES": "65536",
    }
    url = f"http://127.0.0.1:{port}"
    with (tmp_path / "gateway.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "otelbi.cli", "serve"],
            env=environment,
            stdout=log,
            stderr=log,
            text=True,
        )
        try:
            _wait_until_up(f"{url}/api/config", process)
            assert "strict-transport-security" not in httpx.get(f"{url}/api/config").headers
            proxied = httpx.get(f"{url}/api/config", headers={"x-forwarded-proto": "https"})
            assert proxied.headers["strict-transport-security"] == HSTS

            chunks = (b" " * 4096 for _ in range(64))  # 256 KiB in 4 KiB pieces
            response = httpx.post(
                f"{url}{SCENARIOS}", content=chunks, headers={"content-type": "application/json"}
            )
            assert response.status_code == 413
            assert response.json()["error"] == "too_large"
            assert "content-length" not in response.request.headers
        finally:
            process.terminate()
            process.wait(timeout=30)
