"""GET /api/config, which every browser reads before signing in and anyone may call, holds
exactly what a sign-in needs — five keys, with authentication on or off — and never any of
the product's secrets."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings

CONFIG_KEYS = {"oidc_enabled", "authority", "client_id", "scope", "auth_required"}
SIGN_IN = {
    "REQUIRE_FRONTEND_AUTH": "true",
    "OIDC_ENABLED": "true",
    "OIDC_AUTHORITY": "https://login.example.com/realms/bi",
    "FRONTEND_OIDC_CLIENT_ID": "otelbi-web",
    "FRONTEND_OIDC_SCOPE": "openid profile email bi.read",
    "FRONTEND_JWT_ISSUER_URL": "https://login.example.com/realms/bi",
    "FRONTEND_JWT_AUDIENCE": "urn:otelbi:api",
}
SECRET_VARIABLES = (
    "INTERNAL_SERVICE_SHARED_SECRET",
    "AW_MSSQL_PASSWORD",
    "WWI_MSSQL_PASSWORD",
    "OTEL_EXPORTER_OTLP_HEADERS",
)


@pytest.fixture
def planted_secrets(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Give every secret setting a value of its own; return the values."""
    values = []
    for name in SECRET_VARIABLES:
        value = f"planted-{secrets.token_hex(16)}"
        monkeypatch.setenv(name, f"x-key={value}" if name.endswith("HEADERS") else value)
        values.append(value)
    return values


@contextmanager
def _gateway(
    monkeypatch: pytest.MonkeyPatch, postgres_url: str, data_dir: Path, environment: dict[str, str]
) -> Iterator[TestClient]:
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as client:
        yield client


@pytest.mark.parametrize("auth", ["off", "on"])
def test_config_holds_exactly_the_sign_in_keys_and_no_secret(
    monkeypatch: pytest.MonkeyPatch,
    postgres_url: str,
    generated_warehouses: Path,
    planted_secrets: list[str],
    auth: str,
) -> None:
    environment = SIGN_IN if auth == "on" else {}
    with _gateway(monkeypatch, postgres_url, generated_warehouses, environment) as client:
        response = client.get("/api/config")
        documented = client.get("/openapi.json").json()["components"]["schemas"]["ClientConfig"]
    assert response.status_code == 200
    config = response.json()
    assert set(config) == CONFIG_KEYS
    assert set(documented["properties"]) == CONFIG_KEYS
    if auth == "on":
        assert config == {
            "oidc_enabled": True,
            "authority": SIGN_IN["OIDC_AUTHORITY"],
            "client_id": SIGN_IN["FRONTEND_OIDC_CLIENT_ID"],
            "scope": SIGN_IN["FRONTEND_OIDC_SCOPE"],
            "auth_required": True,
        }
    else:
        assert config == {
            "oidc_enabled": False,
            "authority": "",
            "client_id": "",
            "scope": "openid profile email",
            "auth_required": False,
        }
    everything_sent = response.text + str(response.headers)
    for secret in [*planted_secrets, postgres_url, postgres_url.rsplit("/", 1)[1]]:
        assert secret not in everything_sent
