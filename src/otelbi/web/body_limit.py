"""The cap on request bodies: 413 `too_large` before more than the cap is held in memory."""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from otelbi.web.errors import error_response


class BodyTooLarge(HTTPException):
    """A request body over the cap; the error handlers render it as 413 `too_large`."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(
            413, f"the request body is larger than {max_bytes} bytes: send a smaller one"
        )


class RequestBodyLimit:
    """ASGI middleware: refuses request bodies larger than `max_bytes` with 413.

    A declared Content-Length over the cap is answered at once; the application never runs
    and the body is never read. A body without one (chunked) is counted as the application
    receives it: the read that crosses the cap raises BodyTooLarge, which the application's
    error handler renders — or this middleware, if it got out unhandled before a response.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._declared_too_large(scope):
            await self._refuse(scope, receive, send)
            return
        received = 0
        response_started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            if response_started:
                raise
            await self._refuse(scope, receive, send)

    def _declared_too_large(self, scope: Scope) -> bool:
        for name, value in scope["headers"]:
            if name.lower() == b"content-length":
                try:
                    if int(value) > self.max_bytes:
                        return True
                except ValueError:
                    continue  # the server refuses a malformed length; nothing to count here
        return False

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = BodyTooLarge(self.max_bytes)
        response = error_response("too_large", str(error.detail), error.status_code)
        await response(scope, receive, send)
