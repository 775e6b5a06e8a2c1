"""A verified user token is remembered, by its exact text, so that a signed-in dashboard's
calls are not each checked in the thread pool; never past its expiry, never once its key is
no longer the provider's, and never when it failed a check.

Tokens are signed with the real provider's keys; the key cache's clock is a test clock, so
the ten minutes after which keys are read again pass without waiting for them.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from otelbi.errors import Forbidden, Unauthenticated
from otelbi.security.jwks import MAX_AGE_SECONDS, JwksCache
from otelbi.security.user_tokens import LEEWAY_SECONDS, User, UserTokenValidator
from otelbi.service_layout import build_app
from otelbi.settings import RunMode, Settings
from tests.integration.test_jwks_rotation import ManualClock
from tests.peers.oidc_provider import API_AUDIENCE, OidcProvider, ProviderKey, running_provider

KPIS = "/api/aw/sales/kpis"


def _validator(provider: OidcProvider, clock: ManualClock) -> UserTokenValidator:
    return UserTokenValidator(
        issuer=provider.issuer,
        audience=API_AUDIENCE,
        jwks_url="",
        required_scopes=frozenset({"bi.read"}),
        keys=JwksCache(issuer=provider.issuer, clock=clock),
    )


def _bearer(provider: OidcProvider, kid: str = "rs-1", **claims: object) -> str:
    return f"Bearer {provider.key(kid).sign(provider.claims(**claims), kid=kid)}"


def test_a_verified_token_is_remembered_by_its_exact_text(oidc_provider: OidcProvider) -> None:
    validator = _validator(oidc_provider, ManualClock())
    authorization = _bearer(oidc_provider)
    assert validator.remembered(authorization) is None  # not verified yet
    user = validator.validate(authorization)
    assert user == User(subject="ada", scopes=frozenset({"bi.read"}))
    assert validator.remembered(authorization) == user
    # another signature: its last two characters changed (a signature may end in "AA")
    other = authorization[:-2] + ("BB" if authorization.endswith("AA") else "AA")
    assert validator.remembered(other) is None
    assert validator.remembered(None) is None


def test_a_token_that_failed_a_check_is_never_remembered(oidc_provider: OidcProvider) -> None:
    validator = _validator(oidc_provider, ManualClock())
    unscoped = _bearer(oidc_provider, scope="openid")
    with pytest.raises(Forbidden):
        validator.validate(unscoped)
    assert validator.remembered(unscoped) is None
    foreign = _bearer(oidc_provider, aud="urn:other")
    with pytest.raises(Unauthenticated):
        validator.validate(foreign)
    assert validator.remembered(foreign) is None


def test_a_remembered_token_is_forgotten_when_it_expires(oidc_provider: OidcProvider) -> None:
    validator = _validator(oidc_provider, ManualClock())
    # Expired, but within the leeway for two to three seconds more (time enough for the
    # first check's key fetch): accepted, and remembered that long.
    exp = int(time.time()) - LEEWAY_SECONDS + 3
    authorization = _bearer(oidc_provider, exp=exp)
    validator.validate(authorization)
    assert validator.remembered(authorization) is not None
    time.sleep(max(0.0, exp + LEEWAY_SECONDS + 0.5 - time.time()))
    assert validator.remembered(authorization) is None
    with pytest.raises(Unauthenticated, match="token expired"):
        validator.validate(authorization)


def test_a_remembered_token_is_forgotten_when_its_key_is_withdrawn(tmp_path: Path) -> None:
    clock = ManualClock()
    providers = contextmanager(running_provider)
    with providers(tmp_path / "oidc", [ProviderKey.generate("old")]) as provider:
        validator = _validator(provider, clock)
        authorization = _bearer(provider, kid="old")
        validator.validate(authorization)
        provider.restart([ProviderKey.generate("new")], signing_kid="new")
        clock.advance(MAX_AGE_SECONDS - 1)
        assert validator.remembered(authorization) is not None  # the keys are not re-read yet
        clock.advance(1)
        assert validator.remembered(authorization) is None  # they must be: it is checked again
        with pytest.raises(Unauthenticated, match="unknown signing key 'old'"):
            validator.validate(authorization)


def test_a_signed_in_dashboard_checks_its_token_once(
    monkeypatch: pytest.MonkeyPatch,
    oidc_provider: OidcProvider,
    generated_warehouses: Path,
    postgres_url: str,
) -> None:
    for name, value in {
        **oidc_provider.api_env(),
        "POSTGRES_URL": postgres_url,
        "DATA_DIR": str(generated_warehouses),
    }.items():
        monkeypatch.setenv(name, value)
    headers = {"authorization": f"Bearer {oidc_provider.token('bi.read')}"}
    with TestClient(build_app(RunMode.ALL_IN_ONE, Settings(env_file=None))) as client:
        validator: UserTokenValidator = client.app.state.gateway.user_tokens  # type: ignore[attr-defined]
        checks: list[str | None] = []
        validate = validator.validate

        def counted(authorization: str | None) -> User:
            checks.append(authorization)
            return validate(authorization)

        monkeypatch.setattr(validator, "validate", counted)
        statuses = [client.get(KPIS, headers=headers).status_code for _ in range(5)]
        refused = client.get(KPIS, headers={"authorization": "Bearer not-a-token"})
    assert statuses == [200] * 5
    assert checks == [headers["authorization"], "Bearer not-a-token"]
    assert refused.status_code == 401
