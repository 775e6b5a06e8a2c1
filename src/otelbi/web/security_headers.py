"""The security headers the gateway sets on every response, and its Content-Security-Policy.

The policy is written for the single-page frontend the gateway will serve: scripts, styles,
images and fonts only from the gateway's own origin (no inline script, no inline style, no
eval), API calls to the gateway and to the identity provider, never framed, no plugins.
On JSON responses it costs nothing and keeps a response opened directly in a tab inert.
The API's two documentation pages, /docs and /redoc, get their own policy instead
(`page_policies`, gateway/api_docs.py), on those two exact paths only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HSTS = "max-age=31536000; includeSubDomains"


def content_security_policy(
    connect_origins: Iterable[str] = (),
    *,
    styles: Iterable[str] = (),
    workers: Iterable[str] = (),
) -> str:
    """Return the Content-Security-Policy; `connect_origins` may be fetched from too.

    `styles` (sources added to style-src) and `workers` (a worker-src) loosen it for the one
    page that needs them (gateway/api_docs.py): never for the web app or the API.
    """
    connect = " ".join(["'self'", *connect_origins])
    worker = " ".join(workers)
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            " ".join(["style-src 'self'", *styles]),
            # Vite inlines small images as data: URLs.
            "img-src 'self' data:",
            f"connect-src {connect}",
            *([f"worker-src {worker}"] if worker else []),
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def origin_of(url: str) -> str | None:
    """Return the `scheme://host[:port]` of an http(s) URL; None for anything else."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    port = f":{parts.port}" if parts.port is not None else ""
    return f"{parts.scheme}://{host}{port}"


class SecurityHeaders:
    """ASGI middleware: sets the security headers on every HTTP response.

    They replace any of the same name the application set, so a forwarded service cannot
    loosen them. Strict-Transport-Security goes only on responses to requests that came over
    https: `scope["scheme"]`, which uvicorn sets from X-Forwarded-Proto when the request
    comes from a trusted proxy (FORWARDED_ALLOW_IPS).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        content_security_policy: str,
        page_policies: Mapping[str, str] | None = None,
    ) -> None:
        self.app = app
        self._headers = _headers(content_security_policy)
        self._page_headers = {
            path: _headers(policy) for path, policy in (page_policies or {}).items()
        }
        self._names = {name for name, _ in self._headers[1]}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        plain, https = self._page_headers.get(scope["path"], self._headers)
        added = https if scope.get("scheme") == "https" else plain

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in self._names
                ]
                message = {**message, "headers": kept + added}
            await send(message)

        await self.app(scope, receive, send_with_headers)


Headers = list[tuple[bytes, bytes]]


def _headers(content_security_policy: str) -> tuple[Headers, Headers]:
    """Return the headers for a request over http, and those for one over https."""
    plain = [
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"no-referrer"),
        (b"content-security-policy", content_security_policy.encode("latin-1")),
    ]
    return plain, [*plain, (b"strict-transport-security", HSTS.encode())]
