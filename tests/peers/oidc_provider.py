"""A real OpenID Connect provider for the tests: npm `oidc-provider` in tests/peers/oidc/.

The test process makes the provider's private keys, so it gets genuine tokens from the
provider (client_credentials grant, JWT access tokens through resource indicators) and can
also forge tokens signed with the same keys to walk the whole rejection matrix.

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
from collections.abc import Iterator, Sequence
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


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OidcProvider]:
    """A provider signing access tokens with RS256 key "rs-1"; it also publishes ES256 "ec-1"."""
    keys = [ProviderKey.generate("rs-1", "RS256"), ProviderKey.generate("ec-1", "ES256")]
    yield from running_provider(tmp_path_factory.mktemp("oidc-provider"), keys)
