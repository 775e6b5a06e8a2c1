"""Validates the user's bearer JWT at the gateway against the identity provider's keys.

Checks: signature with a key from the JWKS (asymmetric algorithms only), issuer, audience,
expiry and not-before (30 s leeway), and the required scopes (from `scope` or `scp`). A bad
token gives 401 with `WWW-Authenticate: Bearer error="invalid_token"`; a missing scope 403.
The error names the failed check, never the token.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import jwt

from otelbi.errors import Forbidden, Unauthenticated

ASYMMETRIC_ALGORITHMS = [
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
]
LEEWAY_SECONDS = 30


@dataclass(frozen=True)
class User:
    """The authenticated user of a request."""

    subject: str
    scopes: frozenset[str]


ANONYMOUS = User(subject="anonymous", scopes=frozenset())


def discover_jwks_url(issuer_url: str) -> str:
    """Return the `jwks_uri` of the issuer's OpenID discovery document."""
    discovery = issuer_url.rstrip("/") + "/.well-known/openid-configuration"
    response = httpx.get(discovery, timeout=10)
    response.raise_for_status()
    return str(response.json()["jwks_uri"])


class UserTokenValidator:
    """Validates user tokens; fetches the provider's keys lazily and caches them."""

    def __init__(
        self, *, issuer: str, audience: str, jwks_url: str, required_scopes: frozenset[str]
    ) -> None:
        self._issuer = issuer
        self._audience = audience
        self._jwks_url = jwks_url
        self._required_scopes = required_scopes
        self._jwks_client: jwt.PyJWKClient | None = None

    def _keys(self) -> jwt.PyJWKClient:
        if self._jwks_client is None:
            url = self._jwks_url or discover_jwks_url(self._issuer)
            self._jwks_client = jwt.PyJWKClient(url, cache_keys=True, lifespan=300)
        return self._jwks_client

    def validate(self, authorization: str | None) -> User:
        """Return the user of a valid `Authorization: Bearer` header or raise 401/403."""
        if not authorization or not authorization.lower().startswith("bearer "):
            raise _invalid("missing bearer token")
        token = authorization[7:].strip()
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise _invalid("malformed token") from None
        if header.get("alg") not in ASYMMETRIC_ALGORITHMS:
            raise _invalid(f"algorithm {header.get('alg')!r} is not accepted")
        try:
            signing_key = self._keys().get_signing_key_from_jwt(token)
        except jwt.PyJWKClientError as error:
            raise _invalid(f"no matching signing key: {error}") from None
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                signing_key.key,
                algorithms=[header["alg"]],
                audience=self._audience,
                issuer=self._issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise _invalid("token expired") from None
        except jwt.ImmatureSignatureError:
            raise _invalid("token not yet valid") from None
        except jwt.InvalidAudienceError:
            raise _invalid("wrong audience") from None
        except jwt.InvalidIssuerError:
            raise _invalid("wrong issuer") from None
        except jwt.InvalidSignatureError:
            raise _invalid("bad signature") from None
        except jwt.PyJWTError as error:
            raise _invalid(f"invalid token: {error}") from None
        scopes = _scopes(claims)
        missing = self._required_scopes - scopes
        if missing:
            raise Forbidden(f"token lacks required scope(s): {' '.join(sorted(missing))}")
        return User(subject=str(claims["sub"]), scopes=scopes)


def _scopes(claims: dict[str, Any]) -> frozenset[str]:
    raw = claims.get("scope", claims.get("scp", ""))
    if isinstance(raw, list):
        return frozenset(str(s) for s in raw)
    return frozenset(str(raw).split())


def _invalid(reason: str) -> Unauthenticated:
    return Unauthenticated(reason, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
