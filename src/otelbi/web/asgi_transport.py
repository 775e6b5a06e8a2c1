"""An httpx transport that calls an ASGI app in-process and streams its response body.

httpx's own ASGITransport runs the app to the end and holds the whole body in memory
before the caller sees a byte, so an embedded gateway would buffer every export. Here the
app runs in its own task: the response is returned as soon as the app has sent its status
and headers, and body chunks pass through a small bounded queue, so the app produces no
faster than the caller reads. An app that fails after its headers went out ends the body
with `httpx.RemoteProtocolError`, as a server that drops the connection would; closing the
response early cancels the app.

asyncio only (the product runs on uvicorn's asyncio loop).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any

import httpx

Message = MutableMapping[str, Any]
ASGIApp = Callable[
    [
        MutableMapping[str, Any],
        Callable[[], Awaitable[Message]],
        Callable[[Message], Awaitable[None]],
    ],
    Awaitable[None],
]

QUEUED_CHUNKS = 8
_END = b""


class _Failed:
    """Queued instead of a chunk when the app fails after sending its headers."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


class _BodyStream(httpx.AsyncByteStream):
    """The response body: chunks as the app sends them."""

    def __init__(
        self, chunks: asyncio.Queue[bytes | _Failed], app_task: asyncio.Task[None]
    ) -> None:
        self._chunks = chunks
        self._app_task = app_task
        self._complete = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            while True:
                chunk = await self._chunks.get()
                if isinstance(chunk, _Failed):
                    self._complete = True
                    raise httpx.RemoteProtocolError(
                        f"the app failed while sending its body: {chunk.error!r}"
                    ) from chunk.error
                if chunk is _END:
                    self._complete = True
                    return
                yield chunk
        finally:
            # A reader that gives up early (its client left) must not leave the app blocked.
            if not self._complete:
                self._app_task.cancel()

    async def aclose(self) -> None:
        if not self._complete:
            self._app_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._app_task


class StreamingASGITransport(httpx.AsyncBaseTransport):
    """Sends each request to `app` in-process; the body streams back as the app sends it."""

    def __init__(self, app: ASGIApp, *, client: tuple[str, int] = ("127.0.0.1", 123)) -> None:
        self.app = app
        self.client = client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Return the response once the app has sent its headers; its body follows."""
        assert isinstance(request.stream, httpx.AsyncByteStream)
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method,
            "headers": [(k.lower(), v) for (k, v) in request.headers.raw],
            "scheme": request.url.scheme,
            "path": request.url.path,
            "raw_path": request.url.raw_path.split(b"?")[0],
            "query_string": request.url.query,
            "server": (request.url.host, request.url.port),
            "client": self.client,
            "root_path": "",
        }
        request_chunks = request.stream.__aiter__()
        request_done = False
        response_done = asyncio.Event()
        started: asyncio.Future[tuple[int, list[tuple[bytes, bytes]]]] = (
            asyncio.get_running_loop().create_future()
        )
        chunks: asyncio.Queue[bytes | _Failed] = asyncio.Queue(maxsize=QUEUED_CHUNKS)

        async def receive() -> Message:
            nonlocal request_done
            if request_done:
                await response_done.wait()
                return {"type": "http.disconnect"}
            try:
                body = await request_chunks.__anext__()
            except StopAsyncIteration:
                request_done = True
                return {"type": "http.request", "body": b"", "more_body": False}
            return {"type": "http.request", "body": body, "more_body": True}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                started.set_result((message["status"], list(message.get("headers", []))))
            elif message["type"] == "http.response.body" and not response_done.is_set():
                body = message.get("body", b"")
                if body and request.method != "HEAD":
                    await chunks.put(bytes(body))
                if not message.get("more_body", False):
                    response_done.set()
                    await chunks.put(_END)

        async def run_app() -> None:
            try:
                await self.app(scope, receive, send)
            except Exception as error:
                if not started.done():
                    started.set_exception(error)
                elif not response_done.is_set():
                    response_done.set()
                    await chunks.put(_Failed(error))
                return
            if not started.done():
                started.set_exception(RuntimeError("the app returned without a response"))
            elif not response_done.is_set():
                response_done.set()
                await chunks.put(_END)

        app_task = asyncio.create_task(run_app())
        try:
            status, headers = await started
        except BaseException:
            if not app_task.done():
                app_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await app_task
            raise
        return httpx.Response(status, headers=headers, stream=_BodyStream(chunks, app_task))
