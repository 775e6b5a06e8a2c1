"""The token of an `Authorization: Bearer <token>` header, however the scheme is spelt."""

from __future__ import annotations

PREFIX = "bearer "


def bearer_token(authorization: str | None) -> str | None:
    """Return the header's token (stripped; possibly empty), or None without a bearer header."""
    if not authorization or not authorization.lower().startswith(PREFIX):
        return None
    return authorization[len(PREFIX) :].strip()
