"""Validates the user's bearer JWT at the gateway against the identity provider's keys.

Checks, in order: a bearer token is there and parses; its header names an asymmetric
algorithm and a `kid`; the JWKS holds that key (one re-fetch for an unknown kid, see
otelbi.security.jwks); the header's algorithm is one the key declares; the signature; the
`exp`, `iss`, `aud` and `sub` claims are there; expiry and not-before, with 30 s leeway;
issuer; audience; and the required scopes (from `scope` or `scp`). A bad token gives 401
with `WWW-Authenticate: Bearer error="invalid_token"`; a missing scope 403 (MissingScope).
The error names the failed check, never the token.

A token that passed every check is remembered, by its exact text (signature included), for
REMEMBERED_SECONDS at most: `remembered` answers for it on the event loop, without the thread
hop and the signature check, while it is unexpired (with the same leeway) and the key that
signed it is still the provider's (a withdrawn or re-read key set forgets it). A token that
failed, or lacks a required scope, is never remembered.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import jwt
from cachetools import TTLCache

from otelbi.errors import Forbidden, Unauthenticated
from otelbi.security.bearer import bearer_token
from otelbi.security.jwks import ASYMMETRIC_ALGORITHMS, JwksCache, SigningKey

LEEWAY_SECONDS = 30
REQUIRED_CLAIMS = ("exp", "iss", "aud", "sub")
MISSING_TOKEN = "missing token (expected Authorization: Bearer <token>)"  # noqa: S105 - a message
REMEMBERED_SECONDS = 60.0
"""How long a verified token is remembered at most (less when it expires sooner)."""
REMEMBERED_TOKENS = 4096
"""Verified tokens remembered at most (distinct signed-in sessions calling within a minute)."""


@dataclass(frozen=True)
class User:
    """The authenticated user of a request."""

    subject: str
    scopes: frozenset[str]


ANONYMOUS = User(subject="anonymous", scopes=frozenset())


class MissingScope(Forbidden):
    """A valid token that lacks a scope this request needs; names whose token it was."""

    def __init__(self, subject: str, missing: frozenset[str]) -> None:
        super().__init__(f"token lacks required scope(s): {' '.join(sorted(missing))}")
        self.subject = subject
        self.missing = missing


class UserTokenValidator:
    """Validates user tokens against the provider's keys (fetched lazily, cached by kid)."""

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        jwks_url: str,
        required_scopes: frozenset[str],
        keys: JwksCache | None = None,
    ) -> None:
        self._issuer = issuer
        self._audience = audience
        self._required_scopes = required_scopes
        self.keys = keys or JwksCache(issuer=issuer, jwks_url=jwks_url)
        self._verified: TTLCache[str, _Verified] = TTLCache(REMEMBERED_TOKENS, REMEMBERED_SECONDS)
        self._lock = threading.Lock()

    def remembered(self, authorization: str | None) -> User | None:
        """Return the user of a token `validate` accepted within REMEMBERED_SECONDS if it is
        still unexpired and its key still the provider's; None means: call `validate`.
        Never does I/O, so the event loop may ask."""
        token = bearer_token(authorization)
        if token is None:
            return None
        with self._lock:
            verified = self._verified.get(token)
        if (
            verified is None
            or time.time() >= verified.valid_until
            or not self.keys.still_serves(verified.key)
        ):
            return None
        return verified.user

    def validate(self, authorization: str | None) -> User:
        """Return the user of a valid `Authorization: Bearer` header or raise 401/403."""
        token = bearer_token(authorization)
        if token is None:
            raise invalid_token(MISSING_TOKEN)
        key, claims = self._verified_claims(token)
        user = User(subject=str(claims["sub"]), scopes=token_scopes(claims))
        missing = self._required_scopes - user.scopes
        if missing:
            raise MissingScope(user.subject, missing)
        valid_until = float(claims["exp"]) + LEEWAY_SECONDS
        with self._lock:
            self._verified[token] = _Verified(user, valid_until, key)
        return user

    def _verified_claims(self, token: str) -> tuple[SigningKey, dict[str, Any]]:
        """Return the key that signed `token` and its claims, all checked; 401 otherwise."""
        key, algorithm = self._signing_key(token)
        try:
            return key, jwt.decode(
                token,
                key.key,
                algorithms=[algorithm],
                audience=self._audience,
                issuer=self._issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.PyJWTError as error:
            raise invalid_token(_decode_failure(error)) from None

    def _signing_key(self, token: str) -> tuple[SigningKey, str]:
        """Return the key the token's header names and the algorithm to verify it with."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise invalid_token("malformed token") from None
        algorithm = header.get("alg")
        if algorithm not in ASYMMETRIC_ALGORITHMS:
            raise invalid_token(
                f"algorithm {str(algorithm)[:20]!r} is not accepted (asymmetric signatures only)"
            )
        kid = header.get("kid")
        if not isinstance(kid, str):
            raise invalid_token("token names no signing key (kid)")
        key = self.keys.key(kid)
        if key is None:
            raise invalid_token(f"unknown signing key {kid[:64]!r}")
        if algorithm not in key.algorithms:
            raise invalid_token(
                f"algorithm {algorithm!r} is not the one signing key {kid[:64]!r} declares "
                f"({' '.join(sorted(key.algorithms))})"
            )
        return key, algorithm


@dataclass(frozen=True)
class _Verified:
    """A token that passed every check: its user, until when it is valid (`exp` and the
    leeway), and the key that signed it."""

    user: User
    valid_until: float
    key: SigningKey


_DECODE_FAILURES: tuple[tuple[type[jwt.PyJWTError], str], ...] = (
    # InvalidSignatureError is a DecodeError: the more specific reasons come first.
    (jwt.InvalidSignatureError, "bad signature"),
    (jwt.ExpiredSignatureError, "token expired"),
    (jwt.ImmatureSignatureError, "token not yet valid"),
    (jwt.InvalidAudienceError, "wrong audience"),
    (jwt.InvalidIssuerError, "wrong issuer"),
    (jwt.DecodeError, "malformed token"),
)


def _decode_failure(error: jwt.PyJWTError) -> str:
    """Return the check a token failed in `jwt.decode`, in words."""
    if isinstance(error, jwt.MissingRequiredClaimError):
        return f"token lacks the {error.claim!r} claim"
    for kind, reason in _DECODE_FAILURES:
        if isinstance(error, kind):
            return reason
    return f"invalid token: {type(error).__name__}"


def token_scopes(claims: dict[str, Any]) -> frozenset[str]:
    """Return the scopes a token grants: its `scope` claim, else `scp` (string or list)."""
    raw = claims.get("scope", claims.get("scp", ""))
    if isinstance(raw, list):
        return frozenset(str(s) for s in raw)
    return frozenset(str(raw).split())


def invalid_token(reason: str) -> Unauthenticated:
    """Return the 401 for a token that failed `reason`."""
    return Unauthenticated(reason, headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
