"""The cyclic garbage collector of a serving process, settled once its start-up is done.

With CPython's defaults (a young-generation collection every 700 net allocations, a full one
every 100 of those when enough has survived) a process answering 50 concurrent dashboard
calls ran about 31 full collections in 25 s (bench/load.py, cached views), each traversing
everything start-up had built — modules, SQLAlchemy's and pydantic's schemas, numpy —
for 117 ms on average and up to 150 ms: 14 % of the time, and every one a pause for every
call in flight. Once start-up is done its objects live as long as the process, so they are
collected once and then frozen (`gc.freeze`: left out of every later collection), and the
young generation is collected after YOUNG_GENERATION_THRESHOLD allocations: a call's many
short-lived objects are then mostly freed by reference counting before a collection looks
at them. Same bench, same run: 464 → 754 calls/s, p95 264 → 134 ms; the collector's share
of the time 20 % → 1 %; memory unchanged (docs/performance.md).

Only `otelbi serve` applies it (`settle_after_startup`): an application built in a test
process leaves the collector as it is.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

YOUNG_GENERATION_THRESHOLD = 10_000
"""Net allocations between young-generation collections (CPython's default is 700)."""


def settle_after_startup(app: FastAPI) -> None:
    """Have `app`'s lifespan settle the collector once its start-up has completed."""
    starting = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        async with starting(app) as state:
            settle()
            yield state

    app.router.lifespan_context = lifespan


def settle() -> None:
    """Collect start-up's garbage, freeze what remains, and raise the young threshold."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, older, oldest)
