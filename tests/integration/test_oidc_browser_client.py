"""The test OIDC provider signs a browser in, as the web app's browser tests will use it: the
authorization code flow with PKCE for the public SPA client, walked here with plain HTTP —
the provider's own sign-in form, no consent page, a JWT access token for the API holding the
scopes the sign-in asked for, renewal with the refresh token, and sign-out through the
provider's confirmation form. The gateway takes the token and audits the login as actor.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import jwt
import pytest
from fastapi.testclient import TestClient

from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from otelbi.store import audit
from tests.peers.oidc_provider import (
    API_AUDIENCE,
    API_SCOPES,
    SPA_CLIENT_ID,
    SPA_SCOPE,
    OidcProvider,
    spa_provider,
)

APP = "http://127.0.0.1:5173"
CALLBACK = f"{APP}/auth/callback"
TOKEN_TTL = 45
VIEWER_SCOPES = [scope for scope in API_SCOPES if scope != "reports.generate"]


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    with spa_provider(
        tmp_path_factory.mktemp("oidc-spa"),
        redirect_uris=[CALLBACK],
        post_logout_redirect_uris=[f"{APP}/"],
        access_token_ttl=TOKEN_TTL,
        account_scopes={"viewer": VIEWER_SCOPES},
    ) as running:
        yield running


@dataclass
class SignIn:
    """What a finished sign-in left: the token response and the pages the browser saw."""

    tokens: dict[str, Any]
    pages: list[str]


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _form(html: str, form_id: str | None = None) -> tuple[str, dict[str, str]]:
    """Return a form's action and its hidden inputs."""
    pattern = r"<form[^>]*>" if form_id is None else rf'<form[^>]*id="{re.escape(form_id)}"[^>]*>'
    tag = re.search(pattern, html)
    assert tag, html[:2000]
    action = re.search(r'action="([^"]+)"', tag.group(0))
    assert action, tag.group(0)
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    return action.group(1), hidden


def sign_in(
    browser: httpx.Client, provider: OidcProvider, *, login: str, scope: str = SPA_SCOPE
) -> SignIn:
    """Walk the code flow with PKCE as a browser would; return the tokens it ends with."""
    verifier, challenge = _pkce()
    state = secrets.token_urlsafe(16)
    response = browser.get(
        provider.authorization_endpoint,
        params={
            "client_id": SPA_CLIENT_ID,
            "response_type": "code",
            "redirect_uri": CALLBACK,
            "scope": scope,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        },
    )
    pages = []
    while not response.headers.get("location", "").startswith(CALLBACK):
        if response.is_redirect:
            location = urljoin(str(response.url), response.headers["location"])
            response = browser.get(location)
            continue
        assert response.status_code == 200, response.text[:2000]
        pages.append(str(response.url))
        html = response.text
        assert "googleapis" not in html  # nothing a browser here could not load
        for field in ('input[^>]*name="login"', 'input[^>]*name="password"', 'type="submit"'):
            assert re.search(field, html), (field, html[:2000])
        action, hidden = _form(html)
        response = browser.post(
            urljoin(str(response.url), action),
            data={**hidden, "login": login, "password": "anything"},
        )
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["state"] == [state], query
    assert "error" not in query, query
    tokens = browser.post(
        f"{provider.issuer}/token",
        data={
            "grant_type": "authorization_code",
            "code": query["code"][0],
            "redirect_uri": CALLBACK,
            "client_id": SPA_CLIENT_ID,
            "code_verifier": verifier,
        },
    )
    assert tokens.status_code == 200, tokens.text
    return SignIn(tokens=tokens.json(), pages=pages)


def _verified(provider: OidcProvider, token: str, audience: str) -> dict[str, Any]:
    public_key = provider.keys[0].private_key.public_key()
    claims: dict[str, Any] = jwt.decode(
        token, public_key, algorithms=["RS256"], audience=audience, issuer=provider.issuer
    )
    return claims


@pytest.fixture
def browser() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10, follow_redirects=False) as client:
        yield client


def test_a_browser_signs_in_with_pkce_and_gets_a_jwt_for_the_api(
    provider: OidcProvider, browser: httpx.Client
) -> None:
    first = sign_in(browser, provider, login="ada")
    # The sign-in form, and no consent page after it.
    assert len(first.pages) == 1
    assert "/interaction/" in first.pages[0]
    tokens = first.tokens
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == TOKEN_TTL
    access = _verified(provider, tokens["access_token"], API_AUDIENCE)
    assert access["sub"] == "ada"
    assert access["client_id"] == SPA_CLIENT_ID
    assert set(access["scope"].split()) == set(API_SCOPES)
    assert access["exp"] - access["iat"] == TOKEN_TTL
    identity = _verified(provider, tokens["id_token"], SPA_CLIENT_ID)
    assert (identity["sub"], identity["name"], identity["email"]) == (
        "ada",
        "Ada",
        "ada@example.test",
    )

    renewed = browser.post(
        f"{provider.issuer}/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": SPA_CLIENT_ID,
        },
    )
    assert renewed.status_code == 200, renewed.text
    fresh = renewed.json()
    assert fresh["access_token"] != tokens["access_token"]
    again = _verified(provider, fresh["access_token"], API_AUDIENCE)
    assert (again["sub"], again["aud"], again["scope"]) == ("ada", API_AUDIENCE, access["scope"])


def test_a_sign_in_asking_for_fewer_scopes_gets_a_token_without_them(
    provider: OidcProvider, browser: httpx.Client
) -> None:
    everything = sign_in(browser, provider, login="grace")
    fewer = SPA_SCOPE.replace(" reports.generate", "")
    # The same browser session: no form this time, and the grant follows the new request.
    narrower = sign_in(browser, provider, login="grace", scope=fewer)
    assert narrower.pages == []
    full = _verified(provider, everything.tokens["access_token"], API_AUDIENCE)
    reduced = _verified(provider, narrower.tokens["access_token"], API_AUDIENCE)
    assert "reports.generate" in full["scope"].split()
    assert set(reduced["scope"].split()) == set(API_SCOPES) - {"reports.generate"}


def test_a_login_limited_to_fewer_scopes_never_gets_more(
    provider: OidcProvider, browser: httpx.Client
) -> None:
    tokens = sign_in(browser, provider, login="viewer").tokens  # asks for every scope
    access = _verified(provider, tokens["access_token"], API_AUDIENCE)
    assert access["sub"] == "viewer"
    assert set(access["scope"].split()) == set(VIEWER_SCOPES)


def test_without_pkce_the_code_flow_is_refused(
    provider: OidcProvider, browser: httpx.Client
) -> None:
    response = browser.get(
        provider.authorization_endpoint,
        params={
            "client_id": SPA_CLIENT_ID,
            "response_type": "code",
            "redirect_uri": CALLBACK,
            "scope": SPA_SCOPE,
            "state": "s",
        },
    )
    assert response.is_redirect
    query = parse_qs(urlsplit(response.headers["location"]).query)
    assert query["error"] == ["invalid_request"], query
    assert "PKCE" in query["error_description"][0]


def test_signing_out_through_the_confirmation_form_ends_the_session(
    provider: OidcProvider, browser: httpx.Client
) -> None:
    tokens = sign_in(browser, provider, login="linus").tokens
    confirm = browser.get(
        provider.end_session_endpoint,
        params={
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": f"{APP}/",
            "client_id": SPA_CLIENT_ID,
        },
    )
    assert confirm.status_code == 200, confirm.text[:2000]
    assert re.search(r'<button[^>]*name="logout"[^>]*value="yes"', confirm.text), confirm.text
    assert "googleapis" not in confirm.text
    action, hidden = _form(confirm.text, "op.logoutForm")
    done = browser.post(
        urljoin(str(confirm.url), action),
        data={**hidden, "logout": "yes"},
    )
    assert done.is_redirect
    assert done.headers["location"] == f"{APP}/"

    refused = browser.post(
        f"{provider.issuer}/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": tokens["refresh_token"],
            "client_id": SPA_CLIENT_ID,
        },
    )
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"
    # Signing in again shows the form again.
    assert len(sign_in(browser, provider, login="linus").pages) == 1


def test_the_gateway_serves_the_browsers_token_and_audits_its_login(
    provider: OidcProvider,
    browser: httpx.Client,
    monkeypatch: pytest.MonkeyPatch,
    postgres_url: str,
    generated_warehouses: Path,
) -> None:
    for name, value in provider.product_env().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("FRONTEND_REQUIRED_SCOPES", "bi.read")
    monkeypatch.setenv("REPORTS_GENERATE_SCOPE", "reports.generate")
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    token = sign_in(browser, provider, login="ada").tokens["access_token"]
    without_reports = sign_in(
        browser, provider, login="ada", scope=SPA_SCOPE.replace(" reports.generate", "")
    ).tokens["access_token"]
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as gateway:
        config = gateway.get("/api/config").json()
        kpis = gateway.get("/api/aw/sales/kpis", headers={"authorization": f"Bearer {token}"})
        refused = gateway.post(
            "/api/reports/generate", headers={"authorization": f"Bearer {without_reports}"}
        )
        store = gateway.app.state.gateway.store  # type: ignore[attr-defined]
        rows = audit.recent(store, limit=100)
    assert config["authority"] == provider.issuer
    assert config["client_id"] == SPA_CLIENT_ID
    assert config["scope"] == SPA_SCOPE
    assert kpis.status_code == 200, kpis.text
    assert refused.status_code == 403
    actors = {(row["actor"], row["action"]) for row in rows}
    assert ("ada", "aw.sales.kpis") in actors
    assert ("ada", "auth.denied") in actors
