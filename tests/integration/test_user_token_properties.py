"""Property: a user token is accepted if and only if every rule holds.

Hypothesis mutates a valid token's issuer, audience, expiry and not-before (around the 30 s
leeway), subject, scopes (in `scope` or `scp`) and header algorithm/key, and the validator,
reading the real provider's JWKS, must accept exactly the tokens the rules allow; a token
that breaks only the scope rule is a 403, any other failure a 401.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from otelbi.errors import Forbidden, Unauthenticated
from otelbi.security.user_tokens import LEEWAY_SECONDS, UserTokenValidator
from tests.peers.oidc_provider import API_AUDIENCE, OidcProvider, ProviderKey

REQUIRED_SCOPE = "bi.read"
MARGIN_SECONDS = 3
"""Offsets this close to a leeway boundary are not drawn: the clock moves while a test runs."""

# How the header is made: (algorithm, which key signs, which kid the header names).
SIGNINGS = {
    "RS256 by rs-1": ("RS256", "rs-1", "rs-1"),
    "ES256 by ec-1": ("ES256", "ec-1", "ec-1"),
    "RS384 by rs-1": ("RS384", "rs-1", "rs-1"),
    "PS256 by rs-1": ("PS256", "rs-1", "rs-1"),
    "ES256 by ec-1 naming rs-1": ("ES256", "ec-1", "rs-1"),
    "RS256 by a stranger naming rs-1": ("RS256", "stranger", "rs-1"),
    "RS256 by a stranger naming its own kid": ("RS256", "stranger", "stranger"),
    "HS256": ("HS256", "secret", "rs-1"),
    "none": ("none", "none", "rs-1"),
}
GOOD_SIGNINGS = {"RS256 by rs-1", "ES256 by ec-1"}


def _offsets() -> st.SearchStrategy[int]:
    return st.integers(-120, 120).filter(
        lambda s: all(abs(s - edge) > MARGIN_SECONDS for edge in (-LEEWAY_SECONDS, LEEWAY_SECONDS))
    )


@dataclass(frozen=True)
class Case:
    issuer_ok: bool
    audience: str
    exp_offset: int | None
    nbf_offset: int | None
    has_subject: bool
    scopes: frozenset[str]
    scope_claim: str
    signing: str

    def breaks_a_token_rule(self) -> bool:
        return not (
            self.issuer_ok
            and self.audience in ("exact", "in a list")
            and self.exp_offset is not None
            and self.exp_offset > -LEEWAY_SECONDS
            and (self.nbf_offset is None or self.nbf_offset <= LEEWAY_SECONDS)
            and self.has_subject
            and self.signing in GOOD_SIGNINGS
        )

    def claims(self, issuer: str) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": issuer if self.issuer_ok else issuer + "/other",
            "iat": now,
        }
        audiences = {
            "exact": API_AUDIENCE,
            "in a list": ["urn:other", API_AUDIENCE],
            "other": "urn:other",
            "other list": ["urn:other", "urn:another"],
        }
        if self.audience in audiences:
            claims["aud"] = audiences[self.audience]
        if self.exp_offset is not None:
            claims["exp"] = now + self.exp_offset
        if self.nbf_offset is not None:
            claims["nbf"] = now + self.nbf_offset
        if self.has_subject:
            claims["sub"] = "ada"
        scopes = sorted(self.scopes)
        if self.scope_claim == "scope":
            claims["scope"] = " ".join(scopes)
        elif self.scope_claim == "scp list":
            claims["scp"] = scopes
        else:
            claims["scp"] = " ".join(scopes)
        return claims


MUTABLE = ("issuer", "audience", "exp", "nbf", "subject", "signing", "scope claim")


@st.composite
def cases(draw: st.DrawFn) -> Case:
    """Return a valid token's case with up to three of its parts mutated."""
    mutated = draw(st.sets(st.sampled_from(MUTABLE), max_size=3))

    def part(name: str, valid: Any, mutation: st.SearchStrategy[Any]) -> Any:
        return draw(mutation) if name in mutated else valid

    return Case(
        issuer_ok=part("issuer", True, st.booleans()),
        audience=part(
            "audience",
            "exact",
            st.sampled_from(["exact", "in a list", "other", "other list", "missing"]),
        ),
        exp_offset=part("exp", 300, st.one_of(st.none(), _offsets())),
        nbf_offset=part("nbf", None, st.one_of(st.none(), _offsets())),
        has_subject=part("subject", True, st.booleans()),
        scopes=draw(
            st.frozensets(st.sampled_from([REQUIRED_SCOPE, "jobs.run", "openid", "bi.reader"]))
        ),
        scope_claim=part(
            "scope claim", "scope", st.sampled_from(["scope", "scp list", "scp string"])
        ),
        signing=part("signing", "RS256 by rs-1", st.sampled_from(sorted(SIGNINGS))),
    )


@pytest.fixture(scope="module")
def validator(oidc_provider: OidcProvider) -> UserTokenValidator:
    return UserTokenValidator(
        issuer=oidc_provider.issuer,
        audience=API_AUDIENCE,
        jwks_url="",
        required_scopes=frozenset({REQUIRED_SCOPE}),
    )


@pytest.fixture(scope="module")
def stranger() -> ProviderKey:
    return ProviderKey.generate("stranger")


def _sign(case: Case, provider: OidcProvider, stranger: ProviderKey) -> str:
    alg, signer, kid = SIGNINGS[case.signing]
    claims = case.claims(provider.issuer)
    if signer == "secret":
        return jwt.encode(claims, "s" * 48, algorithm=alg, headers={"kid": kid})
    if signer == "none":
        return jwt.encode(claims, None, algorithm=alg, headers={"kid": kid})
    key = stranger if signer == "stranger" else provider.key(signer)
    return key.sign(claims, alg=alg, kid=kid)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(case=cases())
def test_a_token_is_accepted_iff_every_rule_holds(
    case: Case, validator: UserTokenValidator, oidc_provider: OidcProvider, stranger: ProviderKey
) -> None:
    token = _sign(case, oidc_provider, stranger)
    if case.breaks_a_token_rule():
        event("401")
        with pytest.raises(Unauthenticated) as refused:
            validator.validate(f"Bearer {token}")
        assert refused.value.headers == {"WWW-Authenticate": 'Bearer error="invalid_token"'}
        assert token not in refused.value.detail
    elif REQUIRED_SCOPE not in case.scopes:
        event("403")
        with pytest.raises(Forbidden, match="token lacks required scope"):
            validator.validate(f"Bearer {token}")
    else:
        event("accepted")
        user = validator.validate(f"Bearer {token}")
        assert user.subject == "ada"
        assert user.scopes == case.scopes
