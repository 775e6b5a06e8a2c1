"""The in-process transport streams: the caller reads a chunk while the app is still
producing, an app that fails mid-body breaks the body, and a caller that leaves stops the app."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import httpx
import pytest

from otelbi.web.asgi_transport import StreamingASGITransport

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]


def _app(body: Callable[[Send], Awaitable[None]]) -> Any:
    async def app(scope: Message, receive: Callable[[], Awaitable[Message]], send: Send) -> None:
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"x-a", b"1")]})
        await body(send)

    return app


async def _chunk(send: Send, data: bytes, *, more: bool = True) -> None:
    await send({"type": "http.response.body", "body": data, "more_body": more})


def test_the_body_reaches_the_caller_while_the_app_is_still_sending() -> None:
    async def scenario() -> list[bytes]:
        first_read = asyncio.Event()

        async def body(send: Send) -> None:
            await _chunk(send, b"first")
            # A buffering transport would wait here forever: nobody reads before the end.
            await asyncio.wait_for(first_read.wait(), timeout=5)
            await _chunk(send, b"second", more=False)

        transport = StreamingASGITransport(_app(body))
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://svc") as client,
            client.stream("GET", "/export") as response,
        ):
            assert response.status_code == 200
            assert response.headers["x-a"] == "1"
            received = []
            async for chunk in response.aiter_raw():
                received.append(chunk)
                first_read.set()
        return received

    assert asyncio.run(scenario()) == [b"first", b"second"]


def test_an_app_that_fails_after_its_headers_breaks_the_body() -> None:
    async def scenario() -> None:
        async def body(send: Send) -> None:
            await _chunk(send, b"partial")
            raise RuntimeError("store down")

        transport = StreamingASGITransport(_app(body))
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://svc") as client,
            client.stream("GET", "/export") as response,
        ):
            with pytest.raises(httpx.RemoteProtocolError, match="store down"):
                await response.aread()

    asyncio.run(scenario())


def test_an_app_that_fails_before_its_headers_raises_to_the_caller() -> None:
    async def app(scope: Message, receive: Any, send: Send) -> None:
        raise LookupError("no route")

    async def scenario() -> None:
        transport = StreamingASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
            with pytest.raises(LookupError):
                await client.get("/x")

    asyncio.run(scenario())


def test_a_caller_that_leaves_early_stops_the_app() -> None:
    async def scenario() -> bool:
        stopped = asyncio.Event()

        async def body(send: Send) -> None:
            try:
                while True:
                    await _chunk(send, b"x" * 1024)
            except asyncio.CancelledError:
                stopped.set()
                raise

        transport = StreamingASGITransport(_app(body))
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://svc") as client,
            client.stream("GET", "/export") as response,
        ):
            async for _ in response.aiter_raw():
                break
        await asyncio.wait_for(stopped.wait(), timeout=5)
        return stopped.is_set()

    assert asyncio.run(scenario())


def test_a_request_body_and_a_head_request_pass_through() -> None:
    async def app(scope: Message, receive: Callable[[], Awaitable[Message]], send: Send) -> None:
        received = b""
        while True:
            message = await receive()
            received += message.get("body", b"")
            if not message.get("more_body"):
                break
        await send({"type": "http.response.start", "status": 201, "headers": []})
        await _chunk(send, received.upper(), more=False)

    async def scenario() -> tuple[httpx.Response, httpx.Response]:
        transport = StreamingASGITransport(app)
        async with httpx.AsyncClient(transport=transport, base_url="http://svc") as client:
            return await client.post("/x", content=b"hello"), await client.head("/x")

    posted, head = asyncio.run(scenario())
    assert (posted.status_code, posted.content) == (201, b"HELLO")
    assert (head.status_code, head.content) == (201, b"")
