"""A real OpenID Connect provider for the tests: npm `oidc-provider` in tests/peers/oidc/.

The test process makes the provider's private keys, so it gets genuine tokens from the
provider (client_credentials grant, JWT access tokens through resource indicators) and can
also forge tokens signed with the same keys to walk the whole rejection matrix.

A browser can sign in too (authorization code + PKCE) when the provider is started with the
SPA's redirect URIs — the `oidc_provider` fixture has none, since they name the product's
port. From a fixture of any scope, once the product's URL is known:

    with spa_provider(
        log_dir,
        redirect_uris=[f"{url}/auth/callback"],
        post_logout_redirect_uris=[f"{url}/"],
        access_token_ttl=30,  # optional: default 600 s
    ) as provider:
        env = provider.product_env()  # OIDC_AUTHORITY, … for `otelbi serve`

- issuer `provider.issuer` (http://127.0.0.1:<port>), client id `SPA_CLIENT_ID` ("otelbi-web"),
  public (no secret), PKCE required, refresh tokens issued (no iframe renewal needed);
- scopes: `SPA_SCOPE` asks for every API scope; the token's `scope` is what the sign-in
  asked for (of `API_SCOPES`) that the login may have, its `aud` is `API_AUDIENCE`. Two ways
  to a token without an API scope: ask for less (`provider.product_env(scope=…)`, a
  product-wide setting), or start the provider with `account_scopes={"viewer": [...]}`, so
  that login "viewer" never gets more, whatever the SPA asks for (other logins get all);
- the sign-in form at /interaction/<uid>: fill input[name=login] and input[name=password]
  (any values), click button[type=submit]; no consent page follows. The login is the
  subject (the audit log's actor); the ID token's `name` is the login capitalised, its
  `email` login@example.test;
- sign-out (end_session with post_logout_redirect_uri) shows the provider's confirmation
  form: click button[name=logout][value=yes] ("Yes, sign me out"), then the browser is sent
  to the post-logout URI;
- access tokens of the code flow live `access_token_ttl` seconds (the gateway allows 30 s of
  clock leeway on top); client_credentials tokens always live 600 s.

`npm ci` runs in tests/peers/oidc/ the first time the provider is needed on a fresh clone.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc"
API_AUDIENCE = "urn:otelbi:api"
API_SCOPES = ("bi.read", "jobs.run", "audit.read", "reports.generate")
CLIENT_ID = "otelbi-tests"
SPA_CLIENT_ID = "otelbi-web"
"""The browser's public client, when the provider is started with redirect URIs."""
SPA_SCOPE = " ".join(("openid", "profile", "email", *API_SCOPES))
"""What the SPA asks for to get every API scope: the API's scopes go in `scope` too."""
READY_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class ProviderKey:
    """One signing key of the provider, private part included (the test process made it)."""

    kid: str
    alg: str
    private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

    @classmethod
    def generate(cls, kid: str, alg: str = "RS256") -> ProviderKey:
        if alg.startswith(("RS", "PS")):
            return cls(kid, alg, rsa.generate_private_key(public_exponent=65537, key_size=2048))
        curves = {"ES256": ec.SECP256R1(), "ES384": ec.SECP384R1()}
        return cls(kid, alg, ec.generate_private_key(curves[alg]))

    def private_jwk(self) -> dict[str, Any]:
        if isinstance(self.private_key, rsa.RSAPrivateKey):
            jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.private_key, as_dict=True)
        else:
            jwk = jwt.algorithms.ECAlgorithm.to_jwk(self.private_key, as_dict=True)
        # PyJWT marks a private RSA key "key_ops": ["sign"]; the provider would then not
        # verify with it (an id_token_hint at sign-out). `use` says enough.
        jwk.pop("key_ops", None)
        return {**jwk, "kid": self.kid, "alg": self.alg, "use": "sig"}

    def sign(self, claims: dict[str, Any], *, alg: str | None = None, **header: Any) -> str:
        """Return `claims` signed with this key (header `kid` is this key's unless given)."""
        headers = {"kid": self.kid, **header}
        key = None if alg == "none" else self.private_key
        return jwt.encode(claims, key, algorithm=alg or self.alg, headers=headers)


def ensure_installed() -> None:
    """Run `npm ci` in tests/peers/oidc/ unless its node_modules already holds the provider."""
    if (PROVIDER_DIR / "node_modules" / "oidc-provider" / "package.json").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("the OIDC provider needs Node.js 20+ and npm on PATH")
    subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=PROVIDER_DIR,
        check=True,
        timeout=600,
    )


@dataclass
class OidcProvider:
    """A running `oidc-provider` process on 127.0.0.1 and what a test needs from it."""

    keys: Sequence[ProviderKey]
    log_dir: Path
    signing_kid: str | None = None
    client_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    spa_redirect_uris: Sequence[str] = ()
    """Exact redirect URIs of the SPA client; none: no SPA client and no sign-in form."""
    spa_post_logout_redirect_uris: Sequence[str] = ()
    access_token_ttl: int = 600
    """Seconds an access token of the code flow lives."""
    account_scopes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """The API scopes a login may have (code flow); a login not listed may have them all."""
    port: int = 0
    issuer: str = ""
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)
    _earlier_requests: Counter[str] = field(default_factory=Counter, init=False, repr=False)

    @property
    def token_endpoint(self) -> str:
        return f"{self.issuer}/token"

    @property
    def jwks_uri(self) -> str:
        return f"{self.issuer}/jwks"

    @property
    def authorization_endpoint(self) -> str:
        return f"{self.issuer}/auth"

    @property
    def end_session_endpoint(self) -> str:
        return f"{self.issuer}/session/end"

    def product_env(self, scope: str = SPA_SCOPE) -> dict[str, str]:
        """Return the product's variables for a browser sign-in here, asking for `scope`."""
        assert self.spa_redirect_uris, "start the provider with spa_redirect_uris"
        return {
            "OIDC_ENABLED": "true",
            "OIDC_AUTHORITY": self.issuer,
            "FRONTEND_OIDC_CLIENT_ID": SPA_CLIENT_ID,
            "FRONTEND_OIDC_SCOPE": scope,
            **self.api_env(),
        }

    def api_env(self) -> dict[str, str]:
        """Return the product's variables for an API that requires this provider's tokens."""
        return {
            "REQUIRE_FRONTEND_AUTH": "true",
            "FRONTEND_JWT_ISSUER_URL": self.issuer,
            "FRONTEND_JWT_AUDIENCE": API_AUDIENCE,
        }

    def key(self, kid: str) -> ProviderKey:
        return next(key for key in self.keys if key.kid == kid)

    def start(self) -> None:
        """Start node (on `port`, or any free port the first time) and wait for its ready line."""
        ensure_installed()
        node = shutil.which("node")
        if node is None:
            pytest.fail("the OIDC provider needs Node.js 20+ on PATH")
        env = {
            **os.environ,
            "OIDC_PORT": str(self.port),
            "OIDC_JWKS": json.dumps({"keys": [key.private_jwk() for key in self.keys]}),
            "OIDC_SIGNING_KID": self.signing_kid or self.keys[0].kid,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": self.client_secret,
            "OIDC_API_AUDIENCE": API_AUDIENCE,
            "OIDC_API_SCOPES": " ".join(API_SCOPES),
            "OIDC_ACCESS_TOKEN_TTL": str(self.access_token_ttl),
            "OIDC_SPA_CLIENT_ID": SPA_CLIENT_ID if self.spa_redirect_uris else "",
            "OIDC_SPA_REDIRECT_URIS": " ".join(self.spa_redirect_uris),
            "OIDC_SPA_POST_LOGOUT_REDIRECT_URIS": " ".join(self.spa_post_logout_redirect_uris),
            "OIDC_ACCOUNT_SCOPES": json.dumps(
                {login: " ".join(scopes) for login, scopes in self.account_scopes.items()}
            ),
        }
        self.log_dir.mkdir(parents=True, exist_ok=True)
        stdout_path = self.log_dir / "oidc-provider.out"
        with (
            stdout_path.open("wb") as stdout,
            (self.log_dir / "oidc-provider.err").open("ab") as err,
        ):
            self._process = subprocess.Popen(
                [node, str(PROVIDER_DIR / "provider.mjs")],
                cwd=PROVIDER_DIR,
                env=env,
                stdout=stdout,
                stderr=err,
            )
        ready = self._wait_for_ready_line(stdout_path)
        self.port = int(ready["port"])
        self.issuer = str(ready["issuer"])

    def _wait_for_ready_line(self, stdout_path: Path) -> dict[str, Any]:
        assert self._process is not None
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            for line in stdout_path.read_text().splitlines():
                message = json.loads(line)
                if message.get("ready"):
                    return dict(message)
            if self._process.poll() is not None:
                errors = (self.log_dir / "oidc-provider.err").read_text()
                raise AssertionError(
                    f"oidc-provider exited with {self._process.returncode}: {errors}"
                )
            time.sleep(0.05)
        self.stop()
        raise AssertionError(
            f"oidc-provider did not print its ready line in {READY_TIMEOUT_SECONDS} s"
        )

    def stop(self) -> None:
        if self._process is None:
            return
        if self._process.poll() is None:
            self._earlier_requests += self._current_requests()
            self._process.send_signal(signal.SIGTERM)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout=10)
        self._process = None

    def restart(self, keys: Sequence[ProviderKey], signing_kid: str) -> None:
        """Stop and start again on the same port (same issuer) with a new key set."""
        self.stop()
        self.keys = keys
        self.signing_kid = signing_kid
        self.start()

    def requests(self, name: str) -> int:
        """Return how often "METHOD /path" was asked for, over every start of this provider."""
        return self._earlier_requests[name] + self._current_requests()[name]

    def _current_requests(self) -> Counter[str]:
        response = httpx.get(f"{self.issuer}/_test/requests", timeout=5)
        response.raise_for_status()
        return Counter(response.json())

    def token(self, scope: str = "bi.read") -> str:
        """Return a genuine JWT access token for the test client (client_credentials)."""
        response = httpx.post(
            self.token_endpoint,
            auth=(CLIENT_ID, self.client_secret),
            data={"grant_type": "client_credentials", "scope": scope, "resource": API_AUDIENCE},
            timeout=10,
        )
        response.raise_for_status()
        return str(response.json()["access_token"])

    def claims(self, **overrides: Any) -> dict[str, Any]:
        """Return the claims of a valid access token, with `overrides` (None removes a claim)."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": API_AUDIENCE,
            "sub": "ada",
            "client_id": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "scope": "bi.read",
            "jti": secrets.token_hex(8),
        }
        claims.update(overrides)
        return {name: value for name, value in claims.items() if value is not None}


def running_provider(
    log_dir: Path, keys: Sequence[ProviderKey], signing_kid: str | None = None
) -> Iterator[OidcProvider]:
    """Yield a started provider; stop it afterwards."""
    provider = OidcProvider(keys=keys, log_dir=log_dir, signing_kid=signing_kid)
    provider.start()
    try:
        yield provider
    finally:
        provider.stop()


@contextmanager
def spa_provider(
    log_dir: Path,
    *,
    redirect_uris: Sequence[str],
    post_logout_redirect_uris: Sequence[str] = (),
    access_token_ttl: int = 600,
    account_scopes: Mapping[str, Sequence[str]] | None = None,
    keys: Sequence[ProviderKey] | None = None,
) -> Iterator[OidcProvider]:
    """Run a provider a browser can sign in to (the SPA client, see the module docstring)."""
    provider = OidcProvider(
        keys=keys or [ProviderKey.generate("rs-1", "RS256")],
        log_dir=log_dir,
        spa_redirect_uris=redirect_uris,
        spa_post_logout_redirect_uris=post_logout_redirect_uris,
        access_token_ttl=access_token_ttl,
        account_scopes=account_scopes or {},
    )
    provider.start()
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    """A provider signing access tokens with RS256 key "rs-1"; it also publishes ES256 "ec-1"."""
    keys = [ProviderKey.generate("rs-1", "RS256"), ProviderKey.generate("ec-1", "ES256")]
    yield from running_provider(tmp_path_factory.mktemp("oidc-provider"), keys)
