"""With REQUIRE_FRONTEND_AUTH=true the gateway checks the user's JWT against a real OIDC
provider (npm oidc-provider): genuine tokens from its token endpoint pass, and tokens the test
forges with the provider's own keys walk the rejection matrix. Every refusal is a JSON error
naming the failed check (never the token) and an `auth.denied` audit row.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import psycopg
import pytest
from cryptography.hazmat.primitives import serialization
from fastapi.testclient import TestClient

from otelbi.security.user_tokens import MISSING_TOKEN
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.store import audit
from tests.peers.oidc_provider import API_AUDIENCE, CLIENT_ID, OidcProvider, ProviderKey

KPIS = "/api/aw/sales/kpis"
INVALID_TOKEN = 'Bearer error="invalid_token"'


@pytest.fixture
def gateway(
    monkeypatch: pytest.MonkeyPatch,
    oidc_provider: OidcProvider,
    generated_warehouses: Path,
    postgres_url: str,
) -> Iterator[TestClient]:
    monkeypatch.setenv("REQUIRE_FRONTEND_AUTH", "true")
    monkeypatch.setenv("FRONTEND_JWT_ISSUER_URL", oidc_provider.issuer)
    monkeypatch.setenv("FRONTEND_JWT_AUDIENCE", API_AUDIENCE)
    monkeypatch.setenv("FRONTEND_REQUIRED_SCOPES", "bi.read")
    monkeypatch.setenv("JOBS_RUN_SCOPE", "jobs.run")
    monkeypatch.setenv("AUDIT_READ_SCOPE", "audit.read")
    monkeypatch.setenv("REPORTS_GENERATE_SCOPE", "reports.generate")
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    # one row per 401, so that each refusal's row can be checked (test_auth_denied_bursts.py
    # checks the default: one row per address and window)
    monkeypatch.setenv("AUTH_DENIED_AUDIT_WINDOW_SECONDS", "0")
    app = build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))
    with TestClient(app) as client:
        yield client


def _bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


def _denial_row(client: TestClient, trace_id: str) -> dict[str, Any]:
    store = client.app.state.gateway.store  # type: ignore[attr-defined]
    rows = audit.recent(store, domain="gateway", limit=100)
    matching = [row for row in rows if row["trace_id"] == trace_id]
    assert len(matching) == 1, rows
    return matching[0]


def _forge_hs256(claims: dict[str, Any], secret: bytes, kid: str) -> str:
    """Return an HS256 token signed with `secret` (PyJWT refuses a PEM key as HMAC secret)."""

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = part(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    payload = part(json.dumps(claims).encode())
    signature = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{part(signature)}"


def test_a_genuine_provider_token_is_served_and_audited_as_its_client(
    gateway: TestClient, oidc_provider: OidcProvider
) -> None:
    response = gateway.get(KPIS, headers=_bearer(oidc_provider.token("bi.read")))
    assert response.status_code == 200, response.text
    rows = gateway.get("/api/audit", headers=_bearer(oidc_provider.token("bi.read audit.read")))
    assert rows.status_code == 200, rows.text
    assert rows.json()["items"][0]["actor"] == CLIENT_ID
    assert rows.json()["items"][0]["resource"] == KPIS


def test_config_and_health_need_no_token(gateway: TestClient) -> None:
    assert gateway.get("/api/config").json()["auth_required"] is True
    assert gateway.get("/api/health").status_code == 200


def _rejections(provider: OidcProvider) -> list[tuple[str, str | None, str]]:
    """(case, Authorization header, reason the 401 must name) for every way a token fails."""
    rs1 = provider.key("rs-1")
    stranger = ProviderKey.generate("rs-1")
    public_pem = rs1.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    now = int(time.time())
    genuine = provider.token("bi.read")
    header, payload, signature = genuine.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["scope"] = "bi.read jobs.run audit.read"
    widened = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return [
        ("no header", None, MISSING_TOKEN),
        ("basic auth", "Basic YWRhOnNlY3JldA==", MISSING_TOKEN),
        ("not a jwt", "Bearer not-a-jwt", "malformed token"),
        (
            "alg none",
            "Bearer " + rs1.sign(provider.claims(), alg="none"),
            "algorithm 'none' is not accepted (asymmetric signatures only)",
        ),
        (
            "HS256 with a shared secret",
            "Bearer " + _forge_hs256(provider.claims(), b"s" * 32, "rs-1"),
            "algorithm 'HS256' is not accepted (asymmetric signatures only)",
        ),
        (
            "HS256 keyed with the provider's public key",
            "Bearer " + _forge_hs256(provider.claims(), public_pem, "rs-1"),
            "algorithm 'HS256' is not accepted (asymmetric signatures only)",
        ),
        (
            "no kid",
            "Bearer " + _without_kid(rs1, provider.claims()),
            "token names no signing key (kid)",
        ),
        (
            "unknown kid",
            "Bearer " + stranger.sign(provider.claims(), kid="rs-404"),
            "unknown signing key 'rs-404'",
        ),
        (
            "RS384 with an RS256 key",
            "Bearer " + rs1.sign(provider.claims(), alg="RS384"),
            "algorithm 'RS384' is not the one signing key 'rs-1' declares (RS256)",
        ),
        (
            "RS256 naming the ES256 key",
            "Bearer " + rs1.sign(provider.claims(), kid="ec-1"),
            "algorithm 'RS256' is not the one signing key 'ec-1' declares (ES256)",
        ),
        ("a stranger's key", "Bearer " + stranger.sign(provider.claims()), "bad signature"),
        ("widened scope", f"Bearer {header}.{widened}.{signature}", "bad signature"),
        (
            "wrong issuer",
            "Bearer " + rs1.sign(provider.claims(iss="http://127.0.0.1:9/other")),
            "wrong issuer",
        ),
        (
            "wrong audience",
            "Bearer " + rs1.sign(provider.claims(aud="urn:someone-else")),
            "wrong audience",
        ),
        (
            "expired past the leeway",
            "Bearer " + rs1.sign(provider.claims(exp=now - 45, iat=now - 400)),
            "token expired",
        ),
        (
            "not yet valid past the leeway",
            "Bearer " + rs1.sign(provider.claims(nbf=now + 45)),
            "token not yet valid",
        ),
        (
            "issued in the future",
            "Bearer " + rs1.sign(provider.claims(iat=now + 600, exp=now + 900)),
            "token not yet valid",
        ),
        ("no exp", "Bearer " + rs1.sign(provider.claims(exp=None)), "token lacks the 'exp' claim"),
        ("no sub", "Bearer " + rs1.sign(provider.claims(sub=None)), "token lacks the 'sub' claim"),
    ]


def _without_kid(key: ProviderKey, claims: dict[str, Any]) -> str:
    return jwt.encode(claims, key.private_key, algorithm=key.alg)


def test_every_bad_token_is_401_naming_the_check_and_audited(
    gateway: TestClient, oidc_provider: OidcProvider
) -> None:
    for case, authorization, reason in _rejections(oidc_provider):
        headers = {"authorization": authorization} if authorization else {}
        response = gateway.get(KPIS, headers=headers)
        assert response.status_code == 401, (case, response.text)
        assert response.headers["www-authenticate"] == INVALID_TOKEN, case
        assert response.json() == {"error": "unauthenticated", "detail": reason}, case
        token = (authorization or "").removeprefix("Bearer ")
        assert not token or token not in response.text, case
        row = _denial_row(gateway, response.headers["x-trace-id"])
        assert row["action"] == "auth.denied", case
        assert row["actor"] == "unauthenticated", case
        assert row["domain"] == "gateway"
        assert row["outcome"] == "denied"
        assert row["status_code"] == 401
        assert row["resource"] == KPIS
        assert row["parameters"]["reason"] == reason, case
        assert row["client_address"] == "testclient"
        assert not token or token not in json.dumps(row, default=str), case


def test_the_leeway_accepts_small_clock_skew_and_es256_keys(
    gateway: TestClient, oidc_provider: OidcProvider
) -> None:
    rs1, ec1 = oidc_provider.key("rs-1"), oidc_provider.key("ec-1")
    now = int(time.time())
    for token in (
        rs1.sign(oidc_provider.claims(exp=now - 15, iat=now - 400)),
        rs1.sign(oidc_provider.claims(nbf=now + 15)),
        ec1.sign(oidc_provider.claims()),
        rs1.sign(oidc_provider.claims(scope=None, scp=["bi.read"])),
    ):
        response = gateway.get(KPIS, headers=_bearer(token))
        assert response.status_code == 200, response.text


def test_a_token_without_the_required_scope_is_403_and_audited_as_its_subject(
    gateway: TestClient, oidc_provider: OidcProvider
) -> None:
    response = gateway.get(KPIS, headers=_bearer(oidc_provider.token("jobs.run")))
    assert response.status_code == 403
    assert response.json() == {
        "error": "forbidden",
        "detail": "token lacks required scope(s): bi.read",
    }
    row = _denial_row(gateway, response.headers["x-trace-id"])
    assert (row["actor"], row["status_code"], row["outcome"]) == (CLIENT_ID, 403, "denied")
    assert row["parameters"] == {"reason": "token lacks required scope(s): bi.read"}


@pytest.mark.parametrize(
    ("method", "path", "scope", "allowed_status"),
    [
        ("POST", "/api/jobs/aw/no-such-job/run", "jobs.run", 404),
        ("POST", "/api/aw/jobs/no-such-job/run", "jobs.run", 404),
        ("POST", "/api/wwi/jobs/no-such-job/run", "jobs.run", 404),
        ("POST", "/api/aw/sales/%2E%2E/jobs/no-such-job/run", "jobs.run", 404),
        ("GET", "/api/audit", "audit.read", 200),
        ("POST", "/api/reports/generate", "reports.generate", 201),
    ],
)
def test_powerful_endpoints_need_their_extra_scope(
    gateway: TestClient,
    oidc_provider: OidcProvider,
    method: str,
    path: str,
    scope: str,
    allowed_status: int,
) -> None:
    refused = gateway.request(method, path, headers=_bearer(oidc_provider.token("bi.read")))
    assert refused.status_code == 403, refused.text
    assert scope in refused.json()["detail"]
    row = _denial_row(gateway, refused.headers["x-trace-id"])
    assert (row["action"], row["actor"]) == ("auth.denied", CLIENT_ID)
    allowed = gateway.request(
        method, path, headers=_bearer(oidc_provider.token(f"bi.read {scope}"))
    )
    assert allowed.status_code == allowed_status, allowed.text


def test_every_audit_route_needs_the_audit_scope(
    gateway: TestClient, oidc_provider: OidcProvider
) -> None:
    schema = gateway.app.openapi()  # type: ignore[attr-defined]
    audit_paths = [path for path in schema["paths"] if path.startswith("/api/audit")]
    assert "/api/audit" in audit_paths
    for path in audit_paths:
        response = gateway.get(path, headers=_bearer(oidc_provider.token("bi.read")))
        assert response.status_code == 403, (path, response.text)


def test_an_audit_store_outage_does_not_change_a_401(
    gateway: TestClient, postgres_url: str
) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as connection:
        connection.execute("ALTER TABLE audit_log RENAME TO audit_log_away")
    response = gateway.get(KPIS, headers={"authorization": "Bearer not-a-jwt"})
    assert response.status_code == 401
    assert response.json()["detail"] == "malformed token"


def test_extra_scopes_are_not_needed_when_unset(
    monkeypatch: pytest.MonkeyPatch,
    oidc_provider: OidcProvider,
    generated_warehouses: Path,
    postgres_url: str,
) -> None:
    monkeypatch.setenv("REQUIRE_FRONTEND_AUTH", "true")
    monkeypatch.setenv("FRONTEND_JWT_ISSUER_URL", oidc_provider.issuer)
    monkeypatch.setenv("FRONTEND_JWT_JWKS_URL", oidc_provider.jwks_uri)
    monkeypatch.setenv("FRONTEND_JWT_AUDIENCE", API_AUDIENCE)
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as client:
        token = oidc_provider.token("")
        assert client.get("/api/audit", headers=_bearer(token)).status_code == 200
        run = client.post("/api/aw/jobs/no-such-job/run", headers=_bearer(token))
        assert run.status_code == 404, run.text
