"""Short-lived HS256 tokens the gateway mints for each call to a domain service.

Claims: `iss` (the gateway), `aud` (the receiving service), `sub` (the user), `iat`, `exp`
(at most 60 s later) and a unique `jti`. A service accepts only tokens addressed to it from
an allowed issuer, so a user's own OIDC token sent straight to a service is refused.

Signing and checking a token costs more CPU than answering a cached view, so both sides keep
what they did: the gateway reuses a token for the same service and user while it has at least
half its lifetime left (`InternalTokens`), and a service remembers a token it has verified,
by its exact text (signature included), until it expires (`VerifiedTokens`). A token that
failed is never remembered, and nothing unsigned can enter either cache.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import jwt
from cachetools import TTLCache

from otelbi.errors import Unauthenticated

ALGORITHM = "HS256"
LIFETIME_SECONDS = 60
REUSE_SECONDS = LIFETIME_SECONDS / 2
"""A minted token is handed out again for this long: it then still has 30 s to live."""
CACHED_TOKENS = 4096
"""Tokens each side remembers at most (distinct users calling within a minute)."""


@dataclass(frozen=True)
class InternalCaller:
    """Who a verified internal token speaks for."""

    subject: str
    issuer: str
    token_id: str


def mint_internal_token(*, secret: str, issuer: str, audience: str, subject: str) -> str:
    """Return a signed token for one call from `issuer` to `audience` on behalf of `subject`."""
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": audience,
        "sub": subject,
        "iat": now,
        "exp": now + LIFETIME_SECONDS,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def verify_internal_token(
    token: str, *, secret: str, audience: str, allowed_issuers: frozenset[str]
) -> InternalCaller:
    """Return the caller of a valid token for `audience`; raise Unauthenticated otherwise."""
    return _verified(token, secret=secret, audience=audience, allowed_issuers=allowed_issuers)[0]


def _verified(
    token: str, *, secret: str, audience: str, allowed_issuers: frozenset[str]
) -> tuple[InternalCaller, int]:
    """Return the caller of a valid token for `audience` and its `exp`."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=audience,
            options={"require": ["iss", "aud", "sub", "exp", "iat", "jti"]},
        )
    except jwt.PyJWTError as error:
        raise Unauthenticated(f"internal token rejected: {error}") from None
    if claims["iss"] not in allowed_issuers:
        raise Unauthenticated(f"internal token rejected: issuer {claims['iss']!r} not allowed")
    if claims["exp"] - claims["iat"] > LIFETIME_SECONDS:
        raise Unauthenticated("internal token rejected: lifetime over 60 s")
    caller = InternalCaller(subject=claims["sub"], issuer=claims["iss"], token_id=claims["jti"])
    return caller, int(claims["exp"])


class InternalTokens:
    """The gateway's tokens for calls to the services, one per (service, user) reused for
    REUSE_SECONDS."""

    def __init__(
        self, *, secret: str, issuer: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._secret = secret
        self._issuer = issuer
        self._held: TTLCache[tuple[str, str], str] = TTLCache(
            CACHED_TOKENS, REUSE_SECONDS, timer=clock
        )
        self._lock = threading.Lock()

    def token(self, *, audience: str, subject: str) -> str:
        """Return a token for a call to `audience` on behalf of `subject`, valid ≥ 30 s more."""
        key = (audience, subject)
        with self._lock:
            held = self._held.get(key)
        if held is not None:
            return held
        token = mint_internal_token(
            secret=self._secret, issuer=self._issuer, audience=audience, subject=subject
        )
        with self._lock:
            self._held[key] = token
        return token


class VerifiedTokens:
    """A service's check of internal tokens, remembering each verified one until it expires."""

    def __init__(self, *, secret: str, audience: str, allowed_issuers: frozenset[str]) -> None:
        self._secret = secret
        self._audience = audience
        self._allowed_issuers = allowed_issuers
        self._seen: TTLCache[str, tuple[InternalCaller, int]] = TTLCache(
            CACHED_TOKENS, LIFETIME_SECONDS
        )
        self._lock = threading.Lock()

    def caller(self, token: str) -> InternalCaller:
        """Return the caller of a valid token; raise Unauthenticated otherwise."""
        with self._lock:
            seen = self._seen.get(token)
        if seen is not None and time.time() < seen[1]:
            return seen[0]
        caller, expires = _verified(
            token,
            secret=self._secret,
            audience=self._audience,
            allowed_issuers=self._allowed_issuers,
        )
        with self._lock:
            self._seen[token] = (caller, expires)
        return caller
