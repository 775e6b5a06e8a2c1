"""Bounded work in flight: past MAX_REQUESTS_IN_FLIGHT API calls at once, the gateway answers
503 with Retry-After at once instead of queueing the call behind the others.

A queue that grows under a burst only makes every caller wait longer — and keeps working for
callers that have given up — so the excess is turned away while those already admitted are
served at full speed. The probes, /api/health and /api/config are never turned away, nor is
anything outside /api/ (the web app's files, cheap and needed to show the error at all). A
download counts until its last byte is sent. One event loop runs the count, so it needs no
lock.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from otelbi.web.errors import error_response

RETRY_AFTER_SECONDS = 1
NEVER_SHED = frozenset({"/api/health", "/api/config"})


class LoadShedding:
    """ASGI middleware: admits at most `limit` API calls at once, answers 503 past it."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        counted = scope["type"] == "http" and path.startswith("/api/") and path not in NEVER_SHED
        if not counted:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            response = error_response(
                "unavailable",
                f"the server is busy: it is serving its limit of {self.limit} calls at once; "
                f"retry in {RETRY_AFTER_SECONDS} s",
                503,
                {"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
            await response(scope, receive, send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
