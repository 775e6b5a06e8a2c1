"""Short-lived HS256 tokens the gateway mints for each call to a domain service.

Claims: `iss` (the gateway), `aud` (the receiving service), `sub` (the user), `iat`, `exp`
(at most 60 s later) and a unique `jti`. A service accepts only tokens addressed to it from
an allowed issuer, so a user's own OIDC token sent straight to a service is refused.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

import jwt

from otelbi.errors import Unauthenticated

ALGORITHM = "HS256"
LIFETIME_SECONDS = 60


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
    return InternalCaller(subject=claims["sub"], issuer=claims["iss"], token_id=claims["jti"])
