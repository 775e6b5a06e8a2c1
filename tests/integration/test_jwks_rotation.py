"""The gateway follows the provider's key rotation without a restart, and never asks the
provider for its keys more than once per 30 s, however many unknown key ids arrive.

Fetches are counted by the provider itself (GET /jwks as it served them); the key cache's
clock is a test clock, so the 30 s window passes without waiting for it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from otelbi.errors import DependencyUnavailable
from otelbi.security.jwks import JwksCache
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from tests.peers.oidc_provider import API_AUDIENCE, OidcProvider, ProviderKey, running_provider

KPIS = "/api/aw/sales/kpis"
JWKS_FETCH = "GET /jwks"
DISCOVERY = "GET /.well-known/openid-configuration"


class ManualClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


@pytest.fixture
def provider(tmp_path: Path) -> Iterator[OidcProvider]:
    """A provider of its own (this module restarts it), signing with "old"."""
    yield from running_provider(tmp_path / "oidc", [ProviderKey.generate("old")])


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def gateway(
    monkeypatch: pytest.MonkeyPatch,
    provider: OidcProvider,
    clock: ManualClock,
    generated_warehouses: Path,
    postgres_url: str,
) -> Iterator[TestClient]:
    monkeypatch.setenv("REQUIRE_FRONTEND_AUTH", "true")
    monkeypatch.setenv("FRONTEND_JWT_ISSUER_URL", provider.issuer)
    monkeypatch.setenv("FRONTEND_JWT_AUDIENCE", API_AUDIENCE)
    monkeypatch.setenv("POSTGRES_URL", postgres_url)
    monkeypatch.setenv("DATA_DIR", str(generated_warehouses))
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as client:
        validator = client.app.state.gateway.user_tokens  # type: ignore[attr-defined]
        validator.keys = JwksCache(issuer=provider.issuer, clock=clock)
        yield client


def _get(client: TestClient, token: str) -> int:
    return client.get(KPIS, headers={"authorization": f"Bearer {token}"}).status_code


def test_a_rotated_key_is_fetched_once_and_unknown_kids_never_flood_the_provider(
    gateway: TestClient, provider: OidcProvider, clock: ManualClock
) -> None:
    old_token = provider.token()
    assert _get(gateway, old_token) == 200
    assert _get(gateway, old_token) == 200
    assert (provider.requests(DISCOVERY), provider.requests(JWKS_FETCH)) == (1, 1)

    # The provider rotates: it publishes a new key next to the old one and signs with it.
    new, old = ProviderKey.generate("new"), provider.key("old")
    clock.advance(31)
    provider.restart([new, old], signing_kid="new")
    new_token = provider.token()
    assert _get(gateway, new_token) == 200
    assert _get(gateway, old_token) == 200
    assert (provider.requests(DISCOVERY), provider.requests(JWKS_FETCH)) == (1, 2)

    # A burst of tokens naming key ids nobody published, within 30 s of the last fetch.
    stranger = ProviderKey.generate("stranger")
    for n in range(25):
        forged = stranger.sign(provider.claims(), kid=f"made-up-{n}")
        assert _get(gateway, forged) == 401
    assert provider.requests(JWKS_FETCH) == 2

    # Once the window has passed, one more unknown kid earns exactly one more fetch.
    clock.advance(30)
    for n in range(5):
        assert _get(gateway, stranger.sign(provider.claims(), kid=f"later-{n}")) == 401
    assert provider.requests(JWKS_FETCH) == 3
    assert _get(gateway, new_token) == 200


def test_a_key_published_within_30_s_of_the_last_fetch_waits_for_the_window(
    gateway: TestClient, provider: OidcProvider, clock: ManualClock
) -> None:
    assert _get(gateway, provider.token()) == 200
    provider.restart([ProviderKey.generate("new"), provider.key("old")], signing_kid="new")
    new_token = provider.token()
    clock.advance(29)
    response = gateway.get(KPIS, headers={"authorization": f"Bearer {new_token}"})
    assert response.status_code == 401
    assert response.json()["detail"] == "unknown signing key 'new'"
    clock.advance(1)
    assert _get(gateway, new_token) == 200
    assert provider.requests(JWKS_FETCH) == 2


def test_concurrent_unknown_kids_share_one_fetch(
    provider: OidcProvider, clock: ManualClock
) -> None:
    cache = JwksCache(issuer=provider.issuer, jwks_url=provider.jwks_uri, clock=clock)
    with ThreadPoolExecutor(max_workers=16) as pool:
        found = list(pool.map(cache.key, [f"unknown-{n}" for n in range(64)]))
    assert found == [None] * 64
    assert provider.requests(JWKS_FETCH) == 1
    assert provider.requests(DISCOVERY) == 0
    assert cache.key("old") is not None
    assert provider.requests(JWKS_FETCH) == 1


def test_keys_are_read_again_after_ten_minutes_so_a_withdrawn_key_stops_working(
    provider: OidcProvider, clock: ManualClock
) -> None:
    cache = JwksCache(issuer=provider.issuer, clock=clock)
    assert cache.key("old") is not None
    provider.restart([ProviderKey.generate("new")], signing_kid="new")
    clock.advance(599)
    assert cache.key("old") is not None
    clock.advance(1)
    assert cache.key("old") is None
    assert cache.key("new") is not None
    assert provider.requests(JWKS_FETCH) == 2


def test_an_unreachable_provider_is_503_until_it_answers(
    provider: OidcProvider, clock: ManualClock
) -> None:
    cache = JwksCache(issuer=provider.issuer, clock=clock)
    provider.stop()
    with pytest.raises(DependencyUnavailable, match="signing keys could not be fetched"):
        cache.key("old")
    provider.start()
    with pytest.raises(DependencyUnavailable):
        cache.key("old")  # within 30 s of the failed attempt: no new attempt
    clock.advance(30)
    assert cache.key("old") is not None
