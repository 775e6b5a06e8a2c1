"""Internal service tokens: HS256, addressed, short-lived, from an allowed issuer."""

from __future__ import annotations

import time

import jwt
import pytest

from otelbi.errors import Unauthenticated
from otelbi.security.internal_tokens import (
    InternalTokens,
    VerifiedTokens,
    mint_internal_token,
    verify_internal_token,
)

SECRET = "s" * 48
ISSUERS = frozenset({"api-gateway"})


def _verify(token: str, audience: str = "aw-service") -> str:
    return verify_internal_token(
        token, secret=SECRET, audience=audience, allowed_issuers=ISSUERS
    ).subject


def test_a_minted_token_names_the_user_and_expires_within_a_minute() -> None:
    token = mint_internal_token(
        secret=SECRET, issuer="api-gateway", audience="aw-service", subject="ada"
    )
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], audience="aw-service")
    assert claims["sub"] == "ada"
    assert 0 < claims["exp"] - claims["iat"] <= 60
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    assert _verify(token) == "ada"


def test_each_token_is_unique() -> None:
    tokens = {
        mint_internal_token(secret=SECRET, issuer="api-gateway", audience="aw-service", subject="a")
        for _ in range(5)
    }
    assert len(tokens) == 5


def test_a_token_for_another_service_is_refused() -> None:
    token = mint_internal_token(
        secret=SECRET, issuer="api-gateway", audience="wwi-service", subject="a"
    )
    with pytest.raises(Unauthenticated, match=r"(?i)audience"):
        _verify(token, audience="aw-service")


def test_an_unknown_issuer_is_refused() -> None:
    token = mint_internal_token(
        secret=SECRET, issuer="intruder", audience="aw-service", subject="a"
    )
    with pytest.raises(Unauthenticated, match="issuer"):
        _verify(token)


def test_a_wrong_secret_is_refused() -> None:
    token = mint_internal_token(
        secret="t" * 48, issuer="api-gateway", audience="aw-service", subject="a"
    )
    with pytest.raises(Unauthenticated, match="Signature"):
        _verify(token)


def _forged(**claims: object) -> str:
    now = int(time.time())
    base = {
        "iss": "api-gateway",
        "aud": "aw-service",
        "sub": "a",
        "iat": now,
        "exp": now + 30,
        "jti": "1",
    }
    return jwt.encode({**base, **claims}, SECRET, algorithm="HS256")


def test_expired_and_long_lived_tokens_are_refused() -> None:
    now = int(time.time())
    with pytest.raises(Unauthenticated, match="expired"):
        _verify(_forged(iat=now - 120, exp=now - 60))
    with pytest.raises(Unauthenticated, match="60 s"):
        _verify(_forged(exp=now + 3600))


def test_tokens_without_required_claims_are_refused() -> None:
    token = jwt.encode(
        {"iss": "api-gateway", "aud": "aw-service", "exp": int(time.time()) + 30},
        SECRET,
        algorithm="HS256",
    )
    with pytest.raises(Unauthenticated):
        _verify(token)


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_gateway_reuses_a_token_per_service_and_user_for_half_its_lifetime() -> None:
    clock = _Clock()
    tokens = InternalTokens(secret=SECRET, issuer="api-gateway", clock=clock)
    first = tokens.token(audience="aw-service", subject="ada")
    assert tokens.token(audience="aw-service", subject="ada") == first
    assert tokens.token(audience="aw-service", subject="bob") != first
    assert tokens.token(audience="wwi-service", subject="ada") != first
    clock.now += 29
    assert tokens.token(audience="aw-service", subject="ada") == first
    claims = jwt.decode(first, SECRET, algorithms=["HS256"], audience="aw-service")
    assert claims["exp"] - claims["iat"] - 29 >= 30  # reused, it still has 30 s to live
    clock.now += 2
    renewed = tokens.token(audience="aw-service", subject="ada")
    assert renewed != first
    assert _verify(renewed) == "ada"


def _verifier() -> VerifiedTokens:
    return VerifiedTokens(secret=SECRET, audience="aw-service", allowed_issuers=ISSUERS)


def test_a_remembered_token_is_refused_once_it_expires() -> None:
    verifier = _verifier()
    expires = int(time.time()) + 1
    token = _forged(exp=expires, iat=expires - 1)
    assert verifier.caller(token).subject == "a"
    assert verifier.caller(token).subject == "a"
    while time.time() < expires:
        time.sleep(0.05)
    with pytest.raises(Unauthenticated, match="expired"):
        verifier.caller(token)


def test_a_refused_token_is_not_remembered_and_a_forged_one_never_matches() -> None:
    verifier = _verifier()
    genuine = _forged()
    assert verifier.caller(genuine).subject == "a"
    head, _, signature = genuine.split(".")
    forged_body = jwt.utils.base64url_encode(b'{"sub":"admin"}').decode()
    for attempt in (f"{head}.{forged_body}.{signature}", genuine + "x"):
        for _ in range(2):
            with pytest.raises(Unauthenticated):
                verifier.caller(attempt)
    wrong_audience = _forged(aud="wwi-service")
    for _ in range(2):
        with pytest.raises(Unauthenticated, match=r"(?i)audience"):
            verifier.caller(wrong_audience)
