"""The identity provider's public signing keys, fetched over HTTP and cached by key id.

The JWKS comes from FRONTEND_JWT_JWKS_URL or, when that is empty, from the `jwks_uri` of
the issuer's discovery document (looked up once). Keys are kept by `kid`. A token signed
with a `kid` the cache does not hold triggers one re-fetch, so a provider's key rotation
needs no restart; re-fetches happen at most once per MIN_REFETCH_SECONDS whatever arrives,
so a burst of tokens with made-up key ids cannot turn the gateway into a load generator
against the provider. The whole set is also re-read after MAX_AGE_SECONDS, so a key the
provider withdrew stops being trusted. Health checks ask `provider_state()`, which looks
again at most as often, with a shorter timeout, and never waits for a fetch under way.

Only asymmetric signing keys are kept: a key's algorithms are its declared `alg` or, when
the key declares none, the asymmetric algorithms its key type allows.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx
import jwt

from otelbi.errors import DependencyUnavailable

log = logging.getLogger(__name__)

MIN_REFETCH_SECONDS = 30.0
MAX_AGE_SECONDS = 600.0
FETCH_TIMEOUT = httpx.Timeout(5.0)
HEALTH_FETCH_TIMEOUT = httpx.Timeout(2.0)

ALGORITHMS_BY_KEY_TYPE: Mapping[str, frozenset[str]] = {
    "RSA": frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}),
    "EC:P-256": frozenset({"ES256"}),
    "EC:P-384": frozenset({"ES384"}),
    "EC:P-521": frozenset({"ES512"}),
    "OKP:Ed25519": frozenset({"EdDSA"}),
}
ASYMMETRIC_ALGORITHMS: frozenset[str] = frozenset().union(*ALGORITHMS_BY_KEY_TYPE.values())


@dataclass(frozen=True)
class SigningKey:
    """One public key of the provider and the algorithms a token signed with it may name."""

    kid: str
    algorithms: frozenset[str]
    key: Any


class JwksCache:
    """Signing keys by `kid`, re-fetched on an unknown key id at most once per 30 s."""

    def __init__(
        self,
        *,
        issuer: str,
        jwks_url: str = "",
        min_refetch_seconds: float = MIN_REFETCH_SECONDS,
        max_age_seconds: float = MAX_AGE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._issuer = issuer
        self._jwks_url = jwks_url
        self._min_refetch_seconds = min_refetch_seconds
        self._max_age_seconds = max_age_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._keys: dict[str, SigningKey] = {}
        self._fetched_at: float | None = None
        self._attempted_at: float | None = None
        self._last_error: str | None = None

    def key(self, kid: str) -> SigningKey | None:
        """Return the key with id `kid`, fetching the JWKS if allowed; None if it has none.

        Raises DependencyUnavailable when the keys are needed but could not be fetched.
        """
        known = self._keys.get(kid)
        if known is not None and not self._stale():
            return known
        with self._lock:
            # Another thread may have fetched while this one waited for the lock.
            known = self._keys.get(kid)
            if known is not None and not self._stale():
                return known
            if self._may_fetch():
                self._refresh()
            known = self._keys.get(kid)
            if known is None and self._last_error is not None and not self._keys:
                raise DependencyUnavailable(
                    f"the identity provider's signing keys could not be fetched "
                    f"({self._last_error}); the gateway tries again at most every "
                    f"{self._min_refetch_seconds:g} s"
                )
            return known

    def still_serves(self, key: SigningKey) -> bool:
        """Return whether `key` is the one the cache holds for its kid and the keys need no
        re-reading (MAX_AGE_SECONDS); never fetches."""
        return self._keys.get(key.kid) is key and not self._stale()

    def provider_state(self) -> str:
        """Return "ok" if the provider served its keys at the last look, else what failed.

        Looks again (one fetch, HEALTH_FETCH_TIMEOUT) when the last attempt is older than
        the re-fetch window; while another thread fetches, answers from the last look.
        """
        if self._may_fetch() and self._lock.acquire(blocking=False):
            try:
                if self._may_fetch():
                    self._refresh(HEALTH_FETCH_TIMEOUT)
            finally:
                self._lock.release()
        if self._last_error is not None:
            kept = (
                f"the {len(self._keys)} keys fetched before still validate tokens"
                if self._keys
                else "no keys are cached: every signed-in call answers 503"
            )
            return f"unreachable: {self._last_error}; {kept}"
        if self._fetched_at is None:
            return "checking: the first fetch of the signing keys is under way"
        return "ok"

    def _stale(self) -> bool:
        return self._fetched_at is None or self._clock() - self._fetched_at >= self._max_age_seconds

    def _may_fetch(self) -> bool:
        return (
            self._attempted_at is None
            or self._clock() - self._attempted_at >= self._min_refetch_seconds
        )

    def _refresh(self, timeout: httpx.Timeout = FETCH_TIMEOUT) -> None:
        self._attempted_at = self._clock()
        try:
            document = _get_json(self._resolved_jwks_url(timeout), timeout)
            keys = _signing_keys(document)
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as error:
            self._last_error = f"{type(error).__name__}: {error}"
            # Stale keys beat no keys: the provider being briefly down must not log everyone out.
            log.warning("could not fetch the JWKS (keeping %d keys): %s", len(self._keys), error)
            return
        self._keys = keys
        self._fetched_at = self._attempted_at
        self._last_error = None
        log.info("fetched %d signing keys from the identity provider", len(keys))

    def _resolved_jwks_url(self, timeout: httpx.Timeout) -> str:
        if not self._jwks_url:
            discovery = self._issuer.rstrip("/") + "/.well-known/openid-configuration"
            self._jwks_url = str(_get_json(discovery, timeout)["jwks_uri"])
        return self._jwks_url


def _get_json(url: str, timeout: httpx.Timeout) -> Any:
    response = httpx.get(url, timeout=timeout, headers={"accept": "application/json"})
    response.raise_for_status()
    return response.json()


def _signing_keys(document: Any) -> dict[str, SigningKey]:
    """Return the usable asymmetric signing keys of a JWKS document, by kid."""
    keys: dict[str, SigningKey] = {}
    for jwk in document["keys"]:
        if not isinstance(jwk, dict):
            continue
        kid = jwk.get("kid")
        if not isinstance(kid, str) or jwk.get("use", "sig") != "sig":
            continue
        allowed = ALGORITHMS_BY_KEY_TYPE.get(
            jwk.get("kty", "") + (f":{jwk['crv']}" if "crv" in jwk else ""), frozenset()
        )
        declared = jwk.get("alg")
        algorithms = allowed & {declared} if declared is not None else allowed
        if not algorithms:
            log.info("ignoring JWKS key %r: not an asymmetric signing key", kid)
            continue
        try:
            public_key = jwt.PyJWK(jwk, algorithm=min(algorithms)).key
        except jwt.PyJWTError as error:
            log.warning("ignoring JWKS key %r: %s", kid, error)
            continue
        keys[kid] = SigningKey(kid=kid, algorithms=frozenset(algorithms), key=public_key)
    return keys
