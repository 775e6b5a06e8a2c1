"""A health check of the identity provider never waits behind a fetch already under way: a
provider that accepts connections and never answers holds one caller, not every probe."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import suppress

import pytest

from otelbi.security.jwks import JwksCache


@pytest.fixture
def silent_provider() -> Iterator[tuple[str, threading.Event]]:
    """A TCP server that accepts and never answers; yield its URL and "a fetch arrived"."""
    arrived, done = threading.Event(), threading.Event()
    server = socket.create_server(("127.0.0.1", 0))

    def accept() -> None:
        with suppress(OSError):  # the listening socket shut down before anyone came
            connection, _ = server.accept()
            arrived.set()
            done.wait()
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}", arrived
    finally:
        done.set()
        with suppress(OSError):
            server.shutdown(socket.SHUT_RDWR)  # wakes an accept() still waiting
        thread.join(timeout=10)
        server.close()


def test_a_second_health_check_answers_from_the_last_look_instead_of_waiting(
    silent_provider: tuple[str, threading.Event],
) -> None:
    url, arrived = silent_provider
    cache = JwksCache(issuer=url, jwks_url=f"{url}/jwks")
    first: list[str] = []
    looking = threading.Thread(target=lambda: first.append(cache.provider_state()))
    looking.start()
    assert arrived.wait(timeout=10)
    assert cache.provider_state() == ("checking: the first fetch of the signing keys is under way")
    looking.join(timeout=30)
    assert first[0].startswith("unreachable: ReadTimeout")
    assert first[0].endswith("no keys are cached: every signed-in call answers 503")
