"""The body cap holds for a reader no error handler covers: a bare ASGI app."""

from __future__ import annotations

from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from otelbi.web.body_limit import RequestBodyLimit


async def echo_length(scope: Scope, receive: Receive, send: Send) -> None:
    """Read the whole body, then answer with its length."""
    if scope["type"] != "http":
        return
    length, more = 0, True
    while more:
        message = await receive()
        length += len(message.get("body", b""))
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(length).encode()})


def test_an_unhandled_overflow_is_still_a_413_in_the_error_shape() -> None:
    client = TestClient(RequestBodyLimit(echo_length, max_bytes=10))
    assert client.post("/", content=b"x" * 10).text == "10"
    chunked = client.post("/", content=(b"x" * 6 for _ in range(2)))
    assert chunked.status_code == 413
    assert chunked.json() == {
        "error": "too_large",
        "detail": "the request body is larger than 10 bytes: send a smaller one",
    }
