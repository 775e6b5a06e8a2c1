"""With REQUIRE_FRONTEND_AUTH=true the gateway checks the user's JWT against the provider's
JWKS: signature, issuer, audience, expiry and required scopes, answering 401/403 in JSON.

The keys are served over real HTTP from this process (the full rejection matrix against the
npm oidc-provider belongs to the security-hardening issue).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi.testclient import TestClient

from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings

AUDIENCE = "otelbi-api"


@pytest.fixture(scope="module")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def issuer(signing_key: rsa.RSAPrivateKey) -> Iterator[str]:
    """Serve an OpenID discovery document and JWKS on a free 127.0.0.1 port."""
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(signing_key.public_key()))
    documents: dict[str, Any] = {
        "/jwks": {"keys": [{**public, "kid": "k1", "use": "sig", "alg": "RS256"}]}
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = json.dumps(documents.get(self.path)).encode()
            self.send_response(200 if self.path in documents else 404)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    url = f"http://127.0.0.1:{server.server_port}"
    documents["/.well-known/openid-configuration"] = {"issuer": url, "jwks_uri": f"{url}/jwks"}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def client(
    monkeypatch: pytest.MonkeyPatch, issuer: str, generated_warehouses: Path, postgres_url: str
) -> Iterator[TestClient]:
    monkeypatch.setenv("REQUIRE_FRONTEND_AUTH", "true")
    monkeypatch.setenv("FRONTEND_JWT_ISSUER_URL", issuer)
    monkeypatch.setenv("FRONTEND_JWT_AUDIENCE", AUDIENCE)
    monkeypatch.setenv("FRONTEND_REQUIRED_SCOPES", "bi.read")
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as test_client:
        yield test_client


def _token(key: rsa.RSAPrivateKey, issuer: str, **overrides: Any) -> str:
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": AUDIENCE,
        "sub": "ada",
        "iat": now,
        "exp": now + 300,
        "scope": "openid bi.read",
    }
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})


def _get(client: TestClient, token: str | None) -> Any:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    return client.get("/api/aw/sales/kpis", headers=headers)


def test_a_valid_token_is_served_and_audited_as_its_user(
    client: TestClient, signing_key: rsa.RSAPrivateKey, issuer: str
) -> None:
    response = _get(client, _token(signing_key, issuer))
    assert response.status_code == 200, response.text
    audit = client.get(
        "/api/audit", headers={"authorization": f"Bearer {_token(signing_key, issuer)}"}
    )
    assert audit.json()[0]["actor"] == "ada"


def test_config_and_health_need_no_token(client: TestClient) -> None:
    assert client.get("/api/config").json()["auth_required"] is True
    assert client.get("/api/health").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"iss": "http://127.0.0.1:1/other"}, "wrong issuer"),
        ({"aud": "someone-else"}, "wrong audience"),
        ({"exp": int(time.time()) - 3600}, "expired"),
        ({"nbf": int(time.time()) + 3600}, "not yet valid"),
    ],
)
def test_bad_claims_are_401_with_the_reason(
    client: TestClient,
    signing_key: rsa.RSAPrivateKey,
    issuer: str,
    overrides: dict[str, Any],
    reason: str,
) -> None:
    token = _token(signing_key, issuer, **overrides)
    response = _get(client, token)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert response.json()["error"] == "unauthenticated"
    assert reason in response.json()["detail"]
    assert token not in response.text


def test_missing_token_and_foreign_signature_are_401(client: TestClient, issuer: str) -> None:
    assert _get(client, None).status_code == 401
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert _get(client, _token(other_key, issuer)).status_code == 401


def test_symmetric_and_unsigned_tokens_are_refused(client: TestClient, issuer: str) -> None:
    claims = {
        "iss": issuer,
        "aud": AUDIENCE,
        "sub": "ada",
        "exp": int(time.time()) + 300,
        "scope": "bi.read",
    }
    hs256 = jwt.encode(claims, "secret" * 8, algorithm="HS256")
    unsigned = jwt.encode(claims, None, algorithm="none")
    for token in (hs256, unsigned):
        response = _get(client, token)
        assert response.status_code == 401
        assert "not accepted" in response.json()["detail"]


def test_missing_scope_is_403(
    client: TestClient, signing_key: rsa.RSAPrivateKey, issuer: str
) -> None:
    response = _get(client, _token(signing_key, issuer, scope="openid"))
    assert response.status_code == 403
    assert response.json() == {
        "error": "forbidden",
        "detail": "token lacks required scope(s): bi.read",
    }
    assert _get(client, _token(signing_key, issuer, scope=None, scp=["bi.read"])).status_code == 200
